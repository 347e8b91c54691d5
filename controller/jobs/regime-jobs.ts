import schedule from 'node-schedule';
import { winnerKey } from '../../playlists/index.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { ReleaseService } from '../releases/service.js';
import type { StoreLogger } from '../store/index.js';

/** Runs a function at an absolute instant. */
export interface JobScheduler {
  schedule(at: Date, run: () => void): { cancel(): void };
}

/**
 * node-schedule at an absolute Date: independent of the server's TZ, and its long-timeout
 * timers are correct beyond Node's 24.8-day setTimeout limit. `at` is an instant of the
 * controller's clock, which may be simulated (a demo set in 2021): the job runs when that
 * clock reaches it, so it is moved onto the machine's clock first.
 */
export function clockScheduler(clock: Clock): JobScheduler {
  return {
    schedule(at, run) {
      const machineAt = new Date(Date.now() + (at.getTime() - clock.now()));
      // Typed as always a Job, but null when the date has already passed.
      const job = schedule.scheduleJob(machineAt, run) as schedule.Job | null;
      return { cancel: () => job?.cancel() };
    },
  };
}

/** Jobs by the machine's own clock. */
export const nodeScheduler: JobScheduler = clockScheduler({ now: () => Date.now() });

// After a long stall (suspended VM, clock jump) at most this many past changes are replayed.
const MAX_CATCH_UP = 1000;

/**
 * Keeps one job armed at the next regime change of any board of the latest release
 * (phase edges, hours window edges, announcement start and end) and emits a
 * `regime:changed` event for every board whose regime changes then.
 */
export class RegimeJobs {
  private job: { cancel(): void } | undefined;
  private armedAtMs: number | undefined;
  /** The latest instant whose changes were emitted: none is emitted twice. */
  private handledMs = Number.NEGATIVE_INFINITY;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly deps: {
      releases: ReleaseService;
      events: EventBus;
      clock: Clock;
      scheduler: JobScheduler;
      logger: StoreLogger;
    },
  ) {
    // Re-armed for the new release once its bundles are out (the push comes first); a change
    // that passes meanwhile is replayed (arrange).
    this.unsubscribe = deps.events.on('release:delivered', (event) => {
      this.arrange(Math.max(event.publishedAtMs, this.handledMs));
    });
  }

  /** The instant the armed job will fire, if any. */
  get nextAtMs(): number | undefined {
    return this.armedAtMs;
  }

  /** The earliest regime change of any board strictly after `afterMs`. */
  nextChangeAfter(afterMs: number): number {
    let next = Number.POSITIVE_INFINITY;
    // Boards whose regimes are the same change at the same instants: one of each is asked.
    for (const boardId of this.deps.releases.regimeRepresentatives()) {
      const change = this.deps.releases.resolver(boardId)?.nextChangeAfter(afterMs);
      if (change !== undefined && change < next) next = change;
    }
    return next;
  }

  /** (Re-)arms the job from now; called at start-up and after every publish. */
  arm(): void {
    this.arrange(this.deps.clock.now());
  }

  private arrange(afterMs: number): void {
    this.job?.cancel();
    this.job = undefined;
    this.armedAtMs = undefined;
    if (this.stopped) return;
    let from = afterMs;
    for (let i = 0; i < MAX_CATCH_UP; i += 1) {
      const next = this.nextChangeAfter(from);
      if (!Number.isFinite(next)) return;
      if (next > this.deps.clock.now()) {
        this.armedAtMs = next;
        this.job = this.deps.scheduler.schedule(new Date(next), () => {
          this.fire(next);
        });
        return;
      }
      this.emitChanges(next);
      from = next;
    }
    this.deps.logger.warn({ from }, 'too many regime changes to replay; skipping ahead');
    this.arrange(this.deps.clock.now());
  }

  private fire(atMs: number): void {
    this.emitChanges(atMs);
    this.arrange(atMs);
  }

  private emitChanges(atMs: number): void {
    this.handledMs = Math.max(this.handledMs, atMs);
    const release = this.deps.releases.current();
    if (!release) return;
    for (const [boardId, planId] of release.boardPlan) {
      const regime = this.deps.releases.resolver(boardId)?.regimeAt(atMs);
      if (!regime || regime.startMs !== atMs) continue;
      this.deps.events.emit({
        type: 'regime:changed',
        atMs,
        boardId,
        planId,
        releaseVersion: release.meta.version,
        winner: winnerKey(regime.winner),
      });
    }
  }

  stop(): void {
    this.stopped = true;
    this.job?.cancel();
    this.job = undefined;
    this.unsubscribe();
  }
}
