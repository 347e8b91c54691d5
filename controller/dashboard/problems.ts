import type { ProblemCode } from '../../playlists/problems';
import type { MessageKey, Translate } from './i18n';

/** A problem as the controller sent it (code and params since they were added), or as a form made it. */
export interface ShownProblem {
  path: string;
  /** The server's English reason, or a form's own sentence already in the user's language. */
  message: string;
  code?: string;
  params?: Record<string, unknown>;
}

type Params = Record<string, unknown>;
/** The text of one code from its params, or undefined when a param it needs is missing. */
type Render = (t: Translate, p: Params) => string | undefined;

const text = (p: Params, name: string): string | undefined => {
  const value = p[name];
  return typeof value === 'string' ? value : undefined;
};
const num = (p: Params, name: string): number | undefined => {
  const value = p[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

/** Fills `key` when every named param is there. */
function fill(
  key: MessageKey,
  strings: readonly string[],
  numbers: readonly string[] = [],
): Render {
  return (t, p) => {
    const values: Record<string, string | number> = {};
    for (const name of strings) {
      const value = text(p, name);
      if (value === undefined) return undefined;
      values[name] = value;
    }
    for (const name of numbers) {
      const value = num(p, name);
      if (value === undefined) return undefined;
      values[name] = value;
    }
    return t(key, values);
  };
}

const plain = (key: MessageKey): Render => fill(key, []);

const KINDS: Record<string, MessageKey> = {
  phase: 'problem.kind.phase',
  content: 'problem.kind.content',
  board: 'problem.kind.board',
  playlist: 'problem.kind.playlist',
};
const TYPES: Record<string, MessageKey> = {
  string: 'problem.type.string',
  number: 'problem.type.number',
  int: 'problem.type.int',
  boolean: 'problem.type.boolean',
  object: 'problem.type.object',
  array: 'problem.type.array',
};
const FORMATS: Record<string, MessageKey> = {
  id: 'problem.invalid_format.id',
  color: 'problem.invalid_format.color',
  asset: 'problem.invalid_format.asset',
  file_name: 'problem.invalid_format.file_name',
  username: 'problem.invalid_format.username',
  datetime: 'problem.invalid_format.datetime',
};
const STATUSES: Record<string, MessageKey> = {
  draft: 'status.draft',
  pending: 'status.pending',
  approved: 'status.approved',
  rejected: 'status.rejected',
};

/** A word from a table in the user's language, else the word as sent. */
const word = (t: Translate, table: Record<string, MessageKey>, value: string): string => {
  const key = Object.hasOwn(table, value) ? table[value] : undefined;
  return key === undefined ? value : t(key);
};

/** `too_small` / `too_big`: characters, items or a number's bound, inclusive or not. */
function bound(which: 'too_small' | 'too_big'): Render {
  return (t, p) => {
    const n = num(p, which === 'too_small' ? 'minimum' : 'maximum');
    if (n === undefined) return undefined;
    const origin = text(p, 'origin');
    const exclusive = p.inclusive === false;
    if (origin === 'string' || origin === 'array') return t(`problem.${which}.${origin}`, { n });
    if (origin === 'number' || origin === 'int') {
      return t(exclusive ? `problem.${which}.number.exclusive` : `problem.${which}.number`, { n });
    }
    return t(`problem.${which}`, { n });
  };
}

const RENDER: Record<ProblemCode, Render> = {
  not_an_object: plain('problem.not_an_object'),
  not_json: plain('problem.not_json'),
  cannot_read: fill('problem.cannot_read', ['reason']),
  unknown_format: (t, p) => {
    const expected = text(p, 'expected');
    if (expected === undefined) return undefined;
    const found = text(p, 'found');
    return found === undefined
      ? t('problem.unknown_format.missing', { expected })
      : t('problem.unknown_format', { found, expected });
  },
  unknown_field: plain('problem.unknown_field'),
  invalid_type: (t, p) => {
    const expected = text(p, 'expected');
    return expected === undefined
      ? undefined
      : t('problem.invalid_type', { expected: word(t, TYPES, expected) });
  },
  invalid_value: (t, p) => {
    const values = p.values;
    if (!Array.isArray(values)) return undefined;
    const list = values.map((v) => JSON.stringify(v)).join(` ${t('problem.or')} `);
    return t('problem.invalid_value', { values: list });
  },
  invalid_format: (t, p) => {
    const format = text(p, 'format');
    const key =
      format !== undefined && Object.hasOwn(FORMATS, format) ? FORMATS[format] : undefined;
    return t(key ?? 'problem.invalid_format');
  },
  too_small: bound('too_small'),
  too_big: bound('too_big'),
  not_multiple_of: fill('problem.not_multiple_of', [], ['divisor']),
  invalid_union: plain('problem.invalid_union'),
  invalid_key: plain('problem.invalid_key'),
  invalid_element: plain('problem.invalid_element'),
  custom: plain('problem.custom'),
  not_a_date: plain('problem.not_a_date'),
  not_a_month_day: plain('problem.not_a_month_day'),
  not_a_time_from: plain('problem.not_a_time_from'),
  not_a_time_to: plain('problem.not_a_time_to'),
  dot_id: plain('problem.dot_id'),
  empty_text: plain('problem.empty_text'),
  duplicate_id: fill('problem.duplicate_id', ['id']),
  unknown_ref: (t, p) => {
    const kind = text(p, 'kind');
    const id = text(p, 'id');
    if (kind === undefined || id === undefined) return undefined;
    return t('problem.unknown_ref', { kind: word(t, KINDS, kind), id });
  },
  unknown_time_zone: fill('problem.unknown_time_zone', ['timeZone']),
  ends_before_start: fill('problem.ends_before_start', ['from', 'to']),
  not_after_start: fill('problem.not_after_start', ['from']),
  starts_before_parent: fill('problem.starts_before_parent', ['parent', 'parentFrom']),
  ends_after_parent: fill('problem.ends_after_parent', ['parent', 'parentTo']),
  own_parent: plain('problem.own_parent'),
  parent_cycle: plain('problem.parent_cycle'),
  empty_playlist: plain('problem.empty_playlist'),
  phase_and_dates: plain('problem.phase_and_dates'),
  phase_or_dates: plain('problem.phase_or_dates'),
  empty_window: plain('problem.empty_window'),
  board_taken: fill('problem.board_taken', ['id', 'plan']),
  id_changed: plain('problem.id_changed'),
  too_few_distinct: fill('problem.too_few_distinct', [], ['minimum']),
  not_an_image: plain('problem.not_an_image'),
  image_damaged: plain('problem.image_damaged'),
  image_too_large: fill('problem.image_too_large', [], ['width', 'height', 'maxPixels']),
  asset_missing: fill('problem.asset_missing', ['plan', 'asset']),
  item_not_found: plain('problem.item_not_found'),
  item_status: (t, p) => {
    const status = text(p, 'status');
    const expected = p.expected;
    if (status === undefined || !Array.isArray(expected)) return undefined;
    const wanted = expected
      .map((s) => word(t, STATUSES, String(s)).toLocaleLowerCase())
      .join(` ${t('problem.or')} `);
    return t('problem.item_status', {
      status: word(t, STATUSES, status).toLocaleLowerCase(),
      expected: wanted,
    });
  },
  own_change: plain('problem.own_change'),
  stale_revision: fill('problem.stale_revision', [], ['seen', 'now']),
  to_before_from: plain('problem.to_before_from'),
  to_not_after_from: plain('problem.to_not_after_from'),
  span_too_long: fill('problem.span_too_long', [], ['maxDays']),
  body_not_json: fill('problem.body_not_json', ['type'], []),
  phase_needs_plan: plain('problem.phase_needs_plan'),
  announcement_ended: fill('problem.announcement_ended', ['to']),
  username_taken: fill('problem.username_taken', ['username']),
  own_account: plain('problem.own_account'),
  nothing_to_submit: plain('problem.nothing_to_submit'),
  nothing_to_publish: fill('problem.nothing_to_publish', [], ['version']),
  board_offline: fill('problem.board_offline', ['board']),
  screenshot_failed: fill('problem.screenshot_failed', ['reason']),
};

/**
 * The reason for a problem in the user's language, from its code and params; the message as
 * sent when the code is unknown (a newer controller) or absent (a form's own check).
 */
export function problemText(t: Translate, problem: ShownProblem): string {
  const { code, params } = problem;
  if (code === undefined || !Object.hasOwn(RENDER, code)) return problem.message;
  const said = RENDER[code as ProblemCode](t, params ?? {});
  return said ?? problem.message;
}
