import { useEffect, useState } from 'preact/hooks';
import type { Locale, Translate } from '../i18n';
import type { Board, PlanDocument, Schedule, Targets } from '../plan-data';
import { useSession } from '../session';
import { dayFirstIn } from './instant-format';
import { useApiGet } from './use-api';

/** The zone the approvals, urgent, users and audit pages fall back to when no plan is picked. */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** An instant as a local date and time in `timeZone`, day first (`26/11/2026 08:45`). */
export function formatInstant(
  _locale: Locale,
  timeZone: string,
  at: string | number,
  withSeconds = false,
): string {
  return dayFirstIn(timeZone, at, withSeconds);
}

/** A calendar date `YYYY-MM-DD` as the user's language writes it (no zone: a date is a date). */
export function formatDate(locale: Locale, date: string): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(Date.UTC(y, m - 1, d));
}

/** `95` → `1 h 35 min` / `1 giờ 35 phút`. */
export function formatMinutes(t: Translate, totalMinutes: number): string {
  const minutes = Math.max(0, Math.round(totalMinutes));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t('approvals.minutes', { n: m });
  if (m === 0) return t('approvals.hours', { n: h });
  return t('approvals.hoursMinutes', { h, m });
}

/**
 * The zone the user's times are shown in: the working plan's (`GET /api/plans` summaries), else
 * the default. Pages that are not about one plan (users, audit) still never use the browser's zone.
 */
export function useDisplayZone(): string {
  const { planId } = useSession();
  const plans = useApiGet<{ plan: { id: string; timeZone: string } }[]>('/api/plans');
  const found = plans.data?.find((p) => p.plan.id === planId) ?? plans.data?.[0];
  return found?.plan.timeZone ?? DEFAULT_TIME_ZONE;
}

/** The controller's time, refreshed every `everyMs` so times shown relative to now stay true. */
export function useNow(everyMs = 30_000): number {
  const session = useSession();
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      setTick((n) => n + 1);
    }, everyMs);
    return () => {
      clearInterval(timer);
    };
  }, [everyMs]);
  return session.now();
}

type TemporalModule = typeof import('temporal-polyfill');

let temporalModule: Promise<TemporalModule> | undefined;

/**
 * The time-zone library (Temporal), loaded with the first page that turns local wall time into
 * instants; null until it has loaded.
 */
export function useTemporal(): TemporalModule['Temporal'] | null {
  const [loaded, setLoaded] = useState<TemporalModule['Temporal'] | null>(null);
  useEffect(() => {
    let live = true;
    temporalModule ??= import('temporal-polyfill');
    void temporalModule.then((m) => {
      if (live) setLoaded(() => m.Temporal);
    });
    return () => {
      live = false;
    };
  }, []);
  return loaded;
}

/** The boards a target selection reaches (absent or `all` = every board). */
export function targetedBoards(boards: readonly Board[], targets: Targets | undefined): Board[] {
  if (!targets || targets.all === true) return [...boards];
  const ids = new Set(targets.ids ?? []);
  const tags = new Set(targets.tags ?? []);
  return boards.filter((b) => ids.has(b.id) || (b.tags ?? []).some((tag) => tags.has(tag)));
}

/** Targets in words: `every board`, `tags: led · boards: Bờ Y`. */
export function describeTargets(
  t: Translate,
  targets: Targets | undefined,
  boards: readonly Board[],
): string {
  if (!targets || targets.all === true) return t('approvals.targets.all');
  const parts: string[] = [];
  if (targets.tags && targets.tags.length > 0) {
    parts.push(t('approvals.targets.tags', { tags: targets.tags.join(', ') }));
  }
  if (targets.ids && targets.ids.length > 0) {
    const names = targets.ids.map((id) => boards.find((b) => b.id === id)?.name ?? id);
    parts.push(t('approvals.targets.ids', { boards: names.join(', ') }));
  }
  return parts.length > 0 ? parts.join(' · ') : t('approvals.targets.none');
}

const WEEKDAY_KEYS = [
  'weekday.1',
  'weekday.2',
  'weekday.3',
  'weekday.4',
  'weekday.5',
  'weekday.6',
  'weekday.7',
] as const;

/** `[1,2,3,4,5]` → `Monday – Friday`; other sets listed. */
export function describeWeekdays(t: Translate, weekdays: readonly number[]): string {
  const sorted = [...new Set(weekdays)].sort((a, b) => a - b);
  const run = sorted.every((d, i) => i === 0 || d === (sorted[i - 1] ?? 0) + 1);
  const name = (d: number) => t(WEEKDAY_KEYS[d - 1] ?? 'weekday.1');
  if (run && sorted.length > 2) {
    return `${name(sorted[0] ?? 1)} – ${name(sorted[sorted.length - 1] ?? 7)}`;
  }
  return sorted.map(name).join(', ');
}

/** A schedule as one readable rule: when, which days, which hours, where, how strongly. */
export function describeSchedule(
  t: Translate,
  locale: Locale,
  schedule: Schedule,
  doc: Pick<PlanDocument, 'phases' | 'playlists' | 'boards'> | undefined,
): string {
  const parts: string[] = [];
  const playlist = doc?.playlists.find((p) => p.id === schedule.playlist);
  parts.push(t('approvals.rule.plays', { playlist: playlist?.name ?? schedule.playlist }));
  if (schedule.phase !== undefined) {
    const phase = doc?.phases.find((p) => p.id === schedule.phase);
    parts.push(
      phase
        ? t('approvals.rule.phase', {
            phase: phase.name,
            from: formatDate(locale, phase.from),
            to: formatDate(locale, phase.to),
          })
        : t('approvals.rule.phaseId', { phase: schedule.phase }),
    );
  } else if (schedule.from !== undefined) {
    parts.push(
      schedule.to === undefined
        ? t('approvals.rule.since', { from: formatDate(locale, schedule.from) })
        : t('approvals.rule.dates', {
            from: formatDate(locale, schedule.from),
            to: formatDate(locale, schedule.to),
          }),
    );
  }
  if (schedule.on) {
    parts.push(
      t('approvals.rule.on', {
        days: schedule.on.map((md) => md.split('-').reverse().join('/')).join(', '),
      }),
    );
  }
  if (schedule.weekdays) parts.push(describeWeekdays(t, schedule.weekdays));
  parts.push(
    schedule.hours
      ? schedule.hours.map((h) => `${h.from}–${h.to}`).join(', ')
      : t('approvals.rule.allDay'),
  );
  parts.push(describeTargets(t, schedule.boards, doc?.boards ?? []));
  parts.push(t('approvals.rule.priority', { n: schedule.priority ?? 0 }));
  return parts.join(' · ');
}
