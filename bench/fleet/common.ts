import { createHash } from 'node:crypto';
import { eventFrame } from '../../controller/players/hub.js';
import {
  canonicalJson,
  compilePlan,
  resolverFor,
  validatePlan,
  type BoardResolver,
  type Bundle,
  type NowPlaying,
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
export function heartbeatOf(
  bundleVersion: number | null,
  uptimeMs: number,
  nowPlaying: Pick<NowPlaying, 'id' | 'kind' | 'startedAtMs'>,
) {
  return {
    nowPlaying: { ...nowPlaying, bundleVersion },
    bundleVersion,
    uptimeMs,
    clockOffsetMs: 3,
    screen: { width: 384, height: 128 },
    errors: [],
  } as const;
}

/**
 * Resolvers of the bundles a fleet holds, one per plan, tags and release: the boards of a plan
 * with the same tags play the same (their slices differ only in the board).
 */
const resolvers = new Map<string, BoardResolver | undefined>();

/** The resolver of a bundle the fleet holds, shared by the boards that play the same. */
export function resolverOf(bundle: Bundle): BoardResolver | undefined {
  const key = `${bundle.plan.plan.id}|${(bundle.board.tags ?? []).join(',')}|${bundle.releaseVersion}`;
  if (!resolvers.has(key))
    resolvers.set(key, resolverFor(compilePlan(bundle.plan), bundle.boardId));
  return resolvers.get(key);
}

/**
 * What a board shows at `atMs` by the player's own resolver of its bundle: an idle fleet
 * reports the right content, as healthy boards do (a fleet stuck on one slogan would have the
 * monitor raise and clear thousands of wrong-content alerts).
 */
export function showing(
  resolver: BoardResolver | undefined,
  atMs: number,
): Pick<NowPlaying, 'id' | 'kind' | 'startedAtMs'> {
  if (!resolver) return { id: '', kind: 'idle', startedAtMs: atMs };
  const segment = resolver.segmentAt(atMs);
  return {
    id: segment.content ?? segment.announcement ?? '',
    kind: segment.kind,
    // As player/main.ts: idle since before the plan's first phase has no start (-Infinity,
    // which JSON would send as null and the controller refuse).
    startedAtMs: Math.max(0, Number.isFinite(segment.startMs) ? segment.startMs : atMs),
  };
}
