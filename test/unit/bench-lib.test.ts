// The pure helpers of `npm run bench` (bench/lib, bench/fleet/common.ts): figures, the
// results file's shape, and the plans and messages the simulated boards use. The benchmarks
// themselves are not tests: they print figures (npm run bench).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Backoff,
  bundleOfFrame,
  heartbeatOf,
  showing,
  validatePlans,
} from '../../bench/fleet/common.js';
import { heapClasses, heapGrowth } from '../../bench/lib/heap.js';
import { CAMPAIGN_SPAN, campaignPlan, fleetBoardId, fleetPlans } from '../../bench/lib/plans.js';
import { seededRandom } from '../../bench/lib/random.js';
import { formatTable, metric, ResultsSchema } from '../../bench/lib/results.js';
import { quantile, summarize, timeUntilFraction } from '../../bench/lib/stats.js';
import { acceptableAround, judgeContent } from '../../controller/monitoring/health.js';
import { compilePlan, HeartbeatSchema, resolverFor } from '../../playlists/index.js';

describe('figures', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);

  it('quantiles by nearest rank', () => {
    expect(quantile(hundred, 0.5)).toBe(50);
    expect(quantile(hundred, 0.99)).toBe(99);
    expect(quantile(hundred, 1)).toBe(100);
    expect(quantile(hundred, 0)).toBe(1);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
    expect(() => quantile(hundred, 1.5)).toThrow(RangeError);
  });

  it('summaries', () => {
    expect(summarize([3, 1, 2])).toEqual({ n: 3, min: 1, p50: 2, p99: 3, max: 3, mean: 2 });
    expect(summarize([]).mean).toBeNaN();
  });

  it('time until a fraction of all was done counts the never-done as not done', () => {
    expect(timeUntilFraction([5, 1, 3, 2, 4], 5, 0.99)).toBe(5);
    expect(timeUntilFraction([5, 1, 3, 2, 4], 5, 0.6)).toBe(3);
    expect(timeUntilFraction([1, 2, 3], 100, 0.99)).toBe(Number.POSITIVE_INFINITY);
    expect(timeUntilFraction(hundred, 100, 0.99)).toBe(99);
  });
});

describe('metrics and bench/results.json', () => {
  it('computes ratio and pass from the target', () => {
    const m = metric({
      id: 'M1.last.p99.5000',
      name: 'x',
      value: 300,
      baseline: 200,
      unit: 'ms',
      n: 7,
      target: { ratioAtMost: 1.5, atMost: 250 },
    });
    expect(m).toMatchObject({ ratio: 1.5, pass: false, target: '≤ 1.5× baseline and ≤ 250 ms' });
    expect(
      metric({ id: 'M4.a', name: 'x', value: 20, unit: 'µs', n: 1, target: { atMost: 50 } }),
    ).toMatchObject({ baseline: null, ratio: null, pass: true });
    expect(
      metric({ id: 'M7.a', name: 'x', value: 100, unit: '%', n: 1, target: { atLeast: 100 } }),
    ).toMatchObject({ pass: true });
    expect(metric({ id: 'M2.a', name: 'x', value: 1, unit: 'KiB', n: 1 })).toMatchObject({
      target: null,
      pass: null,
    });
  });

  it('a figure that could not be measured is null and misses its target', () => {
    const m = metric({
      id: 'M3.ready99.5000',
      name: 'x',
      value: Number.POSITIVE_INFINITY,
      baseline: Number.NaN,
      unit: 's',
      n: 1,
      target: { atMost: 10 },
    });
    expect(m).toMatchObject({ value: null, baseline: null, ratio: null, pass: false });
  });

  it('rounds to four significant digits', () => {
    expect(metric({ id: 'M5.a', name: 'x', value: 3.14159265, unit: 'ms', n: 1 }).value).toBe(
      3.142,
    );
    expect(metric({ id: 'M5.a', name: 'x', value: 123_456.7, unit: 'ms', n: 1 }).value).toBe(
      123_457,
    );
  });

  it('the results file has machine and metrics; a table shows misses', () => {
    const metrics = [
      metric({ id: 'M5.p50.1mb', name: 'write', value: 5, baseline: 4, unit: 'ms', n: 9 }),
      metric({
        id: 'M6.swap.a',
        name: 'swap',
        value: 2,
        unit: 'frames',
        n: 3,
        target: { atMost: 1 },
      }),
    ];
    const results = ResultsSchema.parse({
      machine: {
        cpus: 2,
        cpuModel: 'x',
        memoryMb: 1024,
        node: 'v20.20.2',
        platform: 'linux',
        openFilesLimit: 20_000,
        loadAverageAtStart: 1,
        loadAverageAtEnd: 2,
        startedAt: '2026-01-01T00:00:00.000Z',
        durationSec: 3,
        quick: false,
        commit: 'abc1234',
      },
      metrics,
    });
    expect(results.metrics).toHaveLength(2);
    expect(() =>
      ResultsSchema.parse({ machine: results.machine, metrics: [{ id: 'x' }] }),
    ).toThrow();
    const table = formatTable(metrics);
    expect(table.split('\n')[0]).toMatch(/^\| id +\| metric/);
    expect(table).toContain('**MISS**');
    expect(table).toContain('1.25×');
  });
});

describe('what the simulated boards send and hold', () => {
  it('heartbeats a player would send, reporting what the monitor judges right', () => {
    const [plan] = validatePlans(fleetPlans(3, 1));
    if (!plan) throw new Error('no plan');
    // Each tag of the fleet's plans, in and out of the evening window.
    for (const boardId of [fleetBoardId(0), fleetBoardId(1)]) {
      const resolver = resolverFor(compilePlan(plan), boardId);
      for (const at of ['2026-11-26T05:00:00Z', '2026-11-26T12:30:00Z', '2026-06-01T03:00:00Z']) {
        const atMs = Date.parse(at);
        const shown = showing(resolver, atMs);
        expect(shown.startedAtMs).toBeLessThanOrEqual(atMs);
        expect(judgeContent(shown, acceptableAround(resolver, atMs, 5_000, false))).toBe('right');
        expect(HeartbeatSchema.safeParse(heartbeatOf(3, 12_345, shown)).success).toBe(true);
      }
    }
    // Idle since before the plan's first phase: the segment's start is -Infinity; sent as
    // the player sends it (now), which the schema takes.
    const before = resolverFor(compilePlan(plan), fleetBoardId(0));
    const early = showing(before, Date.parse('2020-01-01T00:00:00Z'));
    expect(early).toEqual({
      id: '',
      kind: 'idle',
      startedAtMs: Date.parse('2020-01-01T00:00:00Z'),
    });
    expect(HeartbeatSchema.safeParse(heartbeatOf(3, 0, early)).success).toBe(true);
    const idle = showing(undefined, 1_000);
    expect(idle).toEqual({ id: '', kind: 'idle', startedAtMs: 1_000 });
    expect(HeartbeatSchema.safeParse(heartbeatOf(null, 0, idle)).success).toBe(true);
  });

  it("the player's backoff: 1 s ±50%, doubling, at most 30 s", () => {
    const backoff = new Backoff(1000, 30_000, 0.5);
    const bounds = [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000];
    for (const nominal of bounds) {
      const d = backoff.durationMs();
      expect(d).toBeGreaterThanOrEqual(Math.min(nominal * 0.5, 30_000));
      expect(d).toBeLessThanOrEqual(Math.min(nominal * 1.5, 30_000));
    }
    backoff.reset();
    expect(backoff.durationMs()).toBeLessThanOrEqual(1500);
  });

  it('a frame written as socket.io writes bundle:update gives the bundle back', () => {
    const frame = `42/player,${JSON.stringify(['bundle:update', { hash: 'h', version: 4 }])}`;
    expect(bundleOfFrame(frame)).toEqual({ hash: 'h', version: 4 });
  });

  it('fleet plans: one valid plan per thousand boards, each board once', () => {
    const plans = validatePlans(fleetPlans(2_500, [1, 2, 3]));
    expect(plans.map((p) => p.boards.length)).toEqual([1000, 1000, 500]);
    const ids = plans.flatMap((p) => p.boards.map((b) => b.id));
    expect(new Set(ids).size).toBe(2_500);
    expect(plans[2]?.announcements[0]?.text).toContain('SỐ 3');
  });

  it('the campaign plan of the resolver benchmark is valid and the same for a seed', () => {
    const doc = campaignPlan({ schedules: 1000, announcements: 200, seed: 7 });
    const [plan] = validatePlans([doc]);
    expect(plan?.schedules).toHaveLength(1000);
    expect(campaignPlan({ schedules: 1000, announcements: 200, seed: 7 })).toEqual(doc);
    expect(CAMPAIGN_SPAN.toMs).toBeGreaterThan(CAMPAIGN_SPAN.fromMs);
  });

  it('seeded randomness repeats', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('heap snapshots (bench/heap-diff.ts)', () => {
  /** A snapshot in V8's layout: nodes are [type, name, id, self_size, edge_count] each. */
  const snapshot = (nodes: [type: number, name: number, size: number][]) => ({
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
        node_types: [['hidden', 'array', 'string', 'object', 'closure', 'sliced string'], 'string'],
      },
    },
    nodes: nodes.flatMap(([type, name, size], id) => [type, name, id, size, 0]),
    strings: ['Socket', 'onData', 'hello', ''],
  });

  it('groups objects by kind: constructors and functions by name, strings as one', () => {
    const classes = heapClasses(
      snapshot([
        [3, 0, 100],
        [3, 0, 60],
        [4, 1, 32],
        [2, 2, 20],
        [5, 2, 24],
        [1, 3, 16],
      ]),
    );
    expect(Object.fromEntries(classes)).toEqual({
      'object:Socket': { count: 2, bytes: 160 },
      'closure:onData': { count: 1, bytes: 32 },
      string: { count: 2, bytes: 44 },
      'array:': { count: 1, bytes: 16 },
    });
  });

  it('the growth per unit, largest first, with kinds that went away', () => {
    const before = heapClasses(
      snapshot([
        [3, 0, 100],
        [4, 1, 32],
      ]),
    );
    const after = heapClasses(
      snapshot([
        [3, 0, 100],
        [3, 0, 100],
        [3, 0, 100],
        [2, 2, 40],
      ]),
    );
    expect(heapGrowth(before, after, 2)).toEqual([
      { kind: 'object:Socket', count: 1, bytes: 100 },
      { kind: 'string', count: 0.5, bytes: 20 },
      { kind: 'closure:onData', count: -0.5, bytes: -16 },
    ]);
    expect(() => heapGrowth(before, after, 0)).toThrow(RangeError);
    expect(() => heapClasses({ nodes: [] })).toThrow();
  });

  it("reads V8's own snapshots: 500 objects made between two are 1 per unit", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bangtin-heap-'));
    try {
      const script = `
        const v8 = require('node:v8');
        class HeapDiffProbe { constructor(i) { this.i = i; } }
        const kept = [];
        v8.writeHeapSnapshot(${JSON.stringify(path.join(dir, 'a.heapsnapshot'))});
        for (let i = 0; i < 500; i++) kept.push(new HeapDiffProbe(i));
        v8.writeHeapSnapshot(${JSON.stringify(path.join(dir, 'b.heapsnapshot'))});
        globalThis.kept = kept;`;
      execFileSync(process.execPath, ['-e', script]);
      const read = (f: string) =>
        heapClasses(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown);
      const growth = heapGrowth(read('a.heapsnapshot'), read('b.heapsnapshot'), 500);
      const probe = growth.find((r) => r.kind === 'object:HeapDiffProbe');
      expect(probe?.count).toBe(1);
      expect(probe?.bytes).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
