import {
  targetsBoard,
  type Bundle,
  type BundleAsset,
  type PlanDocument,
  type Problem,
} from '../../playlists/index.js';
import type { Asset } from '../state.js';
import { canonicalJson, sha256OfText } from './canonical.js';

/** The URL an asset is served at: by content hash, immutable. */
export function assetUrl(sha256: string): string {
  return `/files/sha256/${sha256}`;
}

function assetKey(reference: string): { sha256?: string; name?: string } {
  return reference.startsWith('sha256:') ? { sha256: reference.slice(7) } : { name: reference };
}

/**
 * The files the banners of some plans need, resolved against the uploaded assets.
 * A banner naming an asset that was never uploaded is a problem: a board must not be
 * promised a file that does not exist.
 */
export function resolveAssets(
  plans: readonly PlanDocument[],
  uploaded: readonly Asset[],
): { assets: BundleAsset[]; problems: Problem[] } {
  const byName = new Map(uploaded.map((a) => [a.name, a]));
  const byHash = new Map(uploaded.map((a) => [a.sha256, a]));
  const found = new Map<string, BundleAsset>();
  const problems: Problem[] = [];
  plans.forEach((plan, p) => {
    plan.content.forEach((content, i) => {
      if (content.kind !== 'banner') return;
      const key = assetKey(content.asset);
      const asset = key.sha256 !== undefined ? byHash.get(key.sha256) : byName.get(key.name ?? '');
      if (!asset) {
        problems.push({
          path: `$.plans[${p}].content[${i}].asset`,
          message: `plan "${plan.plan.id}": no uploaded asset "${content.asset}"`,
        });
        return;
      }
      found.set(content.asset, {
        name: content.asset,
        sha256: asset.sha256,
        url: assetUrl(asset.sha256),
        size: asset.size,
        type: asset.type,
      });
    });
  });
  return { assets: [...found.values()].sort((a, b) => a.name.localeCompare(b.name)), problems };
}

/** The part of a plan one board needs: its board, what targets it, and what that refers to. */
export function sliceForBoard(plan: PlanDocument, boardId: string): PlanDocument | undefined {
  const board = plan.boards.find((b) => b.id === boardId);
  if (!board) return undefined;
  // Order is kept: ties between schedules concatenate in file order.
  const schedules = plan.schedules.filter((s) => targetsBoard(s.boards, board));
  const announcements = plan.announcements.filter((a) => targetsBoard(a.boards, board));
  const playlistIds = new Set(schedules.map((s) => s.playlist));
  const playlists = plan.playlists.filter((p) => playlistIds.has(p.id));
  const contentIds = new Set(
    playlists.flatMap((p) =>
      p.items.map((item) => (typeof item === 'string' ? item : item.content)),
    ),
  );
  const phaseIds = new Set<string>();
  const phaseById = new Map(plan.phases.map((p) => [p.id, p]));
  for (const s of schedules) {
    let id = s.phase;
    while (id !== undefined && !phaseIds.has(id)) {
      phaseIds.add(id);
      id = phaseById.get(id)?.parent;
    }
  }
  return {
    format: plan.format,
    plan: plan.plan,
    phases: plan.phases.filter((p) => phaseIds.has(p.id)),
    boards: [board],
    content: plan.content.filter((c) => contentIds.has(c.id)),
    playlists,
    schedules,
    announcements,
  };
}

/** The assets a slice uses, from a release's asset list. */
export function assetsOfSlice(slice: PlanDocument, assets: readonly BundleAsset[]): BundleAsset[] {
  const names = new Set(slice.content.flatMap((c) => (c.kind === 'banner' ? [c.asset] : [])));
  return assets.filter((a) => names.has(a.name));
}

/** The hash that identifies a board's slice: equal slices, equal hash, whatever the release. */
export function sliceHash(slice: PlanDocument, assets: readonly BundleAsset[]): string {
  return sha256OfText(canonicalJson({ plan: slice, assets }));
}

/** A board's bundle, ready to sign. */
export function buildBundle(
  slice: PlanDocument,
  assets: readonly BundleAsset[],
  version: number,
  releaseVersion: number,
): Omit<Bundle, 'signature'> {
  const board = slice.boards[0];
  if (!board) throw new Error('a slice always holds its board');
  return {
    format: 'bangtin-bundle/1',
    version,
    releaseVersion,
    hash: sliceHash(slice, assets),
    boardId: board.id,
    board,
    plan: slice,
    assets: [...assets],
  };
}
