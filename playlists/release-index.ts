import { z } from 'zod';
import { IdSchema } from './plan.js';

/**
 * One entry of the release index, as the controller keeps it and `GET /api/releases` answers
 * it: shared by the controller and the dashboard, so that neither can drift from the other.
 */
export const ReleaseMetaSchema = z.strictObject({
  version: z.int().positive(),
  /** sha256 of the release file's canonical content. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  publishedBy: IdSchema,
  planIds: z.array(IdSchema),
  note: z.string().max(1000).optional(),
  /** Who approved what the release holds (absent in releases made before approval existed). */
  approvers: z.array(IdSchema).optional(),
  /** How many boards the release has a bundle for (the list is in the release file). */
  boards: z.int().min(0),
  /** How many of those bundles changed in this release. */
  changedBoards: z.int().min(0),
});
export type ReleaseMeta = z.infer<typeof ReleaseMetaSchema>;
