import {
  BUNDLE_FORMAT,
  targetsBoard,
  type Board,
  type Bundle,
  type BundleAsset,
  type PlanDocument,
  problem,
  type Problem,
} from '../../playlists/index.js';
import type { Asset } from '../state.js';
import { canonicalJson, sha256OfBytes, sha256OfText } from './canonical.js';
import type { TextPart } from './text-parts.js';

/** The URL an asset is served at: by content hash, immutable. */
export function assetUrl(sha256: string): string {
  return `/files/sha256/${sha256}`;
}

/**
 * The uploaded file a banner's asset reference means now: the one it names by `sha256:<hex>`,
 * else the latest upload under its name (a replaced upload keeps its entry, for the banners
 * approved with it, but no longer answers to the name).
 */
export function assetLookup(uploaded: readonly Asset[]): (reference: string) => Asset | undefined {
  const byName = new Map(
    uploaded.filter((a) => a.replacedAt === undefined).map((a) => [a.name, a]),
  );
  const byHash = new Map(uploaded.map((a) => [a.sha256, a]));
  return (reference) =>
    reference.startsWith('sha256:') ? byHash.get(reference.slice(7)) : byName.get(reference);
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
  const assetFor = assetLookup(uploaded);
  const found = new Map<string, BundleAsset>();
  const problems: Problem[] = [];
  plans.forEach((plan, p) => {
    plan.content.forEach((content, i) => {
      if (content.kind !== 'banner') return;
      const asset = assetFor(content.asset);
      if (!asset) {
        problems.push(
          problem(
            `$.plans[${p}].content[${i}].asset`,
            'asset_missing',
            { plan: plan.plan.id, asset: content.asset },
            `plan "${plan.plan.id}": no uploaded asset "${content.asset}"`,
          ),
        );
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
  return board ? withBoard(sliceParts(plan, board), board) : undefined;
}

function withBoard(parts: Omit<PlanDocument, 'boards'>, board: Board): PlanDocument {
  const { format, plan, phases, content, playlists, schedules, announcements } = parts;
  return { format, plan, phases, boards: [board], content, playlists, schedules, announcements };
}

/** A slice without its board: the same for every board the same items target. */
function sliceParts(plan: PlanDocument, board: Board): Omit<PlanDocument, 'boards'> {
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
    content: plan.content.filter((c) => contentIds.has(c.id)),
    playlists,
    schedules,
    announcements,
  };
}

/**
 * The canonical JSON of an object whose values are given as canonical JSON already: keys
 * sorted as canonicalJson sorts them, so the text is the same as canonicalJson of the object.
 */
export function composeCanonical(parts: Readonly<Record<string, string>>): string {
  const keys = Object.keys(parts).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${parts[k] ?? 'null'}`).join(',')}}`;
}

/**
 * The canonical JSON a board's bundle text is composed from: its slice's plan text around
 * the place of its board (shared by every board the same items target), its board's text and
 * its assets' text.
 */
export interface BundleCanonical {
  /** The slice's canonical JSON is `planAround[0]` + `[board]` + `planAround[1]`. */
  readonly planAround: readonly [string, string];
  readonly canonicalBoard: string;
  readonly canonicalAssets: string;
}

/**
 * A board's slice with the canonical JSON its hash and its bundle's text are made from. It
 * holds only its board's own text; the rest is shared with the boards of its class, so a
 * publish keeps thousands of them at little cost.
 */
export interface PreparedSlice extends BundleCanonical {
  /** The UTF-8 of the text its class shares (`planAround`, `canonicalAssets`), for frames. */
  readonly encoded: SharedText<Uint8Array>;
  readonly slice: PlanDocument;
  readonly assets: readonly BundleAsset[];
  /** sliceHash(slice, assets). */
  readonly hash: string;
}

/** canonicalJson of a prepared slice's plan. */
export function canonicalPlanOf(parts: BundleCanonical): string {
  return `${parts.planAround[0]}[${parts.canonicalBoard}]${parts.planAround[1]}`;
}

/** The bundle text the boards of a class share: their plan around their board, their assets. */
export interface SharedText<P> {
  readonly planAround: readonly [P, P];
  readonly assets: P;
}

interface SliceClass {
  parts: Omit<PlanDocument, 'boards'>;
  encoded: SharedText<Uint8Array>;
  planAround: [string, string];
  assets: BundleAsset[];
  canonicalAssets: string;
  /** The UTF-8 a slice's hash is made of is `hashedBytes[0]` + its board + `hashedBytes[1]`. */
  hashedBytes: [Buffer, Buffer];
}

/** A bundle's keys in canonical (sorted) order. */
const BUNDLE_KEYS = (
  [
    'format',
    'version',
    'releaseVersion',
    'hash',
    'boardId',
    'board',
    'plan',
    'assets',
    'signature',
  ] as const satisfies readonly (keyof Bundle)[]
)
  .slice()
  .sort();

/** `{"key":` for the first key, `,"key":` for the others. */
const BUNDLE_KEY_PREFIXES = BUNDLE_KEYS.map(
  (key, i) => `${i === 0 ? '{' : ','}${JSON.stringify(key)}:`,
);

/** A bundle's own fields, each written as one JSON value. */
type HeadKey = 'format' | 'version' | 'releaseVersion' | 'hash' | 'boardId';

/**
 * The JSON of an Ed25519-merkle signature in pieces, its leaf index and its proof's JSON given
 * as pieces of their own.
 */
export function merkleSignatureParts<P = never>(
  index: number | NoInfer<P>,
  proofJson: TextPart | NoInfer<P>,
  size: number,
  valueJson: string,
): (TextPart | P)[] {
  // Keys in sorted order, as canonicalJson writes them.
  return [
    '{"alg":"Ed25519-merkle","index":',
    typeof index === 'number' ? JSON.stringify(index) : index,
    ',"proof":',
    proofJson,
    `,"size":${JSON.stringify(size)},"value":${valueJson}}`,
  ];
}

function bundleParts<P>(
  head: Readonly<Record<HeadKey, string | P>>,
  canonicalBoard: string | P,
  shared: SharedText<P>,
  signature: readonly (string | P)[],
): (string | P)[] {
  const out: (string | P)[] = [];
  BUNDLE_KEYS.forEach((key, i) => {
    out.push(BUNDLE_KEY_PREFIXES[i] as string);
    switch (key) {
      case 'board':
        out.push(canonicalBoard);
        break;
      case 'plan':
        // canonicalPlanOf(parts), in its pieces.
        out.push(shared.planAround[0], '[', canonicalBoard, ']', shared.planAround[1]);
        break;
      case 'assets':
        out.push(shared.assets);
        break;
      case 'signature':
        out.push(...signature);
        break;
      default:
        out.push(head[key]);
    }
  });
  out.push('}');
  return out;
}

/** A board's own values in the frame of its bundle (BundleFrameTemplate). */
export interface BundleFill {
  /** canonicalJson of its board. */
  readonly board: string;
  readonly boardId: string;
  readonly hash: string;
  readonly version: number;
  /** Its leaf's index in the release's tree, and its proof's JSON. */
  readonly index: number;
  readonly proof: TextPart;
}

/** A place a frame template leaves for one of a board's own values. */
class Slot {
  constructor(readonly name: keyof BundleFill) {}
}

function filled(fill: BundleFill, slot: Slot): TextPart {
  switch (slot.name) {
    case 'board':
      return fill.board;
    case 'proof':
      return fill.proof;
    case 'boardId':
      return JSON.stringify(fill.boardId);
    case 'hash':
      return JSON.stringify(fill.hash);
    case 'version':
      return JSON.stringify(fill.version);
    case 'index':
      return JSON.stringify(fill.index);
  }
}

/**
 * The message a push sends the boards of one slice class in one release: `around[0]`, a signed
 * bundle's JSON (the same as canonicalJson(bundle)), `around[1]`. Everything but a board's own
 * values (BundleFill) is the same for the whole class, so it is encoded once, in a few runs of
 * UTF-8, and each board's frame copies those runs around its own values: a push to 10,000
 * boards encodes a handful of short strings per board, not two dozen.
 */
export class BundleFrameTemplate {
  private constructor(private readonly pieces: readonly (Uint8Array | Slot)[]) {}

  static build(options: {
    /** The message's text before and after the bundle's JSON. */
    around: readonly [string, string];
    shared: SharedText<Uint8Array>;
    releaseVersion: number;
    /** The release tree's size, and the JSON of its root's signature. */
    size: number;
    signatureJson: string;
  }): BundleFrameTemplate {
    const { around, shared, releaseVersion, size, signatureJson } = options;
    const head = {
      format: JSON.stringify(BUNDLE_FORMAT),
      releaseVersion: JSON.stringify(releaseVersion),
      version: new Slot('version'),
      hash: new Slot('hash'),
      boardId: new Slot('boardId'),
    };
    const board = new Slot('board');
    const signature = merkleSignatureParts<Slot>(
      new Slot('index'),
      new Slot('proof'),
      size,
      signatureJson,
    );
    const parts: (TextPart | Slot)[] = [
      around[0],
      ...bundleParts<Uint8Array | Slot>(head, board, shared, signature as (string | Slot)[]),
      around[1],
    ];
    // Runs of text between the slots, each encoded as one piece.
    const pieces: (Uint8Array | Slot)[] = [];
    let run: Uint8Array[] = [];
    const endRun = () => {
      if (run.length > 0) pieces.push(Buffer.concat(run));
      run = [];
    };
    for (const part of parts) {
      if (part instanceof Slot) {
        endRun();
        pieces.push(part);
      } else if (typeof part === 'string') {
        run.push(Buffer.from(part, 'utf8'));
      } else if (part instanceof Uint8Array) {
        run.push(part);
      } else {
        throw new Error('a frame template is made of text and slots');
      }
    }
    endRun();
    return new BundleFrameTemplate(pieces);
  }

  /** The frame's text for one board, in pieces (its own values as strings, or its proof). */
  parts(fill: BundleFill): TextPart[] {
    const { pieces } = this;
    const out = new Array<TextPart>(pieces.length);
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as Uint8Array | Slot;
      out[i] = piece instanceof Slot ? filled(fill, piece) : piece;
    }
    return out;
  }
}

/**
 * Slices of one plan's boards. Boards that the same schedules and announcements target have
 * slices that differ only in their board, so what they share is built and serialized once.
 */
export class PlanSlicer {
  private readonly classes = new Map<string, SliceClass>();
  /** Where each board's hashed text is put together. */
  #scratch = Buffer.alloc(0);
  private readonly boards: ReadonlyMap<string, Board>;

  constructor(
    readonly plan: PlanDocument,
    private readonly releaseAssets: readonly BundleAsset[],
  ) {
    this.boards = new Map(plan.boards.map((b) => [b.id, b]));
  }

  prepare(boardId: string): PreparedSlice | undefined {
    const board = this.boards.get(boardId);
    if (!board) return undefined;
    const { plan } = this;
    // Which schedules and announcements target the board: its class.
    let key = '';
    for (const s of plan.schedules) key += targetsBoard(s.boards, board) ? '1' : '0';
    for (const a of plan.announcements) key += targetsBoard(a.boards, board) ? '1' : '0';
    let shared = this.classes.get(key);
    if (!shared) {
      const parts = sliceParts(plan, board);
      const assets = assetsOfSlice(withBoard(parts, board), this.releaseAssets);
      const canonicalParts: Record<string, string> = {};
      for (const [name, value] of Object.entries(parts))
        canonicalParts[name] = canonicalJson(value);
      // A NUL never occurs in JSON text: it marks where the board goes.
      const [before = '', after = ''] = composeCanonical({ ...canonicalParts, boards: '\0' }).split(
        '\0',
      );
      const canonicalAssets = canonicalJson(assets);
      shared = {
        parts,
        encoded: {
          planAround: [Buffer.from(before, 'utf8'), Buffer.from(after, 'utf8')],
          assets: Buffer.from(canonicalAssets, 'utf8'),
        },
        planAround: [before, after],
        assets,
        canonicalAssets,
        // composeCanonical({ assets, plan }) around the board's text.
        hashedBytes: [
          Buffer.from(`{"assets":${canonicalAssets},"plan":${before}[`, 'utf8'),
          Buffer.from(`]${after}}`, 'utf8'),
        ],
      };
      this.classes.set(key, shared);
    }
    const canonicalBoard = canonicalJson(board);
    return new ClassSlice(shared, board, canonicalBoard, this.#hashOf(shared, canonicalBoard));
  }

  /**
   * sha256OfText(hashedAround[0] + board + hashedAround[1]), from the class's text encoded
   * once: only the board's own text is encoded for each board.
   */
  #hashOf(shared: SliceClass, canonicalBoard: string): string {
    const [before, after] = shared.hashedBytes;
    const length = before.length + Buffer.byteLength(canonicalBoard, 'utf8') + after.length;
    if (this.#scratch.length < length) this.#scratch = Buffer.allocUnsafeSlow(length * 2);
    const bytes = this.#scratch;
    bytes.set(before, 0);
    let at = before.length;
    at += bytes.write(canonicalBoard, at, 'utf8');
    bytes.set(after, at);
    return sha256OfBytes(bytes.subarray(0, at + after.length));
  }
}

/** A board's prepared slice: its own text and hash, the rest its class's. */
class ClassSlice implements PreparedSlice {
  constructor(
    private readonly shared: SliceClass,
    private readonly board: Board,
    readonly canonicalBoard: string,
    readonly hash: string,
  ) {}

  get planAround(): readonly [string, string] {
    return this.shared.planAround;
  }

  get canonicalAssets(): string {
    return this.shared.canonicalAssets;
  }

  get encoded(): SharedText<Uint8Array> {
    return this.shared.encoded;
  }

  get assets(): readonly BundleAsset[] {
    return this.shared.assets;
  }

  /** Made when asked (a bundle for a hello); a push needs only the text. */
  get slice(): PlanDocument {
    return withBoard(this.shared.parts, this.board);
  }
}

/** A prepared slice's bundle, unsigned. */
export function preparedBundle(
  prepared: PreparedSlice,
  version: number,
  releaseVersion: number,
): Omit<Bundle, 'signature'> {
  const board = prepared.slice.boards[0];
  if (!board) throw new Error('a slice always holds its board');
  return {
    format: BUNDLE_FORMAT,
    version,
    releaseVersion,
    hash: prepared.hash,
    boardId: board.id,
    board,
    plan: prepared.slice,
    assets: [...prepared.assets],
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
    format: BUNDLE_FORMAT,
    version,
    releaseVersion,
    hash: sliceHash(slice, assets),
    boardId: board.id,
    board,
    plan: slice,
    assets: [...assets],
  };
}
