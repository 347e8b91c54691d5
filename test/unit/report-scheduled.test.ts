import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BoardResolver } from '../../playlists/index.js';
import { csvField, toCsv } from '../../controller/monitoring/csv.js';
import { addScheduledTime } from '../../controller/monitoring/scheduled.js';
import { buildPlan, ms, resolverOf, type ScheduleInput } from '../helpers/plan-builder.js';

const SEED = 6;

/** Scheduled ms per `kind:id` the report's way. */
function scheduled(resolver: BoardResolver, fromMs: number, toMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  addScheduledTime(resolver, fromMs, toMs, (kind, id, amount) => {
    out[`${kind}:${id}`] = (out[`${kind}:${id}`] ?? 0) + amount;
  });
  return out;
}

/** The same from the timeline's segments, one by one. */
function fromTimeline(
  resolver: BoardResolver,
  fromMs: number,
  toMs: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const seg of resolver.timeline(fromMs, toMs)) {
    if (seg.kind === 'idle') continue;
    const key = `${seg.kind}:${seg.content ?? seg.announcement ?? ''}`;
    out[key] = (out[key] ?? 0) + seg.endMs - seg.startMs;
  }
  return out;
}

const HOURS = [
  undefined,
  [{ from: '06:00', to: '22:00' }],
  [{ from: '02:00', to: '03:30' }],
  [{ from: '22:00', to: '02:00' }],
  [
    { from: '08:00', to: '08:07' },
    { from: '12:00', to: '13:00' },
  ],
] as const;

const scheduleArb = fc.record({
  playlist: fc.constantFrom('A', 'B', 'L', 'M'),
  hours: fc.constantFrom(...HOURS),
  priority: fc.constantFrom(0, 0, 1),
  weekdays: fc.constantFrom(undefined, [1, 3, 5], [6, 7]),
});

const planArb = fc.record({
  zone: fc.constantFrom('Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York'),
  schedules: fc.array(scheduleArb, { minLength: 1, maxLength: 4 }),
  announcement: fc.option(
    fc.record({
      fromHour: fc.integer({ min: 0, max: 70 }),
      lengthMin: fc.integer({ min: 1, max: 300 }),
    }),
  ),
  // Spans within 2026-03-27 .. 2026-04-01 (Berlin and New York change offset around them).
  fromMin: fc.integer({ min: 0, max: 5 * 1440 }),
  lengthMin: fc.integer({ min: 1, max: 2 * 1440 }),
  cutMin: fc.integer({ min: 0, max: 2 * 1440 }),
});

describe('scheduled time for reports', () => {
  it('equals the sum of the timeline segments, and is additive over adjoining spans', () => {
    fc.assert(
      fc.property(planArb, (spec) => {
        const schedules: ScheduleInput[] = spec.schedules.map((s, i) => ({
          id: `sc${i}`,
          playlist: s.playlist,
          from: '2026-03-25',
          to: '2026-04-02',
          priority: s.priority,
          ...(s.hours === undefined ? {} : { hours: s.hours.map((h) => ({ ...h })) }),
          ...(s.weekdays === undefined ? {} : { weekdays: [...s.weekdays] }),
        }));
        const base = ms('2026-03-27T00:00:00Z');
        const announcements = spec.announcement
          ? [
              {
                id: 'tb',
                text: 'THÔNG BÁO',
                from: new Date(base + spec.announcement.fromHour * 3_600_000).toISOString(),
                to: new Date(
                  base +
                    spec.announcement.fromHour * 3_600_000 +
                    spec.announcement.lengthMin * 60_000,
                ).toISOString(),
              },
            ]
          : [];
        const resolver = resolverOf(
          buildPlan({ timeZone: spec.zone, schedules, announcements }),
          'cua-khau',
        );
        const fromMs = base + spec.fromMin * 60_000;
        const toMs = fromMs + spec.lengthMin * 60_000;
        const whole = scheduled(resolver, fromMs, toMs);
        expect(whole).toEqual(fromTimeline(resolver, fromMs, toMs));
        const cut = Math.min(toMs, fromMs + spec.cutMin * 60_000);
        const left = scheduled(resolver, fromMs, cut);
        const right = scheduled(resolver, cut, toMs);
        const joined: Record<string, number> = { ...left };
        for (const [k, v] of Object.entries(right)) joined[k] = (joined[k] ?? 0) + v;
        expect(joined).toEqual(whole);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe('CSV', () => {
  it('quotes by RFC 4180 and never lets a cell be read as a formula', () => {
    const cases: [string | number | null, string][] = [
      ['MỪNG ĐẢNG, MỪNG XUÂN', '"MỪNG ĐẢNG, MỪNG XUÂN"'],
      ['Khẩu hiệu "Toàn dân"', '"Khẩu hiệu ""Toàn dân"""'],
      ['hai\ndòng', '"hai\ndòng"'],
      ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
      ['+84 123', "'+84 123"],
      ['-1', "'-1"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tcmd', "'\tcmd"],
      ['\r=1', `"'\r=1"`],
      [-1, '-1'],
      [36.4, '36.4'],
      [null, ''],
      [Number.NaN, ''],
    ];
    for (const [value, expected] of cases) expect(csvField(value), String(value)).toBe(expected);
    expect(
      toCsv([
        ['a', 1],
        ['b', null],
      ]),
    ).toBe('\uFEFFa,1\r\nb,\r\n');
  });
});
