import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  BUNDLE_FORMAT,
  BundleAssetSchema,
  compilePlan,
  PlanDocumentSchema,
  resolverFor,
  targetingOf,
  type BoardResolver,
  type Bundle,
  type BundleAsset,
  type CompiledPlan,
  type PlanDocument,
  problem,
} from '../../playlists/index.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import { ApiError } from '../http/errors.js';
import { approvedState } from '../plans/approval.js';
import { ApprovalKindSchema, type AppState, type ReleaseMeta } from '../state.js';
import { writeFileDurably } from '../store/durable-write.js';
import type { StateStore, StoreLogger } from '../store/index.js';
import {
  BundleFrameTemplate,
  PlanSlicer,
  preparedBundle,
  resolveAssets,
  type PreparedSlice,
  type SharedText,
} from './bundles.js';
import { canonicalJson, sha256OfText } from './canonical.js';
import { ReleaseTree } from './release-tree.js';
import type { TextPart } from './text-parts.js';
import type { ReleaseSigner } from './signing.js';

export const RELEASE_FORMAT = 'bangtin-release/1';

/** Who approved one item a release holds, at which revision. */
export const ReleaseApprovalSchema = z.strictObject({
  planId: z.string(),
  kind: ApprovalKindSchema,
  id: z.string(),
  revision: z.int().positive(),
  approvedBy: z.string(),
  approvedAt: z.string(),
  authors: z.array(z.string()),
  urgent: z.literal(true).optional(),
});
export type ReleaseApproval = z.infer<typeof ReleaseApprovalSchema>;

/** An item of the working copies that a release does not hold, and why. */
export const WithheldSchema = z.strictObject({
  planId: z.string(),
  kind: ApprovalKindSchema,
  id: z.string(),
  /** Never approved; or approved but it refers to something that was not published. */
  reason: z.enum(['not_approved', 'references_withheld']),
});
export type Withheld = z.infer<typeof WithheldSchema>;

export const ReleaseFileSchema = z.strictObject({
  format: z.literal(RELEASE_FORMAT),
  version: z.int().positive(),
  createdAt: z.string(),
  publishedBy: z.string(),
  planIds: z.array(z.string()),
  note: z.string().optional(),
  approvers: z.array(z.string()).optional(),
  /** Absent in releases made before state version 4 (the `bundles` list says the same). */
  boards: z.int().min(0).optional(),
  changedBoards: z.int().min(0).optional(),
  hash: z.string(),
  plans: z.array(PlanDocumentSchema),
  assets: z.array(BundleAssetSchema),
  bundles: z.record(z.string(), z.strictObject({ version: z.int().positive(), hash: z.string() })),
  /** Absent in releases made before approval existed. */
  approvals: z.array(ReleaseApprovalSchema).optional(),
  withheld: z.array(WithheldSchema).optional(),
});
export type ReleaseFile = z.infer<typeof ReleaseFileSchema>;

/** The latest release, compiled for resolution. */
export interface CurrentRelease {
  readonly meta: ReleaseMeta;
  readonly plans: readonly PlanDocument[];
  readonly assets: readonly BundleAsset[];
  readonly compiled: ReadonlyMap<string, CompiledPlan>;
  /** Which plan each board belongs to. */
  readonly boardPlan: ReadonlyMap<string, string>;
  /** Each board's bundle: the release its slice last changed in, and the slice's hash. */
  readonly bundles: Readonly<ReleaseFile['bundles']>;
  /** The Merkle tree of its bundles and the release key's signature of its root. */
  readonly tree: ReleaseTree;
  readonly rootSignature: string;
}

/** What a publish freezes, who approved it, and what it leaves out. */
export interface PublishSelection {
  plans: PlanDocument[];
  approvals: ReleaseApproval[];
  withheld: Withheld[];
}

/** Chooses what a publish freezes: by default the approved state (`plans/approval.ts`). */
export interface PublishSource {
  select(state: Readonly<AppState>): PublishSelection;
}

/** A published release as the publish route answers it: its index entry and what it left out. */
export type Published = ReleaseMeta & { withheld: Withheld[] };

/** The content hash of a release: equal content, equal hash, whatever the key order. */
export function hashRelease(
  plans: readonly PlanDocument[],
  assets: readonly BundleAsset[],
): string {
  return releaseHashOf(canonicalJson(plans), canonicalJson(assets));
}

/** hashRelease from the canonical JSON of the plans and of the assets. */
function releaseHashOf(plansJson: string, assetsJson: string): string {
  return sha256OfText(`{"assets":${assetsJson},"plans":${plansJson}}`);
}

function fileName(version: number): string {
  return `${String(version).padStart(6, '0')}.json`;
}

/** Immutable numbered releases: each one a file written once, indexed in the state. */
export class ReleaseService {
  private currentRelease: CurrentRelease | undefined;
  private publishing: Promise<unknown> = Promise.resolve();
  private readonly resolvers = new Map<string, BoardResolver>();
  private representatives: string[] | undefined;
  private readonly bundles = new Map<string, Bundle>();
  private readonly slicers = new Map<string, PlanSlicer>();
  /** Slices a publish prepared for the boards it changed, until their bundles are built. */
  private readonly prepared = new Map<string, PreparedSlice>();
  /** The current release's frame templates, by the text around and by slice class. */
  private readonly frameTemplates = new Map<
    readonly [string, string],
    Map<SharedText<Uint8Array>, BundleFrameTemplate>
  >();

  constructor(
    private readonly deps: {
      store: StateStore<AppState>;
      clock: Clock;
      events: EventBus;
      logger: StoreLogger;
      dir: string;
      signer: ReleaseSigner;
      source?: PublishSource;
    },
  ) {}

  /** Loads the latest release whose file is intact (checked against its hash). */
  async load(): Promise<void> {
    await mkdir(this.deps.dir, { recursive: true });
    const metas = [...this.deps.store.read().releases].sort((a, b) => b.version - a.version);
    for (const meta of metas) {
      const file = await this.readFile(meta.version).catch((error: unknown) => {
        this.deps.logger.error({ err: error, version: meta.version }, 'release file unreadable');
        return undefined;
      });
      if (file && file.hash === meta.hash && hashRelease(file.plans, file.assets) === meta.hash) {
        this.install(this.compile(meta, file.plans, file.assets, file.bundles));
        return;
      }
      this.deps.logger.error({ version: meta.version }, 'release file does not match its hash');
    }
  }

  /** A release compiled for resolution, with its signed tree: nothing installed yet. */
  private compile(
    meta: ReleaseMeta,
    plans: PlanDocument[],
    assets: BundleAsset[],
    bundles: ReleaseFile['bundles'],
  ): CurrentRelease {
    const compiled = new Map(plans.map((p) => [p.plan.id, compilePlan(p)]));
    const boardPlan = new Map<string, string>();
    for (const p of plans) for (const b of p.boards) boardPlan.set(b.id, p.plan.id);
    // One signature per release: every bundle proves itself by its path to the signed root.
    const tree = ReleaseTree.build(BUNDLE_FORMAT, meta.version, bundles);
    const rootSignature = this.deps.signer.signText(tree.rootText());
    return { meta, plans, assets, compiled, boardPlan, bundles, tree, rootSignature };
  }

  /** Makes `release` the current one, with the slicers and slices its publish prepared. */
  private install(
    release: CurrentRelease,
    prepared?: { slicers: Map<string, PlanSlicer>; changed: Map<string, PreparedSlice> },
  ): void {
    this.currentRelease = release;
    this.resolvers.clear();
    this.representatives = undefined;
    this.bundles.clear();
    this.slicers.clear();
    this.prepared.clear();
    this.frameTemplates.clear();
    for (const [id, slicer] of prepared?.slicers ?? []) this.slicers.set(id, slicer);
    for (const [id, slice] of prepared?.changed ?? []) this.prepared.set(id, slice);
  }

  private slicer(planId: string): PlanSlicer | undefined {
    const hit = this.slicers.get(planId);
    if (hit) return hit;
    const release = this.currentRelease;
    const plan = release?.plans.find((p) => p.plan.id === planId);
    if (!release || !plan) return undefined;
    const slicer = new PlanSlicer(plan, release.assets);
    this.slicers.set(planId, slicer);
    return slicer;
  }

  /** The hash of a board's current bundle, known without building (and signing) the bundle. */
  bundleHash(boardId: string): string | undefined {
    return this.currentRelease?.bundles[boardId]?.hash;
  }

  /**
   * A board's bundle as JSON text (canonicalJson of `bundle(boardId)`), wrapped in the text of
   * the message that carries it (`around`), in the flat pieces it is composed of: what a
   * publish pushes (encoded into one buffer). It is composed from the canonical parts its
   * hash was made from rather than serialized again, and all but the board's own values come
   * from its slice class's frame template (BundleFrameTemplate), encoded once per release.
   * Nothing per board is kept, so a publish to 10,000 boards leaves little for the collector.
   * Templates are kept per `around` array: pass the same array each time.
   */
  bundleTextParts(boardId: string, around: readonly [string, string]): TextPart[] | undefined {
    const made = this.make(boardId);
    if (!made) return undefined;
    const { prepared, head, release } = made;
    const proof = release.tree.proofJson(boardId);
    if (!proof) throw new Error(`board ${boardId} has no leaf in its release's tree`);
    return this.frameTemplate(release, prepared.encoded, around).parts({
      board: prepared.canonicalBoard,
      boardId,
      hash: head.hash,
      version: head.version,
      index: proof.index,
      proof: proof.json,
    });
  }

  /** The frame template of a slice class in the current release, made once. */
  private frameTemplate(
    release: CurrentRelease,
    shared: SharedText<Uint8Array>,
    around: readonly [string, string],
  ): BundleFrameTemplate {
    let templates = this.frameTemplates.get(around);
    if (!templates) {
      templates = new Map();
      this.frameTemplates.set(around, templates);
    }
    let template = templates.get(shared);
    if (!template) {
      template = BundleFrameTemplate.build({
        around,
        shared,
        releaseVersion: release.meta.version,
        size: release.tree.size,
        signatureJson: JSON.stringify(release.rootSignature),
      });
      templates.set(shared, template);
    }
    return template;
  }

  /** A board's bundle of the latest release, built once per release (for hellos). */
  bundle(boardId: string): Bundle | undefined {
    const hit = this.bundles.get(boardId);
    if (hit) return hit;
    const made = this.make(boardId);
    if (!made) return undefined;
    const { prepared, head, release } = made;
    const signature = release.tree.signatureOf(boardId, release.rootSignature);
    if (!signature) throw new Error(`board ${boardId} has no leaf in its release's tree`);
    const bundle: Bundle = {
      ...preparedBundle(prepared, head.version, head.releaseVersion),
      signature,
    };
    this.bundles.set(boardId, bundle);
    return bundle;
  }

  /** A board's prepared slice (kept from the publish, or made again) and its bundle's head. */
  private make(boardId: string):
    | {
        prepared: PreparedSlice;
        head: Omit<Bundle, 'board' | 'plan' | 'assets' | 'signature'>;
        release: CurrentRelease;
      }
    | undefined {
    const release = this.currentRelease;
    if (!release) return undefined;
    const planId = release.boardPlan.get(boardId);
    const prepared =
      this.prepared.get(boardId) ??
      (planId === undefined ? undefined : this.slicer(planId)?.prepare(boardId));
    if (!prepared) return undefined;
    this.prepared.delete(boardId);
    const entry = release.bundles[boardId];
    if (!entry || prepared.hash !== entry.hash) {
      throw new Error(
        `board ${boardId}'s bundle is not the one release ${release.meta.version} holds`,
      );
    }
    return {
      prepared,
      release,
      head: {
        format: BUNDLE_FORMAT,
        version: entry.version,
        releaseVersion: release.meta.version,
        hash: prepared.hash,
        boardId,
      },
    };
  }

  /** The key players verify bundles with. */
  get publicKey(): string {
    return this.deps.signer.publicKey;
  }

  current(): CurrentRelease | undefined {
    return this.currentRelease;
  }

  /** The resolver of a board in the latest release, reused between calls. */
  resolver(boardId: string): BoardResolver | undefined {
    const release = this.currentRelease;
    if (!release) return undefined;
    const hit = this.resolvers.get(boardId);
    if (hit) return hit;
    const planId = release.boardPlan.get(boardId);
    const plan = planId === undefined ? undefined : release.compiled.get(planId);
    const resolver = plan ? resolverFor(plan, boardId) : undefined;
    if (resolver) this.resolvers.set(boardId, resolver);
    return resolver;
  }

  /**
   * One board of each group whose regimes are the same at every instant (the same plan, the
   * same schedules and announcements targeting them; resolver.ts, targetingOf): what looks for
   * the next regime change of any board needs to ask only these. A province's thousands of
   * boards are a handful of groups.
   */
  regimeRepresentatives(): readonly string[] {
    const release = this.currentRelease;
    if (!release) return [];
    if (this.representatives) return this.representatives;
    const seen = new Set<string>();
    const representatives: string[] = [];
    for (const [planId, plan] of release.compiled) {
      for (const board of plan.boards.values()) {
        const key = `${planId}\0${targetingOf(plan, board)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        representatives.push(board.id);
      }
    }
    this.representatives = representatives;
    return representatives;
  }

  list(): ReleaseMeta[] {
    return [...this.deps.store.read().releases].sort((a, b) => b.version - a.version);
  }

  async readFile(version: number): Promise<ReleaseFile> {
    const text = await readFile(path.join(this.deps.dir, fileName(version)), 'utf8');
    return ReleaseFileSchema.parse(JSON.parse(text));
  }

  /** Freezes the publishable state as the next release; one publish at a time. */
  async publish(userId: string, note?: string): Promise<Published> {
    const run = this.publishing.then(() => this.publishNow(userId, note));
    this.publishing = run.catch(() => undefined);
    return run;
  }

  /**
   * Makes `change` (an edit that lands approved: the urgent paths) and publishes it, with no
   * other publish in between: another approver's publish can neither ship the change first (so
   * that this one found "nothing changed" and undid what was live) nor come between a failed
   * publish and `undo`, which puts the state back as it was.
   */
  async publishChange<T>(
    userId: string,
    note: string,
    change: () => Promise<T>,
    undo: () => Promise<unknown>,
  ): Promise<{ changed: T; release: Published }> {
    const run = this.publishing.then(async () => {
      const changed = await change();
      try {
        return { changed, release: await this.publishNow(userId, note) };
      } catch (error) {
        await undo().catch((undoError: unknown) => {
          this.deps.logger.error(
            { err: undoError },
            'could not undo a change that was not published',
          );
        });
        throw error;
      }
    });
    this.publishing = run.catch(() => undefined);
    return run;
  }

  private async publishNow(userId: string, note: string | undefined): Promise<Published> {
    const { store, clock, events, dir } = this.deps;
    const source = this.deps.source ?? approvedState;
    const state = store.read();
    const { plans, approvals, withheld } = source.select(state);
    const { assets, problems } = resolveAssets(plans, state.assets);
    if (problems.length > 0) {
      throw new ApiError('conflict', 'some banners name assets that were never uploaded', problems);
    }
    // Canonical, for the hash; the release file holds the same text.
    const plansJson = canonicalJson(plans);
    const assetsJson = canonicalJson(assets);
    const hash = releaseHashOf(plansJson, assetsJson);
    const previous = this.currentRelease;
    if (previous && previous.meta.hash === hash) {
      const version = previous.meta.version;
      throw new ApiError(
        'conflict',
        `nothing changed since release ${version}; there is nothing to publish`,
        [problem('$', 'nothing_to_publish', { version }, `release ${version} holds it already`)],
      );
    }
    const version = state.releases.reduce((max, r) => Math.max(max, r.version), 0) + 1;
    // A board's bundle keeps its version while its slice is unchanged, so a publish
    // that does not concern a board sends it nothing.
    const bundles: ReleaseFile['bundles'] = {};
    const changedBoards: string[] = [];
    const slicers = new Map<string, PlanSlicer>();
    const changed = new Map<string, PreparedSlice>();
    for (const plan of plans) {
      const slicer = new PlanSlicer(plan, assets);
      slicers.set(plan.plan.id, slicer);
      for (const board of plan.boards) {
        const slice = slicer.prepare(board.id);
        if (!slice) continue;
        const before = previous?.bundles[board.id];
        const same = before?.hash === slice.hash;
        bundles[board.id] = { version: same ? before.version : version, hash: slice.hash };
        if (!same) {
          changedBoards.push(board.id);
          changed.set(board.id, slice);
        }
      }
    }
    const meta: ReleaseMeta = {
      version,
      hash,
      createdAt: new Date(clock.now()).toISOString(),
      publishedBy: userId,
      planIds: plans.map((p) => p.plan.id),
      ...(note === undefined ? {} : { note }),
      approvers: [...new Set(approvals.map((a) => a.approvedBy))].sort(),
      boards: Object.keys(bundles).length,
      changedBoards: changedBoards.length,
    };
    const file: Omit<ReleaseFile, 'plans' | 'assets'> = {
      format: RELEASE_FORMAT,
      ...meta,
      bundles,
      approvals,
      withheld,
    };
    // The file is durable before the index names it, so a crash never leaves a dangling release.
    // Its plans and assets are the canonical text the hash was made from, not serialized again.
    const written = writeFileDurably(path.join(dir, fileName(version)), [
      JSON.stringify(file).slice(0, -1),
      ',"plans":',
      plansJson,
      ',"assets":',
      assetsJson,
      '}',
    ]);
    // The tree and its signature are built while the file's writes and syncs are under way:
    // nothing is installed, and no board sent anything, until the file is durable and indexed.
    let release: CurrentRelease;
    try {
      release = this.compile(meta, plans, assets, bundles);
    } finally {
      await written;
    }
    await store.update((draft) => {
      draft.releases.push(meta);
    });
    this.install(release, { slicers, changed });
    events.emit({
      type: 'release:published',
      version,
      hash,
      atMs: clock.now(),
      boardIds: changedBoards.sort(),
    });
    return { ...meta, withheld };
  }
}
