// The monitor judges each heartbeat's report (controller/monitoring/health.ts). judgeReport
// answers from the segment playing now when the board shows it, and must always give the
// verdict of the full comparison with everything acceptable around now.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptableAround, judgeContent, judgeReport } from '../../controller/monitoring/health.js';
import { buildPlan, ms, resolverOf } from '../helpers/plan-builder.js';

const plan = buildPlan({
  schedules: [
    { id: 'chinh', playlist: 'A', phase: 'dot-1' },
    {
      id: 'sang',
      playlist: 'B',
      phase: 'dot-1',
      hours: [{ from: '06:00', to: '06:01' }],
      priority: 1,
      boards: { tags: ['led'] },
    },
  ],
  announcements: [
    {
      id: 'khan',
      text: 'THÔNG BÁO KHẨN',
      from: '2026-03-29T06:00:30+07:00',
      to: '2026-03-29T06:00:50+07:00',
    },
  ],
});

describe('judgeReport', () => {
  it('gives the verdict of the full comparison, for any report at any instant', () => {
    const boards = ['cua-khau', 'tru-so'] as const;
    const resolvers = new Map(boards.map((id) => [id, resolverOf(plan, id)]));
    // Around the morning window and the announcement, where segments change every few seconds.
    const fromMs = ms('2026-03-29T05:59:00+07:00');
    fc.assert(
      fc.property(
        fc.constantFrom<(typeof boards)[number] | 'none'>(...boards, 'none'),
        fc.integer({ min: 0, max: 3 * 60_000 }),
        fc.record({
          kind: fc.constantFrom('item', 'announcement', 'idle', 'blank'),
          id: fc.constantFrom('c1', 'c2', 'c3', 'khan', ''),
        }),
        fc.constantFrom(0, 1_000, 5_000),
        fc.boolean(),
        (board, offsetMs, showing, graceMs, blankAll) => {
          const resolver = board === 'none' ? undefined : resolvers.get(board);
          const atMs = fromMs + offsetMs;
          expect(judgeReport(showing, resolver, atMs, graceMs, blankAll)).toBe(
            judgeContent(showing, acceptableAround(resolver, atMs, graceMs, blankAll)),
          );
        },
      ),
      { seed: 20_261_126, numRuns: 2_000 },
    );
  });
});
