/**
 * The waits before asking the controller again for a bundle this board refused (its signature
 * did not verify) or could not install: `firstMs`, doubling, at most `maxMs`, each ±20 % so
 * that boards that all refused one bad bundle do not ask again in step.
 */
export class RetryDelays {
  private attempt = 0;

  constructor(
    private readonly firstMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next attempt; each call is one more attempt. */
  next(): number {
    const base = Math.min(this.maxMs, this.firstMs * 2 ** this.attempt);
    if (base < this.maxMs) this.attempt += 1;
    return Math.round(base * (0.8 + 0.4 * this.random()));
  }

  /** A bundle was installed: the next failure starts from `firstMs` again. */
  reset(): void {
    this.attempt = 0;
  }
}

/** A refused bundle is asked for again after 5 s, then 10 s, … at most every 5 minutes. */
export const REFETCH_FIRST_MS = 5_000;
export const REFETCH_MAX_MS = 5 * 60_000;
