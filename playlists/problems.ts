/**
 * The problems the controller reports (plan validation, request checks, refusals): each has a
 * stable `code` and its `params`, so a client can say it in its own language, and an English
 * `message` for the CLI and scripts.
 */

/** A value a problem quotes: a number, a word, an id, or a list of them. */
export type ProblemParam =
  string | number | boolean | readonly (string | number | boolean | null)[];

/** What a reference names when it names nothing. */
export type RefKind = 'phase' | 'content' | 'board' | 'playlist';

/** What zod measures in `too_small` / `too_big` (`string`: characters, `array`: items…). */
type SizeOrigin = string;

/** Every problem code and the params it carries. */
export interface ProblemParamsByCode {
  // The document as a whole.
  not_an_object: Record<string, never>;
  not_json: { reason: string };
  cannot_read: { reason: string };
  /** `found`: the format written, or null when it is not a string. */
  unknown_format: { found: string | null; expected: string };
  // Schema checks (zod's issues).
  unknown_field: { field: string };
  invalid_type: { expected: string };
  invalid_value: { values: readonly (string | number | boolean | null)[] };
  /** `format`: a name of `PATTERN_FORMATS` (`id`, `color`…), zod's (`datetime`…) or `regex`. */
  invalid_format: { format: string };
  too_small: { origin: SizeOrigin; minimum: number; inclusive: boolean };
  too_big: { origin: SizeOrigin; maximum: number; inclusive: boolean };
  not_multiple_of: { divisor: number };
  invalid_union: Record<string, never>;
  invalid_key: Record<string, never>;
  invalid_element: Record<string, never>;
  /** A refinement that names no code of its own. */
  custom: Record<string, never>;
  not_a_date: Record<string, never>;
  not_a_month_day: Record<string, never>;
  not_a_time_from: Record<string, never>;
  not_a_time_to: Record<string, never>;
  dot_id: Record<string, never>;
  empty_text: Record<string, never>;
  // Checks across the document.
  duplicate_id: { id: string };
  unknown_ref: { kind: RefKind; id: string };
  unknown_time_zone: { timeZone: string };
  ends_before_start: { from: string; to: string };
  not_after_start: { from: string; to: string };
  starts_before_parent: { parent: string; parentFrom: string };
  ends_after_parent: { parent: string; parentTo: string };
  own_parent: Record<string, never>;
  parent_cycle: Record<string, never>;
  empty_playlist: Record<string, never>;
  phase_and_dates: Record<string, never>;
  phase_or_dates: Record<string, never>;
  empty_window: Record<string, never>;
  // The controller's own refusals.
  board_taken: { id: string; plan: string };
  id_changed: Record<string, never>;
  too_few_distinct: { minimum: number };
  not_an_image: Record<string, never>;
  image_damaged: { reason: string };
  image_too_large: { width: number; height: number; maxPixels: number };
  asset_missing: { plan: string; asset: string };
  item_not_found: Record<string, never>;
  /** `expected`: the statuses the item should have had. */
  item_status: { status: string; expected: readonly string[] };
  own_change: Record<string, never>;
  stale_revision: { seen: number; now: number };
  to_before_from: Record<string, never>;
  to_not_after_from: Record<string, never>;
  span_too_long: { maxDays: number };
  /** A request body sent as `type` (a form, text), not as JSON. */
  body_not_json: { type: string };
  phase_needs_plan: Record<string, never>;
  /** An announcement asked to end that had already ended, at `to`. */
  announcement_ended: { to: string };
  /** A user with this name exists already. */
  username_taken: { username: string };
  /** An admin may not change their own role, disable or delete themselves. */
  own_account: Record<string, never>;
  /** Nothing of what was asked is a draft or rejected. */
  nothing_to_submit: Record<string, never>;
  /** The approved state is the one release `version` already holds. */
  nothing_to_publish: { version: number };
  /** A remote command or screenshot for a board none of whose players is connected. */
  board_offline: { board: string };
  /** The player answered a screenshot request with no image (`reason` is the player's). */
  screenshot_failed: { reason: string };
}

export type ProblemCode = keyof ProblemParamsByCode;

const CODES: Record<ProblemCode, true> = {
  not_an_object: true,
  not_json: true,
  cannot_read: true,
  unknown_format: true,
  unknown_field: true,
  invalid_type: true,
  invalid_value: true,
  invalid_format: true,
  too_small: true,
  too_big: true,
  not_multiple_of: true,
  invalid_union: true,
  invalid_key: true,
  invalid_element: true,
  custom: true,
  not_a_date: true,
  not_a_month_day: true,
  not_a_time_from: true,
  not_a_time_to: true,
  dot_id: true,
  empty_text: true,
  duplicate_id: true,
  unknown_ref: true,
  unknown_time_zone: true,
  ends_before_start: true,
  not_after_start: true,
  starts_before_parent: true,
  ends_after_parent: true,
  own_parent: true,
  parent_cycle: true,
  empty_playlist: true,
  phase_and_dates: true,
  phase_or_dates: true,
  empty_window: true,
  board_taken: true,
  id_changed: true,
  too_few_distinct: true,
  not_an_image: true,
  image_damaged: true,
  image_too_large: true,
  asset_missing: true,
  item_not_found: true,
  item_status: true,
  own_change: true,
  stale_revision: true,
  to_before_from: true,
  to_not_after_from: true,
  span_too_long: true,
  body_not_json: true,
  phase_needs_plan: true,
  announcement_ended: true,
  username_taken: true,
  own_account: true,
  nothing_to_submit: true,
  nothing_to_publish: true,
  board_offline: true,
  screenshot_failed: true,
};

/** Every problem code, for clients and tests that must know them all. */
export const PROBLEM_CODES = Object.keys(CODES) as readonly ProblemCode[];

/** True when `code` is one of `PROBLEM_CODES`. */
export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(CODES, code);
}

/**
 * One problem: where (a JSON path such as `$.schedules[2].phase`, or `kind/id`), why in English,
 * and the same reason as a code with its params.
 */
export type Problem = {
  [C in ProblemCode]: {
    readonly path: string;
    readonly message: string;
    readonly code: C;
    readonly params: Readonly<ProblemParamsByCode[C]>;
  };
}[ProblemCode];

/** Builds a problem; the params are checked against the code. */
export function problem<C extends ProblemCode>(
  path: string,
  code: C,
  params: ProblemParamsByCode[C],
  message: string,
): Problem {
  return { path, message, code, params } as Problem;
}
