import {
  DEFAULT_DURATION_SEC,
  durationMs,
  type PlanDocument,
  type PlayRecord,
  type PopRefusalReason,
  targetsBoard,
} from '../../playlists/index.js';
import type { Clock } from '../clock.js';
import type { ReleaseService } from '../releases/service.js';
import type { StoreLogger } from '../store/index.js';
import { DAY_MS, utcDay } from '../telemetry/pop-aggregates.js';

/**
 * What the controller accepts of a board's proof of play. A board's records are its word,
 * never trusted as such: a stolen device token must not fill the disk nor inflate the reports.
 */
export const POP_LIMITS = {
  /**
   * The oldest play accepted, before the controller's now: a board keeps its unsent plays
   * through days offline and sends them when it is back (player/app/storage.ts).
   */
  maxAgeMs: 35 * DAY_MS,
  /** How far after the controller's now a play may end: the boards' clock error. */
  futureToleranceMs: 10 * 60_000,
  /** Slack on a play's length and on an announcement's bounds (rounding, clock steps). */
  durationToleranceMs: 2_000,
  /** Time on air one board may report for one UTC day (one thing shows at a time). */
  maxOnAirPerBoardDayMs: DAY_MS + 60 * 60_000,
  /** Plays one board may report for one UTC day: at least this many, ... */
  minPlaysPerBoardDay: 2_000,
  /** ... else twice the plays of its shortest item back to back (cut plays), at most this. */
  maxPlaysPerBoardDay: 200_000,
  /** Records one board may have written at once, then per minute (a backlog drains at that pace). */
  burst: 20_000,
  perMinute: 6_000,
  /** Releases whose play index is kept in memory besides the current one. */
  cachedReleases: 4,
} as const;

/** What one board's plan in one release lets it play. */
interface BoardPlays {
  /** Content a playlist holds, and the longest it runs in any of them (ms). */
  items: ReadonlyMap<string, number>;
  announcements: ReadonlyMap<string, { fromMs: number; toMs: number }>;
  /** The shortest item, which bounds how many plays a day can have. */
  shortestMs: number;
}

/** Each board's BoardPlays in one release. */
type ReleasePlays = ReadonlyMap<string, BoardPlays>;

/**
 * What each board of a plan may play: the items of the playlists its schedules run, and the
 * announcements targeting it. Boards targeted alike share one BoardPlays.
 */
function playsOfPlan(plan: PlanDocument, out: Map<string, BoardPlays>): void {
  const content = new Map(plan.content.map((c) => [c.id, c]));
  const playlists = new Map(plan.playlists.map((p) => [p.id, p]));
  const shared = new Map<string, BoardPlays>();
  for (const board of plan.boards) {
    const schedules = plan.schedules.filter((s) => targetsBoard(s.boards, board));
    const announcements = plan.announcements.filter((a) => targetsBoard(a.boards, board));
    const key = `${schedules.map((s) => s.id).join(',')}\u0000${announcements.map((a) => a.id).join(',')}`;
    let plays = shared.get(key);
    if (!plays) {
      const items = new Map<string, number>();
      let shortestMs = Number.POSITIVE_INFINITY;
      for (const schedule of schedules) {
        for (const item of playlists.get(schedule.playlist)?.items ?? []) {
          const id = typeof item === 'string' ? item : item.content;
          const c = content.get(id);
          if (!c) continue;
          const own = typeof item === 'string' ? undefined : item.durationSec;
          const ms = durationMs(own ?? c.durationSec ?? DEFAULT_DURATION_SEC[c.kind]);
          items.set(id, Math.max(items.get(id) ?? 0, ms));
          shortestMs = Math.min(shortestMs, ms);
        }
      }
      plays = {
        items,
        announcements: new Map(
          announcements.map((a) => [a.id, { fromMs: Date.parse(a.from), toMs: Date.parse(a.to) }]),
        ),
        shortestMs,
      };
      shared.set(key, plays);
    }
    out.set(board.id, plays);
  }
}

/** Each board's BoardPlays in a release's plans. */
export function releasePlays(plans: readonly PlanDocument[]): ReleasePlays {
  const out = new Map<string, BoardPlays>();
  for (const plan of plans) playsOfPlan(plan, out);
  return out;
}

/** The verdict on one batch: what to store, what is refused for good, what is to come later. */
export interface Admission {
  accepted: PlayRecord[];
  refused: { id: string; reason: PopRefusalReason }[];
  /** Over the board's rate: neither stored nor refused; the board sends them again later. */
  deferred: number;
}

interface BoardDay {
  plays: number;
  onAirMs: number;
}

/**
 * Judges boards' proof-of-play records before they are stored: each play's instants lie in a
 * window around the controller's now, name a release that exists and content or an
 * announcement of that board's plan in it, last no longer than that item or announcement
 * can; and a board's plays per UTC day (count and time on air) and per minute are bounded.
 * The day and rate counters live in memory (a restart starts them again).
 */
export class PopAdmission {
  private readonly cache = new Map<number, Promise<ReleasePlays | undefined>>();
  private currentPlays: { version: number; plays: ReleasePlays } | undefined;
  private readonly days = new Map<string, BoardDay>();
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private readonly refusals = new Map<PopRefusalReason, number>();
  private prunedDay = '';

  constructor(
    private readonly deps: { releases: ReleaseService; clock: Clock; logger: StoreLogger },
  ) {}

  /** Records refused since start, by reason (monitoring, tests). */
  refusedCounts(): Record<string, number> {
    return Object.fromEntries(this.refusals);
  }

  private async playsOf(version: number): Promise<ReleasePlays | undefined> {
    const current = this.deps.releases.current();
    if (!current || version > current.meta.version) return undefined;
    if (version === current.meta.version) {
      if (this.currentPlays?.version !== version) {
        this.currentPlays = { version, plays: releasePlays(current.plans) };
      }
      return this.currentPlays.plays;
    }
    let hit = this.cache.get(version);
    if (!hit) {
      if (!this.deps.releases.list().some((r) => r.version === version)) return undefined;
      hit = this.deps.releases.readFile(version).then(
        (file) => releasePlays(file.plans),
        (error: unknown) => {
          this.deps.logger.error({ err: error, version }, 'release unreadable for proof of play');
          this.cache.delete(version);
          return undefined;
        },
      );
      this.cache.set(version, hit);
      while (this.cache.size > POP_LIMITS.cachedReleases) {
        const oldest = this.cache.keys().next().value as number;
        this.cache.delete(oldest);
      }
    }
    return hit;
  }

  /** Why a record cannot be a play of this board, or undefined when it can. */
  private check(
    record: PlayRecord,
    plays: BoardPlays | undefined,
    nowMs: number,
  ): PopRefusalReason | undefined {
    const L = POP_LIMITS;
    if (record.startMs < nowMs - L.maxAgeMs) return 'too_old';
    if (record.endMs > nowMs + L.futureToleranceMs) return 'in_future';
    if (!plays) return 'unknown_release';
    const lengthMs = record.endMs - record.startMs;
    if (record.kind === 'item') {
      const longest = plays.items.get(record.contentId);
      if (longest === undefined) return 'unknown_content';
      if (lengthMs > longest + L.durationToleranceMs) return 'too_long';
      return undefined;
    }
    const a = plays.announcements.get(record.contentId);
    if (!a) return 'unknown_content';
    if (
      record.startMs < a.fromMs - L.durationToleranceMs ||
      record.endMs > a.toMs + L.durationToleranceMs
    ) {
      return 'too_long';
    }
    return undefined;
  }

  /** Takes up to `wanted` records from a board's rate; answers how many it may write now. */
  private take(boardId: string, wanted: number, nowMs: number): number {
    const L = POP_LIMITS;
    const bucket = this.buckets.get(boardId) ?? { tokens: L.burst, atMs: nowMs };
    const refill = (Math.max(0, nowMs - bucket.atMs) / 60_000) * L.perMinute;
    bucket.tokens = Math.min(L.burst, bucket.tokens + refill);
    bucket.atMs = nowMs;
    const granted = Math.min(wanted, Math.floor(bucket.tokens));
    bucket.tokens -= granted;
    this.buckets.set(boardId, bucket);
    return granted;
  }

  /** Forgets day counters that fell out of the window (once a day). */
  private prune(nowMs: number): void {
    const today = utcDay(nowMs);
    if (today === this.prunedDay) return;
    this.prunedDay = today;
    const oldest = utcDay(nowMs - POP_LIMITS.maxAgeMs - DAY_MS);
    for (const key of this.days.keys()) {
      if ((key.split('\u0000')[1] ?? '') < oldest) this.days.delete(key);
    }
  }

  /** Judges one batch of a board (whose records all name that board). */
  async admit(boardId: string, records: readonly PlayRecord[]): Promise<Admission> {
    const nowMs = this.deps.clock.now();
    this.prune(nowMs);
    const refused: Admission['refused'] = [];
    const valid: { record: PlayRecord; plays: BoardPlays }[] = [];
    // An id counts once, by its first record (as the store keeps it): its verdict is the id's.
    const seen = new Set<string>();
    for (const record of records) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      const release = await this.playsOf(record.releaseVersion);
      const plays = release?.get(boardId);
      const reason = this.check(record, plays, nowMs);
      if (reason === undefined && plays) valid.push({ record, plays });
      else refused.push({ id: record.id, reason: reason ?? 'unknown_release' });
    }
    const granted = this.take(boardId, valid.length, nowMs);
    const accepted: PlayRecord[] = [];
    const L = POP_LIMITS;
    for (const { record, plays } of valid.slice(0, granted)) {
      const key = `${boardId}\u0000${utcDay(record.startMs)}`;
      const day = this.days.get(key) ?? { plays: 0, onAirMs: 0 };
      const maxPlays = Math.min(
        L.maxPlaysPerBoardDay,
        Math.max(L.minPlaysPerBoardDay, 2 * Math.ceil(DAY_MS / plays.shortestMs)),
      );
      const lengthMs = record.endMs - record.startMs;
      if (day.plays + 1 > maxPlays || day.onAirMs + lengthMs > L.maxOnAirPerBoardDayMs) {
        refused.push({ id: record.id, reason: 'board_day_full' });
        continue;
      }
      day.plays += 1;
      day.onAirMs += lengthMs;
      this.days.set(key, day);
      accepted.push(record);
    }
    const deferred = valid.length - granted;
    if (refused.length > 0 || deferred > 0) {
      const byReason: Partial<Record<PopRefusalReason, number>> = {};
      for (const r of refused) {
        byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
        this.refusals.set(r.reason, (this.refusals.get(r.reason) ?? 0) + 1);
      }
      this.deps.logger.warn(
        { boardId, refused: byReason, deferred, accepted: accepted.length },
        'proof of play: records refused or deferred',
      );
    }
    return { accepted, refused, deferred };
  }
}
