import { isoWeekday, monthDayKey } from './civil.js';
import type { ZoneCalendar } from './zone.js';

/** A half-open span of instants [startMs, endMs); either end may be infinite. */
export interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

/** A daily window in local minutes after the start of its day; endMinute > 1440 wraps into the next day. */
export interface DailyWindow {
  readonly startMinute: number;
  readonly endMinute: number;
}

const MINUTES_PER_DAY = 1440;
const MS_PER_DAY = 86_400_000;
// How far a search for a matching date may go before giving up (400 years covers every
// combination of month-day and weekday).
const MAX_SCAN_DAYS = 146_097;
// Open-ended runs are checked for disturbing offset transitions this far ahead (100 years).
const OPEN_END_HORIZON_DAYS = 36_525;
const WHOLE_DAY: readonly DailyWindow[] = [{ startMinute: 0, endMinute: MINUTES_PER_DAY }];

/** The local dates on which a schedule may play: an inclusive range filtered by month-days and weekdays. */
export class DateFilter {
  constructor(
    readonly fromDay: number,
    /** Inclusive; Infinity when open-ended. */
    readonly toDay: number,
    private readonly monthDays: ReadonlySet<number> | undefined,
    private readonly weekdays: ReadonlySet<number> | undefined,
  ) {}

  /** True when every day of the range passes the filter. */
  get isContiguous(): boolean {
    return (
      this.monthDays === undefined && (this.weekdays === undefined || this.weekdays.size === 7)
    );
  }

  includes(day: number): boolean {
    if (day < this.fromDay || day > this.toDay) return false;
    if (this.weekdays && !this.weekdays.has(isoWeekday(day))) return false;
    if (this.monthDays && !this.monthDays.has(monthDayKey(day))) return false;
    return true;
  }

  /** The first day >= `day` that passes, or undefined. */
  nextIn(day: number): number | undefined {
    const first = Math.max(day, this.fromDay);
    if (this.isContiguous) return first <= this.toDay ? first : undefined;
    const last = Math.min(this.toDay, first + MAX_SCAN_DAYS);
    for (let d = first; d <= last; d += 1) if (this.includes(d)) return d;
    return undefined;
  }

  /** The last day <= `day` that passes, or undefined. */
  prevIn(day: number): number | undefined {
    const first = Math.min(day, this.toDay);
    if (this.isContiguous) return first >= this.fromDay ? first : undefined;
    const last = Math.max(this.fromDay, first - MAX_SCAN_DAYS);
    for (let d = first; d >= last; d -= 1) if (this.includes(d)) return d;
    return undefined;
  }

  /** The first day >= `day` that does not pass (Infinity when the range never ends). */
  nextOut(day: number): number {
    if (!this.includes(day)) return day;
    if (this.isContiguous) return this.toDay + 1;
    // The Gregorian calendar repeats every 400 years: a filter that excludes no day in that
    // span never excludes one.
    const last = Math.min(this.toDay, day + MAX_SCAN_DAYS);
    for (let d = day + 1; d <= last; d += 1) if (!this.includes(d)) return d;
    return last === this.toDay ? this.toDay + 1 : Number.POSITIVE_INFINITY;
  }

  /** The last day <= `day` that does not pass. */
  prevOut(day: number): number {
    if (!this.includes(day)) return day;
    if (this.isContiguous) return this.fromDay - 1;
    for (let d = day - 1; d >= this.fromDay; d -= 1) if (!this.includes(d)) return d;
    return this.fromDay - 1;
  }
}

function mergeIntervals(intervals: Interval[]): Interval[] {
  if (intervals.length < 2) return intervals;
  intervals.sort((a, b) => a.startMs - b.startMs);
  const merged: Interval[] = [];
  let current = intervals[0];
  for (let i = 1; i < intervals.length; i += 1) {
    const next = intervals[i];
    if (!current || !next) continue;
    if (next.startMs <= current.endMs) {
      if (next.endMs > current.endMs) current = { startMs: current.startMs, endMs: next.endMs };
    } else {
      merged.push(current);
      current = next;
    }
  }
  if (current) merged.push(current);
  return merged;
}

/** True when daily windows, repeated every day, cover every minute of a day. */
function windowsTile(windows: readonly DailyWindow[]): boolean {
  const covered = new Uint8Array(MINUTES_PER_DAY);
  for (const w of windows) {
    for (let m = w.startMinute; m < w.endMinute; m += 1) covered[m % MINUTES_PER_DAY] = 1;
  }
  return covered.every((c) => c === 1);
}

/**
 * The instants at which one schedule is active (design.md, rule 2), queried without
 * enumerating the days of its range: runs of whole days are skipped in one step and only
 * the zone's offset transitions inside a run are checked one by one.
 */
export class Activity {
  private readonly windows: readonly DailyWindow[];
  private readonly tiles: boolean;
  // Without hours each day is exactly [start of day, start of next day): transitions cannot break a run.
  private readonly wholeDays: boolean;
  private readonly piecesMemo = new Map<number, Interval[]>();

  constructor(
    private readonly zone: ZoneCalendar,
    private readonly dates: DateFilter,
    windows: readonly DailyWindow[] | undefined,
  ) {
    this.windows = windows && windows.length > 0 ? windows : WHOLE_DAY;
    this.tiles = windowsTile(this.windows);
    this.wholeDays = this.windows === WHOLE_DAY;
  }

  /** The merged active spans that local day `day` contributes (they may reach into day + 1). */
  piecesOf(day: number): Interval[] {
    const hit = this.piecesMemo.get(day);
    if (hit) return hit;
    const pieces: Interval[] = [];
    if (this.dates.includes(day)) {
      for (const w of this.windows) {
        const startMs = this.zone.at(day, w.startMinute);
        const endMs = this.zone.at(day, w.endMinute);
        // A window inside a skipped hour can end up empty; it then plays not at all.
        if (endMs > startMs) pieces.push({ startMs, endMs });
      }
    }
    const merged = mergeIntervals(pieces);
    if (this.piecesMemo.size > 4096) this.piecesMemo.clear();
    this.piecesMemo.set(day, merged);
    return merged;
  }

  /**
   * Calls `visit` with active spans that cover exactly the active instants of [fromMs, toMs),
   * as `isActive` sees them: a piece of local day D counts only at instants of days D to
   * D + 2. Spans come day by day and may touch or overlap; their union is what matters.
   */
  forEachSpan(fromMs: number, toMs: number, visit: (startMs: number, endMs: number) => void): void {
    if (!(fromMs < toMs)) return;
    // Cheap rejection before asking the zone: local days are within two of UTC days.
    const utcFirst = Math.floor(fromMs / MS_PER_DAY);
    const utcLast = Math.floor((toMs - 1) / MS_PER_DAY);
    if (this.dates.toDay < utcFirst - 4 || this.dates.fromDay > utcLast + 2) return;
    const lastDay = Math.min(this.zone.dayOf(toMs - 1), this.dates.toDay);
    for (
      let day = Math.max(this.zone.dayOf(fromMs) - 2, this.dates.fromDay);
      day <= lastDay;
      day++
    ) {
      if (!this.dates.includes(day)) continue;
      const lowMs = Math.max(fromMs, this.zone.startOfDay(day));
      const highMs = Math.min(toMs, this.zone.startOfDay(day + 3));
      for (const piece of this.piecesOf(day)) {
        const startMs = Math.max(piece.startMs, lowMs);
        const endMs = Math.min(piece.endMs, highMs);
        if (startMs < endMs) visit(startMs, endMs);
      }
    }
  }

  /**
   * The merged spans contributed by days `day - 2` to `day`: all that can touch day `day`
   * (day - 2 only where a zone skips a whole day, as Pacific/Apia did on 2011-12-30).
   */
  private around(day: number): Interval[] {
    return mergeIntervals([
      ...this.piecesOf(day - 2),
      ...this.piecesOf(day - 1),
      ...this.piecesOf(day),
    ]);
  }

  isActive(atMs: number): boolean {
    const day = this.zone.dayOf(atMs);
    for (const p of this.around(day)) if (p.startMs <= atMs && atMs < p.endMs) return true;
    return false;
  }

  /** The maximal active interval containing `atMs`, or undefined when inactive then. */
  intervalAt(atMs: number): Interval | undefined {
    const day = this.zone.dayOf(atMs);
    const piece = this.around(day).find((p) => p.startMs <= atMs && atMs < p.endMs);
    if (!piece) return undefined;
    return { startMs: this.extendBack(piece.startMs), endMs: this.extendForward(piece.endMs) };
  }

  /** True when the activity covers all of local day `day`. */
  private coversDay(day: number): boolean {
    const dayStart = this.zone.startOfDay(day);
    const dayEnd = this.zone.startOfDay(day + 1);
    return this.around(day).some((p) => p.startMs <= dayStart && p.endMs >= dayEnd);
  }

  /** Days in [firstDay, lastDay] whose coverage an offset transition may disturb. */
  private transitionDays(firstDay: number, lastDay: number): number[] {
    const days = new Set<number>();
    if (this.wholeDays || lastDay < firstDay) return [];
    const fromMs = this.zone.startOfDay(firstDay - 1);
    const toMs = this.zone.startOfDay(lastDay + 2);
    for (const atMs of this.zone.transitionsBetween(fromMs, toMs)) {
      const t = this.zone.dayOf(atMs);
      for (const d of [t - 1, t, t + 1]) if (d >= firstDay && d <= lastDay) days.add(d);
    }
    return [...days];
  }

  private extendBack(startMs: number): number {
    let start = startMs;
    for (;;) {
      const day = this.zone.dayOf(start);
      const joined = this.around(day).find((p) => p.startMs < start && p.endMs >= start);
      if (!joined) return start;
      start = joined.startMs;
      const reached = this.zone.dayOf(start);
      if (!this.tiles || reached >= day || !this.dates.includes(reached)) continue;
      // Every day after the first of a run of playing days is covered whole, except
      // where an offset transition disturbs it: jump to the last day that is not covered.
      const runStart = this.dates.prevOut(reached) + 1;
      if (runStart >= reached) continue;
      const uncovered = this.transitionDays(runStart + 1, reached)
        .filter((d) => !this.coversDay(d))
        .reduce((a, b) => Math.max(a, b), runStart);
      start = Math.min(start, this.zone.startOfDay(uncovered + 1));
    }
  }

  private extendForward(endMs: number): number {
    let end = endMs;
    for (;;) {
      if (!Number.isFinite(end)) return end;
      const day = this.zone.dayOf(end);
      const joined = this.around(day).find((p) => p.startMs <= end && p.endMs > end);
      if (!joined) return end;
      end = joined.endMs;
      const reached = this.zone.dayOf(end);
      if (!this.tiles || reached <= day || !this.dates.includes(reached)) continue;
      const runEnd = this.dates.nextOut(reached);
      if (!Number.isFinite(runEnd)) {
        const transitions = this.transitionDays(reached, reached + OPEN_END_HORIZON_DAYS);
        const broken = transitions.filter((d) => !this.coversDay(d));
        if (broken.length === 0) return Number.POSITIVE_INFINITY;
        end = Math.max(end, this.zone.startOfDay(Math.min(...broken)));
        continue;
      }
      const lastFull = runEnd - 1;
      if (lastFull <= reached) continue;
      const uncovered = this.transitionDays(reached, lastFull)
        .filter((d) => !this.coversDay(d))
        .reduce((a, b) => Math.min(a, b), runEnd);
      end = Math.max(end, this.zone.startOfDay(uncovered));
    }
  }

  /** The start of the first maximal active interval that begins after `atMs`, or Infinity. */
  nextStartAfter(atMs: number): number {
    let from = atMs;
    const current = this.intervalAt(atMs);
    if (current) from = current.endMs;
    if (!Number.isFinite(from)) return Number.POSITIVE_INFINITY;
    let day = this.dates.nextIn(this.zone.dayOf(from) - 1);
    while (day !== undefined) {
      const starts = [...this.piecesOf(day), ...this.piecesOf(day + 1)]
        .map((p) => p.startMs)
        .filter((s) => s > from);
      if (starts.length > 0) return Math.min(...starts);
      day = this.dates.nextIn(day + 1);
    }
    return Number.POSITIVE_INFINITY;
  }

  /** The end of the last maximal active interval that ends at or before `atMs`, or -Infinity. */
  prevEndBefore(atMs: number): number {
    let until = atMs;
    const current = this.intervalAt(atMs);
    if (current) until = current.startMs;
    if (!Number.isFinite(until)) return Number.NEGATIVE_INFINITY;
    let day = this.dates.prevIn(this.zone.dayOf(until));
    while (day !== undefined) {
      const ends = [...this.piecesOf(day - 1), ...this.piecesOf(day)]
        .map((p) => p.endMs)
        .filter((e) => e <= until);
      if (ends.length > 0) return Math.max(...ends);
      day = this.dates.prevIn(day - 1);
    }
    return Number.NEGATIVE_INFINITY;
  }
}
