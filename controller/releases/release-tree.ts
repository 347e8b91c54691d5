import { hash } from 'node:crypto';
import {
  bundleLeafText,
  LEAF_PREFIX,
  NODE_PREFIX,
  releaseRootText,
  type BundleLeaf,
  type BundleSignature,
} from '../../playlists/index.js';
import type { TextWriter } from './text-parts.js';

const HASH_BYTES = 32;
const HEX_BYTES = 2 * HASH_BYTES;
// One-shot hashing (crypto.hash, no Hash object) of the prefix and its data in one piece: a
// release has a leaf and about one node per bundle, so this is twice as fast per publish.
const LEAF = String.fromCharCode(LEAF_PREFIX);
/** A node's input: its prefix byte and its two children, rewritten for each node. */
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeInput[0] = NODE_PREFIX;

function leafHash(leaf: BundleLeaf): Buffer {
  // The prefix is below 0x80, so as a character its UTF-8 is that one byte.
  return hash('sha256', LEAF + bundleLeafText(leaf), 'buffer');
}

/** The hash of the node over hashes `left` and `left + 1` of `level`. */
function nodeHash(level: Uint8Array, left: number): Buffer {
  copyBytes(level, left * HASH_BYTES, nodeInput, 1, 2 * HASH_BYTES);
  return hash('sha256', nodeInput, 'buffer');
}

/**
 * Copies `length` bytes, as `source.copy(target, targetAt, sourceAt, sourceAt + length)` would.
 * On Node 20 that call makes a Uint8Array view of the range each time; a publish copies 64 bytes
 * some fifteen times per board (its proof) and once per node, and the views were a tenth of
 * what a 10,000-board publish allocated (11 of 114 MB).
 */
function copyBytes(
  source: Uint8Array,
  sourceAt: number,
  target: Uint8Array,
  targetAt: number,
  length: number,
): void {
  for (let i = 0; i < length; i++) target[targetAt + i] = source[sourceAt + i] as number;
}

/**
 * Calls `visit` with the level (0 for the leaves) and position of each sibling hash on the way
 * from leaf `index` of a tree of `size` leaves to its root, in turn, as playlists/release-proof.ts
 * orders a proof: a node with no sibling on a level (the last of an odd count) is carried up
 * as it is. Returns how many there were.
 */
function walkSiblings(
  index: number,
  size: number,
  visit: (level: number, sibling: number) => void,
): number {
  let count = 0;
  let i = index;
  let n = size;
  for (let level = 0; n > 1; level++) {
    const sibling = i % 2 === 1 ? i - 1 : i + 1 < n ? i + 1 : -1;
    if (sibling >= 0) {
      visit(level, sibling);
      count++;
    }
    i = Math.floor(i / 2);
    n = Math.ceil(n / 2);
  }
  return count;
}

/**
 * The Merkle tree of a release's bundles (playlists/release-proof.ts): every level kept as one
 * buffer of 32-byte hashes, so a bundle's proof is read off in O(log n).
 */
export class ReleaseTree {
  private hex: readonly Buffer[] | undefined;

  private constructor(
    readonly releaseVersion: number,
    private readonly index: ReadonlyMap<string, number>,
    private readonly levels: readonly Buffer[],
  ) {}

  /** The tree of a release whose bundles are `bundles` (board id → version and slice hash). */
  static build(
    format: string,
    releaseVersion: number,
    bundles: Readonly<Record<string, { version: number; hash: string }>>,
  ): ReleaseTree {
    const ids = Object.keys(bundles).sort();
    const index = new Map(ids.map((id, i) => [id, i]));
    const leaves = Buffer.alloc(Math.max(ids.length, 1) * HASH_BYTES);
    ids.forEach((boardId, i) => {
      const { version, hash } = bundles[boardId] ?? { version: 0, hash: '' };
      leafHash({ format, boardId, version, releaseVersion, hash }).copy(leaves, i * HASH_BYTES);
    });
    const levels = [leaves];
    let level = leaves;
    let count = ids.length;
    while (count > 1) {
      const next = Buffer.alloc(Math.ceil(count / 2) * HASH_BYTES);
      for (let i = 0; i < count; i += 2) {
        const at = (i / 2) * HASH_BYTES;
        if (i + 1 < count) {
          nodeHash(level, i).copy(next, at);
        } else {
          copyBytes(level, i * HASH_BYTES, next, at, HASH_BYTES);
        }
      }
      levels.push(next);
      level = next;
      count = Math.ceil(count / 2);
    }
    return new ReleaseTree(releaseVersion, index, levels);
  }

  get size(): number {
    return this.index.size;
  }

  /** The root, hex; the tree of no bundles has 32 zero bytes. */
  get root(): string {
    const top = this.levels[this.levels.length - 1] ?? Buffer.alloc(HASH_BYTES);
    return top.subarray(0, HASH_BYTES).toString('hex');
  }

  /** The text the release key signs for this tree. */
  rootText(): string {
    return releaseRootText(this.releaseVersion, this.size, this.root);
  }

  /**
   * Where the sibling hashes from leaf `index` to the root are: for each, its level (0 for the
   * leaves) and its position in that level, in turn.
   */
  private siblings(index: number): { level: number; at: number }[] {
    const found: { level: number; at: number }[] = [];
    walkSiblings(index, this.size, (level, at) => found.push({ level, at }));
    return found;
  }

  /** A board's leaf index and the sibling hashes from its leaf to the root, hex. */
  proof(boardId: string): { index: number; proof: string[] } | undefined {
    const index = this.index.get(boardId);
    if (index === undefined) return undefined;
    const proof = this.siblings(index).map(({ level, at }) =>
      (this.levels[level] as Buffer).toString('hex', at * HASH_BYTES, (at + 1) * HASH_BYTES),
    );
    return { index, proof };
  }

  /**
   * A board's leaf index, and its proof's JSON (`["<hex>",...]`, as JSON.stringify writes the
   * proof's hex strings) copied as ASCII from the tree's levels in hex (made once, on the first
   * proof asked for): what a push copies into each board's frame, with no string per sibling
   * hash and no digit written one by one.
   */
  proofJson(boardId: string): { index: number; json: TextWriter } | undefined {
    const index = this.index.get(boardId);
    if (index === undefined) return undefined;
    const size = this.size;
    const count = walkSiblings(index, size, () => undefined);
    const hexLevels = this.hexLevels();
    // `[`, `"` + 64 hex digits + `"` per sibling, commas between them, `]`.
    const byteLength = 2 + count * (HEX_BYTES + 2) + Math.max(0, count - 1);
    return {
      index,
      json: {
        byteLength,
        writeTo(target, offset) {
          let at = offset;
          target[at++] = 0x5b; // [
          // One copy of hex digits per sibling.
          walkSiblings(index, size, (level, sibling) => {
            if (at > offset + 1) target[at++] = 0x2c; // ,
            target[at++] = 0x22; // "
            const from = sibling * HEX_BYTES;
            copyBytes(hexLevels[level] as Buffer, from, target, at, HEX_BYTES);
            at += HEX_BYTES;
            target[at++] = 0x22;
          });
          target[at] = 0x5d; // ]
        },
        text: () => {
          const hex = this.siblings(index).map(({ level, at }) =>
            (hexLevels[level] as Buffer).toString('latin1', at * HEX_BYTES, (at + 1) * HEX_BYTES),
          );
          return JSON.stringify(hex);
        },
      },
    };
  }

  /** Each level's hashes as lowercase hex ASCII, made once. */
  private hexLevels(): readonly Buffer[] {
    this.hex ??= this.levels.map((level) => Buffer.from(level.toString('hex'), 'latin1'));
    return this.hex;
  }

  /** A board's signature, given the signature of `rootText()`. */
  signatureOf(boardId: string, rootSignature: string): BundleSignature | undefined {
    const found = this.proof(boardId);
    if (!found) return undefined;
    return {
      alg: 'Ed25519-merkle',
      value: rootSignature,
      size: this.size,
      index: found.index,
      proof: found.proof,
    };
  }
}
