/** The languages of the dashboard; Vietnamese is the default. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** One page's strings: the English keys must be exactly the Vietnamese ones. */
export interface Messages<K extends string> {
  vi: Record<K, string>;
  en: Record<K, string>;
}

/** Declares a group of strings; a key missing from either language fails to compile. */
export function defineMessages<K extends string>(messages: {
  vi: Record<K, string>;
  en: Record<NoInfer<K>, string>;
}): Messages<K> {
  return messages;
}
