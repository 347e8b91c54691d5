import { z } from 'zod';
import {
  canonicalJson,
  IdSchema,
  validatePlan,
  type PlanDocument,
  problem,
  type Problem,
  type ProblemCode,
  type ProblemParamsByCode,
  type Targets,
} from '../../playlists/index.js';
import type { Clock } from '../clock.js';
import { ApiError } from '../http/errors.js';
import { assetLookup, assetUrl } from '../releases/bundles.js';
import type {
  PublishSelection,
  PublishSource,
  ReleaseApproval,
  Withheld,
} from '../releases/service.js';
import {
  APPROVAL_KINDS,
  ApprovalKindSchema,
  type AppState,
  type Asset,
  type ApprovalKind,
  type ApprovalRecord,
  type ApprovalStatus,
  type Settings,
} from '../state.js';
import type { StateStore } from '../store/index.js';

/** Who made a change, and how the items it changes land in the approval workflow. */
export interface EditContext {
  /** A user id, or `system`. */
  readonly by: string;
  /**
   * Default `pending` (submitted with the edit). `draft` keeps the change out of the approval
   * queue until it is submitted. `approved` is for trusted callers only: the urgent path and the
   * first start's demo plans.
   */
  readonly land?: 'draft' | 'pending' | 'approved';
  /** Marks an `approved` landing as issued through the urgent path. */
  readonly urgent?: boolean;
}

/** One item of a plan, named by its kind and id. */
export const ItemRefSchema = z.strictObject({ kind: ApprovalKindSchema, id: IdSchema });
export type ItemRef = z.infer<typeof ItemRefSchema>;

/** An item at the revision its approver saw: approving a later edit needs another look. */
export const RevisionRefSchema = ItemRefSchema.extend({ revision: z.int().positive() });
export type RevisionRef = z.infer<typeof RevisionRefSchema>;

/** An author or approver as the queue shows them. */
export interface PersonRef {
  userId: string;
  username?: string;
}

/** A banner's image as the queue shows it, to preview beside the other version's. */
export interface ImageRef {
  name: string;
  sha256: string;
  url: string;
  type: Asset['type'];
  size: number;
  width: number;
  height: number;
}

function imageRef(asset: Asset): ImageRef {
  const { name, sha256, type, size, width, height } = asset;
  return { name, sha256, url: assetUrl(sha256), type, size, width, height };
}

/** An item in the approval queue: the version waiting for approval beside the approved one. */
export interface QueueEntry {
  planId: string;
  kind: ApprovalKind;
  id: string;
  status: ApprovalStatus;
  revision: number;
  authors: PersonRef[];
  changedAt: string;
  submittedAt?: string;
  rejection?: { revision: number; by: PersonRef; at: string; reason: string };
  /** The working version, the one to approve. */
  pending: unknown;
  /**
   * For a banner: the image the working version shows (the file its asset name means now),
   * the one an approval pins; null when no such file was uploaded.
   */
  pendingAsset?: ImageRef | null;
  /**
   * The last approved version, which publishing ships meanwhile; null if never approved. For a
   * banner, `asset` is the image that was approved with it (null if none was).
   */
  approved: {
    revision: number;
    value: unknown;
    by: PersonRef;
    at: string;
    urgent?: true;
    asset?: ImageRef | null;
  } | null;
}

/** An item's place in the workflow, as `GET /api/plans/:planId` reports it. */
export interface ItemApproval {
  status: ApprovalStatus;
  revision: number;
  approvedRevision: number | null;
  authors: string[];
}

export type PlanApproval = Record<ApprovalKind, Record<string, ItemApproval>>;

function keyOf(planId: string, kind: string, id: string): string {
  return `${planId}\u0000${kind}\u0000${id}`;
}

function indexRecords(records: readonly ApprovalRecord[]): Map<string, ApprovalRecord> {
  return new Map(records.map((r) => [keyOf(r.planId, r.kind, r.id), r]));
}

function itemsOf(doc: PlanDocument, kind: ApprovalKind): readonly { id: string }[] {
  return doc[kind];
}

/** The asset reference of a banner (a content item of kind banner), else undefined. */
function bannerAsset(kind: ApprovalKind, value: unknown): string | undefined {
  if (kind !== 'content') return undefined;
  const content = value as { kind?: unknown; asset?: unknown };
  return content.kind === 'banner' && typeof content.asset === 'string' ? content.asset : undefined;
}

/**
 * Makes `record` approved at its current revision with this value. A banner is pinned to the
 * image its asset reference means now: what its approver saw at this revision, since every upload
 * that changes that image makes a new revision (recordImageChange).
 */
function markApproved(
  record: ApprovalRecord,
  value: unknown,
  by: string,
  atIso: string,
  urgent: boolean,
  assets: readonly Asset[],
): void {
  const reference = bannerAsset(record.kind, value);
  const image = reference === undefined ? undefined : assetLookup(assets)(reference);
  // The value is the working item of the record's own kind; the store re-validates the state.
  Object.assign(record, {
    status: 'approved',
    approved: {
      revision: record.revision,
      value: structuredClone(value),
      authors: [...record.authors],
      by,
      at: atIso,
      ...(urgent ? { urgent: true } : {}),
      ...(image ? { asset: { sha256: image.sha256 } } : {}),
    },
  });
  delete record.rejection;
  delete record.submittedAt;
}

/** A changed item's record lands as pending, draft, or approved (for trusted callers). */
function land(
  state: AppState,
  record: ApprovalRecord,
  value: unknown,
  edit: EditContext,
  atIso: string,
): void {
  const to = edit.land ?? 'pending';
  record.changedAt = atIso;
  if (to === 'approved') {
    markApproved(record, value, edit.by, atIso, edit.urgent === true, state.assets);
  } else {
    record.status = to;
    if (to === 'pending') record.submittedAt = atIso;
    else delete record.submittedAt;
  }
}

/** The next revision of an existing record, with `by` among its authors. */
function nextRevision(record: ApprovalRecord, by: string): void {
  // After an approval a new round of authorship begins; before it, every author counts.
  record.authors = record.status === 'approved' ? [by] : [...new Set([...record.authors, by])];
  record.revision = record.revision + 1;
}

/**
 * Brings the approval records of one plan in line with an edit of its working copy: a changed or
 * new item lands as pending (or draft, or approved for trusted callers), a removed one loses its
 * record; unchanged items keep theirs. Runs inside the edit's store update, so both are one change.
 *
 * Revisions never repeat for a (plan, kind, id): a removed item's last revision is kept in
 * `state.lastRevisions`, and an item created again with its kind and id goes on from there. So an
 * approval of "revision n" can only ever approve the version its approver saw as revision n.
 */
export function recordChanges(
  state: AppState,
  planId: string,
  before: PlanDocument | undefined,
  after: PlanDocument | undefined,
  edit: EditContext,
  atIso: string,
): void {
  const index = indexRecords(state.approvals);
  const last = new Map(state.lastRevisions.map((r) => [keyOf(r.planId, r.kind, r.id), r]));
  const kept = new Set<string>();
  const added: ApprovalRecord[] = [];
  for (const kind of APPROVAL_KINDS) {
    const previous = new Map(
      (before ? itemsOf(before, kind) : []).map((item) => [item.id, canonicalJson(item)]),
    );
    for (const item of after ? itemsOf(after, kind) : []) {
      const key = keyOf(planId, kind, item.id);
      kept.add(key);
      const record = index.get(key);
      if (record && previous.get(item.id) === canonicalJson(item)) continue;
      let next: ApprovalRecord;
      if (record) {
        next = record;
        nextRevision(next, edit.by);
      } else {
        next = {
          planId,
          kind,
          id: item.id,
          status: 'pending',
          revision: (last.get(key)?.revision ?? 0) + 1,
          authors: [edit.by],
          changedAt: atIso,
        };
        last.delete(key);
        added.push(next);
      }
      land(state, next, item, edit, atIso);
    }
  }
  const removed = state.approvals.filter(
    (r) => r.planId === planId && !kept.has(keyOf(r.planId, r.kind, r.id)),
  );
  for (const { planId: p, kind, id, revision } of removed) {
    last.set(keyOf(p, kind, id), { planId: p, kind, id, revision });
  }
  if (removed.length > 0 || added.length > 0) state.lastRevisions = [...last.values()];
  state.approvals = [
    ...state.approvals.filter(
      (r) => r.planId !== planId || kept.has(keyOf(r.planId, r.kind, r.id)),
    ),
    ...added,
  ];
}

/**
 * An upload changed the image behind an asset name: every banner (of every plan) that refers to
 * it by that name shows something nobody approved, so each gets a new revision, authored by the
 * uploader and pending approval. What was approved (pinned to its image) is still what a
 * publish ships meanwhile. Runs inside the upload's store update.
 */
export function recordImageChange(state: AppState, name: string, by: string, atIso: string): void {
  const index = indexRecords(state.approvals);
  for (const doc of state.plans) {
    for (const item of doc.content) {
      if (item.kind !== 'banner' || item.asset !== name) continue;
      const record = index.get(keyOf(doc.plan.id, 'content', item.id));
      if (!record) continue;
      nextRevision(record, by);
      land(state, record, item, { by }, atIso);
    }
  }
}

/** A Targets value with the ids of boards the plan no longer has taken out. */
function knownTargets(targets: Targets | undefined, boardIds: ReadonlySet<string>) {
  if (targets?.ids === undefined) return targets;
  return { ...targets, ids: targets.ids.filter((id) => boardIds.has(id)) };
}

/**
 * What a publish freezes: each plan's header, phases and boards as they stand (technical data),
 * and for content, playlists, schedules and announcements the last approved version of each
 * item. An item never approved is left out, and so is whatever can no longer stand without what
 * was left out: a playlist drops entries whose content is not published (and goes if none is
 * left), a schedule goes if its playlist or phase is not published, and a target loses the ids of
 * boards the plan no longer has.
 */
export function selectApproved(state: Readonly<AppState>): PublishSelection {
  const index = indexRecords(state.approvals);
  const assetFor = assetLookup(state.assets);
  const plans: PlanDocument[] = [];
  const approvals: ReleaseApproval[] = [];
  const withheld: Withheld[] = [];

  for (const doc of state.plans) {
    const planId = doc.plan.id;
    const approvedOf = <T extends { id: string }>(kind: ApprovalKind, item: T) => {
      const record = index.get(keyOf(planId, kind, item.id));
      if (!record?.approved) {
        withheld.push({ planId, kind, id: item.id, reason: 'not_approved' });
        return undefined;
      }
      return { record, value: structuredClone(record.approved.value) as unknown as T };
    };
    const published: { record: ApprovalRecord }[] = [];
    const keep = <T>(found: { record: ApprovalRecord; value: T }): T => {
      published.push(found);
      return found.value;
    };
    const lost = (kind: ApprovalKind, id: string) => {
      withheld.push({ planId, kind, id, reason: 'references_withheld' });
    };
    const boardIds = new Set(doc.boards.map((b) => b.id));
    const phaseIds = new Set(doc.phases.map((p) => p.id));

    const content = doc.content.flatMap((item) => {
      const found = approvedOf('content', item);
      if (!found) return [];
      if (found.value.kind !== 'banner') return [keep(found)];
      // A banner shows the image approved with it. When its name means that file still, the
      // name is published (the release resolves it from the same state); otherwise the file is
      // named by its hash. A banner approved without a file has no image anyone approved.
      const pinned = found.record.approved?.asset?.sha256;
      if (pinned === undefined) {
        withheld.push({ planId, kind: 'content', id: item.id, reason: 'not_approved' });
        return [];
      }
      if (assetFor(found.value.asset)?.sha256 !== pinned) {
        found.value = { ...found.value, asset: `sha256:${pinned}` };
      }
      return [keep(found)];
    });
    const contentIds = new Set(content.map((c) => c.id));
    const playlists = doc.playlists.flatMap((item) => {
      const found = approvedOf('playlists', item);
      if (!found) return [];
      const items = found.value.items.filter((entry) =>
        contentIds.has(typeof entry === 'string' ? entry : entry.content),
      );
      if (items.length === 0) {
        lost('playlists', item.id);
        return [];
      }
      return [{ ...keep(found), items }];
    });
    const playlistIds = new Set(playlists.map((p) => p.id));
    const schedules = doc.schedules.flatMap((item) => {
      const found = approvedOf('schedules', item);
      if (!found) return [];
      const value = found.value;
      if (
        !playlistIds.has(value.playlist) ||
        (value.phase !== undefined && !phaseIds.has(value.phase))
      ) {
        lost('schedules', item.id);
        return [];
      }
      const boards = knownTargets(value.boards, boardIds);
      return [{ ...keep(found), ...(boards ? { boards } : {}) }];
    });
    const announcements = doc.announcements.flatMap((item) => {
      const found = approvedOf('announcements', item);
      if (!found) return [];
      const boards = knownTargets(found.value.boards, boardIds);
      return [{ ...keep(found), ...(boards ? { boards } : {}) }];
    });

    const candidate = { ...structuredClone(doc), content, playlists, schedules, announcements };
    const result = validatePlan(candidate);
    if (!result.ok) {
      // Every reference was checked above; a problem here is a bug, never something to ship.
      throw new Error(
        `the approved state of plan "${planId}" does not validate: ${JSON.stringify(result.problems)}`,
      );
    }
    plans.push(result.plan);
    for (const { record } of published) {
      const approved = record.approved;
      if (!approved) continue;
      approvals.push({
        planId,
        kind: record.kind,
        id: record.id,
        revision: approved.revision,
        approvedBy: approved.by,
        approvedAt: approved.at,
        authors: approved.authors,
        ...(approved.urgent ? { urgent: true as const } : {}),
      });
    }
  }
  return { plans, approvals, withheld };
}

/** Publishing freezes approved state only. */
export const approvedState: PublishSource = { select: selectApproved };

function refProblem<C extends ProblemCode>(
  ref: ItemRef,
  code: C,
  params: ProblemParamsByCode[C],
  message: string,
): Problem {
  return problem(`${ref.kind}/${ref.id}`, code, params, message);
}

/** The approval queue, the approve and reject decisions, and the four-eyes setting. */
export class ApprovalService {
  constructor(
    private readonly store: StateStore<AppState>,
    private readonly clock: Clock,
  ) {}

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private person(userId: string): PersonRef {
    const user = this.store.read().users.find((u) => u.id === userId);
    return user ? { userId, username: user.username } : { userId };
  }

  /** Items in the workflow (default: pending ones), oldest change first. */
  queue(filter: { planId?: string; status?: ApprovalStatus } = {}): QueueEntry[] {
    const state = this.store.read();
    const status = filter.status ?? 'pending';
    const docs = new Map(state.plans.map((p) => [p.plan.id, p]));
    const assetFor = assetLookup(state.assets);
    const imageOf = (reference: string | undefined): ImageRef | null => {
      const asset = reference === undefined ? undefined : assetFor(reference);
      return asset ? imageRef(asset) : null;
    };
    return state.approvals
      .filter((r) => r.status === status && (filter.planId ?? r.planId) === r.planId)
      .sort((a, b) => a.changedAt.localeCompare(b.changedAt))
      .map((r) => {
        const doc = docs.get(r.planId);
        const pending = doc ? itemsOf(doc, r.kind).find((item) => item.id === r.id) : undefined;
        const pendingReference = bannerAsset(r.kind, pending);
        const pendingImage = pendingReference === undefined ? undefined : imageOf(pendingReference);
        return {
          planId: r.planId,
          kind: r.kind,
          id: r.id,
          status: r.status,
          revision: r.revision,
          authors: r.authors.map((a) => this.person(a)),
          changedAt: r.changedAt,
          ...(r.submittedAt === undefined ? {} : { submittedAt: r.submittedAt }),
          ...(r.rejection
            ? { rejection: { ...r.rejection, by: this.person(r.rejection.by) } }
            : {}),
          pending: pending ?? null,
          ...(pendingImage === undefined ? {} : { pendingAsset: pendingImage }),
          approved: r.approved
            ? {
                revision: r.approved.revision,
                value: r.approved.value,
                by: this.person(r.approved.by),
                at: r.approved.at,
                ...(r.approved.urgent ? { urgent: true as const } : {}),
                ...(bannerAsset(r.kind, r.approved.value) === undefined
                  ? {}
                  : { asset: imageOf(r.approved.asset && `sha256:${r.approved.asset.sha256}`) }),
              }
            : null,
        };
      });
  }

  /** The workflow status of every item of a plan, by kind and id. */
  planStatus(planId: string): PlanApproval {
    const status = Object.fromEntries(APPROVAL_KINDS.map((k) => [k, {}])) as PlanApproval;
    for (const r of this.store.read().approvals) {
      if (r.planId !== planId) continue;
      status[r.kind][r.id] = {
        status: r.status,
        revision: r.revision,
        approvedRevision: r.approved?.revision ?? null,
        authors: r.authors,
      };
    }
    return status;
  }

  settings(): Settings {
    return this.store.read().settings;
  }

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    return this.store.update((state) => {
      if (patch.fourEyes !== undefined) state.settings.fourEyes = patch.fourEyes;
      return state.settings;
    });
  }

  /** draft (or rejected) → pending; without refs, every draft and rejected item of the plan. */
  async submit(planId: string, refs: readonly ItemRef[] | undefined): Promise<RevisionRef[]> {
    return this.store.update((state) => {
      if (!state.plans.some((p) => p.plan.id === planId)) {
        throw new ApiError('not_found', `no plan "${planId}"`);
      }
      const index = indexRecords(state.approvals.filter((r) => r.planId === planId));
      const chosen = refs
        ? refs.map((ref) => ({ ref, record: index.get(keyOf(planId, ref.kind, ref.id)) }))
        : [...index.values()]
            .filter((r) => r.status === 'draft' || r.status === 'rejected')
            .map((record) => ({ ref: { kind: record.kind, id: record.id }, record }));
      if (chosen.length === 0) {
        throw new ApiError('conflict', 'nothing to submit', [
          problem('$.body', 'nothing_to_submit', {}, 'no draft or rejected item to submit'),
        ]);
      }
      const missing = chosen
        .filter((c) => !c.record)
        .map((c) => refProblem(c.ref, 'item_not_found', {}, 'not found'));
      if (missing.length > 0) throw new ApiError('not_found', 'no such item', missing);
      const wrong = chosen
        .filter((c) => c.record?.status !== 'draft' && c.record?.status !== 'rejected')
        .map((c) =>
          refProblem(
            c.ref,
            'item_status',
            { status: c.record?.status ?? 'unknown', expected: ['draft', 'rejected'] },
            `is ${c.record?.status ?? 'unknown'}, not draft or rejected`,
          ),
        );
      if (wrong.length > 0) throw new ApiError('conflict', 'only drafts can be submitted', wrong);
      const at = this.nowIso();
      return chosen.flatMap(({ record }) => {
        if (!record) return [];
        record.status = 'pending';
        record.submittedAt = at;
        return [{ kind: record.kind, id: record.id, revision: record.revision }];
      });
    });
  }

  /** pending → approved, all or nothing; four-eyes unless an admin relaxed it. */
  async approve(planId: string, refs: readonly RevisionRef[], approverId: string): Promise<void> {
    const itemOf = (record: ApprovalRecord, doc: PlanDocument) => {
      const item = itemsOf(doc, record.kind).find((i) => i.id === record.id);
      if (!item) throw new Error(`approval record without its item: ${record.kind}/${record.id}`);
      return item;
    };
    await this.decide(
      planId,
      refs,
      approverId,
      (record, doc, at, state) => {
        markApproved(record, itemOf(record, doc), approverId, at, false, state.assets);
      },
      // A banner whose file was never uploaded has no image to approve.
      (ref, record, doc, state) => {
        const reference = bannerAsset(record.kind, itemOf(record, doc));
        if (reference === undefined || assetLookup(state.assets)(reference)) return [];
        return [
          refProblem(
            ref,
            'asset_missing',
            { plan: planId, asset: reference },
            `no uploaded asset "${reference}": upload the image before approving the banner`,
          ),
        ];
      },
    );
  }

  /** pending → rejected with a reason; the approved version (if any) stays what is published. */
  async reject(
    planId: string,
    refs: readonly RevisionRef[],
    approverId: string,
    reason: string,
  ): Promise<void> {
    await this.decide(planId, refs, approverId, (record, _doc, at) => {
      record.status = 'rejected';
      record.rejection = { revision: record.revision, by: approverId, at, reason };
      delete record.submittedAt;
    });
  }

  private async decide(
    planId: string,
    refs: readonly RevisionRef[],
    approverId: string,
    apply: (record: ApprovalRecord, doc: PlanDocument, atIso: string, state: AppState) => void,
    check?: (
      ref: RevisionRef,
      record: ApprovalRecord,
      doc: PlanDocument,
      state: AppState,
    ) => Problem[],
  ): Promise<void> {
    await this.store.update((state) => {
      const doc = state.plans.find((p) => p.plan.id === planId);
      if (!doc) throw new ApiError('not_found', `no plan "${planId}"`);
      const index = indexRecords(state.approvals.filter((r) => r.planId === planId));
      const found = refs.map((ref) => ({
        ref,
        record: index.get(keyOf(planId, ref.kind, ref.id)),
      }));
      const missing = found
        .filter((f) => !f.record)
        .map((f) => refProblem(f.ref, 'item_not_found', {}, 'not found'));
      if (missing.length > 0) throw new ApiError('not_found', 'no such item', missing);
      const records = found.flatMap((f) => (f.record ? [{ ref: f.ref, record: f.record }] : []));
      if (state.settings.fourEyes) {
        const own = records
          .filter(({ record }) => record.authors.includes(approverId))
          .map(({ ref }) =>
            refProblem(ref, 'own_change', {}, 'you changed it: another approver must decide'),
          );
        if (own.length > 0) {
          throw new ApiError('forbidden', 'four-eyes: nobody decides on their own changes', own);
        }
      }
      const stale = records.flatMap(({ ref, record }) => {
        if (record.status !== 'pending') {
          const params = { status: record.status, expected: ['pending'] };
          return [refProblem(ref, 'item_status', params, `is ${record.status}`)];
        }
        if (record.revision !== ref.revision) {
          return [
            refProblem(
              ref,
              'stale_revision',
              { seen: ref.revision, now: record.revision },
              `changed since revision ${ref.revision}: now ${record.revision}`,
            ),
          ];
        }
        return [];
      });
      if (stale.length > 0) {
        throw new ApiError('conflict', 'only the pending revision you saw can be decided', stale);
      }
      const refused = check
        ? records.flatMap(({ ref, record }) => check(ref, record, doc, state))
        : [];
      if (refused.length > 0) throw new ApiError('conflict', 'cannot be approved', refused);
      const at = this.nowIso();
      for (const { record } of records) apply(record, doc, at, state);
    });
  }
}
