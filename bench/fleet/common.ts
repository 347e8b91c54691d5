import { createHash } from 'node:crypto';
import { eventFrame } from '../../controller/players/hub.js';
import {
  canonicalJson,
  validatePlan,
  type Bundle,
  type PlanDocument,
  type PlanDocumentInput,
} from '../../playlists/index.js';
import { fleetBoardId } from '../lib/plans.js';

/** The device token of fleet board `i`: fixed, so a restarted controller and the boards agree. */
export function fleetToken(i: number): string {
  return `pt_${createHash('sha256').update(`bench-board-${i}`).digest('base64url')}`;
}

export { fleetBoardId };

/**
 * The bytes the controller writes for a `bundle:update` on /player (an engine.io message,
 * `4`, holding the socket.io frame): what the raw baseline sends too.
 */
export function bundleFrame(bundle: Bundle): string {
  return `4${eventFrame('/player', 'bundle:update', canonicalJson(bundle))}`;
}

/** The bundle inside a frame written by bundleFrame. */
export function bundleOfFrame(frame: string): { hash: string; version: number } {
  const [, bundle] = JSON.parse(frame.slice(frame.indexOf('['))) as [string, Bundle];
  return bundle;
}

/** Validated plans, or a thrown list of problems. */
export function validatePlans(docs: readonly PlanDocumentInput[]): PlanDocument[] {
  return docs.map((doc) => {
    const result = validatePlan(doc);
    if (!result.ok) throw new Error(`bench plan invalid: ${JSON.stringify(result.problems)}`);
    return result.plan;
  });
}

/** Player-side backoff exactly as socket.io-client computes it (its Backoff, factor 2). */
export class Backoff {
  private attempts = 0;
  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly jitter: number,
  ) {}

  durationMs(): number {
    let ms = this.minMs * 2 ** this.attempts++;
    const rand = Math.random();
    const deviation = Math.floor(rand * this.jitter * ms);
    ms = (Math.floor(rand * 10) & 1) === 0 ? ms - deviation : ms + deviation;
    return Math.min(ms, this.maxMs) | 0;
  }

  reset(): void {
    this.attempts = 0;
  }
}

/** A heartbeat as a player sends it every 30 s. */
export function heartbeatOf(bundleVersion: number | null, uptimeMs: number) {
  return {
    nowPlaying: { id: 'c0', kind: 'item', startedAtMs: Date.now(), bundleVersion },
    bundleVersion,
    uptimeMs,
    clockOffsetMs: 3,
    screen: { width: 384, height: 128 },
    errors: [],
  } as const;
}
