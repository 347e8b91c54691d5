import type { z } from 'zod';
import {
  AnnouncementSchema,
  BoardSchema,
  ContentSchema,
  PhaseSchema,
  PlanInfoSchema,
  PlaylistSchema,
  ScheduleSchema,
  PLAN_FORMAT,
  validatePlan,
  type PlanDocument,
  type PlanInfo,
  problem,
  type Problem,
} from '../../playlists/index.js';
import type { Clock } from '../clock.js';
import { ApiError } from '../http/errors.js';
import type { AppState } from '../state.js';
import type { StateStore } from '../store/index.js';
import { recordChanges, type EditContext } from './approval.js';

/** The kinds of entity a plan holds, with the schema of one entity. */
export const ENTITY_SCHEMAS = {
  phases: PhaseSchema,
  boards: BoardSchema,
  content: ContentSchema,
  playlists: PlaylistSchema,
  schedules: ScheduleSchema,
  announcements: AnnouncementSchema,
} as const;

export type EntityKind = keyof typeof ENTITY_SCHEMAS;
export const ENTITY_KINDS = Object.keys(ENTITY_SCHEMAS) as EntityKind[];
export type Entity<K extends EntityKind> = z.output<(typeof ENTITY_SCHEMAS)[K]>;

/** A plan as listed: its header and how much it holds. */
export interface PlanSummary {
  plan: PlanInfo;
  counts: Record<EntityKind, number>;
}

function summarize(doc: PlanDocument): PlanSummary {
  const counts = Object.fromEntries(ENTITY_KINDS.map((k) => [k, doc[k].length])) as Record<
    EntityKind,
    number
  >;
  return { plan: doc.plan, counts };
}

function planNotFound(planId: string): ApiError {
  return new ApiError('not_found', `no plan "${planId}"`);
}

/** Board ids must be unique across plans: a board plays one plan, and routes name boards alone. */
function boardClashes(state: AppState, doc: PlanDocument): Problem[] {
  const owner = new Map<string, string>();
  for (const other of state.plans) {
    if (other.plan.id === doc.plan.id) continue;
    for (const board of other.boards) owner.set(board.id, other.plan.id);
  }
  const problems: Problem[] = [];
  doc.boards.forEach((board, i) => {
    const planId = owner.get(board.id);
    if (planId !== undefined) {
      problems.push(
        problem(
          `$.boards[${i}].id`,
          'board_taken',
          { id: board.id, plan: planId },
          `board "${board.id}" already belongs to plan "${planId}"`,
        ),
      );
    }
  });
  return problems;
}

/** Re-validates a whole edited plan; every problem is reported and nothing is stored. */
function checked(state: AppState, candidate: unknown): PlanDocument {
  const result = validatePlan(candidate);
  if (!result.ok) {
    throw new ApiError('invalid_plan', 'the change would make the plan invalid', result.problems);
  }
  const clashes = boardClashes(state, result.plan);
  if (clashes.length > 0) throw new ApiError('invalid_plan', 'board ids clash', clashes);
  return result.plan;
}

/** A change made only if the item is still at the revision its caller saw. */
export interface RevisionGuard {
  readonly ifRevision?: number;
}

/** Throws 409 when the item's approval record is no longer at `guard.ifRevision`. */
function checkRevision(
  state: Readonly<AppState>,
  planId: string,
  kind: EntityKind,
  id: string,
  guard: RevisionGuard,
): void {
  if (guard.ifRevision === undefined) return;
  const record = state.approvals.find((r) => r.planId === planId && r.kind === kind && r.id === id);
  if (record?.revision !== guard.ifRevision) {
    throw new ApiError(
      'conflict',
      `${kind} "${id}" changed meanwhile (revision ${String(record?.revision ?? 'none')}, not ${String(guard.ifRevision)}); look again`,
      [
        record
          ? problem(
              '$.query.ifRevision',
              'stale_revision',
              { seen: guard.ifRevision, now: record.revision },
              `changed since revision ${String(guard.ifRevision)}: now ${String(record.revision)}`,
            )
          : problem('$.params.id', 'item_not_found', {}, 'not found'),
      ],
    );
  }
}

/**
 * The working copies of plans and every edit to them. Each edit is all or nothing, and brings
 * the approval records of the items it changes along in the same store update.
 */
export class PlanService {
  constructor(
    private readonly store: StateStore<AppState>,
    private readonly clock: Clock,
  ) {}

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  list(): PlanSummary[] {
    return this.store.read().plans.map(summarize);
  }

  get(planId: string): PlanDocument {
    const doc = this.store.read().plans.find((p) => p.plan.id === planId);
    if (!doc) throw planNotFound(planId);
    return doc;
  }

  /** Imports a whole `bangtin-plan/1` document, replacing the working copy of the same id. */
  async importPlan(
    input: unknown,
    edit: EditContext,
  ): Promise<{ plan: PlanSummary; replaced: boolean }> {
    return this.store.update((state) => {
      const doc = checked(state, input);
      const index = state.plans.findIndex((p) => p.plan.id === doc.plan.id);
      recordChanges(state, doc.plan.id, state.plans[index], doc, edit, this.nowIso());
      if (index >= 0) state.plans[index] = doc;
      else state.plans.push(doc);
      return { plan: summarize(doc), replaced: index >= 0 };
    });
  }

  async createPlan(info: PlanInfo): Promise<PlanSummary> {
    return this.store.update((state) => {
      if (state.plans.some((p) => p.plan.id === info.id)) {
        throw new ApiError('conflict', `plan "${info.id}" exists`, [
          problem('$.body.id', 'duplicate_id', { id: info.id }, `plan "${info.id}" exists`),
        ]);
      }
      const doc = checked(state, { format: PLAN_FORMAT, plan: info });
      state.plans.push(doc);
      return summarize(doc);
    });
  }

  async updatePlanInfo(
    planId: string,
    patch: Partial<PlanInfo>,
    edit: EditContext,
  ): Promise<PlanInfo> {
    return this.editPlan(planId, edit, (doc) => {
      if (patch.id !== undefined && patch.id !== planId) {
        throw new ApiError('invalid_request', 'a plan id cannot change', [
          problem('$.body.id', 'id_changed', {}, 'must equal the plan id in the path'),
        ]);
      }
      const { code, issuer, note, ...plan } = PlanInfoSchema.parse({ ...doc.plan, ...patch });
      // An optional field emptied is removed: a PATCH has no other way to say "no number".
      const kept = (value: string | undefined) => (value?.trim() ? value : undefined);
      return {
        ...doc,
        plan: {
          ...plan,
          ...(kept(code) === undefined ? {} : { code }),
          ...(kept(issuer) === undefined ? {} : { issuer }),
          ...(kept(note) === undefined ? {} : { note }),
        },
      };
    }).then((doc) => doc.plan);
  }

  async deletePlan(planId: string, edit: EditContext): Promise<void> {
    await this.store.update((state) => {
      const index = state.plans.findIndex((p) => p.plan.id === planId);
      if (index < 0) throw planNotFound(planId);
      recordChanges(state, planId, state.plans[index], undefined, edit, this.nowIso());
      state.plans.splice(index, 1);
    });
  }

  listEntities<K extends EntityKind>(planId: string, kind: K): PlanDocument[K] {
    return this.get(planId)[kind];
  }

  getEntity<K extends EntityKind>(planId: string, kind: K, id: string): Entity<K> {
    const found = (this.get(planId)[kind] as Entity<K>[]).find((e) => e.id === id);
    if (!found) throw new ApiError('not_found', `no ${kind} "${id}" in plan "${planId}"`);
    return found;
  }

  async createEntity<K extends EntityKind>(
    planId: string,
    kind: K,
    value: Entity<K>,
    edit: EditContext,
  ): Promise<Entity<K>> {
    await this.editPlan(planId, edit, (doc) => {
      const list = doc[kind] as Entity<K>[];
      if (list.some((e) => e.id === value.id)) {
        throw new ApiError('conflict', `${kind} "${value.id}" exists in plan "${planId}"`, [
          problem('$.body.id', 'duplicate_id', { id: value.id }, `${kind} "${value.id}" exists`),
        ]);
      }
      return { ...doc, [kind]: [...list, value] };
    });
    return this.getEntity(planId, kind, value.id);
  }

  /**
   * Replaces one entity (PUT) or merges fields into it (PATCH). With `ifRevision`, only if the
   * item's approval record is still at that revision when the change is made (409 otherwise).
   */
  async updateEntity<K extends EntityKind>(
    planId: string,
    kind: K,
    id: string,
    value: Record<string, unknown>,
    mode: 'replace' | 'merge',
    edit: EditContext,
    guard: RevisionGuard = {},
  ): Promise<Entity<K>> {
    if (value.id !== undefined && value.id !== id) {
      throw new ApiError('invalid_request', 'an id cannot change', [
        problem('$.body.id', 'id_changed', {}, 'must equal the id in the path'),
      ]);
    }
    await this.editPlan(planId, edit, (doc, state) => {
      checkRevision(state, planId, kind, id, guard);
      const list = doc[kind] as Entity<K>[];
      const index = list.findIndex((e) => e.id === id);
      const current = list[index];
      if (!current) throw new ApiError('not_found', `no ${kind} "${id}" in plan "${planId}"`);
      const next = mode === 'merge' ? { ...current, ...value, id } : { ...value, id };
      const copy: unknown[] = [...list];
      copy[index] = next;
      return { ...doc, [kind]: copy };
    });
    return this.getEntity(planId, kind, id);
  }

  /** Deletes one entity; with `ifRevision`, as updateEntity. */
  async deleteEntity(
    planId: string,
    kind: EntityKind,
    id: string,
    edit: EditContext,
    guard: RevisionGuard = {},
  ): Promise<void> {
    await this.editPlan(planId, edit, (doc, state) => {
      checkRevision(state, planId, kind, id, guard);
      const list = doc[kind] as { id: string }[];
      if (!list.some((e) => e.id === id)) {
        throw new ApiError('not_found', `no ${kind} "${id}" in plan "${planId}"`);
      }
      return { ...doc, [kind]: list.filter((e) => e.id !== id) };
    });
  }

  private async editPlan(
    planId: string,
    edit: EditContext,
    change: (doc: PlanDocument, state: Readonly<AppState>) => unknown,
  ): Promise<PlanDocument> {
    return this.store.update((state) => {
      const index = state.plans.findIndex((p) => p.plan.id === planId);
      const current = state.plans[index];
      if (!current) throw planNotFound(planId);
      const doc = checked(state, change(structuredClone(current), state));
      recordChanges(state, planId, current, doc, edit, this.nowIso());
      state.plans[index] = doc;
      return doc;
    });
  }
}
