// Sanity checks on large inputs: exact counts and regime bounds, no timing assertions. A case
// that could loop forever runs in a child process, so that a hang fails the test instead of
// freezing the runner.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildPlan, ms, resolverOf, type PlanParts } from '../helpers/plan-builder.js';
import { repoRoot } from '../helpers/paths.js';

/** How long a child process may take before it counts as hung. */
const HANG_MS = 90_000;

const oneSecond: PlanParts = {
  content: [{ id: 'mot-giay', kind: 'slogan', text: 'MỘT GIÂY', durationSec: 1 }],
  playlists: [{ id: 'G', name: 'Một giây', items: ['mot-giay'] }],
};

describe('large inputs', () => {
  it('a day of 1-second items is exactly 86,400 segments', () => {
    // 2026-03-29 in Asia/Ho_Chi_Minh is [03-28T17:00Z, 03-29T17:00Z).
    const doc = buildPlan({
      ...oneSecond,
      phases: [{ id: 'ngay', name: 'Một ngày', from: '2026-03-29', to: '2026-03-29' }],
      schedules: [{ id: 's', playlist: 'G', phase: 'ngay' }],
    });
    const segments = resolverOf(doc, 'cua-khau').timeline(
      ms('2026-03-28T17:00:00Z'),
      ms('2026-03-29T17:00:00Z'),
    );
    expect(segments).toHaveLength(86_400);
    expect(segments.every((s) => s.endMs - s.startMs === 1000 && s.content === 'mot-giay')).toBe(
      true,
    );
    expect(segments[0]?.startMs).toBe(ms('2026-03-28T17:00:00Z'));
    expect(segments.at(-1)?.startMs).toBe(ms('2026-03-29T16:59:59Z'));
  });

  it('the 23-hour Berlin day of 1-second items is exactly 82,800 segments', () => {
    // 2026-03-29 in Europe/Berlin is [03-28T23:00Z, 03-29T22:00Z).
    const doc = buildPlan({
      ...oneSecond,
      timeZone: 'Europe/Berlin',
      phases: [{ id: 'ngay', name: 'Một ngày', from: '2026-03-29', to: '2026-03-29' }],
      schedules: [{ id: 's', playlist: 'G', phase: 'ngay' }],
    });
    const segments = resolverOf(doc, 'cua-khau').timeline(
      ms('2026-03-28T23:00:00Z'),
      ms('2026-03-29T22:00:00Z'),
    );
    expect(segments).toHaveLength(82_800);
  });

  describe.each([
    { name: 'a daily 00:00-24:00 window', hours: [{ from: '00:00', to: '24:00' }] },
    { name: 'no hours', hours: undefined },
  ])('a 5-year phase in Europe/Berlin with $name', ({ hours }) => {
    // 2026-01-01 00:00 CET = 2025-12-31T23:00Z; 2031-01-01 00:00 CET = 2030-12-31T23:00Z.
    const doc = buildPlan({
      timeZone: 'Europe/Berlin',
      phases: [{ id: 'nam-nam', name: 'Năm năm', from: '2026-01-01', to: '2030-12-31' }],
      schedules: [{ id: 's', playlist: 'L', phase: 'nam-nam', ...(hours ? { hours } : {}) }],
    });
    const resolver = resolverOf(doc, 'tru-so');

    it.each([
      '2026-01-01T00:00:00Z',
      '2027-03-28T01:30:00Z',
      '2028-10-29T01:30:00Z',
      '2030-12-31T22:59:59.999Z',
    ])('regimeAt(%s) spans the whole phase', (at) => {
      const regime = resolver.regimeAt(ms(at));
      expect(regime.winner.kind).toBe('schedules');
      expect(new Date(regime.startMs).toISOString()).toBe('2025-12-31T23:00:00.000Z');
      expect(new Date(regime.endMs).toISOString()).toBe('2030-12-31T23:00:00.000Z');
    });

    it('is idle, forever, after the phase', () => {
      const regime = resolver.regimeAt(ms('2031-06-01T00:00:00Z'));
      expect(regime.winner.kind).toBe('idle');
      expect(new Date(regime.startMs).toISOString()).toBe('2030-12-31T23:00:00.000Z');
      expect(regime.endMs).toBe(Number.POSITIVE_INFINITY);
    });
  });

  it('an open-ended schedule with a daily 00:00-24:00 window in Berlin never ends', () => {
    const doc = buildPlan({
      timeZone: 'Europe/Berlin',
      schedules: [
        { id: 's', playlist: 'L', from: '2026-01-01', hours: [{ from: '00:00', to: '24:00' }] },
      ],
    });
    const regime = resolverOf(doc, 'tru-so').regimeAt(ms('2040-07-01T00:00:00Z'));
    expect(new Date(regime.startMs).toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(regime.endMs).toBe(Number.POSITIVE_INFINITY);
  });

  it(
    'an open-ended schedule whose `on` lists all 366 month-days never ends (and returns)',
    () => {
      // Every local date passes this filter, so it is the same as no filter: one regime from
      // 2026-03-29 00:00 (+07) = 2026-03-28T17:00Z, never ending.
      const monthLengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
      const on = monthLengths.flatMap((days, m) =>
        Array.from(
          { length: days },
          (_, d) => `${String(m + 1).padStart(2, '0')}-${String(d + 1).padStart(2, '0')}`,
        ),
      );
      expect(on).toHaveLength(366);
      const doc = buildPlan({ schedules: [{ id: 's', playlist: 'L', from: '2026-03-29', on }] });
      const script = `
      import { compilePlan, resolverFor, validatePlan } from './playlists/index.js';
      const result = validatePlan(${JSON.stringify(doc)});
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      const regime = resolverFor(compilePlan(result.plan), 'cua-khau').regimeAt(
        Date.parse('2026-04-01T00:00:00Z'),
      );
      console.log(JSON.stringify({ start: regime.startMs, end: String(regime.endMs) }));
    `;
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        // A guard against a loop that never ends, not a speed check: the child (tsx included)
        // takes about a second on a quiet machine and stays far from this on a loaded one.
        { cwd: repoRoot, encoding: 'utf8', timeout: HANG_MS, killSignal: 'SIGKILL' },
      );
      expect(child.signal, `regimeAt did not return within ${String(HANG_MS / 1000)} s`).toBeNull();
      expect(child.stderr).toBe('');
      expect(JSON.parse(child.stdout)).toEqual({
        start: ms('2026-03-28T17:00:00Z'),
        end: 'Infinity',
      });
    },
    HANG_MS + 30_000,
  );
});
