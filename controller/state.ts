import { z } from 'zod';
import {
  AnnouncementSchema,
  ContentSchema,
  IdSchema,
  PlanDocumentSchema,
  PlaylistSchema,
  ReleaseMetaSchema,
  ScheduleSchema,
  type ReleaseMeta,
} from '../playlists/index.js';
import type { Migration } from './store/index.js';

/** Roles, from most to least powerful. */
export const ROLES = ['admin', 'editor', 'approver', 'technician', 'viewer'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const USERNAME_PATTERN = /^[a-z0-9._-]{3,32}$/;
/** A banner's file name, as an upload names it. */
export const ASSET_NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

export const UsernameSchema = z
  .string()
  .regex(USERNAME_PATTERN, 'must be 3 to 32 characters of a-z 0-9 . _ -');

export const UserSchema = z.strictObject({
  id: IdSchema,
  username: UsernameSchema,
  displayName: z.string().max(200).optional(),
  role: RoleSchema,
  passwordHash: z.string().min(1),
  disabled: z.boolean().optional(),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
});
export type User = z.infer<typeof UserSchema>;

export const SessionSchema = z.strictObject({
  /** sha256 of the cookie value: a leaked state file does not leak live sessions. */
  id: z.string().regex(/^[0-9a-f]{64}$/),
  userId: IdSchema,
  csrfToken: z.string().min(32),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type Session = z.infer<typeof SessionSchema>;

export const ApiTokenSchema = z.strictObject({
  id: IdSchema,
  userId: IdSchema,
  name: z.string().min(1).max(100),
  /** sha256 of the secret; the secret itself is shown once, at creation. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export { ReleaseMetaSchema, type ReleaseMeta };

export const DeviceSchema = z.strictObject({
  id: IdSchema,
  boardId: IdSchema,
  /** sha256 of the device token; the token itself lives only on the board. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  pairedAt: z.string(),
  pairedBy: IdSchema,
  revokedAt: z.string().optional(),
  revokedBy: IdSchema.optional(),
});
export type Device = z.infer<typeof DeviceSchema>;

export const AssetSchema = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The name plans refer to (`"asset": "co-dang.png"`); unique. */
  name: z.string().regex(ASSET_NAME_PATTERN),
  type: z.enum(['image/png', 'image/jpeg', 'image/webp']),
  size: z.int().positive(),
  width: z.int().positive(),
  height: z.int().positive(),
  uploadedAt: z.string(),
  uploadedBy: IdSchema,
  /**
   * When another upload took its name. The entry (and its file) is kept: a banner approved with
   * this image goes on showing it, by hash, until the new one is approved.
   */
  replacedAt: z.string().optional(),
});
export type Asset = z.infer<typeof AssetSchema>;

/** The kinds of plan entity that need approval before they reach a board. */
export const APPROVAL_KINDS = ['content', 'playlists', 'schedules', 'announcements'] as const;
export const ApprovalKindSchema = z.enum(APPROVAL_KINDS);
export type ApprovalKind = z.infer<typeof ApprovalKindSchema>;

/** draft → pending → approved or rejected; any edit lands as pending (or draft) again. */
export const APPROVAL_STATUSES = ['draft', 'pending', 'approved', 'rejected'] as const;
export const ApprovalStatusSchema = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

/** A user id, or `system` for what the controller did itself (seeding, migration). */
export const SYSTEM_ID = 'system';

const RevisionSchema = z.int().positive();

function approvalRecordSchema<K extends ApprovalKind, S extends z.ZodType>(kind: K, entity: S) {
  return z.strictObject({
    planId: IdSchema,
    kind: z.literal(kind),
    id: IdSchema,
    status: ApprovalStatusSchema,
    /** Of the working version: 1 when created, one more for every change. */
    revision: RevisionSchema,
    /** Everyone who changed the item since it was last approved: none of them may approve it. */
    authors: z.array(IdSchema).max(1000),
    changedAt: z.string(),
    submittedAt: z.string().optional(),
    /** The last rejection, kept until the next approval. */
    rejection: z
      .strictObject({
        revision: RevisionSchema,
        by: IdSchema,
        at: z.string(),
        reason: z.string().min(1).max(1000),
      })
      .optional(),
    /** The last approved version: what a publish freezes, whatever the working copy holds. */
    approved: z
      .strictObject({
        revision: RevisionSchema,
        value: entity,
        authors: z.array(IdSchema).max(1000),
        by: IdSchema,
        at: z.string(),
        /** Issued through the urgent path: created, approved and published in one step. */
        urgent: z.literal(true).optional(),
        /**
         * A banner's image as its approver saw it (the file its asset name meant then): what a
         * publish ships, whatever was uploaded under the name since. Absent for other items, and
         * for a banner approved before its file was uploaded (it is withheld).
         */
        asset: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
      })
      .optional(),
  });
}

export const ApprovalRecordSchema = z.discriminatedUnion('kind', [
  approvalRecordSchema('content', ContentSchema),
  approvalRecordSchema('playlists', PlaylistSchema),
  approvalRecordSchema('schedules', ScheduleSchema),
  approvalRecordSchema('announcements', AnnouncementSchema),
]);
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

/**
 * The last revision of an item that was deleted (alone, or with its plan): an item created again
 * with the same kind and id goes on from there, so a revision never names two versions.
 */
export const LastRevisionSchema = z.strictObject({
  planId: IdSchema,
  kind: ApprovalKindSchema,
  id: IdSchema,
  revision: RevisionSchema,
});
export type LastRevision = z.infer<typeof LastRevisionSchema>;

/** Per-installation settings an admin changes. */
export const SettingsSchema = z.strictObject({
  /** The approver of an item must not be one of its authors. */
  fourEyes: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Every board shows black until this is cleared (an approver's emergency switch). */
export const BlankAllSchema = z.strictObject({
  since: z.string(),
  by: IdSchema,
  reason: z.string().max(500).optional(),
});
export type BlankAll = z.infer<typeof BlankAllSchema>;

export const AppStateSchema = z.strictObject({
  users: z.array(UserSchema),
  sessions: z.array(SessionSchema),
  apiTokens: z.array(ApiTokenSchema),
  /** Working copies, edited by operators; releases freeze their approved versions. */
  plans: z.array(PlanDocumentSchema),
  /** One record per item of an approval kind in the working copies. */
  approvals: z.array(ApprovalRecordSchema),
  /** The last revisions of deleted items (see LastRevisionSchema). */
  lastRevisions: z.array(LastRevisionSchema),
  settings: SettingsSchema,
  blankAll: BlankAllSchema.nullable(),
  releases: z.array(ReleaseMetaSchema),
  devices: z.array(DeviceSchema),
  assets: z.array(AssetSchema),
  demoSeeded: z.boolean(),
});
export type AppState = z.infer<typeof AppStateSchema>;

/** The version of the state document this code writes. */
export const STATE_VERSION = 5;

/**
 * Version 3 brings approval. Every item of the working copies counts as approved by `system`,
 * as it stands, so an upgraded installation publishes exactly what it published before.
 */
export function migrateToApprovals(doc: unknown, atIso: string): unknown {
  const state = doc as { plans?: unknown };
  const plans = Array.isArray(state.plans) ? (state.plans as Record<string, unknown>[]) : [];
  const approvals: unknown[] = [];
  for (const plan of plans) {
    const planId = (plan.plan as { id?: unknown } | undefined)?.id;
    for (const kind of APPROVAL_KINDS) {
      const items = plan[kind];
      if (!Array.isArray(items)) continue;
      for (const item of items as { id?: unknown }[]) {
        approvals.push({
          planId,
          kind,
          id: item.id,
          status: 'approved',
          revision: 1,
          authors: [SYSTEM_ID],
          changedAt: atIso,
          approved: {
            revision: 1,
            value: structuredClone(item),
            authors: [SYSTEM_ID],
            by: SYSTEM_ID,
            at: atIso,
          },
        });
      }
    }
  }
  return { ...state, approvals, settings: { fourEyes: true }, blankAll: null };
}

/**
 * Version 4: release index entries without the per-board bundle list of their files, with
 * how many boards the release holds and how many of their bundles it changed.
 */
export function dropReleaseBundles(doc: unknown): unknown {
  const state = doc as { releases?: unknown };
  if (!Array.isArray(state.releases)) return doc;
  const releases = (state.releases as Record<string, unknown>[]).map((release) => {
    const { bundles, ...entry } = release;
    const list = Object.values((bundles ?? {}) as Record<string, { version?: unknown }>);
    return {
      ...entry,
      boards: list.length,
      changedBoards: list.filter((b) => b.version === entry.version).length,
    };
  });
  return { ...state, releases };
}

/**
 * Version 5: each approved banner is pinned to the image its asset name means now (what it
 * published until then), and the last revisions of deleted items are kept (none are known).
 */
export function pinApprovedImages(doc: unknown): unknown {
  const state = doc as { approvals?: unknown; assets?: unknown; lastRevisions?: unknown };
  const assets = Array.isArray(state.assets)
    ? (state.assets as { name?: unknown; sha256?: unknown; replacedAt?: unknown }[])
    : [];
  const current = new Map(
    assets.filter((a) => a.replacedAt === undefined).map((a) => [a.name, a.sha256]),
  );
  const approvals = Array.isArray(state.approvals)
    ? (state.approvals as { kind?: unknown; approved?: { value?: unknown } }[]).map((record) => {
        const value = record.approved?.value as { kind?: unknown; asset?: unknown } | undefined;
        if (record.kind !== 'content' || value?.kind !== 'banner') return record;
        if (typeof value.asset !== 'string') return record;
        const sha256 = value.asset.startsWith('sha256:')
          ? value.asset.slice(7)
          : current.get(value.asset);
        if (typeof sha256 !== 'string') return record;
        return { ...record, approved: { ...record.approved, asset: { sha256 } } };
      })
    : state.approvals;
  const lastRevisions = Array.isArray(state.lastRevisions) ? state.lastRevisions : [];
  return { ...state, approvals, lastRevisions };
}

/** Upgrades older state documents; keyed by the version each one produces. */
export function stateMigrations(now: () => number): Record<number, Migration> {
  return {
    // 2: paired devices and uploaded assets.
    2: (doc) => ({ ...(doc as object), devices: [], assets: [] }),
    // 3: approval records, settings (four-eyes) and the blank-all switch.
    3: (doc) => migrateToApprovals(doc, new Date(now()).toISOString()),
    // 4: the release index no longer repeats each release's per-board bundle list, which
    // the release file holds (10,000 boards made every state write ~1 MB longer a release).
    4: dropReleaseBundles,
    // 5: approved banners pinned to their image; the last revisions of deleted items.
    5: pinApprovedImages,
  };
}

/** The state of a fresh installation. */
export function initialState(): AppState {
  return {
    users: [],
    sessions: [],
    apiTokens: [],
    plans: [],
    approvals: [],
    lastRevisions: [],
    settings: { fourEyes: true },
    blankAll: null,
    releases: [],
    devices: [],
    assets: [],
    demoSeeded: false,
  };
}
