import type { MessageKey, MessageParams } from '../i18n';
import type { Phase, PlanDocument, Schedule } from '../plan-data';
import { isValidId } from './schedule-format';

/** The zones an agency in Vietnam or its neighbours would pick, Vietnam's first (the default). */
export const COMMON_TIME_ZONES = [
  'Asia/Ho_Chi_Minh',
  'Asia/Bangkok',
  'Asia/Vientiane',
  'Asia/Phnom_Penh',
  'Asia/Shanghai',
  'Asia/Singapore',
  'Asia/Tokyo',
  'UTC',
] as const;

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/**
 * The choices of time zone: the common ones first, then every other zone the browser knows
 * (`Intl.supportedValuesOf('timeZone')`), sorted, each once.
 */
export function timeZoneChoices(supported: readonly string[]): {
  common: string[];
  others: string[];
} {
  const common: string[] = [...COMMON_TIME_ZONES];
  const others = [...new Set(supported)].filter((z) => !common.includes(z)).sort();
  return { common, others };
}

/** A problem a form finds before it sends anything: where, and the words for why. */
export interface FormProblem {
  path: string;
  key: MessageKey;
  params?: MessageParams;
}

export interface PlanDraft {
  id: string;
  title: string;
  code: string;
  issuer: string;
  timeZone: string;
  note: string;
}

/** Limits of PlanInfoSchema (playlists/plan.ts), in characters. */
const PLAN_LIMITS = { code: 100, title: 500, issuer: 500, note: 2000 } as const;

/**
 * What is wrong with a plan header before it is sent: `takenIds` are the plans that exist
 * (checked for a new plan only), `zones` the time zones that can be chosen.
 */
export function planDraftProblems(
  draft: PlanDraft,
  options: { isNew: boolean; takenIds: readonly string[]; zones: readonly string[] },
): FormProblem[] {
  const problems: FormProblem[] = [];
  const id = draft.id.trim();
  // An id left empty with the title it is proposed from: the title's problem says it all.
  if (options.isNew && !(id === '' && draft.title.trim() === '')) {
    if (!isValidId(id)) problems.push({ path: 'id', key: 'plans.err.id' });
    else if (options.takenIds.includes(id))
      problems.push({ path: 'id', key: 'plans.err.idTaken', params: { id } });
  }
  if (draft.title.trim() === '') problems.push({ path: 'title', key: 'plans.err.title' });
  for (const field of ['code', 'title', 'issuer', 'note'] as const) {
    const max = PLAN_LIMITS[field];
    if (draft[field].trim().length > max)
      problems.push({ path: field, key: 'plans.err.tooLong', params: { n: max } });
  }
  if (!options.zones.includes(draft.timeZone))
    problems.push({ path: 'timeZone', key: 'plans.err.timeZone' });
  return problems;
}

/** The body that creates a plan: trimmed, an empty optional field left out. */
export function planBody(draft: PlanDraft): {
  id: string;
  title: string;
  timeZone: string;
  code?: string;
  issuer?: string;
  note?: string;
} {
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const code = optional(draft.code);
  const issuer = optional(draft.issuer);
  const note = optional(draft.note);
  return {
    id: draft.id.trim(),
    title: draft.title.trim(),
    timeZone: draft.timeZone,
    ...(code === undefined ? {} : { code }),
    ...(issuer === undefined ? {} : { issuer }),
    ...(note === undefined ? {} : { note }),
  };
}

/**
 * The body of a header change (PATCH merges it into the header): what changed, trimmed. A
 * field that had a value and is emptied is sent as '' (PATCH cannot remove a field).
 */
export function planPatch(
  draft: PlanDraft,
  current: { title: string; code?: string; issuer?: string; note?: string; timeZone: string },
): Record<string, string> {
  const patch: Record<string, string> = {};
  for (const field of ['title', 'code', 'issuer', 'note', 'timeZone'] as const) {
    const value = draft[field].trim();
    if (value !== (current[field] ?? '')) patch[field] = value;
  }
  return patch;
}

export interface PhaseDraft {
  id: string;
  name: string;
  from: string;
  to: string;
  parent: string;
  note: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What is wrong with a phase before it is sent: its id (new phases), name, dates in order,
 * and, for a sub-phase, dates inside its parent's.
 */
export function phaseDraftProblems(
  draft: PhaseDraft,
  options: { isNew: boolean; phases: readonly Phase[] },
): FormProblem[] {
  const problems: FormProblem[] = [];
  const id = draft.id.trim();
  if (options.isNew && !(id === '' && draft.name.trim() === '')) {
    if (!isValidId(id)) problems.push({ path: 'id', key: 'plans.err.id' });
    else if (options.phases.some((p) => p.id === id))
      problems.push({ path: 'id', key: 'plans.err.phaseTaken', params: { id } });
  }
  if (draft.name.trim() === '') problems.push({ path: 'name', key: 'plans.err.phaseName' });
  const fromOk = DATE.test(draft.from);
  const toOk = DATE.test(draft.to);
  if (!fromOk) problems.push({ path: 'from', key: 'plans.err.date' });
  if (!toOk) problems.push({ path: 'to', key: 'plans.err.date' });
  if (fromOk && toOk && draft.to < draft.from)
    problems.push({ path: 'to', key: 'plans.err.toBeforeFrom' });
  const parent = options.phases.find((p) => p.id === draft.parent);
  if (parent && fromOk && draft.from < parent.from)
    problems.push({
      path: 'from',
      key: 'plans.err.beforeParent',
      params: { parent: parent.name, date: parent.from },
    });
  if (parent && toOk && draft.to > parent.to)
    problems.push({
      path: 'to',
      key: 'plans.err.afterParent',
      params: { parent: parent.name, date: parent.to },
    });
  return problems;
}

/** The phases a phase may lie inside: any but itself and its own sub-phases (no cycle). */
export function parentChoices(phases: readonly Phase[], selfId: string | null): Phase[] {
  if (selfId === null) return [...phases];
  const inside = new Set([selfId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of phases) {
      if (p.parent !== undefined && inside.has(p.parent) && !inside.has(p.id)) {
        inside.add(p.id);
        grew = true;
      }
    }
  }
  return phases.filter((p) => !inside.has(p.id));
}

/** What refers to a phase, and so keeps it from being deleted. */
export interface PhaseUsers {
  schedules: Schedule[];
  subPhases: Phase[];
}

export function phaseUsers(doc: PlanDocument, phaseId: string): PhaseUsers {
  return {
    schedules: doc.schedules.filter((s) => s.phase === phaseId),
    subPhases: doc.phases.filter((p) => p.parent === phaseId),
  };
}

/**
 * Why the controller refused to delete a phase, from its problems: the schedules and the
 * sub-phases left pointing at it (paths into the plan as it would be after the delete), or
 * null when the refusal is about something else.
 */
export function phaseDeleteBlockers(
  doc: PlanDocument,
  phaseId: string,
  problems: readonly { path: string; code?: string }[],
): PhaseUsers | null {
  const after = doc.phases.filter((p) => p.id !== phaseId);
  const schedules: Schedule[] = [];
  const subPhases: Phase[] = [];
  for (const problem of problems) {
    if (problem.code !== 'unknown_ref') continue;
    const schedule = /^\$\.schedules\[(\d+)\]\.phase$/.exec(problem.path);
    const phase = /^\$\.phases\[(\d+)\]\.parent$/.exec(problem.path);
    const s = schedule ? doc.schedules[Number(schedule[1])] : undefined;
    const p = phase ? after[Number(phase[1])] : undefined;
    if (s) schedules.push(s);
    if (p) subPhases.push(p);
  }
  return schedules.length + subPhases.length > 0 ? { schedules, subPhases } : null;
}
