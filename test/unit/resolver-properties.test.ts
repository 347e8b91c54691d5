// Property tests of the resolver on random small plans around the offset transitions of five
// zones, checked against a brute-force reference written from design.md rules 1-5: every
// schedule's active time is enumerated day by day and window by window with Temporal
// ("compatible" disambiguation), the winner is picked by rule 4, and regimes are found by
// scanning every candidate edge (window and day boundaries, announcement ends).
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import type { BoardResolver, PlanDocumentInput, SegmentMs, Winner } from '../../playlists/index.js';
import {
  buildPlan,
  resolverOf,
  type AnnouncementInput,
  type ContentInput,
  type PlaylistInput,
  type ScheduleInput,
} from '../helpers/plan-builder.js';

const SEED = 42;
const RUNS = 200;

const ZONES = [
  'Asia/Ho_Chi_Minh',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
] as const;

// Local dates of the 2026 transitions of those zones (and one quiet date).
const ANCHORS = [
  '2026-03-08',
  '2026-03-29',
  '2026-04-05',
  '2026-06-15',
  '2026-09-06',
  '2026-10-04',
  '2026-10-25',
  '2026-11-01',
] as const;

const FROM_TIMES = [
  '00:00',
  '00:30',
  '01:00',
  '01:30',
  '01:45',
  '02:00',
  '02:10',
  '02:30',
  '02:45',
  '03:00',
  '03:10',
  '06:00',
  '12:00',
  '22:00',
  '23:00',
  '23:30',
] as const;
const TO_TIMES = [...FROM_TIMES.filter((t) => t !== '00:00'), '24:00'] as const;

// Long items keep the number of segments per span small; q1 has a fractional duration.
const CONTENT: ContentInput[] = [
  { id: 'q1', kind: 'slogan', text: 'PHÂN SỐ', durationSec: 123.456 },
  { id: 'q2', kind: 'banner', asset: 'mot-gio.png', durationSec: 3600 },
];
const PLAYLISTS: PlaylistInput[] = [
  { id: 'P1', name: 'P1', items: ['c25'] },
  { id: 'P2', name: 'P2', items: ['c4', 'q1'] },
  { id: 'P3', name: 'P3', items: ['q2', { content: 'c25', durationSec: 600 }, 'q1'] },
];
// Each playlist's loop as (content, duration in ms), written out by hand from the above.
const LOOPS: Record<string, readonly (readonly [string, number])[]> = {
  P1: [['c25', 1_500_000]],
  P2: [
    ['c4', 1_800_000],
    ['q1', 123_456],
  ],
  P3: [
    ['q2', 3_600_000],
    ['c25', 600_000],
    ['q1', 123_456],
  ],
};
const BOARDS = ['cua-khau', 'tru-so'] as const;

// ---------------------------------------------------------------------------------------------
// Random plans

interface TargetSpec {
  all?: boolean;
  ids?: string[];
  tags?: string[];
}

const targetsArb: fc.Arbitrary<TargetSpec | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  fc.constant<TargetSpec>({ all: true }),
  fc.constant<TargetSpec>({}),
  fc.subarray([...BOARDS], { minLength: 1 }).map((ids): TargetSpec => ({ ids })),
  fc.subarray(['led', 'office', 'khac'], { minLength: 1 }).map((tags): TargetSpec => ({ tags })),
);

interface WindowSpec {
  from: string;
  to: string;
}

const randomWindowsArb: fc.Arbitrary<WindowSpec[]> = fc
  .array(fc.record({ from: fc.constantFrom(...FROM_TIMES), to: fc.constantFrom(...TO_TIMES) }), {
    minLength: 1,
    maxLength: 3,
  })
  .map((ws) => ws.filter((w) => w.from !== w.to));

// Windows that cover every minute of the day between them (they may not, as instants, on a
// transition day).
const tilingWindowsArb: fc.Arbitrary<WindowSpec[]> = fc
  .uniqueArray(fc.constantFrom(...FROM_TIMES), { minLength: 1, maxLength: 3 })
  .map((cuts) => {
    // Each cut starts a window that ends at the next cut (wrapping past midnight after the last).
    const sorted = [...cuts].sort();
    if (sorted.length === 1) return sorted[0] === '00:00' ? [{ from: '00:00', to: '24:00' }] : [];
    return sorted.map((from, i) => {
      const next = sorted[(i + 1) % sorted.length] ?? '00:00';
      return { from, to: next === '00:00' ? '24:00' : next };
    });
  });

const hoursArb: fc.Arbitrary<WindowSpec[] | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: randomWindowsArb },
  { weight: 2, arbitrary: tilingWindowsArb },
  fc.constant<WindowSpec[]>([{ from: '00:00', to: '24:00' }]),
  fc.constant<WindowSpec[]>([
    { from: '00:00', to: '03:10' },
    { from: '02:30', to: '24:00' },
  ]),
);

interface ScheduleSpec {
  playlist: string;
  dates: { phase: number } | { from: number; length: number | undefined };
  on: number[] | undefined;
  weekdays: number[] | undefined;
  hours: WindowSpec[] | undefined;
  boards: TargetSpec | undefined;
  priority: number;
}

const scheduleArb: fc.Arbitrary<ScheduleSpec> = fc.record({
  playlist: fc.constantFrom('P1', 'P2', 'P3'),
  dates: fc.oneof(
    { weight: 2, arbitrary: fc.record({ phase: fc.integer({ min: 0, max: 2 }) }) },
    fc.record({
      from: fc.integer({ min: -8, max: 2 }),
      length: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
    }),
  ),
  on: fc.oneof(
    { weight: 5, arbitrary: fc.constant(undefined) },
    fc.uniqueArray(fc.integer({ min: -4, max: 4 }), { minLength: 1, maxLength: 5 }),
  ),
  weekdays: fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
  ),
  hours: hoursArb,
  boards: targetsArb,
  priority: fc.constantFrom(0, 0, 1, 2),
});

interface PlanSpec {
  zone: string;
  anchor: string;
  phases: { from: number; length: number }[];
  schedules: ScheduleSpec[];
  announcements: { fromMin: number; lengthMin: number; boards: TargetSpec | undefined }[];
}

const planSpecArb: fc.Arbitrary<PlanSpec> = fc.record({
  zone: fc.constantFrom(...ZONES),
  anchor: fc.constantFrom(...ANCHORS),
  phases: fc.array(
    fc.record({ from: fc.integer({ min: -8, max: 2 }), length: fc.integer({ min: 0, max: 12 }) }),
    { minLength: 1, maxLength: 3 },
  ),
  schedules: fc.array(scheduleArb, { minLength: 1, maxLength: 4 }),
  announcements: fc.array(
    fc.record({
      fromMin: fc.integer({ min: -3 * 1440, max: 3 * 1440 }),
      lengthMin: fc.integer({ min: 1, max: 720 }),
      boards: targetsArb,
    }),
    { maxLength: 3 },
  ),
});

const addDays = (date: string, days: number): string =>
  Temporal.PlainDate.from(date).add({ days }).toString();

const monthDay = (date: string): string => date.slice(5);

function documentOf(spec: PlanSpec): PlanDocumentInput {
  const phases = spec.phases.map((p, i) => ({
    id: `p${i}`,
    name: `Đợt ${i}`,
    from: addDays(spec.anchor, p.from),
    to: addDays(spec.anchor, p.from + p.length),
  }));
  const schedules = spec.schedules.map((s, i): ScheduleInput => {
    const out: ScheduleInput = { id: `s${i}`, playlist: s.playlist, priority: s.priority };
    if ('phase' in s.dates) {
      out.phase = `p${s.dates.phase % phases.length}`;
    } else {
      out.from = addDays(spec.anchor, s.dates.from);
      if (s.dates.length !== undefined)
        out.to = addDays(spec.anchor, s.dates.from + s.dates.length);
    }
    if (s.on) out.on = s.on.map((d) => monthDay(addDays(spec.anchor, d)));
    if (s.weekdays) out.weekdays = s.weekdays;
    if (s.hours && s.hours.length > 0) out.hours = s.hours;
    if (s.boards) out.boards = s.boards;
    return out;
  });
  const anchorMs = Date.parse(`${spec.anchor}T00:00:00Z`);
  const announcements = spec.announcements.map((a, i): AnnouncementInput => {
    const fromMs = anchorMs + a.fromMin * 60_000;
    const out: AnnouncementInput = {
      id: `a${i}`,
      text: `THÔNG BÁO ${i}`,
      from: new Date(fromMs).toISOString(),
      to: new Date(fromMs + a.lengthMin * 60_000).toISOString(),
    };
    if (a.boards) out.boards = a.boards;
    return out;
  });
  return buildPlan({
    timeZone: spec.zone,
    phases,
    content: CONTENT,
    playlists: PLAYLISTS,
    schedules,
    announcements,
  });
}

interface SpanSpec {
  startMs: number;
  lengthMs: number;
  cut: number;
  probes: number[];
}

const spanArb: fc.Arbitrary<SpanSpec> = fc.record({
  startMs: fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }),
  lengthMs: fc.oneof(
    fc.integer({ min: 1, max: 3_600_000 }),
    fc.integer({ min: 1, max: 36 * 3_600_000 }),
  ),
  cut: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  probes: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
    minLength: 1,
    maxLength: 12,
  }),
});

function spanOf(spec: PlanSpec, span: SpanSpec) {
  const a = Date.parse(`${spec.anchor}T00:00:00Z`) + span.startMs;
  const c = a + span.lengthMs;
  const b = a + Math.floor(span.cut * span.lengthMs);
  return { a, b, c };
}

// ---------------------------------------------------------------------------------------------
// Brute-force reference

interface Span {
  start: number;
  end: number;
}

const localCache = new Map<string, number>();

/** The instant of local `minute` (0..2880) after local midnight of `date`, "compatible" rule. */
function localMs(zone: string, date: string, minute: number): number {
  const key = `${zone}|${date}|${minute}`;
  const hit = localCache.get(key);
  if (hit !== undefined) return hit;
  const day = Temporal.PlainDate.from(date).add({ days: Math.floor(minute / 1440) });
  const m = minute % 1440;
  const value = day
    .toPlainDateTime({ hour: Math.floor(m / 60), minute: m % 60 })
    .toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
  localCache.set(key, value);
  return value;
}

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

function targets(boards: TargetSpec | undefined, boardId: string): boolean {
  if (!boards) return true;
  if (boards.all === true) return true;
  if (boards.ids?.includes(boardId)) return true;
  const tags = boardId === 'cua-khau' ? ['led'] : ['office'];
  return boards.tags?.some((t) => tags.includes(t)) ?? false;
}

interface RefSchedule {
  id: string;
  index: number;
  priority: number;
  playlist: string;
  spans: Span[];
}

interface Reference {
  schedules: RefSchedule[];
  announcements: { id: string; index: number; from: number; to: number }[];
  edges: number[];
  /** Open-ended schedules are enumerated to a horizon: past limitMs the edges are not exact. */
  limitMs: number;
  truncated: boolean;
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((x, y) => x.start - y.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

function referenceOf(doc: PlanDocumentInput, spec: PlanSpec, boardId: string): Reference {
  const zone = spec.zone;
  const horizon = addDays(spec.anchor, 40);
  let truncated = false;
  const phases = new Map((doc.phases ?? []).map((p) => [p.id, p]));
  const schedules: RefSchedule[] = [];
  (doc.schedules ?? []).forEach((s, index) => {
    if (!targets(s.boards, boardId)) return;
    const phase = s.phase === undefined ? undefined : phases.get(s.phase);
    const from = phase ? phase.from : (s.from ?? '');
    let to = phase ? phase.to : s.to;
    if (to === undefined) {
      truncated = true;
      to = horizon;
    }
    const spans: Span[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      if (s.weekdays && !s.weekdays.includes(Temporal.PlainDate.from(d).dayOfWeek)) continue;
      if (s.on && !s.on.includes(monthDay(d))) continue;
      if (!s.hours) {
        spans.push({ start: localMs(zone, d, 0), end: localMs(zone, d, 1440) });
        continue;
      }
      for (const w of s.hours) {
        const f = minutesOf(w.from);
        const t = minutesOf(w.to);
        const start = localMs(zone, d, f);
        const end = localMs(zone, d, t > f ? t : t + 1440);
        if (end > start) spans.push({ start, end });
      }
    }
    schedules.push({
      id: s.id,
      index,
      priority: s.priority ?? 0,
      playlist: s.playlist,
      spans: mergeSpans(spans),
    });
  });
  const announcements = (doc.announcements ?? [])
    .map((a, index) => ({ id: a.id, index, from: Date.parse(a.from), to: Date.parse(a.to), a }))
    .filter((x) => targets(x.a.boards, boardId))
    .map(({ id, index, from, to }) => ({ id, index, from, to }));
  const edgeSet = new Set<number>();
  for (const s of schedules) for (const sp of s.spans) edgeSet.add(sp.start).add(sp.end);
  for (const a of announcements) edgeSet.add(a.from).add(a.to);
  return {
    schedules,
    announcements,
    edges: [...edgeSet].sort((x, y) => x - y),
    limitMs: localMs(zone, addDays(horizon, -2), 0),
    truncated,
  };
}

function activeIn(spans: readonly Span[], t: number): boolean {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid]?.start ?? Infinity) <= t) lo = mid + 1;
    else hi = mid;
  }
  const s = spans[lo - 1];
  return s !== undefined && t < s.end;
}

type RefWinner =
  | { kind: 'idle' }
  | { kind: 'announcement'; id: string }
  | { kind: 'schedules'; schedules: RefSchedule[] };

/** Rule 4. */
function refWinner(ref: Reference, t: number): RefWinner {
  let best: Reference['announcements'][number] | undefined;
  for (const a of ref.announcements) {
    if (a.from > t || t >= a.to) continue;
    if (!best || a.from > best.from || (a.from === best.from && a.index < best.index)) best = a;
  }
  if (best) return { kind: 'announcement', id: best.id };
  const active = ref.schedules.filter((s) => activeIn(s.spans, t));
  if (active.length === 0) return { kind: 'idle' };
  const top = Math.max(...active.map((s) => s.priority));
  return { kind: 'schedules', schedules: active.filter((s) => s.priority === top) };
}

function refKey(w: RefWinner): string {
  if (w.kind === 'idle') return 'idle';
  if (w.kind === 'announcement') return `a:${w.id}`;
  return `s:${w.schedules.map((s) => s.id).join(',')}`;
}

function codeKey(w: Winner): string {
  if (w.kind === 'idle') return 'idle';
  if (w.kind === 'announcement') return `a:${w.announcement.id}`;
  return `s:${w.schedules.map((s) => s.id).join(',')}`;
}

/** Rule 5 by scanning the candidate edges: the maximal interval around t with t's winner. */
function refRegime(ref: Reference, t: number): { start: number; end: number; winner: RefWinner } {
  const { edges } = ref;
  const keyMemo = new Map<number, string>();
  const keyOf = (k: number): string => {
    if (k < 0) return 'idle';
    const hit = keyMemo.get(k);
    if (hit !== undefined) return hit;
    const key = refKey(refWinner(ref, edges[k] ?? Infinity));
    keyMemo.set(k, key);
    return key;
  };
  let i = -1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((edges[mid] ?? Infinity) <= t) lo = mid + 1;
    else hi = mid;
  }
  i = lo - 1;
  const winner = refWinner(ref, t);
  const key = refKey(winner);
  let k = i;
  while (k >= 0 && keyOf(k - 1) === key) k -= 1;
  let m = i;
  while (m + 1 < edges.length && keyOf(m + 1) === key) m += 1;
  return {
    start: k < 0 ? -Infinity : (edges[k] ?? NaN),
    end: m + 1 < edges.length ? (edges[m + 1] ?? NaN) : Infinity,
    winner,
  };
}

/** The segment rule 5 says plays at t, clipped to [a, c). */
function refSegmentAt(ref: Reference, t: number, a: number, c: number): SegmentMs {
  const regime = refRegime(ref, t);
  const endOf = (x: number) => Math.min(c, x);
  if (regime.winner.kind === 'idle') {
    return { startMs: Math.max(a, regime.start), endMs: endOf(regime.end), kind: 'idle' };
  }
  if (regime.winner.kind === 'announcement') {
    return {
      startMs: Math.max(a, regime.start),
      endMs: endOf(regime.end),
      kind: 'announcement',
      announcement: regime.winner.id,
    };
  }
  const loop = regime.winner.schedules.flatMap((s) =>
    (LOOPS[s.playlist] ?? []).map(([content, durationMs]) => ({
      content,
      durationMs,
      playlist: s.playlist,
      schedule: s.id,
    })),
  );
  const total = loop.reduce((sum, x) => sum + x.durationMs, 0);
  let at = t - ((t - regime.start) % total);
  for (const entry of loop) {
    if (t < at + entry.durationMs) {
      return {
        startMs: Math.max(a, at),
        endMs: endOf(Math.min(at + entry.durationMs, regime.end)),
        kind: 'item',
        content: entry.content,
        playlist: entry.playlist,
        schedule: entry.schedule,
      };
    }
    at += entry.durationMs;
  }
  throw new Error('position past the loop');
}

function segmentContaining(segments: readonly SegmentMs[], t: number): SegmentMs | undefined {
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((segments[mid]?.startMs ?? Infinity) <= t) lo = mid + 1;
    else hi = mid;
  }
  return segments[lo - 1];
}

// ---------------------------------------------------------------------------------------------
// Checks

function freshResolver(spec: PlanSpec, board: string): BoardResolver {
  return resolverOf(documentOf(spec), board);
}

function checkCovers(segments: readonly SegmentMs[], a: number, c: number): void {
  expect(segments.length).toBeGreaterThan(0);
  expect(segments[0]?.startMs).toBe(a);
  expect(segments.at(-1)?.endMs).toBe(c);
  segments.forEach((s, i) => {
    expect(s.endMs, `segment ${i} is empty`).toBeGreaterThan(s.startMs);
    if (i > 0) expect(s.startMs, `gap before segment ${i}`).toBe(segments[i - 1]?.endMs);
  });
}

/** The segments of [a, c) with the one straddling `b` cut in two at `b`. */
function cutAt(segments: readonly SegmentMs[], b: number): SegmentMs[] {
  return segments.flatMap((s) =>
    s.startMs < b && b < s.endMs
      ? [
          { ...s, endMs: b },
          { ...s, startMs: b },
        ]
      : [s],
  );
}

function checkAgainstReference(spec: PlanSpec, span: SpanSpec, board: string): void {
  const doc = documentOf(spec);
  const ref = referenceOf(doc, spec, board);
  const resolver = resolverOf(doc, board);
  const { a, c } = spanOf(spec, span);
  const segments = resolver.timeline(a, c);
  const probes = span.probes.map((p) => a + Math.floor(p * (c - a)));
  for (const e of ref.edges) {
    if (e >= a && e < c) probes.push(e);
    if (e - 1 >= a && e - 1 < c) probes.push(e - 1);
  }
  for (const t of probes.slice(0, 60)) {
    const expected = refRegime(ref, t);
    const at = new Date(t).toISOString();
    expect(codeKey(resolver.winnerAt(t)), `winner at ${at}`).toBe(refKey(expected.winner));
    const regime = resolver.regimeAt(t);
    expect(regime.startMs, `regime start at ${at}`).toBe(expected.start);
    if (ref.truncated && expected.end >= ref.limitMs) {
      expect(regime.endMs, `regime end at ${at}`).toBeGreaterThanOrEqual(ref.limitMs);
    } else {
      expect(regime.endMs, `regime end at ${at}`).toBe(expected.end);
    }
    expect(segmentContaining(segments, t), `segment at ${at}`).toEqual(refSegmentAt(ref, t, a, c));
    // segmentAt gives the whole play (or idle or announcement stretch), unclipped.
    const whole = refSegmentAt(ref, t, -Infinity, Infinity);
    const actual = resolver.segmentAt(t);
    if (ref.truncated && whole.endMs >= ref.limitMs) {
      expect({ ...actual, endMs: 0 }, `segmentAt ${at}`).toEqual({ ...whole, endMs: 0 });
      expect(actual.endMs, `segmentAt end ${at}`).toBeGreaterThanOrEqual(ref.limitMs);
    } else {
      expect(actual, `segmentAt ${at}`).toEqual(whole);
    }
  }
}

describe('resolver properties (seeded)', () => {
  it('segments are non-empty, contiguous and cover [from, to) exactly', () => {
    fc.assert(
      fc.property(planSpecArb, spanArb, fc.constantFrom(...BOARDS), (spec, span, board) => {
        const { a, c } = spanOf(spec, span);
        checkCovers(freshResolver(spec, board).timeline(a, c), a, c);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the timeline of [a, c) is that of [a, b) joined to [b, c)', () => {
    // Comparing with [a, c) cut at b (rather than merging the two halves back) also holds when b
    // falls exactly between two plays of the same content, which stay separate segments.
    fc.assert(
      fc.property(planSpecArb, spanArb, fc.constantFrom(...BOARDS), (spec, span, board) => {
        const { a, b, c } = spanOf(spec, span);
        fc.pre(a < b);
        const whole = freshResolver(spec, board).timeline(a, c);
        const left = freshResolver(spec, board).timeline(a, b);
        const right = freshResolver(spec, board).timeline(b, c);
        expect([...left, ...right]).toEqual(cutAt(whole, b));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the same input gives the same output, whatever was asked before', () => {
    fc.assert(
      fc.property(planSpecArb, spanArb, fc.constantFrom(...BOARDS), (spec, span, board) => {
        const { a, b, c } = spanOf(spec, span);
        const expected = freshResolver(spec, board).timeline(a, c);
        const warmed = freshResolver(spec, board);
        warmed.timeline(b, c);
        for (const p of span.probes) warmed.regimeAt(a + Math.floor(p * 40 * 86_400_000));
        warmed.timeline(a, b);
        expect(warmed.timeline(a, c)).toEqual(expected);
        expect(freshResolver(spec, board).timeline(a, c)).toEqual(expected);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('winner, regime and segments at any instant agree with the brute-force reference', () => {
    fc.assert(
      fc.property(planSpecArb, spanArb, fc.constantFrom(...BOARDS), (spec, span, board) => {
        checkAgainstReference(spec, span, board);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the same check with another seed', () => {
    fc.assert(
      fc.property(planSpecArb, spanArb, fc.constantFrom(...BOARDS), (spec, span, board) => {
        checkAgainstReference(spec, span, board);
      }),
      { seed: 20260329, numRuns: RUNS },
    );
  });
});
