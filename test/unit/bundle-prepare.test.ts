// A publish prepares each board's slice once per targeting and composes canonical JSON from
// parts (controller/releases/bundles.ts). What it produces must be byte for byte what the
// plain definitions produce: the slice, its hash and the bundle.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assetsOfSlice,
  buildBundle,
  BundleFrameTemplate,
  canonicalPlanOf,
  composeCanonical,
  PlanSlicer,
  preparedBundle,
  sliceForBoard,
  sliceHash,
} from '../../controller/releases/bundles.js';
import { wsTextFrame } from '../../controller/players/ws-frame.js';
import { partsText } from '../../controller/releases/text-parts.js';
import {
  canonicalJson,
  type Bundle,
  type BundleAsset,
  type PlanDocument,
} from '../../playlists/index.js';
import { buildPlan, validated } from '../helpers/plan-builder.js';
import { repoRoot } from '../helpers/paths.js';

const ASSETS: BundleAsset[] = [
  {
    name: 'co-dang.png',
    sha256: 'a'.repeat(64),
    url: `/files/sha256/${'a'.repeat(64)}`,
    size: 1234,
    type: 'image/png',
  },
];

function plans(): [string, PlanDocument][] {
  const demo = ['dak-lak-148.json', 'kon-tum-kkt.json'].map((file): [string, PlanDocument] => [
    file,
    validated(JSON.parse(readFileSync(path.join(repoRoot, 'assets/demo', file), 'utf8'))),
  ]);
  const targeted = buildPlan({
    boards: [
      { id: 'a', name: 'A', tags: ['led'], width: 384, height: 128 },
      { id: 'b', name: 'B', tags: ['led'], width: 384, height: 128 },
      { id: 'c', name: 'C', tags: ['office', 'led'], width: 1920, height: 1080 },
      { id: 'd', name: 'D', width: 192, height: 64 },
    ],
    schedules: [
      { id: 's1', playlist: 'A', phase: 'dot-1' },
      { id: 's2', playlist: 'B', phase: 'dot-1', boards: { tags: ['led'] } },
      { id: 's3', playlist: 'M', from: '2026-04-01', boards: { ids: ['c', 'd'] } },
    ],
    announcements: [
      {
        id: 'khan',
        text: 'THÔNG BÁO',
        from: '2026-03-29T08:00:00+07:00',
        to: '2026-03-29T09:00:00+07:00',
        boards: { tags: ['office'] },
      },
    ],
  });
  return [...demo, ['targeted', validated(targeted)]];
}

describe('prepared slices and bundles', () => {
  it.each(plans())('%s: the same bytes as the plain definitions', (_name, plan) => {
    const slicer = new PlanSlicer(plan, ASSETS);
    expect(plan.boards.length).toBeGreaterThan(0);
    for (const board of plan.boards) {
      const prepared = slicer.prepare(board.id);
      const slice = sliceForBoard(plan, board.id);
      if (!prepared || !slice) throw new Error(`no slice for ${board.id}`);
      expect(JSON.stringify(prepared.slice)).toBe(JSON.stringify(slice));
      expect(canonicalPlanOf(prepared)).toBe(canonicalJson(slice));
      const assets = assetsOfSlice(slice, ASSETS);
      expect(prepared.assets).toEqual(assets);
      expect(prepared.hash).toBe(sliceHash(slice, assets));
      const unsigned = preparedBundle(prepared, 7, 9);
      const reference = buildBundle(slice, assets, 7, 9);
      expect(JSON.stringify(unsigned)).toBe(JSON.stringify(reference));
      // The text a publish pushes is canonicalJson of the signed bundle.
      const signed: Bundle = {
        ...unsigned,
        signature: {
          alg: 'Ed25519-merkle',
          value: 'c2lnbg',
          size: 3,
          index: 1,
          proof: ['b'.repeat(64), 'c'.repeat(64)],
        },
      };
      const text = canonicalJson(signed);
      // The pieces of a push's frame: its class's template, the text around the bundle's
      // and the board's own values filled in; the same bytes.
      const around = ['42/player,["bundle:update",', ']'] as const;
      const template = BundleFrameTemplate.build({
        around,
        shared: prepared.encoded,
        releaseVersion: 9,
        size: 3,
        signatureJson: '"c2lnbg"',
      });
      const frameParts = template.parts({
        board: prepared.canonicalBoard,
        boardId: board.id,
        hash: prepared.hash,
        version: 7,
        index: 1,
        proof: JSON.stringify(['b'.repeat(64), 'c'.repeat(64)]),
      });
      // Eight runs of encoded text around the board's own values (its board's text twice).
      expect(frameParts.filter((part) => part instanceof Uint8Array).length).toBe(8);
      expect(frameParts.length).toBe(15);
      expect(partsText(frameParts)).toBe(`${around[0]}${text}${around[1]}`);
      expect(wsTextFrame(frameParts)).toEqual(wsTextFrame([around[0], text, around[1]]));
    }
  });

  it('an unknown board has no slice', () => {
    const [, plan] = plans()[0] ?? [];
    if (!plan) throw new Error('no plan');
    expect(new PlanSlicer(plan, ASSETS).prepare('khong-co')).toBeUndefined();
  });

  it('composeCanonical sorts keys as canonicalJson does', () => {
    const value = { b: [1, { z: 1, a: 'x' }], a: null, boardId: 'q', board: { y: true } };
    const parts = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonicalJson(v)]));
    expect(composeCanonical(parts)).toBe(canonicalJson(value));
  });
});
