// A timeline is built only as far as its caller will take it: a plan of 1 ms items makes 86
// million segments a day, and a viewer's request must not make the controller build them.
import { describe, expect, it } from 'vitest';
import { timeline, TimelineTooLarge } from '../../playlists/index.js';
import { buildPlan, compiled, fastPlan, ms } from '../helpers/plan-builder.js';

const fast = fastPlan('cua-khau');
const plan = compiled(fast);
const start = ms('2026-03-28T10:00:00+07:00');

describe('timeline with a limit', () => {
  it('returns every segment when the span holds exactly the limit', () => {
    const segments = timeline(plan, 'cua-khau', start, start + 1000, 1000);
    expect(segments).toHaveLength(1000);
    expect(segments?.[999]).toMatchObject({ content: 'nhanh-2' });
  });

  it('stops at the first segment past the limit', () => {
    expect(() => timeline(plan, 'cua-khau', start, start + 1001, 1000)).toThrow(TimelineTooLarge);
  });

  it('refuses a day of 1 ms items at once, whatever the span beyond', () => {
    const dayMs = 86_400_000;
    let thrown: unknown;
    try {
      timeline(plan, 'cua-khau', start, start + 365 * dayMs, 200_000);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TimelineTooLarge);
    expect((thrown as TimelineTooLarge).maxSegments).toBe(200_000);
  });

  it('counts idle and announcement segments too', () => {
    const sparse = compiled(buildPlan());
    // No schedule: a single idle segment, within a limit of 1.
    expect(timeline(sparse, 'cua-khau', start, start + 60_000, 1)).toHaveLength(1);
  });
});
