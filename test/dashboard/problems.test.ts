// The controller's problems are shown in the user's language from their code and params; the
// English message is only a fallback for a code the dashboard does not know.
import { describe, expect, it } from 'vitest';
import { catalog, translator, type MessageKey } from '../../controller/dashboard/i18n';
import { problemText } from '../../controller/dashboard/problems';
import {
  PROBLEM_CODES,
  type ProblemCode,
  type ProblemParamsByCode,
} from '../../playlists/problems';
import { validatePlan } from '../../playlists/validate';
import { buildPlan } from '../helpers/plan-builder';

// One set of params per code, as the controller sends them; a new code fails to compile here.
const SAMPLES: { [C in ProblemCode]: ProblemParamsByCode[C] } = {
  not_an_object: {},
  not_json: { reason: 'Unexpected end of JSON input' },
  cannot_read: { reason: 'ENOENT' },
  unknown_format: { found: 'bangtin-plan/9', expected: 'bangtin-plan/1' },
  unknown_field: { field: 'colour' },
  invalid_type: { expected: 'number' },
  invalid_value: { values: ['clock', 'black'] },
  invalid_format: { format: 'id' },
  too_small: { origin: 'array', minimum: 1, inclusive: true },
  too_big: { origin: 'string', maximum: 200, inclusive: true },
  not_multiple_of: { divisor: 5 },
  invalid_union: {},
  invalid_key: {},
  invalid_element: {},
  custom: {},
  not_a_date: {},
  not_a_month_day: {},
  not_a_time_from: {},
  not_a_time_to: {},
  dot_id: {},
  empty_text: {},
  duplicate_id: { id: 'x' },
  unknown_ref: { kind: 'playlist', id: 'x' },
  unknown_time_zone: { timeZone: 'Asia/Hanoi' },
  ends_before_start: { from: '2020-09-01', to: '2019-01-01' },
  not_after_start: { from: '2021-02-01T19:00:00+07:00', to: '2021-02-01T19:00:00+07:00' },
  starts_before_parent: { parent: 'dot-0', parentFrom: '2020-01-01' },
  ends_after_parent: { parent: 'dot-0', parentTo: '2020-12-31' },
  own_parent: {},
  parent_cycle: {},
  empty_playlist: {},
  phase_and_dates: {},
  phase_or_dates: {},
  empty_window: {},
  board_taken: { id: 'bo-y', plan: 'kh-148' },
  id_changed: {},
  too_few_distinct: { minimum: 4 },
  not_an_image: {},
  image_damaged: { reason: 'the file ends before its IEND chunk' },
  image_too_large: { width: 9000, height: 9000, maxPixels: 40_000_000 },
  asset_missing: { plan: 'kh-148', asset: 'co-dang.png' },
  item_not_found: {},
  item_status: { status: 'approved', expected: ['pending'] },
  own_change: {},
  stale_revision: { seen: 2, now: 3 },
  to_before_from: {},
  to_not_after_from: {},
  span_too_long: { maxDays: 366 },
  body_not_json: { type: 'application/x-www-form-urlencoded' },
  phase_needs_plan: {},
  announcement_ended: { to: '2030-01-05T03:00:00.000Z' },
  username_taken: { username: 'bientap' },
  own_account: {},
  nothing_to_submit: {},
  nothing_to_publish: { version: 7 },
  board_offline: { board: 'bo-y' },
  screenshot_failed: { reason: 'timeout' },
};

const FALLBACK = 'the server said so';
const vi = translator('vi');
const en = translator('en');
const shown = (locale: typeof vi, code: string, params: object) =>
  problemText(locale, { path: '$', message: FALLBACK, code, params: { ...params } });

describe('problem texts', () => {
  it('has a Vietnamese and an English text for every problem code', () => {
    for (const code of PROBLEM_CODES) {
      const key = `problem.${code}` as MessageKey;
      expect(catalog.vi[key], key).toBeTruthy();
      expect(catalog.en[key], key).toBeTruthy();
    }
  });

  it.each(PROBLEM_CODES)('says %s in both languages from its params', (code) => {
    const params = SAMPLES[code];
    const inVietnamese = shown(vi, code, params);
    const inEnglish = shown(en, code, params);
    for (const said of [inVietnamese, inEnglish]) {
      expect(said).not.toBe(FALLBACK);
      expect(said).not.toMatch(/\{\w+\}/);
    }
    expect(inVietnamese).not.toBe(inEnglish);
  });

  it('says the audit’s refused plan in Vietnamese, every reason', () => {
    const doc = {
      ...buildPlan({
        phases: [{ id: 'dot-1', name: 'Đợt I', from: '2020-09-01', to: '2019-01-01' }],
        boards: [
          { id: 'x', name: 'X', width: 8, height: 8 },
          { id: 'x', name: 'Y', width: 4, height: 8 },
        ],
        schedules: [{ id: 's', playlist: 'x', phase: 'dot-1' }],
      }),
      extra: true,
    };
    const result = validatePlan(doc);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    const said = problems.map((p) => `${p.path} ${problemText(vi, p)}`);
    expect(said).toEqual(
      expect.arrayContaining([
        '$.extra trường không có trong định dạng',
        '$.boards[1].id mã “x” bị trùng',
        '$.boards[1].width phải lớn hơn hoặc bằng 8',
        '$.phases[0].to ngày kết thúc (2019-01-01) trước ngày bắt đầu (2020-09-01)',
        '$.schedules[0].playlist không có danh sách phát “x”',
      ]),
    );
    for (const p of problems) expect(problemText(vi, p), p.path).not.toBe(p.message);
  });

  it('falls back to the message for an unknown code, missing params or no code', () => {
    expect(shown(vi, 'a_newer_code', {})).toBe(FALLBACK);
    expect(shown(vi, 'unknown_ref', { kind: 'playlist' })).toBe(FALLBACK);
    expect(shown(vi, 'toString', {})).toBe(FALLBACK);
    expect(problemText(vi, { path: 'id', message: 'Mã đã có' })).toBe('Mã đã có');
  });

  it('says words it knows in the user’s language and others as sent', () => {
    expect(shown(vi, 'invalid_type', { expected: 'array' })).toBe(
      'sai kiểu dữ liệu: cần danh sách',
    );
    expect(shown(vi, 'invalid_type', { expected: 'bigint' })).toBe('sai kiểu dữ liệu: cần bigint');
    expect(shown(vi, 'too_small', { origin: 'number', minimum: 0, inclusive: false })).toBe(
      'phải lớn hơn 0',
    );
    expect(shown(vi, 'invalid_format', { format: 'email' })).toBe('sai định dạng');
    expect(shown(vi, 'item_status', { status: 'approved', expected: ['draft', 'rejected'] })).toBe(
      'đang ở trạng thái đã duyệt, không phải bản nháp hoặc bị từ chối',
    );
  });
});
