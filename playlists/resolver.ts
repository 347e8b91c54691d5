import { Activity, DateFilter, type DailyWindow } from './activity.js';
import { civilFromEpochDay, epochDayFromIso } from './civil.js';
import {
  parseTimeOfDay,
  type Board,
  type Content,
  type PlanDocument,
  type Targets,
} from './plan.js';
import { ZoneCalendar } from './zone.js';

/** Default item durations in seconds when neither the item nor the content gives one (design.md). */
export const DEFAULT_DURATION_SEC = { slogan: 15, banner: 10 } as const;

/** One entry of a schedule's loop: a content shown for a whole number of milliseconds. */
export interface LoopItem {
  readonly contentId: string;
  readonly playlistId: string;
  readonly scheduleId: string;
  readonly durationMs: number;
}

/** A schedule ready for resolution. */
export interface CompiledSchedule {
  readonly id: string;
  readonly index: number;
  readonly priority: number;
  readonly playlistId: string;
  readonly items: readonly LoopItem[];
  readonly targets: Targets | undefined;
  readonly activity: Activity;
}

/** An announcement ready for resolution. */
export interface CompiledAnnouncement {
  readonly id: string;
  readonly index: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly targets: Targets | undefined;
}

/** A plan prepared once for many resolutions. */
export interface CompiledPlan {
  readonly document: PlanDocument;
  readonly zone: ZoneCalendar;
  readonly boards: ReadonlyMap<string, Board>;
  readonly schedules: readonly CompiledSchedule[];
  readonly announcements: readonly CompiledAnnouncement[];
  /** Regime indexes, shared by the boards that the same schedules and announcements target. */
  readonly regimeIndexes: RegimeIndexes;
}

/** What plays on a board at an instant (design.md, rule 4). */
export type Winner =
  | { readonly kind: 'idle' }
  | { readonly kind: 'announcement'; readonly announcement: CompiledAnnouncement }
  | {
      readonly kind: 'schedules';
      readonly priority: number;
      readonly schedules: readonly CompiledSchedule[];
    };

/** A maximal interval with one winner (design.md, rule 5). */
export interface Regime {
  readonly winner: Winner;
  readonly startMs: number;
  readonly endMs: number;
}

/** A timeline segment with instants in epoch milliseconds. */
export interface SegmentMs {
  readonly startMs: number;
  readonly endMs: number;
  readonly kind: 'item' | 'announcement' | 'idle';
  readonly content?: string;
  readonly playlist?: string;
  readonly schedule?: string;
  readonly announcement?: string;
}

/** A timeline segment as the API and the CLI print it (design.md, rule 6). */
export interface Segment {
  start: string;
  end: string;
  kind: 'item' | 'announcement' | 'idle';
  content?: string;
  playlist?: string;
  schedule?: string;
  announcement?: string;
}

function itemDurationMs(content: Content, ownSec: number | undefined): number {
  const sec = ownSec ?? content.durationSec ?? DEFAULT_DURATION_SEC[content.kind];
  return durationMs(sec);
}

/**
 * A duration in seconds resolved to the millisecond, as written: rounded half up on its decimal
 * digits (1.0005 s is 1001 ms, though 1.0005 × 1000 is 1000.4999… in binary), at least 1 ms.
 */
export function durationMs(sec: number): number {
  return Math.max(1, Math.round(Number((sec * 1000).toPrecision(15))));
}

function windowsOf(hours: readonly { from: string; to: string }[] | undefined): DailyWindow[] {
  return (hours ?? []).map((w) => {
    const startMinute = parseTimeOfDay(w.from) ?? 0;
    const to = parseTimeOfDay(w.to) ?? 0;
    return { startMinute, endMinute: to > startMinute ? to : to + 1440 };
  });
}

/** True when `targets` selects `board` (design.md, rule 3). */
export function targetsBoard(targets: Targets | undefined, board: Board): boolean {
  if (!targets) return true;
  if (targets.all === true) return true;
  if (targets.ids?.includes(board.id)) return true;
  const tags = board.tags ?? [];
  return targets.tags?.some((t) => tags.includes(t)) ?? false;
}

/** Prepares a validated plan for resolution. */
export function compilePlan(document: PlanDocument): CompiledPlan {
  const zone = new ZoneCalendar(document.plan.timeZone);
  const contentById = new Map(document.content.map((c) => [c.id, c]));
  const playlistById = new Map(document.playlists.map((p) => [p.id, p]));
  const phaseById = new Map(document.phases.map((p) => [p.id, p]));

  const schedules = document.schedules.map((s, index): CompiledSchedule => {
    const playlist = playlistById.get(s.playlist);
    if (!playlist) throw new Error(`schedule ${s.id}: unknown playlist ${s.playlist}`);
    const items = playlist.items.map((item): LoopItem => {
      const contentId = typeof item === 'string' ? item : item.content;
      const content = contentById.get(contentId);
      if (!content) throw new Error(`playlist ${playlist.id}: unknown content ${contentId}`);
      const ownSec = typeof item === 'string' ? undefined : item.durationSec;
      return {
        contentId,
        playlistId: playlist.id,
        scheduleId: s.id,
        durationMs: itemDurationMs(content, ownSec),
      };
    });
    const phase = s.phase === undefined ? undefined : phaseById.get(s.phase);
    if (s.phase !== undefined && !phase) throw new Error(`schedule ${s.id}: unknown phase`);
    const from = phase ? phase.from : s.from;
    if (from === undefined) throw new Error(`schedule ${s.id}: no dates`);
    const to = phase ? phase.to : s.to;
    const dates = new DateFilter(
      epochDayFromIso(from),
      to === undefined ? Number.POSITIVE_INFINITY : epochDayFromIso(to),
      s.on
        ? new Set(s.on.map((md) => Number(md.slice(0, 2)) * 100 + Number(md.slice(3, 5))))
        : undefined,
      s.weekdays ? new Set(s.weekdays) : undefined,
    );
    return {
      id: s.id,
      index,
      priority: s.priority ?? 0,
      playlistId: playlist.id,
      items,
      targets: s.boards,
      activity: new Activity(zone, dates, windowsOf(s.hours)),
    };
  });

  const announcements = document.announcements.map((a, index): CompiledAnnouncement => ({
    id: a.id,
    index,
    fromMs: Date.parse(a.from),
    toMs: Date.parse(a.to),
    targets: a.boards,
  }));

  return {
    document,
    zone,
    boards: new Map(document.boards.map((b) => [b.id, b])),
    schedules,
    announcements,
    regimeIndexes: new RegimeIndexes(),
  };
}

function beats(a: CompiledAnnouncement, b: CompiledAnnouncement): boolean {
  return a.fromMs > b.fromMs || (a.fromMs === b.fromMs && a.index < b.index);
}

/** A stable key that is equal for equal winners. */
export function winnerKey(winner: Winner): string {
  switch (winner.kind) {
    case 'idle':
      return 'idle';
    case 'announcement':
      return `a:${winner.announcement.id}`;
    case 'schedules':
      return `s:${winner.schedules.map((s) => s.id).join(',')}`;
  }
}

/** How a resolver finds regimes: `indexed` (the default) keeps sorted regime edges per window. */
export interface ResolverOptions {
  readonly indexed?: boolean;
}

// Regime edges are indexed in windows of 2^31 ms (about 25 days), built when first asked for.
const INDEX_WINDOW_MS = 2 ** 31;
const INDEX_WINDOW_LIMIT = 256;
// Beyond this the time-zone library has no instants; such lookups take the direct path.
const INDEX_LIMIT_MS = 8.64e15 - 2 * INDEX_WINDOW_MS;

/**
 * The regime windows of a compiled plan, by targeting: boards that the same schedules and
 * announcements target have the same regimes, so a thousand such boards share one index.
 */
export class RegimeIndexes {
  private readonly byTargeting = new Map<string, Map<number, RegimeWindow>>();

  /** The windows of one targeting, made empty on first use. */
  windowsOf(targeting: string): Map<number, RegimeWindow> {
    let windows = this.byTargeting.get(targeting);
    if (!windows) {
      windows = new Map();
      this.byTargeting.set(targeting, windows);
    }
    return windows;
  }
}

/** The regimes of one window [startMs, endMs): edges[i] starts the stretch won by winners[i]. */
interface RegimeWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly edges: readonly number[];
  readonly winners: readonly Winner[];
  /** Where the regimes cut by the window's ends really start and end, once asked. */
  headStartMs?: number;
  tailEndMs?: number;
}

function sameWinner(a: Winner, b: Winner): boolean {
  if (a.kind === 'idle' || b.kind === 'idle') return a.kind === b.kind;
  if (a.kind === 'announcement' || b.kind === 'announcement') {
    return (
      a.kind === 'announcement' && b.kind === 'announcement' && a.announcement === b.announcement
    );
  }
  return (
    a.priority === b.priority &&
    a.schedules.length === b.schedules.length &&
    a.schedules.every((s, i) => s === b.schedules[i])
  );
}

/** The index of the last edge at or before `atMs` (edges[0] <= atMs). */
function lastEdgeAtOrBefore(edges: readonly number[], atMs: number): number {
  let low = 0;
  let high = edges.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if ((edges[mid] ?? Number.POSITIVE_INFINITY) <= atMs) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Resolves what one board plays, at any instant, from a compiled plan. */
/**
 * Which schedules and announcements of a plan target a board. Boards with the same targeting
 * have the same regimes (winners and their changes) at every instant.
 */
export function targetingOf(plan: CompiledPlan, board: Board): string {
  let key = '';
  for (const s of plan.schedules) if (targetsBoard(s.targets, board)) key += `${s.index},`;
  key += '|';
  for (const a of plan.announcements) if (targetsBoard(a.targets, board)) key += `${a.index},`;
  return key;
}

export class BoardResolver {
  readonly board: Board;
  private readonly schedules: readonly CompiledSchedule[];
  private readonly announcements: readonly CompiledAnnouncement[];
  private readonly indexed: boolean;
  private readonly windows: Map<number, RegimeWindow>;

  constructor(plan: CompiledPlan, board: Board, options: ResolverOptions = {}) {
    this.board = board;
    this.schedules = plan.schedules.filter((s) => targetsBoard(s.targets, board));
    this.announcements = plan.announcements.filter((a) => targetsBoard(a.targets, board));
    this.indexed = options.indexed ?? true;
    this.windows = this.indexed
      ? plan.regimeIndexes.windowsOf(targetingOf(plan, board))
      : new Map<number, RegimeWindow>();
  }

  /** The winner at `atMs` (design.md, rule 4). */
  winnerAt(atMs: number): Winner {
    let announcement: CompiledAnnouncement | undefined;
    for (const a of this.announcements) {
      if (a.fromMs <= atMs && atMs < a.toMs && (!announcement || beats(a, announcement))) {
        announcement = a;
      }
    }
    if (announcement) return { kind: 'announcement', announcement };
    let priority = Number.NEGATIVE_INFINITY;
    let winners: CompiledSchedule[] = [];
    for (const s of this.schedules) {
      if (s.priority < priority || !s.activity.isActive(atMs)) continue;
      if (s.priority > priority) {
        priority = s.priority;
        winners = [];
      }
      winners.push(s);
    }
    return winners.length === 0
      ? { kind: 'idle' }
      : { kind: 'schedules', priority, schedules: winners };
  }

  /** The regime containing `atMs`: its winner and its maximal [start, end). */
  regimeAt(atMs: number): Regime {
    if (!this.indexed || !Number.isSafeInteger(atMs) || Math.abs(atMs) > INDEX_LIMIT_MS) {
      return this.regimeAtDirectly(atMs);
    }
    const window = this.windowAt(atMs);
    const { edges, winners } = window;
    const i = lastEdgeAtOrBefore(edges, atMs);
    const winner = winners[i];
    if (!winner) throw new Error('a regime window without a winner');
    const last = edges.length - 1;
    if (i === 0) window.headStartMs ??= this.regimeAtDirectly(window.startMs).startMs;
    if (i === last) window.tailEndMs ??= this.regimeAtDirectly(window.endMs - 1).endMs;
    return {
      winner,
      startMs: i === 0 ? (window.headStartMs ?? window.startMs) : (edges[i] ?? atMs),
      endMs: i === last ? (window.tailEndMs ?? window.endMs) : (edges[i + 1] ?? atMs),
    };
  }

  private windowAt(atMs: number): RegimeWindow {
    const key = Math.floor(atMs / INDEX_WINDOW_MS);
    const hit = this.windows.get(key);
    if (hit) return hit;
    const window = this.buildWindow(key * INDEX_WINDOW_MS, (key + 1) * INDEX_WINDOW_MS);
    if (this.windows.size >= INDEX_WINDOW_LIMIT) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    this.windows.set(key, window);
    return window;
  }

  /**
   * Every instant in [startMs, endMs) at which some schedule or announcement starts or stops,
   * swept in order: between two such instants the winner (rule 4) cannot change, so the
   * regime edges inside the window are the instants where the swept winner does.
   */
  private buildWindow(startMs: number, endMs: number): RegimeWindow {
    // Events as [atMs, member] with member = +(i + 1) / -(i + 1) for schedule i starting /
    // stopping, and the same offset by the schedule count for announcements.
    const events: [number, number][] = [];
    const scheduleCount = this.schedules.length;
    this.schedules.forEach((s, i) => {
      s.activity.forEachSpan(startMs, endMs, (from, to) => {
        events.push([from, i + 1], [to, -(i + 1)]);
      });
    });
    this.announcements.forEach((a, i) => {
      const from = Math.max(a.fromMs, startMs);
      const to = Math.min(a.toMs, endMs);
      if (from < to) events.push([from, scheduleCount + i + 1], [to, -(scheduleCount + i + 1)]);
    });
    events.sort((a, b) => a[0] - b[0]);

    const scheduleCounts = new Int32Array(scheduleCount);
    const announcementCounts = new Int32Array(this.announcements.length);
    // Active schedules by priority, each list in file order.
    const activeByPriority = new Map<number, CompiledSchedule[]>();
    const priorities = [...new Set(this.schedules.map((s) => s.priority))].sort((a, b) => b - a);
    const edges: number[] = [];
    const winners: Winner[] = [];
    let previous: Winner | undefined;
    let e = 0;
    let atMs = startMs;
    while (atMs < endMs) {
      for (; e < events.length; e++) {
        const event = events[e];
        if (!event || event[0] > atMs) break;
        const member = Math.abs(event[1]) - 1;
        const delta = event[1] > 0 ? 1 : -1;
        if (member >= scheduleCount) {
          const a = member - scheduleCount;
          announcementCounts[a] = (announcementCounts[a] ?? 0) + delta;
          continue;
        }
        const count = (scheduleCounts[member] ?? 0) + delta;
        scheduleCounts[member] = count;
        const schedule = this.schedules[member];
        if (!schedule || (count !== 0 && !(count === 1 && delta > 0))) continue;
        const list = activeByPriority.get(schedule.priority) ?? [];
        activeByPriority.set(schedule.priority, list);
        if (count === 0) list.splice(list.indexOf(schedule), 1);
        else {
          let at = list.length;
          while (at > 0 && (list[at - 1]?.index ?? 0) > schedule.index) at--;
          list.splice(at, 0, schedule);
        }
      }
      const winner = this.sweptWinner(announcementCounts, activeByPriority, priorities);
      if (!previous || !sameWinner(previous, winner)) {
        edges.push(atMs);
        winners.push(winner);
        previous = winner;
      }
      atMs = events[e]?.[0] ?? endMs;
    }
    return { startMs, endMs, edges, winners };
  }

  private sweptWinner(
    announcementCounts: Int32Array,
    activeByPriority: ReadonlyMap<number, readonly CompiledSchedule[]>,
    priorities: readonly number[],
  ): Winner {
    let announcement: CompiledAnnouncement | undefined;
    this.announcements.forEach((a, i) => {
      if ((announcementCounts[i] ?? 0) > 0 && (!announcement || beats(a, announcement))) {
        announcement = a;
      }
    });
    if (announcement) return { kind: 'announcement', announcement };
    for (const priority of priorities) {
      const active = activeByPriority.get(priority);
      if (active && active.length > 0)
        return { kind: 'schedules', priority, schedules: [...active] };
    }
    return { kind: 'idle' };
  }

  /** regimeAt without the index: from each schedule's own activity. */
  private regimeAtDirectly(atMs: number): Regime {
    const winner = this.winnerAt(atMs);
    let startMs = Number.NEGATIVE_INFINITY;
    let endMs = Number.POSITIVE_INFINITY;

    if (winner.kind === 'announcement') {
      const own = winner.announcement;
      startMs = own.fromMs;
      endMs = own.toMs;
      for (const a of this.announcements) {
        if (a === own || !beats(a, own)) continue;
        if (a.toMs <= atMs) startMs = Math.max(startMs, a.toMs);
        if (a.fromMs > atMs) endMs = Math.min(endMs, a.fromMs);
      }
      return { winner, startMs, endMs };
    }

    for (const a of this.announcements) {
      if (a.toMs <= atMs) startMs = Math.max(startMs, a.toMs);
      if (a.fromMs > atMs) endMs = Math.min(endMs, a.fromMs);
    }
    const members = winner.kind === 'schedules' ? winner.schedules : [];
    const floor = winner.kind === 'schedules' ? winner.priority : Number.NEGATIVE_INFINITY;
    for (const s of this.schedules) {
      if (members.includes(s)) {
        const own = s.activity.intervalAt(atMs);
        if (!own) throw new Error(`schedule ${s.id} won at an instant it is not active`);
        startMs = Math.max(startMs, own.startMs);
        endMs = Math.min(endMs, own.endMs);
      } else if (s.priority >= floor) {
        startMs = Math.max(startMs, s.activity.prevEndBefore(atMs));
        endMs = Math.min(endMs, s.activity.nextStartAfter(atMs));
      }
    }
    return { winner, startMs, endMs };
  }

  /** The first instant after `atMs` at which the regime changes (Infinity when never). */
  nextChangeAfter(atMs: number): number {
    return this.regimeAt(atMs).endMs;
  }

  /**
   * The segments covering [fromMs, toMs) exactly (design.md, rule 6). Throws TimelineTooLarge as
   * soon as there would be more than `maxSegments`: a day of 1 ms items is 86 million segments,
   * which no caller should be able to make the process build.
   */
  timeline(fromMs: number, toMs: number, maxSegments = Number.POSITIVE_INFINITY): SegmentMs[] {
    const segments: SegmentMs[] = [];
    let atMs = fromMs;
    while (atMs < toMs) {
      const regime = this.regimeAt(atMs);
      const endMs = Math.min(regime.endMs, toMs);
      appendRegime(segments, regime, atMs, endMs, maxSegments);
      atMs = endMs;
    }
    return segments;
  }

  /** The segment playing at `atMs`, with its full (unclipped) extent. */
  segmentAt(atMs: number): SegmentMs {
    const regime = this.regimeAt(atMs);
    const segments: SegmentMs[] = [];
    appendRegime(segments, regime, atMs, atMs + 1, Number.POSITIVE_INFINITY);
    const first = segments[0];
    if (!first) throw new Error('no segment at an instant inside a regime');
    if (first.kind !== 'item') return { ...first, startMs: regime.startMs, endMs: regime.endMs };
    const { startMs, endMs } = itemBounds(regime, atMs);
    return { ...first, startMs, endMs };
  }
}

/** The items a regime plays in turn (rule 5: tied schedules concatenated), and their length. */
interface Loop {
  readonly items: readonly LoopItem[];
  readonly lengthMs: number;
}

const NO_LOOP: Loop = { items: [], lengthMs: 0 };

/**
 * Loops by the schedules that make them: a winner's list is shared by the regimes it wins, so
 * a board's loop is put together once, not at every lookup (the monitor looks one up for each
 * heartbeat of every board). Weak: it goes with the resolver.
 */
const loops = new WeakMap<readonly CompiledSchedule[], Loop>();

function loopOf(regime: Regime): Loop {
  if (regime.winner.kind !== 'schedules') return NO_LOOP;
  const { schedules } = regime.winner;
  let loop = loops.get(schedules);
  if (!loop) {
    const items = schedules.flatMap((s) => s.items);
    let lengthMs = 0;
    for (const item of items) lengthMs += item.durationMs;
    loop = { items, lengthMs };
    loops.set(schedules, loop);
  }
  return loop;
}

/** The index of the item playing at `atMs` and the instant that play started. */
function positionIn(regime: Regime, { items, lengthMs: loopMs }: Loop, atMs: number) {
  const elapsed = atMs - regime.startMs;
  let playStartMs = atMs - (elapsed % loopMs);
  let index = 0;
  for (;;) {
    const item = items[index];
    if (!item) throw new Error('empty loop');
    if (playStartMs + item.durationMs > atMs) return { index, playStartMs };
    playStartMs += item.durationMs;
    index += 1;
  }
}

function itemBounds(regime: Regime, atMs: number): { startMs: number; endMs: number } {
  const loop = loopOf(regime);
  const { index, playStartMs } = positionIn(regime, loop, atMs);
  const duration = loop.items[index]?.durationMs ?? 0;
  return { startMs: playStartMs, endMs: Math.min(playStartMs + duration, regime.endMs) };
}

/** A timeline asked for over a span that holds more than `maxSegments` segments. */
export class TimelineTooLarge extends Error {
  constructor(readonly maxSegments: number) {
    super(`the span holds more than ${String(maxSegments)} segments`);
    this.name = 'TimelineTooLarge';
  }
}

function appendRegime(
  out: SegmentMs[],
  regime: Regime,
  fromMs: number,
  toMs: number,
  maxSegments: number,
): void {
  const { winner } = regime;
  if (out.length >= maxSegments) throw new TimelineTooLarge(maxSegments);
  if (winner.kind === 'idle') {
    out.push({ startMs: fromMs, endMs: toMs, kind: 'idle' });
    return;
  }
  if (winner.kind === 'announcement') {
    out.push({
      startMs: fromMs,
      endMs: toMs,
      kind: 'announcement',
      announcement: winner.announcement.id,
    });
    return;
  }
  const loop = loopOf(regime);
  const { items } = loop;
  let { index, playStartMs } = positionIn(regime, loop, fromMs);
  let startMs = fromMs;
  while (startMs < toMs) {
    const item = items[index];
    if (!item) throw new Error('loop index out of range');
    const endMs = Math.min(playStartMs + item.durationMs, toMs);
    if (out.length >= maxSegments) throw new TimelineTooLarge(maxSegments);
    out.push({
      startMs,
      endMs,
      kind: 'item',
      content: item.contentId,
      playlist: item.playlistId,
      schedule: item.scheduleId,
    });
    playStartMs += item.durationMs;
    startMs = endMs;
    index = (index + 1) % items.length;
  }
}

const MS_PER_DAY = 86_400_000;
// Years 0000..9999: where Date#toISOString writes four year digits.
const FOUR_DIGIT_YEARS = { fromMs: -62_167_219_200_000, toMs: 253_402_300_800_000 } as const;

const ZERO = 48;

/** The character code of the decimal digit of `n` worth `unit` (1, 10, 100, 1000). */
function digit(n: number, unit: number): number {
  return ZERO + (Math.floor(n / unit) % 10);
}

/**
 * The instant as Date#toISOString writes it. A timeline can hold 100,000 segments; written
 * from character codes the strings come out flat, several times cheaper to make and keep
 * than toISOString's or a template's.
 */
export function isoInstant(atMs: number): string {
  if (!(
    atMs >= FOUR_DIGIT_YEARS.fromMs &&
    atMs < FOUR_DIGIT_YEARS.toMs &&
    Number.isInteger(atMs)
  )) {
    return new Date(atMs).toISOString();
  }
  const day = Math.floor(atMs / MS_PER_DAY);
  const { year, month, day: date } = civilFromEpochDay(day);
  let rest = atMs - day * MS_PER_DAY;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const ms = rest - s * 1000;
  // prettier-ignore
  return String.fromCharCode(
    digit(year, 1000), digit(year, 100), digit(year, 10), digit(year, 1), 45, // -
    digit(month, 10), digit(month, 1), 45, digit(date, 10), digit(date, 1), 84, // T
    digit(h, 10), digit(h, 1), 58, digit(m, 10), digit(m, 1), 58, digit(s, 10), digit(s, 1), 46, // .
    digit(ms, 100), digit(ms, 10), digit(ms, 1), 90, // Z
  );
}

/** A segment with its instants written as ISO-8601 UTC strings. */
export function toIsoSegment(segment: SegmentMs): Segment {
  const start = isoInstant(segment.startMs);
  const end = isoInstant(segment.endMs);
  const { kind, content, playlist, schedule, announcement } = segment;
  // The common shapes in one literal each (a timeline can hold 100,000 of them).
  if (announcement === undefined) {
    if (content !== undefined && playlist !== undefined && schedule !== undefined) {
      return { start, end, kind, content, playlist, schedule };
    }
    if (content === undefined && playlist === undefined && schedule === undefined) {
      return { start, end, kind };
    }
  } else if (content === undefined && playlist === undefined && schedule === undefined) {
    return { start, end, kind, announcement };
  }
  const out: Segment = { start, end, kind };
  if (segment.content !== undefined) out.content = segment.content;
  if (segment.playlist !== undefined) out.playlist = segment.playlist;
  if (segment.schedule !== undefined) out.schedule = segment.schedule;
  if (segment.announcement !== undefined) out.announcement = segment.announcement;
  return out;
}

/** A board's resolver, or undefined when the plan has no such board. */
export function resolverFor(
  plan: CompiledPlan,
  boardId: string,
  options: ResolverOptions = {},
): BoardResolver | undefined {
  const board = plan.boards.get(boardId);
  return board ? new BoardResolver(plan, board, options) : undefined;
}

/** The timeline of one board over [fromMs, toMs), as ISO segments. */
export function timeline(
  plan: CompiledPlan,
  boardId: string,
  fromMs: number,
  toMs: number,
  maxSegments = Number.POSITIVE_INFINITY,
): Segment[] | undefined {
  return resolverFor(plan, boardId)?.timeline(fromMs, toMs, maxSegments).map(toIsoSegment);
}
