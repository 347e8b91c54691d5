// The demonstration clock (BANGTIN_CLOCK) and how a board's clock is judged under it: every
// player corrects its clock to the controller's, so a board whose own clock is right reports
// the demonstration's shift as its correction, and must not be called skewed for it.
import { describe, expect, it } from 'vitest';
import { simulatedClock, type Clock } from '../../controller/clock.js';
import { boardClockSkewMs } from '../../controller/monitoring/monitor.js';

const machine = (ms: number): Clock => ({ now: () => ms });

describe('a simulated clock', () => {
  it('runs from its start at the speed of the clock under it, and says how far it is set', () => {
    let realMs = Date.parse('2026-11-27T07:00:00Z');
    const real: Clock = { now: () => realMs };
    const start = Date.parse('2021-01-25T01:00:00Z');
    const clock = simulatedClock(start, real);
    expect(clock.now()).toBe(start);
    realMs += 90_000;
    expect(clock.now()).toBe(start + 90_000);
    expect(clock.shiftMs).toBe(clock.now() - realMs);
    // One simulated over another: still its distance from the machine's clock.
    const again = simulatedClock(start - 1_000, clock);
    realMs += 5_000;
    expect(again.now()).toBe(start + 4_000);
    expect(again.shiftMs).toBe(again.now() - realMs);
  });
});

describe("a board's clock skew", () => {
  it('is its correction under the machine clock, and its correction less the shift under a demonstration', () => {
    expect(boardClockSkewMs(null, machine(0))).toBeNull();
    expect(boardClockSkewMs(-61_000, machine(0))).toBe(-61_000);
    const realMs = Date.parse('2026-11-27T07:00:00Z');
    const demo = simulatedClock(Date.parse('2021-01-25T01:00:00Z'), machine(realMs));
    const shift = demo.shiftMs ?? 0;
    // A board whose clock is right corrects by exactly the shift: no skew.
    expect(boardClockSkewMs(shift, demo)).toBe(0);
    // One whose clock is two minutes fast corrects by two minutes more (server − board).
    expect(boardClockSkewMs(shift - 120_000, demo)).toBe(-120_000);
  });
});
