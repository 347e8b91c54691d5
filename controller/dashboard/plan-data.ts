import type { PlanDocument } from '../../playlists/plan';
import { useApiGet, type Loaded } from './components/use-api';
import { useSession } from './session';

export type {
  Announcement,
  Board,
  Content,
  Phase,
  PlanDocument,
  PlanInfo,
  Playlist,
  PlaylistItem,
  Schedule,
  Targets,
} from '../../playlists/plan';

export type ApprovalStatus = 'draft' | 'pending' | 'approved' | 'rejected';
export type EntityKind =
  'phases' | 'boards' | 'content' | 'playlists' | 'schedules' | 'announcements';

export interface ItemApproval {
  status: ApprovalStatus;
  revision: number;
  approvedRevision: number | null;
  authors: string[];
}

/** `GET /api/plans/:id`: the working copy with each item's place in the workflow. */
export type PlanWithApproval = PlanDocument & {
  approval: Partial<Record<EntityKind, Record<string, ItemApproval>>>;
};

/**
 * The query of a save: `draft=true` for a draft, and for an existing item the revision the
 * editor was opened at, so that a change someone saved meanwhile is not overwritten (409).
 */
export function saveQuery(
  doc: PlanWithApproval,
  kind: EntityKind,
  id: string | null,
  asDraft: boolean,
): string {
  const params = new URLSearchParams();
  if (asDraft) params.set('draft', 'true');
  const revision = id === null ? undefined : doc.approval[kind]?.[id]?.revision;
  if (revision !== undefined) params.set('ifRevision', String(revision));
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** The working plan the plan-scoped pages edit (the one picked in the top bar). */
export function usePlan(): Loaded<PlanWithApproval> & { planId: string | null } {
  const { planId } = useSession();
  const loaded = useApiGet<PlanWithApproval>(
    planId ? `/api/plans/${encodeURIComponent(planId)}` : null,
  );
  return { ...loaded, planId };
}

/** `/api/plans/:planId/<kind>[/:id]`, with the ids escaped. */
export function entityPath(planId: string, kind: EntityKind, id?: string): string {
  const base = `/api/plans/${encodeURIComponent(planId)}/${kind}`;
  return id === undefined ? base : `${base}/${encodeURIComponent(id)}`;
}

/** The date today in a time zone, `YYYY-MM-DD`. */
export function todayIn(timeZone: string, nowMs = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(nowMs);
}

/** Days since 1970-01-01 of a calendar date (no time zone involved: a date is a date). */
export function dayNumber(date: string): number {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** An id made from a name: `Khẩu hiệu Đợt I` → `khau-hieu-dot-i`. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= SLUG_MAX) return slug;
  // Cut between words, not inside one ("…lap-thanh-t"), unless that leaves too little.
  const cut = slug.lastIndexOf('-', SLUG_MAX);
  return slug.slice(0, cut >= SLUG_MAX / 2 ? cut : SLUG_MAX);
}

const SLUG_MAX = 48;

/** `base`, or `base-2`, `base-3`… whichever is not taken yet. */
export function freeId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const root = base || 'item';
  if (!used.has(root)) return root;
  for (let n = 2; ; n++) if (!used.has(`${root}-${n}`)) return `${root}-${n}`;
}

/** How a plan is named in lists: its number if it has one, else its id. */
export function planCode(plan: { id: string; code?: string | undefined }): string {
  return plan.code ?? plan.id;
}
