/** The source of "now" for everything in the controller, so tests can move time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * How far this clock is set from the machine's (now() − Date.now()): absent or 0 but for a
   * simulated clock. A board's clock is judged against the machine's, not a demonstration's.
   */
  readonly shiftMs?: number;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that starts at `startMs` and runs at real speed: for demonstrating a plan whose
 * phases lie in the past or future (BANGTIN_CLOCK), and for end-to-end tests.
 */
export function simulatedClock(startMs: number, real: Clock = systemClock): Clock {
  const offsetMs = startMs - real.now();
  return { now: () => real.now() + offsetMs, shiftMs: offsetMs + (real.shiftMs ?? 0) };
}
