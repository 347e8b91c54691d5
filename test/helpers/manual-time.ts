import type { Clock } from '../../controller/clock.js';
import type { Timers } from '../../controller/telemetry/timers.js';

interface Armed {
  atMs: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

/**
 * A clock and timers that move only when the test says so: `advance` steps time forward and
 * runs every timer that falls due, in order, each at its own instant.
 */
export class ManualTime implements Clock, Timers {
  private nowMs: number;
  private seq = 0;
  private armed: Armed[] = [];

  constructor(start: number | string) {
    this.nowMs = typeof start === 'string' ? Date.parse(start) : start;
  }

  now(): number {
    return this.nowMs;
  }

  after(delayMs: number, run: () => void): { cancel(): void } {
    const timer: Armed = {
      atMs: this.nowMs + Math.max(0, delayMs),
      seq: (this.seq += 1),
      run,
      cancelled: false,
    };
    this.armed.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Moves time forward by `ms`, firing due timers (and the timers they arm) in order. */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      this.armed = this.armed.filter((t) => !t.cancelled);
      const next = this.armed
        .filter((t) => t.atMs <= target)
        .sort((a, b) => a.atMs - b.atMs || a.seq - b.seq)[0];
      if (!next) break;
      this.nowMs = Math.max(this.nowMs, next.atMs);
      next.cancelled = true;
      next.run();
    }
    this.nowMs = target;
  }

  /**
   * Controller options that run it on this time. The boards and dashboards of such a test send
   * nothing while it steps minutes or days, so in stepped time they are silent; their
   * connections are kept open anyway (the silent-connection checks are tested on their own).
   */
  controllerOptions(): {
    clock: Clock;
    timers: Timers;
    silentCloseMs: { players: number; dashboards: number };
  } {
    const year = 366 * 86_400_000;
    return { clock: this, timers: this, silentCloseMs: { players: year, dashboards: year } };
  }

  /** Timers still waiting. */
  get waiting(): number {
    return this.armed.filter((t) => !t.cancelled).length;
  }
}

/** Timers that never fire (a store whose periodic work the test triggers itself). */
export const idleTimers: Timers = { after: () => ({ cancel: () => undefined }) };
