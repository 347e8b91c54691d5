// How the schedule and board pages write schedules, times and targets for people.
// The checks mirror playlists/plan.ts; they are repeated here so the dashboard does not load
// the validation library just to check a date typed into a form (the controller checks again).
import type { MessageKey, Translate } from '../i18n';
import { dayFirstIn } from './instant-format';
import type { Board, Phase, Schedule, Targets } from '../plan-data';

type HoursWindow = NonNullable<Schedule['hours']>[number];

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Ids as the plan file allows them. */
export const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** An id the plan file allows (playlists/plan.ts's IdSchema: `.` and `..` are not). */
export function isValidId(text: string): boolean {
  return ID_PATTERN.test(text) && text !== '.' && text !== '..';
}

/** A duration the plan file allows: a positive number of seconds, at most 3600 (MAX_DURATION_SEC). */
export function isValidDuration(sec: number): boolean {
  return sec > 0 && sec <= 3600;
}

/** True for a month-day that exists in some year, `MM-DD` (02-29 included). */
export function isMonthDay(text: string): boolean {
  const m = /^(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** A real calendar date `YYYY-MM-DD`. */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const max = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= max;
}

/** Minutes after local midnight of `HH:MM` ("24:00" gives 1440), or undefined. */
export function minutesOf(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours === 24 && minutes === 0) return 1440;
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}

/** A window whose end comes before its start runs past midnight (into the next day). */
export function wrapsMidnight(window: HoursWindow): boolean {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  return from !== undefined && to !== undefined && to < from;
}

function weekdayName(t: Translate, day: number): string {
  return t(`weekday.${day}` as MessageKey);
}

/** ISO weekdays as words, runs of three or more joined: "Thứ Hai – Thứ Sáu". */
export function weekdaysText(t: Translate, days: readonly number[] | undefined): string {
  if (!days || days.length === 0 || new Set(days).size === 7) return t('schedules.everyDay');
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const first = sorted[i] ?? 1;
    const last = sorted[j] ?? 1;
    if (j - i >= 2) parts.push(`${weekdayName(t, first)} – ${weekdayName(t, last)}`);
    else for (let k = i; k <= j; k++) parts.push(weekdayName(t, sorted[k] ?? 1));
    i = j + 1;
  }
  return parts.join(', ');
}

/** Hours windows as "06:00–22:00, 22:00–02:00 (qua đêm)"; none means the whole day. */
export function hoursText(t: Translate, hours: readonly HoursWindow[] | undefined): string {
  if (!hours || hours.length === 0) return t('schedules.allDay');
  return hours
    .map((w) =>
      wrapsMidnight(w)
        ? t('schedules.window.wraps', { from: w.from, to: w.to })
        : t('schedules.window', { from: w.from, to: w.to }),
    )
    .join(', ');
}

/** The date range of a schedule: its phase (with the phase's dates) or its own dates. */
export function datesText(t: Translate, schedule: Schedule, phases: readonly Phase[]): string {
  if (schedule.phase !== undefined) {
    const phase = phases.find((p) => p.id === schedule.phase);
    return phase
      ? t('schedules.phaseDates', { name: phase.name, from: phase.from, to: phase.to })
      : schedule.phase;
  }
  if (schedule.from === undefined) return '';
  return schedule.to === undefined
    ? t('schedules.openEnded', { from: schedule.from })
    : t('schedules.dates', { from: schedule.from, to: schedule.to });
}

/** The boards a schedule or announcement applies to, as the plan names them. */
export function targetsText(
  t: Translate,
  targets: Targets | undefined,
  boards: readonly Board[],
): string {
  if (!targets || targets.all === true) return t('schedules.targets.all');
  const parts = [
    ...(targets.ids ?? []).map((id) => boards.find((b) => b.id === id)?.name ?? id),
    ...(targets.tags ?? []).map((tag) => t('schedules.targets.tag', { tag })),
  ];
  return parts.length > 0 ? parts.join('; ') : t('schedules.targets.none');
}

/** Rule 3 of the design: absent or `all`, or the board's id, or any of its tags. */
export function targetsBoard(targets: Targets | undefined, board: Board): boolean {
  if (!targets || targets.all === true) return true;
  if (targets.ids?.includes(board.id)) return true;
  return (targets.tags ?? []).some((tag) => board.tags?.includes(tag));
}

/** Every tag the plan's boards carry, sorted. */
export function boardTags(boards: readonly Board[]): string[] {
  return [...new Set(boards.flatMap((b) => b.tags ?? []))].sort();
}

/** `HH:MM` of an instant in a time zone (24-hour clock). */
export function timeIn(timeZone: string, atMs: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(atMs);
}

/** `DD/MM/YYYY HH:MM` of an instant in a time zone. */
export function dateTimeIn(timeZone: string, atMs: number): string {
  return dayFirstIn(timeZone, atMs);
}
