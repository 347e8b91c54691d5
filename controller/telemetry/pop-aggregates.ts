import { z } from 'zod';
import type { PlayRecord } from '../../playlists/index.js';

/** Aggregates are kept per quarter hour: every UTC offset in use is a multiple of 15 minutes. */
export const BUCKET_MS = 15 * 60_000;
export const DAY_MS = 86_400_000;
/**
 * A single play is counted on air for at most this long. A player records one play per item
 * or announcement showing, so only a hostile or broken board sends longer ones; the cap keeps
 * one record from touching millions of buckets.
 */
export const MAX_COUNTED_PLAY_MS = 7 * DAY_MS;

let lastDay = { startMs: 0, endMs: 0, day: '' };

/** The UTC day of an instant, YYYY-MM-DD: the proof-of-play files are named by it. */
export function utcDay(atMs: number): string {
  // Plays arrive in runs of the same day; the last answer is kept.
  if (atMs >= lastDay.startMs && atMs < lastDay.endMs) return lastDay.day;
  const startMs = Math.floor(atMs / DAY_MS) * DAY_MS;
  lastDay = { startMs, endMs: startMs + DAY_MS, day: new Date(atMs).toISOString().slice(0, 10) };
  return lastDay.day;
}

/** Plays that started in a bucket, and the milliseconds on air inside it. */
export interface BucketTotals {
  plays: number;
  ms: number;
}

/** One aggregate: a board, what it showed, a quarter hour, and the totals. */
export interface AggregateRow {
  boardId: string;
  kind: PlayRecord['kind'];
  contentId: string;
  /** The start of the quarter hour, epoch ms. */
  bucketStartMs: number;
  plays: number;
  ms: number;
}

/** The series key of a record: board, kind and content. */
export function seriesKey(boardId: string, kind: string, contentId: string): string {
  return `${boardId}\u0000${kind}\u0000${contentId}`;
}

function splitKey(key: string): { boardId: string; kind: PlayRecord['kind']; contentId: string } {
  const [boardId = '', kind = 'item', contentId = ''] = key.split('\u0000');
  return { boardId, kind: kind === 'announcement' ? 'announcement' : 'item', contentId };
}

/**
 * Totals of one UTC day's proof-of-play file: for each series, the buckets its plays touch.
 * Bucket indexes count quarter hours from that day's 00:00 UTC; a play that runs past
 * midnight adds its later milliseconds to indexes of 96 and above.
 */
export class DayAggregate {
  readonly series = new Map<string, Map<number, BucketTotals>>();

  constructor(
    readonly day: string,
    /** Bytes of the day's NDJSON file these totals include. */
    public coveredBytes: number,
  ) {}

  get dayStartMs(): number {
    return Date.parse(`${this.day}T00:00:00Z`);
  }

  private bucket(key: string, index: number): BucketTotals {
    let buckets = this.series.get(key);
    if (!buckets) {
      buckets = new Map();
      this.series.set(key, buckets);
    }
    let totals = buckets.get(index);
    if (!totals) {
      totals = { plays: 0, ms: 0 };
      buckets.set(index, totals);
    }
    return totals;
  }

  /** Counts one play: in the bucket it started in, and its time on air split by bucket. */
  add(record: PlayRecord): void {
    const key = seriesKey(record.boardId, record.kind, record.contentId);
    const base = this.dayStartMs;
    const startIndex = Math.floor((record.startMs - base) / BUCKET_MS);
    this.bucket(key, startIndex).plays += 1;
    const endMs = Math.min(record.endMs, record.startMs + MAX_COUNTED_PLAY_MS);
    for (let atMs = record.startMs, index = startIndex; atMs < endMs; index += 1) {
      const bucketEndMs = base + (index + 1) * BUCKET_MS;
      const untilMs = Math.min(endMs, bucketEndMs);
      this.bucket(key, index).ms += untilMs - atMs;
      atMs = untilMs;
    }
  }

  /** Adds another aggregate of the same day. */
  merge(other: DayAggregate): void {
    for (const [key, buckets] of other.series) {
      for (const [index, totals] of buckets) {
        const mine = this.bucket(key, index);
        mine.plays += totals.plays;
        mine.ms += totals.ms;
      }
    }
  }

  clone(): DayAggregate {
    const copy = new DayAggregate(this.day, this.coveredBytes);
    copy.merge(this);
    return copy;
  }

  /** The rows whose bucket starts in [fromMs, toMs), optionally for some boards only. */
  *rows(
    fromMs: number,
    toMs: number,
    boards?: ReadonlySet<string>,
  ): Generator<AggregateRow, void, undefined> {
    const base = this.dayStartMs;
    for (const [key, buckets] of this.series) {
      const { boardId, kind, contentId } = splitKey(key);
      if (boards && !boards.has(boardId)) continue;
      for (const [index, totals] of buckets) {
        const bucketStartMs = base + index * BUCKET_MS;
        if (bucketStartMs < fromMs || bucketStartMs >= toMs) continue;
        yield { boardId, kind, contentId, bucketStartMs, plays: totals.plays, ms: totals.ms };
      }
    }
  }

  toJSON(): AggregateFile {
    const series = [...this.series.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, buckets]) => ({
        ...splitKey(key),
        buckets: [...buckets.entries()]
          .sort(([a], [b]) => a - b)
          .map(([index, t]): [number, number, number] => [index, t.plays, t.ms]),
      }));
    return { format: AGGREGATE_FORMAT, day: this.day, coveredBytes: this.coveredBytes, series };
  }

  static fromJSON(file: AggregateFile): DayAggregate {
    const aggregate = new DayAggregate(file.day, file.coveredBytes);
    for (const s of file.series) {
      const key = seriesKey(s.boardId, s.kind, s.contentId);
      for (const [index, plays, ms] of s.buckets) {
        const totals = aggregate.bucket(key, index);
        totals.plays += plays;
        totals.ms += ms;
      }
    }
    return aggregate;
  }
}

export const AGGREGATE_FORMAT = 'bangtin-pop-agg/1';

const Count = z.int().min(0);

/** `pop-index/<day>/agg.json`: one day's totals and how much of its NDJSON file they cover. */
export const AggregateFileSchema = z.strictObject({
  format: z.literal(AGGREGATE_FORMAT),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  coveredBytes: Count,
  series: z.array(
    z.strictObject({
      boardId: z.string().max(64),
      kind: z.enum(['item', 'announcement']),
      contentId: z.string().max(64),
      buckets: z.array(z.tuple([Count, Count, Count])),
    }),
  ),
});
export type AggregateFile = z.infer<typeof AggregateFileSchema>;
