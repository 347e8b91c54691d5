// How long a board waits before asking again for a bundle it refused: growing, capped, spread
// so that boards do not ask in step, and back to the start once a bundle is installed.
import { describe, expect, it } from 'vitest';
import { REFETCH_FIRST_MS, REFETCH_MAX_MS, RetryDelays } from '../../player/app/retry.js';

describe('RetryDelays', () => {
  it('doubles from the first wait up to the cap, and stays there', () => {
    const delays = new RetryDelays(1_000, 8_000, () => 0.5);
    expect(Array.from({ length: 6 }, () => delays.next())).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
  });

  it('spreads each wait by ±20 %', () => {
    const low = new RetryDelays(10_000, 60_000, () => 0);
    const high = new RetryDelays(10_000, 60_000, () => 0.999_999);
    expect(low.next()).toBe(8_000);
    expect(high.next()).toBe(12_000);
    expect(low.next()).toBe(16_000);
  });

  it('starts again from the first wait after a reset', () => {
    const delays = new RetryDelays(1_000, 8_000, () => 0.5);
    delays.next();
    delays.next();
    delays.reset();
    expect(delays.next()).toBe(1_000);
  });

  it("the player's waits: 5 s first, never more than 5 minutes (+20 %), even after many refusals", () => {
    const delays = new RetryDelays(REFETCH_FIRST_MS, REFETCH_MAX_MS, () => 0.5);
    expect(delays.next()).toBe(5_000);
    let last = 0;
    for (let i = 0; i < 2_000; i += 1) last = delays.next();
    expect(last).toBe(300_000);
    const spread = new RetryDelays(REFETCH_FIRST_MS, REFETCH_MAX_MS, () => 0.999_999);
    for (let i = 0; i < 50; i += 1) expect(spread.next()).toBeLessThanOrEqual(360_000);
  });
});
