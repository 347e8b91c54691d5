/** One round trip of the NTP-style exchange, in client (t0, t3) and server (t1, t2) times. */
export interface SyncSample {
  t0: number;
  t1: number;
  t2: number;
  t3: number;
}

/** The clock offset (server minus client) and the round trip of one sample. */
export function offsetOf(sample: SyncSample): { offsetMs: number; rttMs: number } {
  return {
    offsetMs: (sample.t1 - sample.t0 + (sample.t2 - sample.t3)) / 2,
    rttMs: sample.t3 - sample.t0 - (sample.t2 - sample.t1),
  };
}

/** The best estimate from several samples: the one with the shortest round trip. */
export function bestOffset(samples: readonly SyncSample[]): number | undefined {
  let best: { offsetMs: number; rttMs: number } | undefined;
  for (const sample of samples) {
    const candidate = offsetOf(sample);
    if (!best || candidate.rttMs < best.rttMs) best = candidate;
  }
  return best === undefined ? undefined : Math.round(best.offsetMs);
}

/** The player's clock: the machine's, corrected by the offset measured against the controller. */
export class CorrectedClock {
  constructor(private offset = 0) {}

  get offsetMs(): number {
    return this.offset;
  }

  set offsetMs(value: number) {
    this.offset = value;
  }

  now(): number {
    return Date.now() + this.offset;
  }
}
