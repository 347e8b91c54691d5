import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { common } from './common';
import { plans } from './plans';
import { content } from './content';
import { playlists } from './playlists';
import { schedules } from './schedules';
import { boards } from './boards';
import { approvals } from './approvals';
import { urgent } from './urgent';
import { users } from './users';
import { audit } from './audit';
import { monitor } from './monitor';
import { reports } from './reports';
import { problems } from './problems';
import { LOCALES, type Locale } from './define';

// Each page's strings live beside the others here; a new page adds its group to this list.
const groups = [
  common,
  plans,
  content,
  playlists,
  schedules,
  boards,
  approvals,
  urgent,
  users,
  audit,
  monitor,
  reports,
  problems,
] as const;

type GroupKeys<G> = G extends { vi: Record<infer K, string> } ? K : never;
/** Every string key of the dashboard. */
export type MessageKey = GroupKeys<(typeof groups)[number]>;
export type MessageParams = Record<string, string | number>;

function merge(locale: Locale): Record<MessageKey, string> {
  return Object.assign({}, ...groups.map((g) => g[locale])) as Record<MessageKey, string>;
}

/** Every string, by language. Exported for the tests that compare the two languages. */
export const catalog: Record<Locale, Record<MessageKey, string>> = {
  vi: merge('vi'),
  en: merge('en'),
};

/** `t('key', { n: 3 })`: the string in the chosen language with `{n}` filled in. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function translator(locale: Locale): Translate {
  const strings = catalog[locale];
  return (key, params) => {
    const text = strings[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
}

const STORAGE_KEY = 'bangtin.locale';

/** The language kept from the last visit, else Vietnamese. */
export function savedLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return LOCALES.find((l) => l === saved) ?? 'vi';
}

export function saveLocale(locale: Locale): void {
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

export interface I18n {
  locale: Locale;
  t: Translate;
  setLocale: (locale: Locale) => void;
}

export const I18nContext = createContext<I18n>({
  locale: 'vi',
  t: translator('vi'),
  setLocale: () => undefined,
});

/** The current language and its translator. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}

export { LOCALES, type Locale };
