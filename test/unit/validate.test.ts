// Validation (design.md, "The plan file"): every problem is reported with its JSON path, written
// as formatPath writes it ($.schedules[0].phase), and a rejected document is left untouched.
import { describe, expect, it } from 'vitest';
import { formatPath, validatePlan, validatePlanText } from '../../playlists/index.js';
import type { Problem } from '../../playlists/index.js';
import { buildPlan } from '../helpers/plan-builder.js';

type Key = string | number;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function containerAt(root: unknown, path: readonly Key[]): Record<string, unknown> | unknown[] {
  let cursor: unknown = root;
  for (const key of path) {
    if (typeof key === 'number' && Array.isArray(cursor)) cursor = cursor[key];
    else if (typeof key === 'string' && isRecord(cursor)) cursor = cursor[key];
    else throw new Error(`no ${String(key)} in ${JSON.stringify(cursor)}`);
  }
  if (Array.isArray(cursor) || isRecord(cursor)) return cursor;
  throw new Error(`${path.join('.')} is not an object or array`);
}

function splitLast(path: readonly Key[]): [readonly Key[], Key] {
  const last = path.at(-1);
  if (last === undefined) throw new Error('empty path');
  return [path.slice(0, -1), last];
}

/** Sets the value at `path` (the parent must exist). */
function set(root: unknown, path: readonly Key[], value: unknown): void {
  const [parentPath, key] = splitLast(path);
  const parent = containerAt(root, parentPath);
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else parent[String(key)] = value;
}

/** Removes the property at `path`. */
function remove(root: unknown, path: readonly Key[]): void {
  const [parentPath, key] = splitLast(path);
  const parent = containerAt(root, parentPath);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else Reflect.deleteProperty(parent, String(key));
}

/** Appends `value` to the array at `path`. */
function push(root: unknown, path: readonly Key[], value: unknown): void {
  const list = containerAt(root, path);
  if (!Array.isArray(list)) throw new Error(`${path.join('.')} is not an array`);
  list.push(value);
}

/**
 * A valid plan using every kind of reference: phases dot-0 (the year) and its sub-phase dot-1,
 * boards cua-khau (led) and tru-so (office), content c1 c2 c3 c4 c5 c7 c25 (indices 0-6),
 * playlists A B L M (B's item is an object), schedules s1 (phase, hours, targets) and s2 (own
 * dates), announcement tbn with targets.
 */
function base(): unknown {
  return buildPlan({
    phases: [
      { id: 'dot-0', name: 'Cả năm', from: '2026-01-01', to: '2026-12-31' },
      { id: 'dot-1', name: 'Đợt I', from: '2026-03-28', to: '2026-03-30', parent: 'dot-0' },
    ],
    schedules: [
      {
        id: 's1',
        playlist: 'A',
        phase: 'dot-1',
        on: ['03-29'],
        weekdays: [1, 7],
        hours: [{ from: '06:00', to: '22:00' }],
        boards: { ids: ['tru-so'], tags: ['led'] },
        priority: 1,
      },
      { id: 's2', playlist: 'B', from: '2026-03-29', to: '2026-03-30' },
    ],
    announcements: [
      {
        id: 'tbn',
        text: 'THÔNG BÁO NHANH',
        from: '2026-03-29T08:30:00+07:00',
        to: '2026-03-29T09:00:00+07:00',
        boards: { ids: ['cua-khau'] },
      },
    ],
  });
}

function problemsOf(doc: unknown): readonly Problem[] {
  const result = validatePlan(doc);
  return result.ok ? [] : result.problems;
}

function edited(edit: (doc: unknown) => void): unknown {
  const doc = base();
  edit(doc);
  return doc;
}

/** `path` itself, or a path inside it. */
const within = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

interface Case {
  name: string;
  edit: (doc: unknown) => void;
  /** Exactly these paths are reported (each at least once, nothing else). */
  paths?: string[];
  /** The problems all lie at or inside this path (for problems about a whole object). */
  inside?: string;
}

function check({ edit, paths, inside }: Case): void {
  const doc = edited(edit);
  const before = structuredClone(doc);
  const result = validatePlan(doc);
  expect(result.ok).toBe(false);
  const problems = result.ok ? [] : result.problems;
  for (const p of problems) {
    expect(typeof p.message, p.path).toBe('string');
    expect(p.message.length, p.path).toBeGreaterThan(0);
  }
  const found = [...new Set(problems.map((p) => p.path))].sort();
  if (paths) expect(found).toEqual([...new Set(paths)].sort());
  if (inside) {
    expect(found.length).toBeGreaterThan(0);
    for (const path of found) expect(within(path, inside), path).toBe(true);
  }
  // A rejected document is not modified by validation.
  expect(doc).toEqual(before);
}

describe('validatePlan', () => {
  it('accepts the base document used below', () => {
    expect(problemsOf(base())).toEqual([]);
  });

  it('formatPath writes $, .names, [indices] and quoted odd keys', () => {
    expect(formatPath([])).toBe('$');
    expect(formatPath(['schedules', 0, 'phase'])).toBe('$.schedules[0].phase');
    expect(formatPath(['plan', 'ghi chú'])).toBe('$.plan["ghi chú"]');
  });

  describe('unknown format', () => {
    it.each<Case>([
      {
        name: 'another version',
        edit: (d) => {
          set(d, ['format'], 'bangtin-plan/2');
        },
        paths: ['$.format'],
      },
      {
        name: 'missing',
        edit: (d) => {
          remove(d, ['format']);
        },
        paths: ['$.format'],
      },
      {
        name: 'not a string',
        edit: (d) => {
          set(d, ['format'], 1);
        },
        paths: ['$.format'],
      },
    ])('$name', (c) => {
      check(c);
    });

    it('a document that is not an object is reported at $', () => {
      for (const value of [null, [], 'bangtin-plan/1', 42]) {
        expect(validatePlan(value)).toEqual({
          ok: false,
          problems: [
            { path: '$', message: expect.any(String) as string, code: 'not_an_object', params: {} },
          ],
        });
      }
    });

    it('text that is not JSON is reported at $', () => {
      const result = validatePlanText('{"format": "bangtin-plan/1",');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.map((p) => p.path)).toEqual(['$']);
    });
  });

  describe('missing fields', () => {
    it.each<Case>([
      {
        name: 'plan',
        edit: (d) => {
          remove(d, ['plan']);
        },
        paths: ['$.plan'],
      },
      {
        name: 'plan.title',
        edit: (d) => {
          remove(d, ['plan', 'title']);
        },
        paths: ['$.plan.title'],
      },
      {
        name: 'plan.timeZone',
        edit: (d) => {
          remove(d, ['plan', 'timeZone']);
        },
        paths: ['$.plan.timeZone'],
      },
      {
        name: 'a phase `to`',
        edit: (d) => {
          remove(d, ['phases', 1, 'to']);
        },
        paths: ['$.phases[1].to'],
      },
      {
        name: 'a board width',
        edit: (d) => {
          remove(d, ['boards', 0, 'width']);
        },
        paths: ['$.boards[0].width'],
      },
      {
        name: 'a slogan text',
        edit: (d) => {
          remove(d, ['content', 0, 'text']);
        },
        paths: ['$.content[0].text'],
      },
      {
        name: 'a banner asset',
        edit: (d) => {
          remove(d, ['content', 2, 'asset']);
        },
        paths: ['$.content[2].asset'],
      },
      {
        name: 'playlist items',
        edit: (d) => {
          remove(d, ['playlists', 0, 'items']);
        },
        paths: ['$.playlists[0].items'],
      },
      {
        name: 'a schedule playlist',
        edit: (d) => {
          remove(d, ['schedules', 1, 'playlist']);
        },
        paths: ['$.schedules[1].playlist'],
      },
      {
        name: 'a schedule id',
        edit: (d) => {
          remove(d, ['schedules', 1, 'id']);
        },
        paths: ['$.schedules[1].id'],
      },
      {
        name: 'an hours window `to`',
        edit: (d) => {
          remove(d, ['schedules', 0, 'hours', 0, 'to']);
        },
        paths: ['$.schedules[0].hours[0].to'],
      },
      {
        name: 'an announcement `from`',
        edit: (d) => {
          remove(d, ['announcements', 0, 'from']);
        },
        paths: ['$.announcements[0].from'],
      },
    ])('$name', (c) => {
      check(c);
    });
  });

  describe('dangling references', () => {
    it.each<Case>([
      {
        name: 'a playlist item naming unknown content',
        edit: (d) => {
          set(d, ['playlists', 0, 'items', 1], 'khong-co');
        },
        paths: ['$.playlists[0].items[1]'],
      },
      {
        name: 'a playlist item object naming unknown content',
        edit: (d) => {
          set(d, ['playlists', 1, 'items', 0, 'content'], 'khong-co');
        },
        paths: ['$.playlists[1].items[0].content'],
      },
      {
        name: 'a schedule naming an unknown playlist',
        edit: (d) => {
          set(d, ['schedules', 0, 'playlist'], 'khong-co');
        },
        paths: ['$.schedules[0].playlist'],
      },
      {
        name: 'a schedule naming an unknown phase',
        edit: (d) => {
          set(d, ['schedules', 0, 'phase'], 'khong-co');
        },
        paths: ['$.schedules[0].phase'],
      },
      {
        name: 'a phase naming an unknown parent',
        edit: (d) => {
          set(d, ['phases', 1, 'parent'], 'khong-co');
        },
        paths: ['$.phases[1].parent'],
      },
      {
        name: 'a schedule targeting an unknown board id',
        edit: (d) => {
          set(d, ['schedules', 0, 'boards', 'ids'], ['tru-so', 'khong-co']);
        },
        paths: ['$.schedules[0].boards.ids[1]'],
      },
      {
        name: 'an announcement targeting an unknown board id',
        edit: (d) => {
          set(d, ['announcements', 0, 'boards', 'ids', 0], 'khong-co');
        },
        paths: ['$.announcements[0].boards.ids[0]'],
      },
    ])('$name', (c) => {
      check(c);
    });
  });

  describe('duplicate ids', () => {
    it.each<Case>([
      {
        name: 'phases',
        edit: (d) => {
          push(d, ['phases'], { id: 'dot-1', name: 'Lặp', from: '2026-01-01', to: '2026-01-02' });
        },
        paths: ['$.phases[2].id'],
      },
      {
        name: 'boards',
        edit: (d) => {
          push(d, ['boards'], { id: 'tru-so', name: 'Lặp', width: 64, height: 32 });
        },
        paths: ['$.boards[2].id'],
      },
      {
        name: 'content',
        edit: (d) => {
          push(d, ['content'], { id: 'c1', kind: 'slogan', text: 'LẶP' });
        },
        paths: ['$.content[7].id'],
      },
      {
        name: 'playlists',
        edit: (d) => {
          push(d, ['playlists'], { id: 'A', name: 'Lặp', items: ['c1'] });
        },
        paths: ['$.playlists[4].id'],
      },
      {
        name: 'schedules',
        edit: (d) => {
          push(d, ['schedules'], { id: 's1', playlist: 'A', from: '2026-01-01' });
        },
        paths: ['$.schedules[2].id'],
      },
      {
        name: 'announcements',
        edit: (d) => {
          push(d, ['announcements'], {
            id: 'tbn',
            text: 'LẶP',
            from: '2026-01-01T00:00:00Z',
            to: '2026-01-02T00:00:00Z',
          });
        },
        paths: ['$.announcements[1].id'],
      },
    ])('$name', (c) => {
      check(c);
    });

    it('ids only need to be unique per kind', () => {
      const doc = edited((d) => {
        push(d, ['boards'], { id: 'A', name: 'Bảng A', width: 64, height: 32 });
        push(d, ['content'], { id: 'dot-1', kind: 'slogan', text: 'TÊN TRÙNG' });
      });
      expect(problemsOf(doc)).toEqual([]);
    });
  });

  describe('time zone', () => {
    it.each<Case>([
      {
        name: 'a made-up zone',
        edit: (d) => {
          set(d, ['plan', 'timeZone'], 'Mars/Olympus');
        },
        paths: ['$.plan.timeZone'],
      },
      {
        name: 'a plausible but unknown zone',
        edit: (d) => {
          set(d, ['plan', 'timeZone'], 'Asia/Hanoi');
        },
        paths: ['$.plan.timeZone'],
      },
      {
        name: 'empty',
        edit: (d) => {
          set(d, ['plan', 'timeZone'], '');
        },
        paths: ['$.plan.timeZone'],
      },
    ])('$name', (c) => {
      check(c);
    });

    it.each(['Europe/Berlin', 'America/Santiago', 'Australia/Lord_Howe', 'UTC'])(
      'accepts %s',
      (zone) => {
        expect(
          problemsOf(
            edited((d) => {
              set(d, ['plan', 'timeZone'], zone);
            }),
          ),
        ).toEqual([]);
      },
    );
  });

  describe('`to` before `from`', () => {
    it.each<Case>([
      {
        name: 'a phase',
        edit: (d) => {
          set(d, ['phases', 1, 'to'], '2026-03-27');
        },
        paths: ['$.phases[1].to'],
      },
      {
        name: "a schedule's own dates",
        edit: (d) => {
          set(d, ['schedules', 1, 'to'], '2026-03-28');
        },
        paths: ['$.schedules[1].to'],
      },
      {
        name: 'an announcement',
        edit: (d) => {
          set(d, ['announcements', 0, 'to'], '2026-03-29T08:00:00+07:00');
        },
        paths: ['$.announcements[0].to'],
      },
      {
        name: 'an announcement, across offsets',
        // 08:30+07:00 is 01:30Z; 02:00+01:00 is 01:00Z, before it.
        edit: (d) => {
          set(d, ['announcements', 0, 'to'], '2026-03-29T02:00:00+01:00');
        },
        paths: ['$.announcements[0].to'],
      },
    ])('$name', (c) => {
      check(c);
    });

    it('a one-day phase and a one-day schedule (from equal to to) are valid', () => {
      const doc = edited((d) => {
        set(d, ['phases', 1, 'to'], '2026-03-28');
        set(d, ['schedules', 1, 'to'], '2026-03-29');
      });
      expect(problemsOf(doc)).toEqual([]);
    });
  });

  describe('a sub-phase outside its parent', () => {
    it.each<Case>([
      {
        name: 'starting before it',
        edit: (d) => {
          set(d, ['phases', 1, 'from'], '2025-12-31');
        },
        paths: ['$.phases[1].from'],
      },
      {
        name: 'ending after it',
        edit: (d) => {
          set(d, ['phases', 1, 'to'], '2027-01-01');
        },
        paths: ['$.phases[1].to'],
      },
    ])('$name', (c) => {
      check(c);
    });

    it('a sub-phase with its parent’s exact dates is inside it', () => {
      const doc = edited((d) => {
        set(d, ['phases', 1, 'from'], '2026-01-01');
        set(d, ['phases', 1, 'to'], '2026-12-31');
      });
      expect(problemsOf(doc)).toEqual([]);
    });
  });

  describe('a schedule needs exactly one of `phase` and `from`', () => {
    it.each<Case>([
      {
        name: 'both phase and from',
        edit: (d) => {
          set(d, ['schedules', 0, 'from'], '2026-03-28');
        },
        inside: '$.schedules[0]',
      },
      {
        name: 'neither (to only)',
        edit: (d) => {
          remove(d, ['schedules', 1, 'from']);
        },
        inside: '$.schedules[1]',
      },
      {
        name: 'neither (no dates at all)',
        edit: (d) => {
          remove(d, ['schedules', 1, 'from']);
          remove(d, ['schedules', 1, 'to']);
        },
        inside: '$.schedules[1]',
      },
    ])('$name', (c) => {
      check(c);
    });

    it('an open-ended schedule (from without to) is valid', () => {
      expect(
        problemsOf(
          edited((d) => {
            remove(d, ['schedules', 1, 'to']);
          }),
        ),
      ).toEqual([]);
    });
  });

  describe('values', () => {
    it.each<Case>([
      {
        name: 'a playlist with no items',
        edit: (d) => {
          set(d, ['playlists', 0, 'items'], []);
        },
        paths: ['$.playlists[0].items'],
      },
      {
        name: 'an hours window whose from equals its to',
        edit: (d) => {
          set(d, ['schedules', 0, 'hours', 0], { from: '08:00', to: '08:00' });
        },
        inside: '$.schedules[0].hours[0]',
      },
      {
        name: 'an hours window 00:00-00:00',
        edit: (d) => {
          set(d, ['schedules', 0, 'hours', 0], { from: '00:00', to: '00:00' });
        },
        inside: '$.schedules[0].hours[0]',
      },
      {
        name: 'an hours window from 24:00',
        edit: (d) => {
          set(d, ['schedules', 0, 'hours', 0, 'from'], '24:00');
        },
        paths: ['$.schedules[0].hours[0].from'],
      },
      {
        name: 'an hours window to 25:00',
        edit: (d) => {
          set(d, ['schedules', 0, 'hours', 0, 'to'], '25:00');
        },
        paths: ['$.schedules[0].hours[0].to'],
      },
      {
        name: 'weekday 0',
        edit: (d) => {
          set(d, ['schedules', 0, 'weekdays', 0], 0);
        },
        paths: ['$.schedules[0].weekdays[0]'],
      },
      {
        name: 'weekday 8',
        edit: (d) => {
          set(d, ['schedules', 0, 'weekdays', 1], 8);
        },
        paths: ['$.schedules[0].weekdays[1]'],
      },
      {
        name: 'a fractional priority',
        edit: (d) => {
          set(d, ['schedules', 0, 'priority'], 1.5);
        },
        paths: ['$.schedules[0].priority'],
      },
      {
        name: 'a content duration of 0',
        edit: (d) => {
          set(d, ['content', 0, 'durationSec'], 0);
        },
        paths: ['$.content[0].durationSec'],
      },
      {
        name: 'a negative content duration',
        edit: (d) => {
          set(d, ['content', 0, 'durationSec'], -5);
        },
        paths: ['$.content[0].durationSec'],
      },
      {
        name: 'a content duration over 3600 s',
        edit: (d) => {
          set(d, ['content', 0, 'durationSec'], 3600.5);
        },
        paths: ['$.content[0].durationSec'],
      },
      {
        name: 'an item duration of 0',
        edit: (d) => {
          set(d, ['playlists', 1, 'items', 0, 'durationSec'], 0);
        },
        paths: ['$.playlists[1].items[0].durationSec'],
      },
      {
        name: 'an announcement instant without an offset',
        edit: (d) => {
          set(d, ['announcements', 0, 'from'], '2026-03-29T08:30:00');
        },
        paths: ['$.announcements[0].from'],
      },
    ])('$name', (c) => {
      check(c);
    });

    it('a duration of exactly 3600 s and a fractional one are valid', () => {
      const doc = edited((d) => {
        set(d, ['content', 0, 'durationSec'], 3600);
        set(d, ['content', 1, 'durationSec'], 0.25);
      });
      expect(problemsOf(doc)).toEqual([]);
    });
  });

  describe('impossible dates', () => {
    it.each<Case>([
      {
        name: '2021-02-29 (2021 is not a leap year)',
        edit: (d) => {
          set(d, ['phases', 0, 'from'], '2021-02-29');
        },
        paths: ['$.phases[0].from'],
      },
      {
        name: 'month 13',
        edit: (d) => {
          set(d, ['schedules', 1, 'from'], '2020-13-01');
        },
        paths: ['$.schedules[1].from'],
      },
      {
        name: 'day 31 of April',
        edit: (d) => {
          set(d, ['schedules', 1, 'to'], '2026-04-31');
        },
        paths: ['$.schedules[1].to'],
      },
      {
        name: 'day 0',
        edit: (d) => {
          set(d, ['phases', 1, 'to'], '2026-03-00');
        },
        paths: ['$.phases[1].to'],
      },
      {
        name: 'not zero-padded',
        edit: (d) => {
          set(d, ['phases', 1, 'from'], '2026-3-28');
        },
        paths: ['$.phases[1].from'],
      },
      {
        name: 'a month-day 02-30',
        edit: (d) => {
          set(d, ['schedules', 0, 'on', 0], '02-30');
        },
        paths: ['$.schedules[0].on[0]'],
      },
      {
        name: 'a month-day 13-01',
        edit: (d) => {
          set(d, ['schedules', 0, 'on'], ['03-29', '13-01']);
        },
        paths: ['$.schedules[0].on[1]'],
      },
    ])('$name', (c) => {
      check(c);
    });

    it('2020-02-29 and the month-day 02-29 are valid', () => {
      const doc = edited((d) => {
        set(d, ['schedules', 1, 'from'], '2020-02-29');
        set(d, ['schedules', 0, 'on'], ['02-29']);
      });
      expect(problemsOf(doc)).toEqual([]);
    });
  });

  describe('unknown fields', () => {
    it.each<Case>([
      {
        name: 'at the top',
        edit: (d) => {
          set(d, ['extra'], 1);
        },
        paths: ['$.extra'],
      },
      {
        name: 'in plan',
        edit: (d) => {
          set(d, ['plan', 'colour'], 'red');
        },
        paths: ['$.plan.colour'],
      },
      {
        name: 'with an odd name',
        edit: (d) => {
          set(d, ['plan', 'ghi chú'], 'x');
        },
        paths: ['$.plan["ghi chú"]'],
      },
      {
        name: 'in a phase',
        edit: (d) => {
          set(d, ['phases', 0, 'start'], '2026-01-01');
        },
        paths: ['$.phases[0].start'],
      },
      {
        name: 'in a board',
        edit: (d) => {
          set(d, ['boards', 1, 'ip'], '10.0.0.1');
        },
        paths: ['$.boards[1].ip'],
      },
      {
        name: 'in content',
        edit: (d) => {
          set(d, ['content', 0, 'colour'], '#ff0000');
        },
        paths: ['$.content[0].colour'],
      },
      {
        name: 'in a playlist item object',
        edit: (d) => {
          set(d, ['playlists', 1, 'items', 0, 'loop'], true);
        },
        paths: ['$.playlists[1].items[0].loop'],
      },
      {
        name: 'in a schedule',
        edit: (d) => {
          set(d, ['schedules', 0, 'days'], [1]);
        },
        paths: ['$.schedules[0].days'],
      },
      {
        name: 'in schedule targets',
        edit: (d) => {
          set(d, ['schedules', 0, 'boards', 'group'], 'x');
        },
        paths: ['$.schedules[0].boards.group'],
      },
      {
        name: 'in an hours window',
        edit: (d) => {
          set(d, ['schedules', 0, 'hours', 0, 'tz'], 'UTC');
        },
        paths: ['$.schedules[0].hours[0].tz'],
      },
      {
        name: 'in an announcement',
        edit: (d) => {
          set(d, ['announcements', 0, 'priority'], 9);
        },
        paths: ['$.announcements[0].priority'],
      },
    ])('$name', (c) => {
      check(c);
    });

    it('a "__proto__" key parsed from JSON text is an unknown field, at the top', () => {
      const text = JSON.stringify(base()).replace(/^\{/, '{"__proto__":{"admin":true},');
      const result = validatePlanText(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.map((p) => p.path)).toEqual(['$.__proto__']);
    });

    it('a "__proto__" key parsed from JSON text is an unknown field, inside a schedule', () => {
      const text = JSON.stringify(base()).replace(
        '"id":"s2",',
        '"id":"s2","__proto__":{"priority":1000},',
      );
      expect(text).toContain('__proto__');
      const result = validatePlanText(text);
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.problems.map((p) => p.path)).toEqual(['$.schedules[1].__proto__']);
    });
  });

  describe('ids', () => {
    it.each<Case>([
      {
        name: 'with a slash',
        edit: (d) => {
          push(d, ['boards'], { id: 'a/b', name: 'Bảng', width: 64, height: 32 });
        },
        paths: ['$.boards[2].id'],
      },
      {
        name: 'climbing up a directory',
        edit: (d) => {
          push(d, ['content'], { id: '../etc', kind: 'slogan', text: 'X' });
        },
        paths: ['$.content[7].id'],
      },
      {
        name: '..',
        edit: (d) => {
          push(d, ['content'], { id: '..', kind: 'slogan', text: 'X' });
        },
        paths: ['$.content[7].id'],
      },
      {
        name: '.',
        edit: (d) => {
          push(d, ['playlists'], { id: '.', name: 'X', items: ['c1'] });
        },
        paths: ['$.playlists[4].id'],
      },
      {
        name: 'empty',
        edit: (d) => {
          push(d, ['playlists'], { id: '', name: 'X', items: ['c1'] });
        },
        paths: ['$.playlists[4].id'],
      },
      {
        name: 'of 65 characters',
        edit: (d) => {
          push(d, ['playlists'], { id: 'x'.repeat(65), name: 'X', items: ['c1'] });
        },
        paths: ['$.playlists[4].id'],
      },
      {
        name: 'with a Vietnamese letter',
        edit: (d) => {
          push(d, ['playlists'], { id: 'chính', name: 'X', items: ['c1'] });
        },
        paths: ['$.playlists[4].id'],
      },
      {
        name: 'a tag with a space',
        edit: (d) => {
          set(d, ['boards', 0, 'tags'], ['cua khau']);
        },
        paths: ['$.boards[0].tags[0]'],
      },
    ])('$name', (c) => {
      check(c);
    });

    it('accepts dots anywhere but as the whole id (design.md: [A-Za-z0-9._-]{1,64})', () => {
      const doc = edited((d) => {
        push(d, ['playlists'], { id: 'kh..1', name: 'X', items: ['c1'] });
        push(d, ['content'], { id: '...x', kind: 'slogan', text: 'X' });
        push(d, ['playlists'], { id: '...', name: 'X', items: ['...x'] });
      });
      expect(problemsOf(doc)).toEqual([]);
    });

    it('accepts 64 characters of A-Z a-z 0-9 . _ -', () => {
      const id = `Ab.9_-${'x'.repeat(58)}`;
      expect(id).toHaveLength(64);
      const doc = edited((d) => {
        push(d, ['playlists'], { id, name: 'X', items: ['c1'] });
      });
      expect(problemsOf(doc)).toEqual([]);
    });
  });

  it('reports an unknown format with the other problems, not instead of them', () => {
    const doc = edited((d) => {
      set(d, ['format'], 'bangtin-plan/2');
      set(d, ['plan', 'timeZone'], 'Asia/Hanoi');
      set(d, ['schedules', 0, 'phase'], 'khong-co');
    });
    const result = validatePlan(doc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path).sort()).toEqual([
      '$.format',
      '$.plan.timeZone',
      '$.schedules[0].phase',
    ]);
    expect(result.problems[0]?.message).toBe(
      'unknown format "bangtin-plan/2"; expected "bangtin-plan/1"',
    );
  });

  it('writes a value from the document on the problem’s one line, whatever it holds', () => {
    const doc = edited((d) => {
      set(d, ['plan', 'timeZone'], 'Asia/X\nY');
      set(d, ['schedules', 0, 'playlist'], 'bad\r\nid');
    });
    const result = validatePlan(doc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.length).toBeGreaterThan(0);
    for (const p of result.problems) expect(p.message, p.path).not.toMatch(/[\r\n]/);
    expect(result.problems.map((p) => p.message)).toContain('unknown time zone "Asia/X\\nY"');
  });

  it('reports every problem of a document with several, not just the first', () => {
    const doc = edited((d) => {
      set(d, ['plan', 'timeZone'], 'Asia/Hanoi');
      set(d, ['schedules', 0, 'phase'], 'khong-co');
      push(d, ['content'], { id: 'c1', kind: 'slogan', text: 'LẶP' });
      set(d, ['phases', 1, 'to'], '2026-03-27');
      set(d, ['announcements', 0, 'colour'], 'red');
      set(d, ['schedules', 1, 'from'], '2021-02-29');
      set(d, ['playlists', 2, 'items'], []);
      set(d, ['boards', 1, 'width'], 'rộng');
    });
    const paths = problemsOf(doc).map((p) => p.path);
    expect([...new Set(paths)].sort()).toEqual(
      [
        '$.plan.timeZone',
        '$.schedules[0].phase',
        '$.content[7].id',
        '$.phases[1].to',
        '$.announcements[0].colour',
        '$.schedules[1].from',
        '$.playlists[2].items',
        '$.boards[1].width',
      ].sort(),
    );
  });

  it('normalises decomposed Vietnamese text to NFC', () => {
    // "Việt Nam" with ệ written as e + U+0323 (dot below) + U+0302 (circumflex).
    const decomposed = 'Vie\u0323\u0302t Nam';
    const composed = 'Vi\u1EC7t Nam';
    expect(decomposed).not.toBe(composed);
    expect(decomposed.normalize('NFC')).toBe(composed);
    const doc = edited((d) => {
      set(d, ['plan', 'title'], decomposed);
      set(d, ['phases', 0, 'name'], decomposed);
      set(d, ['boards', 0, 'name'], decomposed);
      set(d, ['content', 0, 'text'], `CHÀO MỪNG ${decomposed}`);
      set(d, ['playlists', 0, 'name'], decomposed);
      set(d, ['announcements', 0, 'text'], decomposed);
    });
    const result = validatePlan(doc);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { plan } = result;
    expect(plan.plan.title).toBe(composed);
    expect(plan.phases[0]?.name).toBe(composed);
    expect(plan.boards[0]?.name).toBe(composed);
    const first = plan.content[0];
    expect(first?.kind === 'slogan' ? first.text : undefined).toBe(`CHÀO MỪNG ${composed}`);
    expect(plan.playlists[0]?.name).toBe(composed);
    expect(plan.announcements[0]?.text).toBe(composed);
  });

  it('leaves a valid input document untouched while normalising its output', () => {
    const doc = edited((d) => {
      set(d, ['plan', 'title'], 'Vie\u0323\u0302t Nam');
    });
    const before = structuredClone(doc);
    expect(validatePlan(doc).ok).toBe(true);
    expect(doc).toEqual(before);
  });
});
