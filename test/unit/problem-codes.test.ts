// Each problem carries a stable code and its params beside the English message, so a client
// (the dashboard) can say it in Vietnamese; the message stays what the CLI prints.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  isProblemCode,
  PROBLEM_CODES,
  validatePlan,
  validatePlanText,
  zodProblems,
  type Problem,
} from '../../playlists/index.js';
import { buildPlan, type PlanParts } from '../helpers/plan-builder.js';

function problemsOf(doc: unknown): readonly Problem[] {
  const result = validatePlan(doc);
  return result.ok ? [] : result.problems;
}

const plan = (parts: PlanParts = {}, extra: Record<string, unknown> = {}) => ({
  ...buildPlan(parts),
  ...extra,
});

interface Case {
  name: string;
  doc: unknown;
  expected: Pick<Problem, 'path' | 'code' | 'params'> & { message?: string };
}

const cases: Case[] = [
  {
    name: 'a document that is not an object',
    doc: [],
    expected: { path: '$', code: 'not_an_object', params: {} },
  },
  {
    name: 'an unknown format',
    doc: plan({}, { format: 'bangtin-plan/9' }),
    expected: {
      path: '$.format',
      code: 'unknown_format',
      params: { found: 'bangtin-plan/9', expected: 'bangtin-plan/1' },
    },
  },
  {
    name: 'an unknown field',
    doc: plan({ boards: [{ id: 'b', name: 'B', width: 8, height: 8, colour: 'x' } as never] }),
    expected: {
      path: '$.boards[0].colour',
      code: 'unknown_field',
      params: { field: 'colour' },
      message: 'unknown field',
    },
  },
  {
    name: 'a duplicate id',
    doc: plan({
      boards: [
        { id: 'x', name: 'X', width: 8, height: 8 },
        { id: 'x', name: 'Y', width: 8, height: 8 },
      ],
    }),
    expected: {
      path: '$.boards[1].id',
      code: 'duplicate_id',
      params: { id: 'x' },
      message: 'duplicate id "x"',
    },
  },
  {
    name: 'a dangling playlist',
    doc: plan({ schedules: [{ id: 's', playlist: 'x', phase: 'dot-1' }] }),
    expected: {
      path: '$.schedules[0].playlist',
      code: 'unknown_ref',
      params: { kind: 'playlist', id: 'x' },
      message: 'unknown playlist "x"',
    },
  },
  {
    name: 'a dangling phase',
    doc: plan({ schedules: [{ id: 's', playlist: 'A', phase: 'dot-9' }] }),
    expected: {
      path: '$.schedules[0].phase',
      code: 'unknown_ref',
      params: { kind: 'phase', id: 'dot-9' },
    },
  },
  {
    name: 'a dangling content item',
    doc: plan({ playlists: [{ id: 'P', name: 'P', items: ['nope'] }] }),
    expected: {
      path: '$.playlists[4].items[0]',
      code: 'unknown_ref',
      params: { kind: 'content', id: 'nope' },
    },
  },
  {
    name: 'a dangling board',
    doc: plan({ schedules: [{ id: 's', playlist: 'A', phase: 'dot-1', boards: { ids: ['q'] } }] }),
    expected: {
      path: '$.schedules[0].boards.ids[0]',
      code: 'unknown_ref',
      params: { kind: 'board', id: 'q' },
    },
  },
  {
    name: 'an unknown time zone',
    doc: plan({ timeZone: 'Asia/Hanoi' }),
    expected: {
      path: '$.plan.timeZone',
      code: 'unknown_time_zone',
      params: { timeZone: 'Asia/Hanoi' },
    },
  },
  {
    name: 'a phase that ends before it starts',
    doc: plan({ phases: [{ id: 'p', name: 'P', from: '2020-09-01', to: '2019-01-01' }] }),
    expected: {
      path: '$.phases[0].to',
      code: 'ends_before_start',
      params: { from: '2020-09-01', to: '2019-01-01' },
      message: 'ends (2019-01-01) before it starts (2020-09-01)',
    },
  },
  {
    name: 'a schedule that ends before it starts',
    doc: plan({ schedules: [{ id: 's', playlist: 'A', from: '2026-02-02', to: '2026-02-01' }] }),
    expected: {
      path: '$.schedules[0].to',
      code: 'ends_before_start',
      params: { from: '2026-02-02', to: '2026-02-01' },
    },
  },
  {
    name: 'an announcement that ends when it starts',
    doc: plan({
      announcements: [
        { id: 'a', text: 'T', from: '2026-03-29T08:30:00+07:00', to: '2026-03-29T08:30:00+07:00' },
      ],
    }),
    expected: {
      path: '$.announcements[0].to',
      code: 'not_after_start',
      params: { from: '2026-03-29T08:30:00+07:00', to: '2026-03-29T08:30:00+07:00' },
    },
  },
  {
    name: 'a sub-phase that starts before its parent',
    doc: plan({
      phases: [
        { id: 'y', name: 'Y', from: '2026-01-01', to: '2026-12-31' },
        { id: 'p', name: 'P', from: '2025-12-01', to: '2026-01-31', parent: 'y' },
      ],
    }),
    expected: {
      path: '$.phases[1].from',
      code: 'starts_before_parent',
      params: { parent: 'y', parentFrom: '2026-01-01' },
    },
  },
  {
    name: 'a sub-phase that ends after its parent',
    doc: plan({
      phases: [
        { id: 'y', name: 'Y', from: '2026-01-01', to: '2026-12-31' },
        { id: 'p', name: 'P', from: '2026-12-01', to: '2027-01-31', parent: 'y' },
      ],
    }),
    expected: {
      path: '$.phases[1].to',
      code: 'ends_after_parent',
      params: { parent: 'y', parentTo: '2026-12-31' },
    },
  },
  {
    name: 'a phase that is its own parent',
    doc: plan({
      phases: [{ id: 'p', name: 'P', from: '2026-01-01', to: '2026-01-02', parent: 'p' }],
    }),
    expected: { path: '$.phases[0].parent', code: 'own_parent', params: {} },
  },
  {
    name: 'phases that form a cycle',
    doc: plan({
      phases: [
        { id: 'p', name: 'P', from: '2026-01-01', to: '2026-01-02', parent: 'q' },
        { id: 'q', name: 'Q', from: '2026-01-01', to: '2026-01-02', parent: 'p' },
      ],
    }),
    expected: { path: '$.phases[0].parent', code: 'parent_cycle', params: {} },
  },
  {
    name: 'a playlist with no items',
    doc: plan({ playlists: [{ id: 'P', name: 'P', items: [] }] }),
    expected: { path: '$.playlists[4].items', code: 'empty_playlist', params: {} },
  },
  {
    name: 'a schedule with both a phase and dates',
    doc: plan({
      schedules: [{ id: 's', playlist: 'A', phase: 'dot-1', from: '2026-03-28' }],
    }),
    expected: { path: '$.schedules[0]', code: 'phase_and_dates', params: {} },
  },
  {
    name: 'a schedule with neither a phase nor dates',
    doc: plan({ schedules: [{ id: 's', playlist: 'A' }] }),
    expected: { path: '$.schedules[0]', code: 'phase_or_dates', params: {} },
  },
  {
    name: 'an empty hours window',
    doc: plan({
      schedules: [
        { id: 's', playlist: 'A', phase: 'dot-1', hours: [{ from: '06:00', to: '06:00' }] },
      ],
    }),
    expected: { path: '$.schedules[0].hours[0]', code: 'empty_window', params: {} },
  },
  {
    name: 'an impossible date',
    doc: plan({ phases: [{ id: 'p', name: 'P', from: '2026-02-30', to: '2026-03-01' }] }),
    expected: { path: '$.phases[0].from', code: 'not_a_date', params: {} },
  },
  {
    name: 'an impossible month-day',
    doc: plan({ schedules: [{ id: 's', playlist: 'A', phase: 'dot-1', on: ['13-01'] }] }),
    expected: { path: '$.schedules[0].on[0]', code: 'not_a_month_day', params: {} },
  },
  {
    name: 'a window that starts at 24:00',
    doc: plan({
      schedules: [
        { id: 's', playlist: 'A', phase: 'dot-1', hours: [{ from: '24:00', to: '06:00' }] },
      ],
    }),
    expected: { path: '$.schedules[0].hours[0].from', code: 'not_a_time_from', params: {} },
  },
  {
    name: 'a window that ends at 25:00',
    doc: plan({
      schedules: [
        { id: 's', playlist: 'A', phase: 'dot-1', hours: [{ from: '06:00', to: '25:00' }] },
      ],
    }),
    expected: { path: '$.schedules[0].hours[0].to', code: 'not_a_time_to', params: {} },
  },
  {
    name: 'an id with a character outside the pattern',
    doc: plan({ boards: [{ id: 'bờ-y', name: 'B', width: 8, height: 8 }] }),
    expected: { path: '$.boards[0].id', code: 'invalid_format', params: { format: 'id' } },
  },
  {
    name: 'the id ".."',
    doc: plan({ boards: [{ id: '..', name: 'B', width: 8, height: 8 }] }),
    expected: { path: '$.boards[0].id', code: 'dot_id', params: {} },
  },
  {
    name: 'a blank slogan',
    doc: plan({ content: [{ id: 'z', kind: 'slogan', text: '   ' }] }),
    expected: { path: '$.content[7].text', code: 'empty_text', params: {} },
  },
  {
    name: 'a colour that is not #rrggbb',
    doc: plan({ content: [{ id: 'z', kind: 'slogan', text: 'T', style: { color: 'red' } }] }),
    expected: {
      path: '$.content[7].style.color',
      code: 'invalid_format',
      params: { format: 'color' },
    },
  },
  {
    name: 'an instant without an offset',
    doc: plan({
      announcements: [
        { id: 'a', text: 'T', from: '2026-03-29T08:30:00', to: '2026-03-29T09:30:00+07:00' },
      ],
    }),
    expected: {
      path: '$.announcements[0].from',
      code: 'invalid_format',
      params: { format: 'datetime' },
    },
  },
  {
    name: 'a board too small',
    doc: plan({ boards: [{ id: 'b', name: 'B', width: 4, height: 8 }] }),
    expected: {
      path: '$.boards[0].width',
      code: 'too_small',
      params: { origin: 'number', minimum: 8, inclusive: true },
    },
  },
  {
    name: 'a duration of zero (exclusive bound)',
    doc: plan({ content: [{ id: 'z', kind: 'slogan', text: 'T', durationSec: 0 }] }),
    expected: {
      path: '$.content[7].durationSec',
      code: 'too_small',
      params: { origin: 'number', minimum: 0, inclusive: false },
    },
  },
  {
    name: 'a name too long',
    doc: plan({ boards: [{ id: 'b', name: 'B'.repeat(201), width: 8, height: 8 }] }),
    expected: {
      path: '$.boards[0].name',
      code: 'too_big',
      params: { origin: 'string', maximum: 200, inclusive: true },
    },
  },
  {
    name: 'a width that is not a number',
    doc: plan({ boards: [{ id: 'b', name: 'B', width: '8' as never, height: 8 }] }),
    expected: { path: '$.boards[0].width', code: 'invalid_type', params: { expected: 'number' } },
  },
  {
    name: 'an idle mode outside the list',
    doc: plan({ boards: [{ id: 'b', name: 'B', width: 8, height: 8, idle: 'logo' as never }] }),
    expected: {
      path: '$.boards[0].idle',
      code: 'invalid_value',
      params: { values: ['clock', 'black'] },
    },
  },
  {
    name: 'content of no known kind',
    doc: plan({ content: [{ id: 'z', kind: 'video', text: 'T' } as never] }),
    expected: { path: '$.content[7].kind', code: 'invalid_union', params: {} },
  },
];

describe('problem codes', () => {
  it.each(cases)('$name', ({ doc, expected }) => {
    const problems = problemsOf(doc);
    const found = problems.find((p) => p.path === expected.path && p.code === expected.code);
    expect(found, JSON.stringify(problems)).toBeDefined();
    expect(found?.params).toEqual(expected.params);
    if (expected.message !== undefined) expect(found?.message).toBe(expected.message);
  });

  it('gives every problem of a plan a known code, params and an English message', () => {
    const problems = cases.flatMap((c) => problemsOf(c.doc));
    expect(problems.length).toBeGreaterThan(cases.length - 1);
    for (const p of problems) {
      expect(isProblemCode(p.code), p.code).toBe(true);
      expect(typeof p.params, p.path).toBe('object');
      expect(p.message.length, p.path).toBeGreaterThan(0);
    }
  });

  it('reports text that is not JSON as not_json with the parser reason', () => {
    const result = validatePlanText('{"format": ');
    expect(result.ok).toBe(false);
    const [first] = result.ok ? [] : result.problems;
    expect(first).toMatchObject({ path: '$', code: 'not_json' });
    expect(first?.params).toHaveProperty('reason', expect.any(String));
  });

  it('names a regular expression from the formats given, else "regex"', () => {
    const schema = z.object({ a: z.string().regex(/^a$/), b: z.string().regex(/^b$/) });
    const parsed = schema.safeParse({ a: 'x', b: 'x' });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const problems = zodProblems(parsed.error, new Map([[String(/^a$/), 'letter-a']]));
    expect(problems.map((p) => [p.path, p.code, p.params])).toEqual([
      ['$.a', 'invalid_format', { format: 'letter-a' }],
      ['$.b', 'invalid_format', { format: 'regex' }],
    ]);
  });

  it('takes a refinement code from its params, and "custom" when it names none', () => {
    const schema = z.object({
      a: z
        .string()
        .refine(() => false, { message: 'no', params: { code: 'span_too_long', maxDays: 7 } }),
      b: z.string().refine(() => false, { message: 'nope', params: { code: 'not-a-code' } }),
      c: z.string().refine(() => false, 'never'),
    });
    const parsed = schema.safeParse({ a: '', b: '', c: '' });
    if (parsed.success) throw new Error('parsed');
    expect(zodProblems(parsed.error)).toEqual([
      { path: '$.a', code: 'span_too_long', params: { maxDays: 7 }, message: 'no' },
      { path: '$.b', code: 'custom', params: {}, message: 'nope' },
      { path: '$.c', code: 'custom', params: {}, message: 'never' },
    ]);
  });

  it('lists each code once', () => {
    expect(new Set(PROBLEM_CODES).size).toBe(PROBLEM_CODES.length);
    expect(isProblemCode('toString')).toBe(false);
  });
});
