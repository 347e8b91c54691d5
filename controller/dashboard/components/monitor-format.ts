// How the monitoring and report pages write durations, ages and what a board shows.
import { useEffect, useState } from 'preact/hooks';
import type { Translate } from '../i18n';
import type { ShownItem } from '../live';
import { useSession } from '../session';
import { dayFirstIn } from './instant-format';

const UNITS = [
  ['monitor.dur.days', 86_400_000],
  ['monitor.dur.hours', 3_600_000],
  ['monitor.dur.minutes', 60_000],
  ['monitor.dur.seconds', 1_000],
] as const;

/** `2 giờ 5 phút`: the two largest units of a duration (whole seconds below a minute). */
export function durationText(t: Translate, ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 1000)) * 1000;
  const parts: string[] = [];
  for (const [key, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (parts.length > 0 && parts.length < 2)) parts.push(t(key, { n }));
    if (parts.length === 2) break;
  }
  // Drop a trailing zero unit ("2 giờ 0 phút" reads as "2 giờ").
  if (parts.length === 2 && /^0\D/.test(parts[1] ?? '')) parts.pop();
  return parts.length > 0 ? parts.join(' ') : t('monitor.dur.seconds', { n: 0 });
}

/** `5 phút trước`, or `vừa xong` within five seconds. */
export function agoText(t: Translate, ms: number): string {
  return ms < 5_000 ? t('monitor.ago.now') : t('monitor.ago', { d: durationText(t, ms) });
}

/** A board's clock correction in seconds with one decimal, in the page's language. */
export function secondsText(locale: string, ms: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(ms / 1000);
}

/**
 * A board's clock against the controller's: `nhanh 2,5 giây`, `chậm 3 phút 10 giây`, `đúng giờ`.
 * `offsetMs` is the controller's time minus the board's, so a negative one is a board ahead.
 */
export function clockOffsetText(t: Translate, locale: string, offsetMs: number): string {
  const abs = Math.abs(offsetMs);
  if (abs < 500) return t('monitor.clock.onTime');
  const d =
    abs < 60_000 ? t('monitor.dur.seconds', { n: secondsText(locale, abs) }) : durationText(t, abs);
  return offsetMs < 0 ? t('monitor.clock.ahead', { d }) : t('monitor.clock.behind', { d });
}

/** What a board shows or must show, for people: the content's words, or idle, black, an announcement. */
export function shownText(
  t: Translate,
  item: ShownItem | null,
  describe: (contentId: string) => string = (id) => id,
): string {
  if (!item) return t('monitor.detail.unknown');
  switch (item.kind) {
    case 'item':
      return describe(item.id);
    case 'announcement':
      return t('monitor.announcement', { id: item.id });
    case 'blank':
      return t('monitor.blank');
    case 'idle':
      return t('monitor.idle');
  }
}

/** The controller's time, read again every `everyMs`: ages ("12 giây trước") keep moving. */
export function useNowTick(everyMs = 5_000): number {
  const session = useSession();
  const [now, setNow] = useState(() => session.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(session.now());
    }, everyMs);
    return () => {
      clearInterval(timer);
    };
  }, [session, everyMs]);
  return now;
}

/** `DD/MM/YYYY HH:MM:SS` of an instant (ISO or ms) in a time zone. */
export function dateTimeSecondsIn(timeZone: string, at: string | number): string {
  return dayFirstIn(timeZone, at, true);
}
