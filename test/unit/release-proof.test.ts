// A release is signed once, over the Merkle root of its bundles; each bundle carries its path
// to the root (playlists/release-proof.ts). The controller's tree (release-tree.ts) and the
// player's verifier (player/app/verify.ts) must agree for every tree shape, and the verifier
// must refuse any change to what a bundle says.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  merkleSignatureParts,
  PlanSlicer,
  preparedBundle,
} from '../../controller/releases/bundles.js';
import { ReleaseTree } from '../../controller/releases/release-tree.js';
import { ReleaseSigner } from '../../controller/releases/signing.js';
import { partsText } from '../../controller/releases/text-parts.js';
import { verifyBundle } from '../../player/app/verify.js';
import {
  BUNDLE_FORMAT,
  bundleLeafText,
  BundleSchema,
  canonicalJson,
  proofSides,
  type Bundle,
  type BundleSignature,
  type PlanDocument,
} from '../../playlists/index.js';
import { buildPlan, validated } from '../helpers/plan-builder.js';

function planWithBoards(count: number): PlanDocument {
  const boards = Array.from({ length: count }, (_, i) => ({
    id: `bang-${String(i).padStart(4, '0')}`,
    name: `Bảng ${String(i)}`,
    tags: i % 3 === 0 ? ['cua-khau'] : ['van-phong'],
    width: 384,
    height: 128,
  }));
  return validated(
    buildPlan({
      boards,
      schedules: [
        {
          id: 'lich-cua-khau',
          playlist: 'A',
          boards: { tags: ['cua-khau'] },
          phase: 'dot-1',
        },
      ],
    }),
  );
}

/** Every board's bundle of one release, signed as the controller signs them. */
function release(
  plan: PlanDocument,
  signer: ReleaseSigner,
  releaseVersion = 4,
): { bundles: Bundle[]; tree: ReleaseTree } {
  const slicer = new PlanSlicer(plan, []);
  const unsigned = plan.boards.map((b, i) => {
    const prepared = slicer.prepare(b.id);
    if (!prepared) throw new Error(`no slice for ${b.id}`);
    return preparedBundle(prepared, 1 + (i % 3), releaseVersion);
  });
  const tree = ReleaseTree.build(
    BUNDLE_FORMAT,
    releaseVersion,
    Object.fromEntries(unsigned.map((u) => [u.boardId, { version: u.version, hash: u.hash }])),
  );
  const rootSignature = signer.signText(tree.rootText());
  const bundles = unsigned.map((u) => {
    const signature = tree.signatureOf(u.boardId, rootSignature);
    if (!signature) throw new Error(`no leaf for ${u.boardId}`);
    return BundleSchema.parse({ ...u, signature });
  });
  return { bundles, tree };
}

function merkle(bundle: Bundle): Extract<BundleSignature, { alg: 'Ed25519-merkle' }> {
  if (bundle.signature.alg !== 'Ed25519-merkle') throw new Error('not a release-signed bundle');
  return bundle.signature;
}

describe('release signatures', () => {
  let dir: string;
  let signer: ReleaseSigner;
  let other: ReleaseSigner;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bangtin-release-proof-'));
    signer = await ReleaseSigner.open(path.join(dir, 'a'));
    other = await ReleaseSigner.open(path.join(dir, 'b'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('proofSides: one sibling per level where the node has one', () => {
    expect(proofSides(0, 1)).toEqual([]);
    expect(proofSides(0, 2)).toEqual(['right']);
    expect(proofSides(1, 2)).toEqual(['left']);
    // Five leaves: [0 1][2 3][4] → [01 23][4] → [0123][4] → root.
    expect(proofSides(4, 5)).toEqual(['left']);
    expect(proofSides(2, 5)).toEqual(['right', 'left', 'right']);
    expect(() => proofSides(5, 5)).toThrow(RangeError);
    expect(() => proofSides(-1, 5)).toThrow(RangeError);
  });

  it.each([1, 2, 3, 5, 8, 13, 33])(
    'every bundle of a release of %i boards verifies with the release key',
    async (count) => {
      const { bundles, tree } = release(planWithBoards(count), signer);
      expect(tree.size).toBe(count);
      for (const bundle of bundles) {
        const signature = merkle(bundle);
        expect(signature.proof.length).toBe(proofSides(signature.index, count).length);
        expect(signature.proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(count)));
        expect(await verifyBundle(bundle, signer.publicKey)).toBe(true);
        expect(await verifyBundle(bundle, other.publicKey)).toBe(false);
      }
      // One signature for the whole release.
      expect(new Set(bundles.map((b) => b.signature.value)).size).toBe(1);
      // What a push writes: the proof's JSON from the tree's bytes, the same text.
      for (const bundle of bundles) {
        const proof = tree.proofJson(bundle.boardId);
        if (!proof) throw new Error(`no proof for ${bundle.boardId}`);
        const bytes = Buffer.alloc(proof.json.byteLength + 2, 0x7e);
        proof.json.writeTo(bytes, 1);
        expect(bytes.toString('latin1')).toBe(`~${JSON.stringify(merkle(bundle).proof)}~`);
        expect(proof.json.text()).toBe(JSON.stringify(merkle(bundle).proof));
        const parts = merkleSignatureParts(
          proof.index,
          proof.json,
          tree.size,
          JSON.stringify(bundle.signature.value),
        );
        expect(partsText(parts)).toBe(canonicalJson(bundle.signature));
      }
    },
  );

  it('the root depends on every leaf and on the release', () => {
    const plan = planWithBoards(6);
    const a = release(plan, signer, 4).tree;
    const b = release(plan, signer, 5).tree;
    expect(a.root).not.toBe(b.root);
    const bundles = {
      x: { version: 1, hash: 'a'.repeat(64) },
      y: { version: 1, hash: 'b'.repeat(64) },
    };
    const one = ReleaseTree.build(BUNDLE_FORMAT, 1, bundles);
    const two = ReleaseTree.build(BUNDLE_FORMAT, 1, {
      ...bundles,
      y: { version: 2, hash: 'b'.repeat(64) },
    });
    expect(one.root).not.toBe(two.root);
    // Key order does not matter: leaves are in board id order.
    const swapped = ReleaseTree.build(BUNDLE_FORMAT, 1, { y: bundles.y, x: bundles.x });
    expect(swapped.root).toBe(one.root);
  });

  it("a leaf's text is the canonical JSON of its fields, for any board id and versions", () => {
    fc.assert(
      fc.property(
        fc.record({
          format: fc.string(),
          boardId: fc.string({ unit: 'binary' }),
          version: fc.integer({ min: 1 }),
          releaseVersion: fc.integer({ min: 1 }),
          hash: fc.stringMatching(/^[0-9a-f]{64}$/),
        }),
        (leaf) => {
          expect(bundleLeafText(leaf)).toBe(canonicalJson({ ...leaf }));
        },
      ),
    );
  });

  describe('refuses a bundle that was changed', () => {
    let bundle: Bundle;
    let key: string;
    beforeAll(() => {
      const { bundles } = release(planWithBoards(7), signer);
      // Board 6 is a border-gate board: its slice holds the schedule and its slogans.
      bundle = bundles[6] ?? ({} as Bundle);
      key = signer.publicKey;
    });

    const changes: [string, (b: Bundle) => void][] = [
      [
        'a slogan text',
        (b) => {
          const slogan = b.plan.content.find((c) => c.kind === 'slogan');
          if (slogan) slogan.text = 'GIẢ MẠO';
        },
      ],
      [
        'a schedule added',
        (b) => {
          b.plan.schedules.push({ id: 'them', playlist: 'B', phase: 'dot-1', priority: 99 });
        },
      ],
      [
        'the board’s size',
        (b) => {
          b.board.width = 1920;
        },
      ],
      [
        'the board inside the plan',
        (b) => {
          const [board] = b.plan.boards;
          if (board) board.name = 'Khác';
        },
      ],
      [
        'the board id',
        (b) => {
          b.boardId = 'bang-0000';
        },
      ],
      [
        'the slice hash',
        (b) => {
          b.hash = 'f'.repeat(64);
        },
      ],
      [
        'the bundle version',
        (b) => {
          b.version += 1;
        },
      ],
      [
        'the release version',
        (b) => {
          b.releaseVersion += 1;
        },
      ],
      [
        'the leaf index',
        (b) => {
          merkle(b).index -= 1;
        },
      ],
      [
        'the tree size',
        (b) => {
          merkle(b).size += 1;
        },
      ],
      [
        'a proof hash',
        (b) => {
          const proof = merkle(b).proof;
          proof[0] = (proof[0] ?? '').replace(/^./, (c) => (c === '0' ? '1' : '0'));
        },
      ],
      [
        'a proof hash dropped',
        (b) => {
          merkle(b).proof.pop();
        },
      ],
      [
        'an asset added',
        (b) => {
          b.assets.push({
            name: 'x.png',
            sha256: 'a'.repeat(64),
            url: '/x',
            size: 1,
            type: 'image/png',
          });
        },
      ],
    ];

    it('unchanged, it verifies', async () => {
      expect(await verifyBundle(structuredClone(bundle), key)).toBe(true);
    });

    it.each(changes)('%s', async (_what, change) => {
      const changed = structuredClone(bundle);
      change(changed);
      expect(canonicalJson(changed)).not.toBe(canonicalJson(bundle));
      expect(await verifyBundle(changed, key)).toBe(false);
    });

    it('a bundle of another board, with this one’s proof', async () => {
      const { bundles } = release(planWithBoards(7), signer);
      const mine = bundles[2];
      const theirs = bundles[3];
      if (!mine || !theirs) throw new Error('no bundles');
      expect(await verifyBundle({ ...theirs, signature: mine.signature }, key)).toBe(false);
    });
  });

  describe('bundles signed one by one (cached by players before release roots)', () => {
    let keys: { privateKey: KeyObject; publicKey: string };
    beforeAll(() => {
      const pair = generateKeyPairSync('ed25519');
      const x = pair.publicKey.export({ format: 'jwk' }).x;
      if (typeof x !== 'string') throw new Error('no key');
      keys = { privateKey: pair.privateKey, publicKey: x };
    });

    function legacy(bundle: Bundle): Bundle {
      const { signature: _ignored, ...unsigned } = bundle;
      const value = sign(null, Buffer.from(canonicalJson(unsigned)), keys.privateKey);
      return BundleSchema.parse({
        ...unsigned,
        signature: { alg: 'Ed25519', value: value.toString('base64url') },
      });
    }

    it('still verify, and refuse any change', async () => {
      const { bundles } = release(planWithBoards(3), signer);
      const first = bundles[0];
      if (!first) throw new Error('no bundle');
      const old = legacy(first);
      expect(await verifyBundle(old, keys.publicKey)).toBe(true);
      expect(await verifyBundle(old, signer.publicKey)).toBe(false);
      const changed = structuredClone(old);
      changed.board.name = 'Khác';
      expect(await verifyBundle(changed, keys.publicKey)).toBe(false);
    });
  });
});
