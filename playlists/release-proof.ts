// What a release signature covers, shared by the controller that signs and the player that
// verifies. A release is signed once: an Ed25519 signature over the root of a Merkle tree
// whose leaves are the release's bundles (one per board), and each bundle carries the path
// from its leaf to that root. A publish to 10,000 boards makes one signature, not 10,000.
//
// The tree: leaves in the order of their board ids (code unit order), leaf hash
// sha256(0x00 ‖ leaf text), node hash sha256(0x01 ‖ left ‖ right) (the prefixes keep a leaf
// from passing for a node, as in RFC 6962); a node without a sibling at the end of a level
// is carried up unchanged.
import { canonicalJson } from './canonical.js';

export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;
export const RELEASE_ROOT_FORMAT = 'bangtin-release-root/1';

/** The fields of a bundle its leaf binds: the slice itself is bound through its hash. */
export interface BundleLeaf {
  readonly format: string;
  readonly boardId: string;
  readonly version: number;
  readonly releaseVersion: number;
  /** sha256 of the slice's canonical JSON (plan and assets). */
  readonly hash: string;
}

/**
 * The text a bundle's leaf hashes: canonicalJson of its five fields, written in their sorted
 * order directly (a publish makes one per board).
 */
export function bundleLeafText(leaf: BundleLeaf): string {
  return (
    `{"boardId":${JSON.stringify(leaf.boardId)},"format":${JSON.stringify(leaf.format)}` +
    `,"hash":${JSON.stringify(leaf.hash)},"releaseVersion":${JSON.stringify(leaf.releaseVersion)}` +
    `,"version":${JSON.stringify(leaf.version)}}`
  );
}

/** The text the release key signs: the release, how many bundles it has, and their root. */
export function releaseRootText(releaseVersion: number, size: number, rootHex: string): string {
  return canonicalJson({ format: RELEASE_ROOT_FORMAT, releaseVersion, root: rootHex, size });
}

/**
 * The side of the sibling at each level where leaf `index` of a tree of `size` leaves has
 * one, from the leaf up: the proof holds one hash per entry, in this order.
 */
export function proofSides(index: number, size: number): ('left' | 'right')[] {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`no leaf ${String(index)} in a tree of ${String(size)}`);
  }
  const sides: ('left' | 'right')[] = [];
  let i = index;
  let n = size;
  while (n > 1) {
    if (i % 2 === 1) sides.push('left');
    else if (i + 1 < n) sides.push('right');
    i = Math.floor(i / 2);
    n = Math.ceil(n / 2);
  }
  return sides;
}
