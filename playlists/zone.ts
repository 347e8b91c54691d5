import { Temporal } from 'temporal-polyfill';
import { civilFromEpochDay, epochDayFromCivil } from './civil.js';

const MINUTES_PER_DAY = 1440;
// Transitions are looked up and memoized in chunks of about 398 days.
const TRANSITION_CHUNK_MS = 2 ** 35;
const MEMO_LIMIT = 200_000;

/** True when `timeZone` is an IANA zone name the time-zone library knows, spelled as it spells it. */
export function isValidTimeZone(timeZone: string): boolean {
  // Temporal also takes offsets ("+07:00") and any letter case; a plan names an IANA zone.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return false;
  try {
    return (
      Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone).timeZoneId === timeZone
    );
  } catch {
    return false;
  }
}

/**
 * Local wall time of one IANA zone mapped to instants with Temporal's "compatible" rule,
 * memoized because the resolver asks for the same local days and times again and again.
 */
export class ZoneCalendar {
  readonly timeZone: string;
  private readonly instantMemo = new Map<number, number>();
  private readonly transitionMemo = new Map<number, readonly number[]>();
  private lastDay = 0;
  private lastDayStartMs = Number.NaN;
  private lastDayEndMs = Number.NaN;

  constructor(timeZone: string) {
    this.timeZone = timeZone;
  }

  /** The instant of local `minute` (0..2880) after the start of local day `epochDay`. */
  at(epochDay: number, minute: number): number {
    if (minute >= MINUTES_PER_DAY) return this.at(epochDay + 1, minute - MINUTES_PER_DAY);
    const key = epochDay * MINUTES_PER_DAY + minute;
    const hit = this.instantMemo.get(key);
    if (hit !== undefined) return hit;
    const { year, month, day } = civilFromEpochDay(epochDay);
    const local = new Temporal.PlainDateTime(
      year,
      month,
      day,
      Math.floor(minute / 60),
      minute % 60,
    );
    const ms = local.toZonedDateTime(this.timeZone, {
      disambiguation: 'compatible',
    }).epochMilliseconds;
    if (this.instantMemo.size > MEMO_LIMIT) this.instantMemo.clear();
    this.instantMemo.set(key, ms);
    return ms;
  }

  /** The instant local day `epochDay` starts (local 00:00, or later when midnight is skipped). */
  startOfDay(epochDay: number): number {
    return this.at(epochDay, 0);
  }

  /** The local day containing instant `atMs`: startOfDay(d) <= atMs < startOfDay(d + 1). */
  dayOf(atMs: number): number {
    if (atMs >= this.lastDayStartMs && atMs < this.lastDayEndMs) return this.lastDay;
    const local = Temporal.Instant.fromEpochMilliseconds(atMs).toZonedDateTimeISO(this.timeZone);
    let day = epochDayFromCivil(local.year, local.month, local.day);
    // Agree with startOfDay even where local midnight is skipped or repeated.
    while (this.startOfDay(day) > atMs) day -= 1;
    while (this.startOfDay(day + 1) <= atMs) day += 1;
    this.lastDay = day;
    this.lastDayStartMs = this.startOfDay(day);
    this.lastDayEndMs = this.startOfDay(day + 1);
    return day;
  }

  /** Instants in [fromMs, toMs) at which the zone's UTC offset changes. */
  transitionsBetween(fromMs: number, toMs: number): number[] {
    const result: number[] = [];
    const first = Math.floor(fromMs / TRANSITION_CHUNK_MS);
    const last = Math.floor((toMs - 1) / TRANSITION_CHUNK_MS);
    for (let chunk = first; chunk <= last; chunk += 1) {
      for (const atMs of this.transitionsInChunk(chunk)) {
        if (atMs >= fromMs && atMs < toMs) result.push(atMs);
      }
    }
    return result;
  }

  private transitionsInChunk(chunk: number): readonly number[] {
    const hit = this.transitionMemo.get(chunk);
    if (hit) return hit;
    const startMs = chunk * TRANSITION_CHUNK_MS;
    const endMs = startMs + TRANSITION_CHUNK_MS;
    const found: number[] = [];
    // Start just before the chunk so a transition exactly at its start is found.
    let cursor: Temporal.ZonedDateTime | null = Temporal.Instant.fromEpochMilliseconds(
      startMs - 1,
    ).toZonedDateTimeISO(this.timeZone);
    for (;;) {
      cursor = cursor.getTimeZoneTransition('next');
      if (!cursor || cursor.epochMilliseconds >= endMs) break;
      found.push(cursor.epochMilliseconds);
    }
    this.transitionMemo.set(chunk, found);
    return found;
  }
}
