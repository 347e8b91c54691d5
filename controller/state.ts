import { z } from 'zod';
import { IdSchema, PlanDocumentSchema } from '../playlists/index.js';

/** Roles, from most to least powerful. */
export const ROLES = ['admin', 'editor', 'approver', 'technician', 'viewer'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const UsernameSchema = z
  .string()
  .regex(/^[a-z0-9._-]{3,32}$/, 'must be 3 to 32 characters of a-z 0-9 . _ -');

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

export const ReleaseMetaSchema = z.strictObject({
  version: z.int().positive(),
  /** sha256 of the release file's canonical content. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  publishedBy: IdSchema,
  planIds: z.array(IdSchema),
  note: z.string().max(1000).optional(),
  /** Each board's bundle: the release its slice last changed in, and the slice's hash. */
  bundles: z.record(IdSchema, z.strictObject({ version: z.int().positive(), hash: z.string() })),
});
export type ReleaseMeta = z.infer<typeof ReleaseMetaSchema>;

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
  name: z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/),
  type: z.enum(['image/png', 'image/jpeg', 'image/webp']),
  size: z.int().positive(),
  width: z.int().positive(),
  height: z.int().positive(),
  uploadedAt: z.string(),
  uploadedBy: IdSchema,
});
export type Asset = z.infer<typeof AssetSchema>;

export const AppStateSchema = z.strictObject({
  users: z.array(UserSchema),
  sessions: z.array(SessionSchema),
  apiTokens: z.array(ApiTokenSchema),
  /** Working copies, edited by operators; releases freeze them. */
  plans: z.array(PlanDocumentSchema),
  releases: z.array(ReleaseMetaSchema),
  devices: z.array(DeviceSchema),
  assets: z.array(AssetSchema),
  demoSeeded: z.boolean(),
});
export type AppState = z.infer<typeof AppStateSchema>;

/** The version of the state document this code writes. */
export const STATE_VERSION = 2;

/** Upgrades older state documents; keyed by the version each one produces. */
export const STATE_MIGRATIONS: Record<number, (doc: unknown) => unknown> = {
  // 2: paired devices and uploaded assets.
  2: (doc) => ({ ...(doc as object), devices: [], assets: [] }),
};

/** The state of a fresh installation. */
export function initialState(): AppState {
  return {
    users: [],
    sessions: [],
    apiTokens: [],
    plans: [],
    releases: [],
    devices: [],
    assets: [],
    demoSeeded: false,
  };
}
