// An audit log entry as it is stored and served (`GET /api/audit`). Only zod: the dashboard
// takes its types from here.
import { z } from 'zod';

/** `domain.verb`, e.g. `auth.login_failed`, `release.publish`. */
export const AUDIT_ACTION_PATTERN = /^[a-z][a-z_]*\.[a-z][a-z_]*$/;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const AuditActorSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('user'),
    userId: z.string().max(64),
    username: z.string().max(64),
    role: z.string().max(32),
  }),
  z.strictObject({
    kind: z.literal('device'),
    deviceId: z.string().max(64),
    boardId: z.string().max(64),
  }),
  z.strictObject({ kind: z.literal('anonymous'), username: z.string().max(64).optional() }),
  z.strictObject({ kind: z.literal('system') }),
]);
export type AuditActor = z.infer<typeof AuditActorSchema>;

export const AuditOriginSchema = z.strictObject({
  ip: z.string().max(100),
  userAgent: z.string().max(300).optional(),
});
export type AuditOrigin = z.infer<typeof AuditOriginSchema>;

export const AuditEntrySchema = z.strictObject({
  seq: z.int().positive(),
  at: z.iso.datetime(),
  actor: AuditActorSchema,
  action: z.string().max(64).regex(AUDIT_ACTION_PATTERN),
  target: z.string().max(300).optional(),
  outcome: z.enum(['ok', 'refused']),
  details: z.record(z.string(), z.unknown()).optional(),
  from: AuditOriginSchema,
  prevHash: Hex64,
  hash: Hex64,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type AuditOutcome = AuditEntry['outcome'];
export type AuditDetails = Record<string, unknown>;

/** A page of `GET /api/audit` (and of `AuditLog.page`). */
export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `beforeSeq` for the next (older) page; null when the first entry was reached. */
  nextBefore: number | null;
  /** Entries looked at. */
  scanned: number;
}
