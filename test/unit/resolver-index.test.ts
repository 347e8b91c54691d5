// The regime index (sorted regime edges per window of 2^31 ms, built lazily) must answer
// exactly what the direct computation from each schedule's activity answers: seeded property
// tests on random plans around the offset transitions of five zones, over spans that cross
// index windows, plus pinned cases at window edges and for regimes longer than a window.
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  BoardResolver,
  compilePlan,
  isoInstant,
  toIsoSegment,
  winnerKey,
  type SegmentMs,
  type PlanDocumentInput,
  type Regime,
} from '../../playlists/index.js';
import {
  buildPlan,
  compiled,
  ms,
  validated,
  type AnnouncementInput,
  type ScheduleInput,
} from '../helpers/plan-builder.js';

const SEED = 20_260_329;
const RUNS = 150;
const WINDOW_MS = 2 ** 31;
const DAY_MS = 86_400_000;

const ZONES = [
  'Asia/Ho_Chi_Minh',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
] as const;
const ANCHORS = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-10-04', '2026-11-01'] as const;
const TIMES = ['00:00', '01:30', '02:00', '02:30', '03:00', '06:00', '12:00', '23:30'] as const;
const ENDS = ['01:30', '02:30', '03:00', '06:00', '12:00', '23:30', '24:00'] as const;
const BOARDS = ['cua-khau', 'tru-so'] as const;

interface ScheduleSpec {
  playlist: string;
  from: number;
  length: number | undefined;
  on: number[] | undefined;
  weekdays: number[] | undefined;
  hours: { from: string; to: string }[] | undefined;
  tag: string | undefined;
  priority: number;
}

interface PlanSpec {
  zone: string;
  anchor: string;
  schedules: ScheduleSpec[];
  announcements: { fromMin: number; lengthMin: number; tag: string | undefined }[];
}

const scheduleArb: fc.Arbitrary<ScheduleSpec> = fc.record({
  playlist: fc.constantFrom('A', 'B', 'L', 'M'),
  // Days from the anchor; runs long enough to cross several index windows.
  from: fc.integer({ min: -60, max: 30 }),
  length: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
  on: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { minLength: 1, maxLength: 6 }),
  ),
  weekdays: fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
  ),
  hours: fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    fc
      .array(fc.record({ from: fc.constantFrom(...TIMES), to: fc.constantFrom(...ENDS) }), {
        minLength: 1,
        maxLength: 3,
      })
      .map((ws) => ws.filter((w) => w.from !== w.to)),
  ),
  tag: fc.option(fc.constantFrom('led', 'office'), { nil: undefined }),
  priority: fc.constantFrom(0, 0, 1, 2),
});

const planSpecArb: fc.Arbitrary<PlanSpec> = fc.record({
  zone: fc.constantFrom(...ZONES),
  anchor: fc.constantFrom(...ANCHORS),
  schedules: fc.array(scheduleArb, { minLength: 1, maxLength: 8 }),
  announcements: fc.array(
    fc.record({
      fromMin: fc.integer({ min: -60 * 1440, max: 60 * 1440 }),
      lengthMin: fc.integer({ min: 1, max: 3 * 1440 }),
      tag: fc.option(fc.constantFrom('led', 'office'), { nil: undefined }),
    }),
    { maxLength: 4 },
  ),
});

const addDays = (date: string, days: number): string =>
  Temporal.PlainDate.from(date).add({ days }).toString();

function documentOf(spec: PlanSpec): PlanDocumentInput {
  const schedules = spec.schedules.map((s, i): ScheduleInput => {
    const out: ScheduleInput = {
      id: `s${i}`,
      playlist: s.playlist,
      priority: s.priority,
      from: addDays(spec.anchor, s.from),
    };
    if (s.length !== undefined) out.to = addDays(spec.anchor, s.from + s.length);
    if (s.on) out.on = s.on.map((d) => addDays(spec.anchor, d).slice(5));
    if (s.weekdays) out.weekdays = s.weekdays;
    if (s.hours && s.hours.length > 0) out.hours = s.hours;
    if (s.tag !== undefined) out.boards = { tags: [s.tag] };
    return out;
  });
  const anchorMs = Date.parse(`${spec.anchor}T00:00:00Z`);
  const announcements = spec.announcements.map((a, i): AnnouncementInput => ({
    id: `a${i}`,
    text: `THÔNG BÁO ${i}`,
    from: new Date(anchorMs + a.fromMin * 60_000).toISOString(),
    to: new Date(anchorMs + (a.fromMin + a.lengthMin) * 60_000).toISOString(),
    ...(a.tag === undefined ? {} : { boards: { tags: [a.tag] } }),
  }));
  return buildPlan({ timeZone: spec.zone, schedules, announcements });
}

/** The indexed resolver and the direct one, for the same board of the same plan. */
function resolverPair(doc: unknown, boardId: string): [BoardResolver, BoardResolver] {
  const plan = compilePlan(validated(doc));
  const board = plan.boards.get(boardId);
  if (!board) throw new Error(`no board ${boardId}`);
  return [new BoardResolver(plan, board), new BoardResolver(plan, board, { indexed: false })];
}

function plain(regime: Regime): { start: number; end: number; winner: string } {
  return { start: regime.startMs, end: regime.endMs, winner: winnerKey(regime.winner) };
}

// Instants around the anchor: anywhere in ±90 days, and just around index window edges.
const probeArb = fc.oneof(
  fc.integer({ min: -90 * DAY_MS, max: 90 * DAY_MS }),
  fc
    .record({ window: fc.integer({ min: -4, max: 4 }), offset: fc.integer({ min: -2, max: 1 }) })
    .map(({ window, offset }) => window * WINDOW_MS + offset),
);

describe('the regime index equals the direct computation', () => {
  it('regimeAt at random instants of random plans', () => {
    fc.assert(
      fc.property(
        planSpecArb,
        fc.constantFrom(...BOARDS),
        fc.array(probeArb, { minLength: 1, maxLength: 12 }),
        (spec, boardId, probes) => {
          const [indexed, direct] = resolverPair(documentOf(spec), boardId);
          const anchorMs = Date.parse(`${spec.anchor}T00:00:00Z`);
          // Window-edge probes are taken near the anchor's own windows.
          const base = Math.floor(anchorMs / WINDOW_MS) * WINDOW_MS;
          for (const probe of probes) {
            const atMs = Math.abs(probe) < 5 * WINDOW_MS ? base + probe : anchorMs + probe;
            expect(plain(indexed.regimeAt(atMs))).toEqual(plain(direct.regimeAt(atMs)));
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('timelines over spans that cross index windows', () => {
    fc.assert(
      fc.property(
        planSpecArb,
        fc.constantFrom(...BOARDS),
        fc.integer({ min: -70 * DAY_MS, max: 40 * DAY_MS }),
        fc.integer({ min: 1, max: 40 * DAY_MS }),
        (spec, boardId, fromOffset, lengthMs) => {
          // Long items keep the segment count of a 40-day span small.
          const doc = documentOf({
            ...spec,
            schedules: spec.schedules.map((s) => ({
              ...s,
              playlist: s.playlist === 'A' ? 'L' : 'M',
            })),
          });
          const [indexed, direct] = resolverPair(doc, boardId);
          const fromMs = Date.parse(`${spec.anchor}T00:00:00Z`) + fromOffset;
          expect(indexed.timeline(fromMs, fromMs + lengthMs)).toEqual(
            direct.timeline(fromMs, fromMs + lengthMs),
          );
        },
      ),
      { seed: SEED + 1, numRuns: 60 },
    );
  });

  it('nextChangeAfter and segmentAt', () => {
    fc.assert(
      fc.property(planSpecArb, fc.constantFrom(...BOARDS), probeArb, (spec, boardId, probe) => {
        const [indexed, direct] = resolverPair(documentOf(spec), boardId);
        const atMs = Date.parse(`${spec.anchor}T00:00:00Z`) + probe;
        expect(indexed.nextChangeAfter(atMs)).toBe(direct.nextChangeAfter(atMs));
        expect(indexed.segmentAt(atMs)).toEqual(direct.segmentAt(atMs));
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  });
});

describe('the regime index, pinned cases', () => {
  it('boards of one plan share an index only when the same schedules target them', () => {
    fc.assert(
      fc.property(
        planSpecArb,
        fc.array(probeArb, { minLength: 1, maxLength: 8 }),
        (spec, probes) => {
          const plan = compilePlan(validated(documentOf(spec)));
          const anchorMs = Date.parse(`${spec.anchor}T00:00:00Z`);
          const boards = [...plan.boards.values()];
          // Two resolvers per board, asked in turns, so shared windows would mix if keyed wrongly.
          const indexed = [...boards, ...boards].map((b) => new BoardResolver(plan, b));
          const direct = boards.map((b) => new BoardResolver(plan, b, { indexed: false }));
          for (const probe of probes) {
            indexed.forEach((resolver, i) => {
              const reference = direct[i % boards.length];
              if (!reference) throw new Error('no direct resolver');
              expect(plain(resolver.regimeAt(anchorMs + probe))).toEqual(
                plain(reference.regimeAt(anchorMs + probe)),
              );
            });
          }
        },
      ),
      { seed: SEED + 3, numRuns: 60 },
    );
  });

  it('a regime longer than many index windows keeps its true start and end', () => {
    const doc = buildPlan({
      timeZone: 'Europe/Berlin',
      phases: [{ id: 'nam-nam', name: 'Năm năm', from: '2026-01-01', to: '2030-12-31' }],
      schedules: [{ id: 's', playlist: 'L', phase: 'nam-nam' }],
    });
    const [indexed] = resolverPair(doc, 'tru-so');
    for (const at of ['2026-01-01T00:00:00Z', '2028-06-01T12:00:00Z', '2030-12-31T22:59:59Z']) {
      const regime = indexed.regimeAt(ms(at));
      expect(new Date(regime.startMs).toISOString()).toBe('2025-12-31T23:00:00.000Z');
      expect(new Date(regime.endMs).toISOString()).toBe('2030-12-31T23:00:00.000Z');
    }
  });

  it('instants on both sides of a window edge inside one regime', () => {
    const doc = buildPlan({
      schedules: [{ id: 's', playlist: 'A', from: '2026-01-01', to: '2026-12-31' }],
    });
    const [indexed, direct] = resolverPair(doc, 'cua-khau');
    const edge = Math.ceil(ms('2026-06-01T00:00:00Z') / WINDOW_MS) * WINDOW_MS;
    for (const atMs of [edge - 1, edge, edge + 1]) {
      expect(plain(indexed.regimeAt(atMs))).toEqual(plain(direct.regimeAt(atMs)));
    }
  });

  it('idle forever before the first and after the last schedule', () => {
    const doc = buildPlan({
      schedules: [{ id: 's', playlist: 'A', from: '2026-03-28', to: '2026-03-30' }],
    });
    const [indexed] = resolverPair(doc, 'cua-khau');
    expect(indexed.regimeAt(ms('2020-01-01T00:00:00Z'))).toMatchObject({
      winner: { kind: 'idle' },
      startMs: Number.NEGATIVE_INFINITY,
      endMs: ms('2026-03-27T17:00:00Z'),
    });
    expect(indexed.regimeAt(ms('2040-01-01T00:00:00Z'))).toMatchObject({
      winner: { kind: 'idle' },
      startMs: ms('2026-03-30T17:00:00Z'),
      endMs: Number.POSITIVE_INFINITY,
    });
  });

  it('Pacific/Apia skipped 2011-12-30: the window of 12-29 runs to 12-31 12:00 (rule 2)', () => {
    // Apia moved from UTC-10 to UTC+14 after 2011-12-29 23:59:59 local; "compatible" maps the
    // missing 12-30 12:00 to 12-31 12:00 (+14) = 2011-12-30T22:00Z.
    const doc = buildPlan({
      timeZone: 'Pacific/Apia',
      schedules: [
        {
          id: 's',
          playlist: 'A',
          from: '2011-12-20',
          to: '2012-01-05',
          hours: [{ from: '20:00', to: '12:00' }],
        },
        {
          id: 't',
          playlist: 'B',
          from: '2011-12-28',
          to: '2011-12-29',
          hours: [{ from: '23:00', to: '23:30' }],
          priority: 1,
        },
      ],
    });
    const [indexed, direct] = resolverPair(doc, 'cua-khau');
    const regime = indexed.regimeAt(ms('2011-12-30T12:00:00Z'));
    expect(winnerKey(regime.winner)).toBe('s:s');
    expect(regime.endMs).toBe(ms('2011-12-30T22:00:00Z'));
    expect(winnerKey(direct.winnerAt(ms('2011-12-30T12:00:00Z')))).toBe('s:s');
    for (
      let atMs = ms('2011-12-27T00:00:00Z');
      atMs < ms('2012-01-03T00:00:00Z');
      atMs += 600_000
    ) {
      expect(plain(indexed.regimeAt(atMs))).toEqual(plain(direct.regimeAt(atMs)));
    }
  });

  it('a fractional instant is refused as the direct path refuses it', () => {
    const plan = compiled(
      buildPlan({ schedules: [{ id: 's', playlist: 'A', from: '2026-03-28' }] }),
    );
    const board = plan.boards.get('cua-khau');
    if (!board) throw new Error('no board');
    const direct = new BoardResolver(plan, board, { indexed: false });
    expect(() => direct.regimeAt(1.5)).toThrow(RangeError);
    expect(() => new BoardResolver(plan, board).regimeAt(1.5)).toThrow(RangeError);
  });
});

describe('isoInstant (the fast ISO writer of timeline segments)', () => {
  it('writes what Date#toISOString writes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -8.64e15, max: 8.64e15 }),
          fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
        ),
        (atMs) => {
          expect(isoInstant(atMs)).toBe(new Date(atMs).toISOString());
        },
      ),
      { seed: SEED + 4, numRuns: 2000 },
    );
  });

  it.each([
    -62_167_219_200_001, -62_167_219_200_000, -1, 0, 1, 951_782_400_000, 253_402_300_799_999,
    253_402_300_800_000, 8.64e15, -8.64e15,
  ])('at %d', (atMs) => {
    expect(isoInstant(atMs)).toBe(new Date(atMs).toISOString());
  });
});

describe('toIsoSegment', () => {
  it('writes the same JSON, key for key, as field-by-field copying does', () => {
    const optional = fc.option(fc.constantFrom('a', 'b-1'), { nil: undefined });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4e12 }),
        fc.integer({ min: 1, max: 1e9 }),
        fc.constantFrom('item', 'announcement', 'idle'),
        optional,
        optional,
        optional,
        optional,
        (startMs, lengthMs, kind, content, playlist, schedule, announcement) => {
          const segment: SegmentMs = {
            startMs,
            endMs: startMs + lengthMs,
            kind,
            ...(content === undefined ? {} : { content }),
            ...(playlist === undefined ? {} : { playlist }),
            ...(schedule === undefined ? {} : { schedule }),
            ...(announcement === undefined ? {} : { announcement }),
          };
          const reference: Record<string, string> = {
            start: new Date(segment.startMs).toISOString(),
            end: new Date(segment.endMs).toISOString(),
            kind,
          };
          if (content !== undefined) reference.content = content;
          if (playlist !== undefined) reference.playlist = playlist;
          if (schedule !== undefined) reference.schedule = schedule;
          if (announcement !== undefined) reference.announcement = announcement;
          expect(JSON.stringify(toIsoSegment(segment))).toBe(JSON.stringify(reference));
        },
      ),
      { seed: SEED + 5, numRuns: 500 },
    );
  });
});
