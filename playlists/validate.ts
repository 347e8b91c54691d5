import type { z } from 'zod';
import {
  InstantSchema,
  isCalendarDate,
  PLAN_FORMAT,
  PATTERN_FORMATS,
  PlanDocumentSchema,
  parseTimeOfDay,
  type PlanDocument,
} from './plan.js';
import {
  isProblemCode,
  problem,
  type Problem,
  type ProblemCode,
  type ProblemParamsByCode,
} from './problems.js';
import { isValidTimeZone } from './zone.js';

export * from './problems.js';

/** The outcome of validating a plan: the parsed plan, or every problem found. */
export type ValidationResult =
  | { readonly ok: true; readonly plan: PlanDocument }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Writes a path as `$.a[0].b`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** A zod issue as a problem: its code and params, and zod's message (or the schema's own). */
function zodProblem(issue: z.core.$ZodIssue, formats: ReadonlyMap<string, string>): Problem {
  const path = formatPath(issue.path);
  const { message } = issue;
  switch (issue.code) {
    case 'invalid_type':
      return problem(path, 'invalid_type', { expected: issue.expected }, message);
    case 'invalid_value':
      return problem(path, 'invalid_value', { values: issue.values.map(jsonParam) }, message);
    case 'invalid_format': {
      const named = issue.pattern === undefined ? undefined : formats.get(issue.pattern);
      return problem(path, 'invalid_format', { format: named ?? issue.format }, message);
    }
    case 'too_small':
    case 'too_big': {
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const common = { origin: issue.origin, inclusive: issue.inclusive ?? true };
      return issue.code === 'too_small'
        ? problem(path, 'too_small', { ...common, minimum: bound }, message)
        : problem(path, 'too_big', { ...common, maximum: bound }, message);
    }
    case 'not_multiple_of':
      return problem(path, 'not_multiple_of', { divisor: issue.divisor }, message);
    case 'invalid_union':
      return problem(path, 'invalid_union', {}, 'is not a valid value here');
    case 'invalid_key':
      return problem(path, 'invalid_key', {}, message);
    case 'invalid_element':
      return problem(path, 'invalid_element', {}, message);
    case 'custom': {
      // A refinement names its code in its params: `refine(f, { message, params: { code } })`.
      const { code, ...params } = (issue.params ?? {}) as Record<string, unknown>;
      return typeof code === 'string' && isProblemCode(code)
        ? ({ path, message, code, params } as Problem)
        : problem(path, 'custom', {}, message);
    }
    case 'unrecognized_keys':
      // One problem per key, made by zodProblems.
      return problem(path, 'unknown_field', { field: issue.keys.join(', ') }, 'unknown field');
  }
}

/** A value zod allows (an enum's or literal's), as JSON can carry it. */
function jsonParam(value: unknown): string | number | boolean | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  return typeof value === 'bigint' ? value.toString() : null;
}

/**
 * Every problem zod found, one per unknown key where keys are unknown. `formats` names the
 * regular expressions of the schemas (`invalid_format`'s `format` is then `id`, not `regex`).
 */
export function zodProblems(
  error: z.ZodError,
  formats: ReadonlyMap<string, string> = PATTERN_FORMATS,
): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = formatPath([...issue.path, key]);
        problems.push(problem(path, 'unknown_field', { field: key }, 'unknown field'));
      }
    } else if (issue.code === 'invalid_union' && issue.path.length === 0) {
      problems.push(problem('$', 'invalid_union', {}, issue.message));
    } else {
      problems.push(zodProblem(issue, formats));
    }
  }
  return problems;
}

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(doc: Loose, key: string): Loose[] {
  const value = doc[key];
  return Array.isArray(value) ? value.map((v) => (isObject(v) ? v : {})) : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A real calendar date, or undefined (a malformed one is reported by the schema already). */
function date(value: unknown): string | undefined {
  return typeof value === 'string' && isCalendarDate(value) ? value : undefined;
}

/** Epoch ms of a well-formed instant with an offset, or undefined. */
function instant(value: unknown): number | undefined {
  return InstantSchema.safeParse(value).success ? Date.parse(value as string) : undefined;
}

/**
 * A value from the document, as JSON: quoted, and on one line whatever it holds (a problem is
 * printed as one line).
 */
function quote(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

/** Checks that need the whole document: references, uniqueness, dates in order, zones. */
function crossChecks(doc: Loose): Problem[] {
  const problems: Problem[] = [];
  const report = <C extends ProblemCode>(
    path: PropertyKey[],
    code: C,
    params: ProblemParamsByCode[C],
    message: string,
  ) => {
    problems.push(problem(formatPath(path), code, params, message));
  };

  const idsOf = (kind: string): Set<string> => {
    const seen = new Set<string>();
    listOf(doc, kind).forEach((entry, i) => {
      const id = str(entry.id);
      if (id === undefined) return;
      if (seen.has(id))
        report([kind, i, 'id'], 'duplicate_id', { id }, `duplicate id ${quote(id)}`);
      seen.add(id);
    });
    return seen;
  };
  const phaseIds = idsOf('phases');
  const boardIds = idsOf('boards');
  const contentIds = idsOf('content');
  const playlistIds = idsOf('playlists');
  idsOf('schedules');
  idsOf('announcements');

  const planInfo = isObject(doc.plan) ? doc.plan : undefined;
  const timeZone = str(planInfo?.timeZone);
  if (timeZone !== undefined && timeZone.length > 0 && !isValidTimeZone(timeZone)) {
    report(
      ['plan', 'timeZone'],
      'unknown_time_zone',
      { timeZone },
      `unknown time zone ${quote(timeZone)}`,
    );
  }

  const phases = listOf(doc, 'phases');
  const phaseById = new Map(phases.map((p) => [str(p.id), p]));
  phases.forEach((phase, i) => {
    const from = date(phase.from);
    const to = date(phase.to);
    if (from !== undefined && to !== undefined && to < from) {
      report(
        ['phases', i, 'to'],
        'ends_before_start',
        { from, to },
        `ends (${to}) before it starts (${from})`,
      );
    }
    const parentId = str(phase.parent);
    if (parentId === undefined) return;
    const parent = phaseById.get(parentId);
    if (!parent) {
      report(
        ['phases', i, 'parent'],
        'unknown_ref',
        { kind: 'phase', id: parentId },
        `unknown phase ${quote(parentId)}`,
      );
      return;
    }
    if (parentId === str(phase.id)) {
      report(['phases', i, 'parent'], 'own_parent', {}, 'a phase cannot be its own parent');
      return;
    }
    const parentFrom = date(parent.from);
    const parentTo = date(parent.to);
    if (from !== undefined && parentFrom !== undefined && from < parentFrom) {
      report(
        ['phases', i, 'from'],
        'starts_before_parent',
        { parent: parentId, parentFrom },
        `starts before its parent ${quote(parentId)} (${parentFrom})`,
      );
    }
    if (to !== undefined && parentTo !== undefined && to > parentTo) {
      report(
        ['phases', i, 'to'],
        'ends_after_parent',
        { parent: parentId, parentTo },
        `ends after its parent ${quote(parentId)} (${parentTo})`,
      );
    }
  });
  // A parent chain must end: a cycle would make "inside its parent" meaningless.
  phases.forEach((phase, i) => {
    const seen = new Set<string>();
    let cursor: Loose | undefined = phase;
    while (cursor) {
      const id = str(cursor.id);
      if (id === undefined || seen.has(id)) {
        if (id !== undefined) {
          report(['phases', i, 'parent'], 'parent_cycle', {}, 'phases form a cycle of parents');
        }
        break;
      }
      seen.add(id);
      const parentId = str(cursor.parent);
      cursor = parentId === undefined ? undefined : phaseById.get(parentId);
    }
  });

  listOf(doc, 'playlists').forEach((playlist, i) => {
    const items = playlist.items;
    if (Array.isArray(items) && items.length === 0) {
      report(['playlists', i, 'items'], 'empty_playlist', {}, 'a playlist needs at least one item');
    }
    if (!Array.isArray(items)) return;
    items.forEach((item: unknown, j) => {
      const ref = typeof item === 'string' ? item : isObject(item) ? str(item.content) : undefined;
      if (ref !== undefined && !contentIds.has(ref)) {
        const path =
          typeof item === 'string'
            ? ['playlists', i, 'items', j]
            : ['playlists', i, 'items', j, 'content'];
        report(path, 'unknown_ref', { kind: 'content', id: ref }, `unknown content ${quote(ref)}`);
      }
    });
  });

  const checkTargets = (path: PropertyKey[], targets: unknown) => {
    if (!isObject(targets) || !Array.isArray(targets.ids)) return;
    targets.ids.forEach((id: unknown, k) => {
      if (typeof id === 'string' && !boardIds.has(id)) {
        report(
          [...path, 'ids', k],
          'unknown_ref',
          { kind: 'board', id },
          `unknown board ${quote(id)}`,
        );
      }
    });
  };

  listOf(doc, 'schedules').forEach((schedule, i) => {
    const playlist = str(schedule.playlist);
    if (playlist !== undefined && !playlistIds.has(playlist)) {
      report(
        ['schedules', i, 'playlist'],
        'unknown_ref',
        { kind: 'playlist', id: playlist },
        `unknown playlist ${quote(playlist)}`,
      );
    }
    const hasPhase = schedule.phase !== undefined;
    const hasFrom = schedule.from !== undefined;
    if (hasPhase && (hasFrom || schedule.to !== undefined)) {
      report(
        ['schedules', i],
        'phase_and_dates',
        {},
        'give either "phase" or "from"/"to", not both',
      );
    } else if (!hasPhase && !hasFrom) {
      report(
        ['schedules', i],
        'phase_or_dates',
        {},
        'give either "phase" or "from" (with an optional "to")',
      );
    }
    const phase = str(schedule.phase);
    if (phase !== undefined && !phaseIds.has(phase)) {
      report(
        ['schedules', i, 'phase'],
        'unknown_ref',
        { kind: 'phase', id: phase },
        `unknown phase ${quote(phase)}`,
      );
    }
    const from = date(schedule.from);
    const to = date(schedule.to);
    if (from !== undefined && to !== undefined && to < from) {
      report(
        ['schedules', i, 'to'],
        'ends_before_start',
        { from, to },
        `ends (${to}) before it starts (${from})`,
      );
    }
    if (Array.isArray(schedule.hours)) {
      schedule.hours.forEach((w: unknown, k) => {
        if (!isObject(w)) return;
        const a = parseTimeOfDay(str(w.from) ?? '');
        const b = parseTimeOfDay(str(w.to) ?? '');
        if (a !== undefined && a === b) {
          report(
            ['schedules', i, 'hours', k],
            'empty_window',
            {},
            'a window needs "from" and "to" to differ',
          );
        }
      });
    }
    checkTargets(['schedules', i, 'boards'], schedule.boards);
  });

  listOf(doc, 'announcements').forEach((a, i) => {
    const from = instant(a.from);
    const to = instant(a.to);
    if (from !== undefined && to !== undefined && to <= from) {
      report(
        ['announcements', i, 'to'],
        'not_after_start',
        { from: str(a.from) ?? '', to: str(a.to) ?? '' },
        'must be after "from"',
      );
    }
    checkTargets(['announcements', i, 'boards'], a.boards);
  });

  return problems;
}

/** A short, safe description of an unknown format value (it may be huge or deeply nested). */
function describeFormat(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 64));
  if (value === undefined || value === null) return 'null';
  return `(a ${Array.isArray(value) ? 'list' : typeof value})`;
}

/** Validates a parsed JSON value as a `bangtin-plan/1` document, reporting every problem found. */
export function validatePlan(input: unknown): ValidationResult {
  if (!isObject(input)) {
    return {
      ok: false,
      problems: [problem('$', 'not_an_object', {}, 'a plan must be a JSON object')],
    };
  }
  // An unknown format is reported, and the rest checked as a plan of this format all the same
  // (every problem found, not just the first).
  const format: Problem[] =
    input.format === PLAN_FORMAT
      ? []
      : [
          problem(
            '$.format',
            'unknown_format',
            {
              found: typeof input.format === 'string' ? input.format.slice(0, 64) : null,
              expected: PLAN_FORMAT,
            },
            `unknown format ${describeFormat(input.format)}; expected "${PLAN_FORMAT}"`,
          ),
        ];
  const parsed = PlanDocumentSchema.safeParse(input);
  const problems = [
    ...format,
    ...(parsed.success ? [] : zodProblems(parsed.error)).filter(
      (p) => format.length === 0 || p.path !== '$.format',
    ),
    ...crossChecks(input),
  ];
  if (problems.length > 0 || !parsed.success) {
    const seen = new Set<string>();
    const unique = problems.filter((p) => {
      const key = `${p.path}\u0000${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { ok: false, problems: unique };
  }
  return { ok: true, plan: parsed.data };
}

/** Parses JSON text and validates it as a plan; a syntax error is reported as a problem at `$`. */
export function validatePlanText(text: string): ValidationResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [problem('$', 'not_json', { reason: message }, `not valid JSON: ${message}`)],
    };
  }
  return validatePlan(value);
}
