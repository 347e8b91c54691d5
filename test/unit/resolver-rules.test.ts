// Table tests of the schedule semantics (design.md, "Exact schedule semantics"), one rule at a
// time. Unless a test says otherwise the zone is Asia/Ho_Chi_Minh (UTC+7, no DST), so local
// 00:00 of day D is (D - 1)T17:00Z and local 08:00 is 01:00Z. The default phase dot-1 runs
// 2026-03-28..2026-03-30, i.e. [2026-03-27T17:00Z, 2026-03-30T17:00Z). 2026-03-28 is a Saturday
// (ISO 6), 03-29 a Sunday (7), 03-30 a Monday (1). Playlists: A = [c1 10 s, c2 20 s],
// B = [c3 15 s], L = [c4 30 min], M = [c25 25 min].
import { describe, expect, it } from 'vitest';
import { compilePlan, timeline, validatePlan, type Targets } from '../../playlists/index.js';
import {
  announcement,
  buildPlan,
  idle,
  item,
  loopItems,
  ms,
  resolverOf,
  segmentsOf,
  type ScheduleInput,
  type AnnouncementInput,
} from '../helpers/plan-builder.js';

const PHASE_START = '2026-03-27T17:00:00Z';
const PHASE_END = '2026-03-30T17:00:00Z';
const MIN = 60_000;

function regimeOf(doc: unknown, board: string, atIso: string) {
  const regime = resolverOf(doc, board).regimeAt(ms(atIso));
  return {
    kind: regime.winner.kind,
    start: Number.isFinite(regime.startMs)
      ? new Date(regime.startMs).toISOString()
      : regime.startMs,
    end: Number.isFinite(regime.endMs) ? new Date(regime.endMs).toISOString() : regime.endMs,
  };
}

function playingAt(doc: unknown, board: string, atIso: string): string {
  const [first] = segmentsOf(doc, board, atIso, new Date(ms(atIso) + 1).toISOString());
  if (!first) throw new Error('no segment');
  return first.kind === 'item'
    ? (first.content ?? '?')
    : first.kind === 'announcement'
      ? `!${first.announcement ?? '?'}`
      : 'idle';
}

interface TargetCase {
  name: string;
  boards: Targets | undefined;
  playing: string[];
}

const planWith = (schedules: ScheduleInput[], announcements: AnnouncementInput[] = []) =>
  buildPlan({ schedules, announcements });

describe('rule 1: a date range includes both its days', () => {
  const doc = planWith([{ id: 's', playlist: 'L', phase: 'dot-1' }]);

  it('starts at local 00:00 of `from`', () => {
    expect(segmentsOf(doc, 'cua-khau', '2026-03-27T16:00:00Z', '2026-03-27T18:00:00Z')).toEqual([
      idle('2026-03-27T16:00:00Z', '2026-03-27T17:00:00Z'),
      item('2026-03-27T17:00:00Z', '2026-03-27T17:30:00Z', 'c4'),
      item('2026-03-27T17:30:00Z', '2026-03-27T18:00:00Z', 'c4'),
    ]);
  });

  it('ends at local 00:00 of the day after `to`', () => {
    // 03-27T17:00Z -> 03-30T16:00Z is 71 h = 142 plays of 30 min: a play starts at 16:00Z.
    expect(segmentsOf(doc, 'cua-khau', '2026-03-30T16:00:00Z', '2026-03-30T18:00:00Z')).toEqual([
      item('2026-03-30T16:00:00Z', '2026-03-30T16:30:00Z', 'c4'),
      item('2026-03-30T16:30:00Z', '2026-03-30T17:00:00Z', 'c4'),
      idle('2026-03-30T17:00:00Z', '2026-03-30T18:00:00Z'),
    ]);
  });

  it('is one regime over the whole phase', () => {
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T05:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-27T17:00:00.000Z',
      end: '2026-03-30T17:00:00.000Z',
    });
  });

  it('a phase whose from equals its to lasts one local day', () => {
    const oneDay = buildPlan({
      phases: [{ id: 'ngay', name: 'Một ngày', from: '2026-03-29', to: '2026-03-29' }],
      schedules: [{ id: 's', playlist: 'L', phase: 'ngay' }],
    });
    expect(regimeOf(oneDay, 'cua-khau', '2026-03-29T12:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-28T17:00:00.000Z',
      end: '2026-03-29T17:00:00.000Z',
    });
    const segments = segmentsOf(oneDay, 'cua-khau', '2026-03-28T16:00:00Z', '2026-03-29T18:00:00Z');
    // 24 h of 30-minute plays = 48 plays, with an hour of idle on either side.
    expect(segments).toEqual([
      idle('2026-03-28T16:00:00Z', '2026-03-28T17:00:00Z'),
      ...loopItems(
        [['c4', 30 * MIN]],
        '2026-03-28T17:00:00Z',
        '2026-03-28T17:00:00Z',
        '2026-03-29T17:00:00Z',
      ),
      idle('2026-03-29T17:00:00Z', '2026-03-29T18:00:00Z'),
    ]);
    expect(segments).toHaveLength(50);
  });

  it("a schedule's own from/to is inclusive like a phase's", () => {
    const own = planWith([{ id: 's', playlist: 'L', from: '2026-03-29', to: '2026-03-30' }]);
    expect(regimeOf(own, 'tru-so', '2026-03-29T00:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-28T17:00:00.000Z',
      end: '2026-03-30T17:00:00.000Z',
    });
    expect(playingAt(own, 'tru-so', '2026-03-28T16:59:59.999Z')).toBe('idle');
    expect(playingAt(own, 'tru-so', '2026-03-30T16:59:59.999Z')).toBe('c4');
    expect(playingAt(own, 'tru-so', '2026-03-30T17:00:00Z')).toBe('idle');
  });

  it('a schedule with `from` only never ends', () => {
    const open = planWith([{ id: 's', playlist: 'M', from: '2026-03-29' }]);
    expect(regimeOf(open, 'cua-khau', '2031-06-15T00:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-28T17:00:00.000Z',
      end: Number.POSITIVE_INFINITY,
    });
    // 2026-03-28T17:00Z -> 2031-06-15T00:00Z: 1905 UTC days (5 years with 2028-02-29, then 79
    // days) less 17 h = 2,742,180 min; mod 25 = 5, so the play at 00:00Z began at 23:55Z.
    expect(segmentsOf(open, 'cua-khau', '2031-06-15T00:00:00Z', '2031-06-15T00:30:00Z')).toEqual([
      item('2031-06-15T00:00:00Z', '2031-06-15T00:20:00Z', 'c25'),
      item('2031-06-15T00:20:00Z', '2031-06-15T00:30:00Z', 'c25'),
    ]);
  });
});

describe('rule 2: month-days (`on`) every year', () => {
  it('plays only on the listed local dates', () => {
    const doc = planWith([{ id: 's', playlist: 'L', phase: 'dot-1', on: ['03-29'] }]);
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T05:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-28T17:00:00.000Z',
      end: '2026-03-29T17:00:00.000Z',
    });
    expect(playingAt(doc, 'cua-khau', '2026-03-28T16:59:59.999Z')).toBe('idle');
    expect(playingAt(doc, 'cua-khau', '2026-03-29T17:00:00Z')).toBe('idle');
  });

  it('repeats in every year of an open-ended range', () => {
    const doc = planWith([{ id: 's', playlist: 'L', from: '2026-01-01', on: ['03-29'] }]);
    for (const year of [2026, 2027, 2030]) {
      expect(regimeOf(doc, 'cua-khau', `${year}-03-29T00:00:00Z`)).toEqual({
        kind: 'schedules',
        start: `${year}-03-28T17:00:00.000Z`,
        end: `${year}-03-29T17:00:00.000Z`,
      });
      expect(playingAt(doc, 'cua-khau', `${year}-03-30T00:00:00Z`)).toBe('idle');
    }
  });

  it('12-31 and 01-01 join across the year boundary into one regime', () => {
    const doc = planWith([
      { id: 's', playlist: 'M', from: '2026-12-01', to: '2027-01-31', on: ['12-31', '01-01'] },
    ]);
    expect(regimeOf(doc, 'cua-khau', '2027-01-01T00:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-12-30T17:00:00.000Z',
      end: '2027-01-01T17:00:00.000Z',
    });
    // Local midnight 2026-12-31T17:00Z is 1440 min in: 1440 = 57 * 25 + 15, so the play that
    // began at 16:45Z goes on to 17:10Z.
    expect(segmentsOf(doc, 'cua-khau', '2026-12-31T16:40:00Z', '2026-12-31T17:20:00Z')).toEqual([
      item('2026-12-31T16:40:00Z', '2026-12-31T16:45:00Z', 'c25'),
      item('2026-12-31T16:45:00Z', '2026-12-31T17:10:00Z', 'c25'),
      item('2026-12-31T17:10:00Z', '2026-12-31T17:20:00Z', 'c25'),
    ]);
    // 2880 min = 115 * 25 + 5: the last play starts at 16:55Z and is cut at 17:00Z.
    expect(segmentsOf(doc, 'cua-khau', '2027-01-01T16:50:00Z', '2027-01-01T17:10:00Z')).toEqual([
      item('2027-01-01T16:50:00Z', '2027-01-01T16:55:00Z', 'c25'),
      item('2027-01-01T16:55:00Z', '2027-01-01T17:00:00Z', 'c25'),
      idle('2027-01-01T17:00:00Z', '2027-01-01T17:10:00Z'),
    ]);
  });

  it('02-29 plays in a leap year and not at all in a common year', () => {
    const doc = planWith([
      { id: 's', playlist: 'L', from: '2027-01-01', to: '2028-12-31', on: ['02-29'] },
    ]);
    expect(segmentsOf(doc, 'cua-khau', '2027-02-27T00:00:00Z', '2027-03-03T00:00:00Z')).toEqual([
      idle('2027-02-27T00:00:00Z', '2027-03-03T00:00:00Z'),
    ]);
    expect(regimeOf(doc, 'cua-khau', '2028-02-29T05:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2028-02-28T17:00:00.000Z',
      end: '2028-02-29T17:00:00.000Z',
    });
    expect(playingAt(doc, 'cua-khau', '2028-02-28T16:59:59.999Z')).toBe('idle');
    expect(playingAt(doc, 'cua-khau', '2028-02-29T17:00:00Z')).toBe('idle');
  });
});

describe('rule 2: weekdays are ISO (1 = Monday .. 7 = Sunday)', () => {
  it.each([
    { weekdays: [7], playing: ['2026-03-29'] },
    { weekdays: [6], playing: ['2026-03-28'] },
    { weekdays: [1, 2, 3, 4, 5], playing: ['2026-03-30'] },
    { weekdays: [6, 7, 1], playing: ['2026-03-28', '2026-03-29', '2026-03-30'] },
  ])('weekdays $weekdays play on $playing', ({ weekdays, playing }) => {
    const doc = planWith([{ id: 's', playlist: 'L', phase: 'dot-1', weekdays }]);
    for (const day of ['2026-03-28', '2026-03-29', '2026-03-30']) {
      // Local noon is 05:00Z.
      const expected = playing.includes(day) ? 'c4' : 'idle';
      expect(playingAt(doc, 'tru-so', `${day}T05:00:00Z`), day).toBe(expected);
    }
  });

  it('Saturday and Monday are two regimes: the loop starts again on Monday', () => {
    const doc = planWith([{ id: 's', playlist: 'M', phase: 'dot-1', weekdays: [6, 1] }]);
    // Saturday began at 03-27T17:00Z; 16:40Z is 1420 min in = 56 * 25 + 20.
    expect(segmentsOf(doc, 'tru-so', '2026-03-28T16:40:00Z', '2026-03-29T17:30:00Z')).toEqual([
      item('2026-03-28T16:40:00Z', '2026-03-28T16:45:00Z', 'c25'),
      item('2026-03-28T16:45:00Z', '2026-03-28T17:00:00Z', 'c25'),
      idle('2026-03-28T17:00:00Z', '2026-03-29T17:00:00Z'),
      item('2026-03-29T17:00:00Z', '2026-03-29T17:25:00Z', 'c25'),
      item('2026-03-29T17:25:00Z', '2026-03-29T17:30:00Z', 'c25'),
    ]);
  });
});

describe('rule 2: hours windows', () => {
  it('06:00-22:00 plays [D 06:00, D 22:00) each day', () => {
    const doc = planWith([
      { id: 's', playlist: 'M', phase: 'dot-1', hours: [{ from: '06:00', to: '22:00' }] },
    ]);
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T05:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-28T23:00:00.000Z',
      end: '2026-03-29T15:00:00.000Z',
    });
    // 03-28's window began at 03-27T23:00Z; 14:00Z is 900 min in = 36 plays.
    expect(segmentsOf(doc, 'cua-khau', '2026-03-28T14:00:00Z', '2026-03-28T23:30:00Z')).toEqual([
      item('2026-03-28T14:00:00Z', '2026-03-28T14:25:00Z', 'c25'),
      item('2026-03-28T14:25:00Z', '2026-03-28T14:50:00Z', 'c25'),
      item('2026-03-28T14:50:00Z', '2026-03-28T15:00:00Z', 'c25'),
      idle('2026-03-28T15:00:00Z', '2026-03-28T23:00:00Z'),
      item('2026-03-28T23:00:00Z', '2026-03-28T23:25:00Z', 'c25'),
      item('2026-03-28T23:25:00Z', '2026-03-28T23:30:00Z', 'c25'),
    ]);
  });

  it('two separate windows a day are two regimes a day', () => {
    const doc = planWith([
      {
        id: 's',
        playlist: 'L',
        phase: 'dot-1',
        hours: [
          { from: '18:00', to: '20:00' },
          { from: '06:00', to: '08:00' },
        ],
      },
    ]);
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T00:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-28T23:00:00.000Z',
      end: '2026-03-29T01:00:00.000Z',
    });
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T12:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-29T11:00:00.000Z',
      end: '2026-03-29T13:00:00.000Z',
    });
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T05:00:00Z')).toEqual({
      kind: 'idle',
      start: '2026-03-29T01:00:00.000Z',
      end: '2026-03-29T11:00:00.000Z',
    });
  });

  it('a window wrapping midnight belongs to the day it starts (22:00-02:00)', () => {
    const doc = planWith([
      { id: 's', playlist: 'L', phase: 'dot-1', hours: [{ from: '22:00', to: '02:00' }] },
    ]);
    // 03-28 00:00-02:00 local would be 03-27's window, and 03-27 is outside the phase.
    expect(playingAt(doc, 'cua-khau', '2026-03-27T18:00:00Z')).toBe('idle');
    // 03-28 22:00 -> 03-29 02:00 local.
    expect(regimeOf(doc, 'cua-khau', '2026-03-28T17:30:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-28T15:00:00.000Z',
      end: '2026-03-28T19:00:00.000Z',
    });
    // The last day's window runs past the end of the phase, to 03-31 02:00 local.
    expect(regimeOf(doc, 'cua-khau', '2026-03-30T18:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-30T15:00:00.000Z',
      end: '2026-03-30T19:00:00.000Z',
    });
    expect(playingAt(doc, 'cua-khau', '2026-03-30T19:00:00Z')).toBe('idle');
  });

  it('a wrap window plays into the next day even when weekdays exclude that day', () => {
    // Saturday 03-28 only: its 22:00-02:00 runs into Sunday; Sunday's own window does not play.
    const doc = planWith([
      {
        id: 's',
        playlist: 'L',
        phase: 'dot-1',
        weekdays: [6],
        hours: [{ from: '22:00', to: '02:00' }],
      },
    ]);
    expect(segmentsOf(doc, 'cua-khau', '2026-03-28T14:00:00Z', '2026-03-29T20:00:00Z')).toEqual([
      idle('2026-03-28T14:00:00Z', '2026-03-28T15:00:00Z'),
      ...loopItems(
        [['c4', 30 * MIN]],
        '2026-03-28T15:00:00Z',
        '2026-03-28T15:00:00Z',
        '2026-03-28T19:00:00Z',
      ),
      idle('2026-03-28T19:00:00Z', '2026-03-29T20:00:00Z'),
    ]);
  });

  it('a wrap window of an excluded day does not play into an included day', () => {
    // Sunday 03-29 only: Saturday's 22:00-02:00 does not play into Sunday 00:00-02:00.
    const doc = planWith([
      {
        id: 's',
        playlist: 'L',
        phase: 'dot-1',
        weekdays: [7],
        hours: [{ from: '22:00', to: '02:00' }],
      },
    ]);
    expect(playingAt(doc, 'cua-khau', '2026-03-28T18:00:00Z')).toBe('idle');
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T16:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-29T15:00:00.000Z',
      end: '2026-03-29T19:00:00.000Z',
    });
  });

  it('"24:00" as `to` ends at the next local midnight', () => {
    const doc = planWith([
      { id: 's', playlist: 'L', phase: 'dot-1', hours: [{ from: '22:00', to: '24:00' }] },
    ]);
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T16:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-29T15:00:00.000Z',
      end: '2026-03-29T17:00:00.000Z',
    });
    expect(segmentsOf(doc, 'cua-khau', '2026-03-29T16:00:00Z', '2026-03-29T17:30:00Z')).toEqual([
      item('2026-03-29T16:00:00Z', '2026-03-29T16:30:00Z', 'c4'),
      item('2026-03-29T16:30:00Z', '2026-03-29T17:00:00Z', 'c4'),
      idle('2026-03-29T17:00:00Z', '2026-03-29T17:30:00Z'),
    ]);
  });

  it('22:00-24:00 and the next day 00:00-02:00 join into one regime across midnight', () => {
    const doc = planWith([
      {
        id: 's',
        playlist: 'M',
        phase: 'dot-1',
        hours: [
          { from: '22:00', to: '24:00' },
          { from: '00:00', to: '02:00' },
        ],
      },
    ]);
    expect(regimeOf(doc, 'cua-khau', '2026-03-28T17:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-28T15:00:00.000Z',
      end: '2026-03-28T19:00:00.000Z',
    });
    // From 15:00Z: 16:30Z is 90 min in = 3 * 25 + 15, midnight (17:00Z) is 120 = 4 * 25 + 20.
    expect(segmentsOf(doc, 'cua-khau', '2026-03-28T16:30:00Z', '2026-03-28T19:30:00Z')).toEqual([
      item('2026-03-28T16:30:00Z', '2026-03-28T16:40:00Z', 'c25'),
      item('2026-03-28T16:40:00Z', '2026-03-28T17:05:00Z', 'c25'),
      item('2026-03-28T17:05:00Z', '2026-03-28T17:30:00Z', 'c25'),
      item('2026-03-28T17:30:00Z', '2026-03-28T17:55:00Z', 'c25'),
      item('2026-03-28T17:55:00Z', '2026-03-28T18:20:00Z', 'c25'),
      item('2026-03-28T18:20:00Z', '2026-03-28T18:45:00Z', 'c25'),
      item('2026-03-28T18:45:00Z', '2026-03-28T19:00:00Z', 'c25'),
      idle('2026-03-28T19:00:00Z', '2026-03-28T19:30:00Z'),
    ]);
  });

  it.each([
    {
      name: 'adjacent 08:00-09:00 and 09:00-10:00',
      hours: [
        { from: '08:00', to: '09:00' },
        { from: '09:00', to: '10:00' },
      ],
    },
    {
      name: 'the same windows listed in reverse',
      hours: [
        { from: '09:00', to: '10:00' },
        { from: '08:00', to: '09:00' },
      ],
    },
    {
      name: 'overlapping 08:00-09:30 and 09:00-10:00',
      hours: [
        { from: '08:00', to: '09:30' },
        { from: '09:00', to: '10:00' },
      ],
    },
  ])('$name form one regime (no restart at 09:00)', ({ hours }) => {
    const doc = planWith([{ id: 's', playlist: 'M', phase: 'dot-1', hours }]);
    // 08:00-10:00 local on 03-29 = [01:00Z, 03:00Z); the play from 01:50Z runs over 09:00.
    expect(segmentsOf(doc, 'cua-khau', '2026-03-29T00:30:00Z', '2026-03-29T03:30:00Z')).toEqual([
      idle('2026-03-29T00:30:00Z', '2026-03-29T01:00:00Z'),
      item('2026-03-29T01:00:00Z', '2026-03-29T01:25:00Z', 'c25'),
      item('2026-03-29T01:25:00Z', '2026-03-29T01:50:00Z', 'c25'),
      item('2026-03-29T01:50:00Z', '2026-03-29T02:15:00Z', 'c25'),
      item('2026-03-29T02:15:00Z', '2026-03-29T02:40:00Z', 'c25'),
      item('2026-03-29T02:40:00Z', '2026-03-29T03:00:00Z', 'c25'),
      idle('2026-03-29T03:00:00Z', '2026-03-29T03:30:00Z'),
    ]);
  });

  it('a daily 00:00-24:00 window is one regime over the whole range', () => {
    const doc = planWith([
      { id: 's', playlist: 'M', phase: 'dot-1', hours: [{ from: '00:00', to: '24:00' }] },
    ]);
    expect(regimeOf(doc, 'cua-khau', '2026-03-30T12:00:00Z')).toEqual({
      kind: 'schedules',
      start: PHASE_START.replace('Z', '.000Z'),
      end: PHASE_END.replace('Z', '.000Z'),
    });
    // Local midnight 03-29T17:00Z is 2880 min in = 115 * 25 + 5: no restart there.
    expect(segmentsOf(doc, 'cua-khau', '2026-03-29T16:50:00Z', '2026-03-29T17:30:00Z')).toEqual([
      item('2026-03-29T16:50:00Z', '2026-03-29T16:55:00Z', 'c25'),
      item('2026-03-29T16:55:00Z', '2026-03-29T17:20:00Z', 'c25'),
      item('2026-03-29T17:20:00Z', '2026-03-29T17:30:00Z', 'c25'),
    ]);
  });

  it('22:00-02:00 with 02:00-22:00 tiles the day: one regime over the range', () => {
    const doc = planWith([
      {
        id: 's',
        playlist: 'M',
        phase: 'dot-1',
        hours: [
          { from: '22:00', to: '02:00' },
          { from: '02:00', to: '22:00' },
        ],
      },
    ]);
    // 03-28 00:00-02:00 local is not covered (it would be 03-27's wrap window), so the regime
    // runs from 03-28 02:00 to 03-31 02:00 local (the last day's wrap window).
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T12:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-27T19:00:00.000Z',
      end: '2026-03-30T19:00:00.000Z',
    });
  });
});

describe('rule 3: targets', () => {
  it.each<TargetCase>([
    { name: 'absent', boards: undefined, playing: ['cua-khau', 'tru-so'] },
    { name: 'all: true', boards: { all: true }, playing: ['cua-khau', 'tru-so'] },
    { name: 'all: false', boards: { all: false }, playing: [] },
    { name: 'empty object', boards: {}, playing: [] },
    { name: 'ids', boards: { ids: ['tru-so'] }, playing: ['tru-so'] },
    { name: 'empty ids', boards: { ids: [] }, playing: [] },
    { name: 'tags', boards: { tags: ['led'] }, playing: ['cua-khau'] },
    { name: 'tags with no board', boards: { tags: ['khong-co'] }, playing: [] },
    {
      name: 'ids or tags',
      boards: { ids: ['cua-khau'], tags: ['office'] },
      playing: ['cua-khau', 'tru-so'],
    },
  ])('a schedule with boards $name', ({ boards, playing }) => {
    const schedule: ScheduleInput = { id: 's', playlist: 'L', phase: 'dot-1' };
    if (boards !== undefined) schedule.boards = boards;
    const doc = planWith([schedule]);
    for (const board of ['cua-khau', 'tru-so']) {
      const expected = playing.includes(board) ? 'c4' : 'idle';
      expect(playingAt(doc, board, '2026-03-29T05:00:00Z'), board).toBe(expected);
    }
  });

  it.each<TargetCase>([
    { name: 'absent', boards: undefined, playing: ['cua-khau', 'tru-so'] },
    { name: 'all: true', boards: { all: true }, playing: ['cua-khau', 'tru-so'] },
    { name: 'ids', boards: { ids: ['cua-khau'] }, playing: ['cua-khau'] },
    { name: 'tags', boards: { tags: ['office'] }, playing: ['tru-so'] },
    { name: 'no match', boards: { tags: ['khong-co'] }, playing: [] },
  ])('an announcement with boards $name', ({ boards, playing }) => {
    const a: AnnouncementInput = {
      id: 'tbn',
      text: 'THÔNG BÁO',
      from: '2026-03-29T04:00:00Z',
      to: '2026-03-29T06:00:00Z',
    };
    if (boards !== undefined) a.boards = boards;
    const doc = planWith([{ id: 's', playlist: 'L', phase: 'dot-1' }], [a]);
    for (const board of ['cua-khau', 'tru-so']) {
      const expected = playing.includes(board) ? '!tbn' : 'c4';
      expect(playingAt(doc, board, '2026-03-29T05:00:00Z'), board).toBe(expected);
    }
  });
});

describe('rule 4: priorities', () => {
  it('the higher priority wins; when it ends the lower one starts again from its first item', () => {
    const doc = planWith([
      { id: 'thuong', playlist: 'M', phase: 'dot-1' },
      {
        id: 'sang',
        playlist: 'L',
        phase: 'dot-1',
        hours: [{ from: '08:00', to: '09:00' }],
        priority: 1,
      },
    ]);
    // M began at 03-27T17:00Z; 00:30Z is 450 min in = 18 plays. Without the restart the play at
    // 02:00Z (540 min = 21 * 25 + 15) would have begun at 01:45Z.
    expect(segmentsOf(doc, 'cua-khau', '2026-03-28T00:30:00Z', '2026-03-28T02:30:00Z')).toEqual([
      item('2026-03-28T00:30:00Z', '2026-03-28T00:55:00Z', 'c25'),
      item('2026-03-28T00:55:00Z', '2026-03-28T01:00:00Z', 'c25'),
      item('2026-03-28T01:00:00Z', '2026-03-28T01:30:00Z', 'c4'),
      item('2026-03-28T01:30:00Z', '2026-03-28T02:00:00Z', 'c4'),
      item('2026-03-28T02:00:00Z', '2026-03-28T02:25:00Z', 'c25'),
      item('2026-03-28T02:25:00Z', '2026-03-28T02:30:00Z', 'c25'),
    ]);
  });

  it('a negative priority loses to the default 0, whatever the file order', () => {
    const doc = planWith([
      { id: 'thap', playlist: 'L', phase: 'dot-1', priority: -1 },
      { id: 'mac-dinh', playlist: 'A', phase: 'dot-1' },
    ]);
    expect(playingAt(doc, 'cua-khau', '2026-03-29T05:00:00Z')).toBe('c1');
    const winner = resolverOf(doc, 'cua-khau').winnerAt(ms('2026-03-29T05:00:00Z'));
    expect(winner.kind === 'schedules' ? winner.schedules.map((s) => s.id) : []).toEqual([
      'mac-dinh',
    ]);
  });

  it('equal priorities concatenate their playlists in file order', () => {
    // Loop c1 10 s, c2 20 s, c4 1800 s from 17:00:00Z.
    const doc = planWith([
      { id: 's1', playlist: 'A', phase: 'dot-1' },
      { id: 's2', playlist: 'L', phase: 'dot-1' },
    ]);
    expect(segmentsOf(doc, 'cua-khau', PHASE_START, '2026-03-27T17:31:00Z')).toEqual([
      item('2026-03-27T17:00:00Z', '2026-03-27T17:00:10Z', 'c1'),
      item('2026-03-27T17:00:10Z', '2026-03-27T17:00:30Z', 'c2'),
      item('2026-03-27T17:00:30Z', '2026-03-27T17:30:30Z', 'c4'),
      item('2026-03-27T17:30:30Z', '2026-03-27T17:30:40Z', 'c1'),
      item('2026-03-27T17:30:40Z', '2026-03-27T17:31:00Z', 'c2'),
    ]);
    const reversed = planWith([
      { id: 's2', playlist: 'L', phase: 'dot-1' },
      { id: 's1', playlist: 'A', phase: 'dot-1' },
    ]);
    expect(segmentsOf(reversed, 'cua-khau', PHASE_START, '2026-03-27T17:31:00Z')).toEqual([
      item('2026-03-27T17:00:00Z', '2026-03-27T17:30:00Z', 'c4'),
      item('2026-03-27T17:30:00Z', '2026-03-27T17:30:10Z', 'c1'),
      item('2026-03-27T17:30:10Z', '2026-03-27T17:30:30Z', 'c2'),
      item('2026-03-27T17:30:30Z', '2026-03-27T17:31:00Z', 'c4'),
    ]);
  });

  it('item segments name their playlist and schedule', () => {
    const doc = planWith([
      { id: 's1', playlist: 'A', phase: 'dot-1' },
      { id: 's2', playlist: 'L', phase: 'dot-1' },
    ]);
    const result = validatePlan(doc);
    if (!result.ok) throw new Error('invalid');
    expect(
      timeline(compilePlan(result.plan), 'tru-so', ms(PHASE_START), ms('2026-03-27T17:00:40Z')),
    ).toEqual([
      {
        start: '2026-03-27T17:00:00.000Z',
        end: '2026-03-27T17:00:10.000Z',
        kind: 'item',
        content: 'c1',
        playlist: 'A',
        schedule: 's1',
      },
      {
        start: '2026-03-27T17:00:10.000Z',
        end: '2026-03-27T17:00:30.000Z',
        kind: 'item',
        content: 'c2',
        playlist: 'A',
        schedule: 's1',
      },
      {
        start: '2026-03-27T17:00:30.000Z',
        end: '2026-03-27T17:00:40.000Z',
        kind: 'item',
        content: 'c4',
        playlist: 'L',
        schedule: 's2',
      },
    ]);
  });

  it('when an equal-priority schedule leaves the set, the loop restarts', () => {
    // 08:00-09:00 (01:00Z-02:00Z) the loop is [c25 25 min, c1 10 s, c2 20 s] = 25.5 min;
    // from 02:00Z M plays alone again from its start. Without the restart the play at 02:00Z
    // would have begun at 01:45Z (540 min after 03-27T17:00Z = 21 * 25 + 15).
    const doc = planWith([
      { id: 'ca-ngay', playlist: 'M', phase: 'dot-1' },
      { id: 'sang', playlist: 'A', phase: 'dot-1', hours: [{ from: '08:00', to: '09:00' }] },
    ]);
    expect(segmentsOf(doc, 'cua-khau', '2026-03-28T01:50:00Z', '2026-03-28T02:30:00Z')).toEqual([
      item('2026-03-28T01:50:00Z', '2026-03-28T01:50:30Z', 'c25'),
      item('2026-03-28T01:50:30Z', '2026-03-28T01:50:40Z', 'c1'),
      item('2026-03-28T01:50:40Z', '2026-03-28T01:51:00Z', 'c2'),
      item('2026-03-28T01:51:00Z', '2026-03-28T02:00:00Z', 'c25'),
      item('2026-03-28T02:00:00Z', '2026-03-28T02:25:00Z', 'c25'),
      item('2026-03-28T02:25:00Z', '2026-03-28T02:30:00Z', 'c25'),
    ]);
  });

  it('a lower priority starting or ending while a higher one plays does not restart the loop', () => {
    const doc = planWith([
      { id: 'cao', playlist: 'M', phase: 'dot-1', priority: 5 },
      { id: 'thap', playlist: 'L', phase: 'dot-1', hours: [{ from: '08:00', to: '09:00' }] },
    ]);
    // From 03-27T17:00Z: 00:50Z is 470 min = 18 * 25 + 20 in; plays begin 00:55, 01:20, ...
    expect(segmentsOf(doc, 'cua-khau', '2026-03-28T00:50:00Z', '2026-03-28T02:15:00Z')).toEqual([
      item('2026-03-28T00:50:00Z', '2026-03-28T00:55:00Z', 'c25'),
      item('2026-03-28T00:55:00Z', '2026-03-28T01:20:00Z', 'c25'),
      item('2026-03-28T01:20:00Z', '2026-03-28T01:45:00Z', 'c25'),
      item('2026-03-28T01:45:00Z', '2026-03-28T02:10:00Z', 'c25'),
      item('2026-03-28T02:10:00Z', '2026-03-28T02:15:00Z', 'c25'),
    ]);
    expect(regimeOf(doc, 'cua-khau', '2026-03-28T01:30:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-27T17:00:00.000Z',
      end: '2026-03-30T17:00:00.000Z',
    });
  });

  it('a schedule the board is not targeted by does not disturb it', () => {
    const doc = planWith([
      { id: 's1', playlist: 'M', phase: 'dot-1' },
      {
        id: 's2',
        playlist: 'L',
        phase: 'dot-1',
        hours: [{ from: '08:00', to: '09:00' }],
        priority: 9,
        boards: { ids: ['tru-so'] },
      },
    ]);
    expect(regimeOf(doc, 'cua-khau', '2026-03-28T01:30:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-27T17:00:00.000Z',
      end: '2026-03-30T17:00:00.000Z',
    });
    expect(playingAt(doc, 'tru-so', '2026-03-28T01:30:00Z')).toBe('c4');
  });
});

describe('rule 4: announcements', () => {
  // ML = [c25 25 min, c4 30 min]: a 55-minute loop from 03-27T17:00Z.
  const ml = { id: 'ML', name: 'Dài', items: ['c25', 'c4'] };
  const schedule: ScheduleInput = { id: 's', playlist: 'ML', phase: 'dot-1' };
  const tbn = (id: string, from: string, to: string): AnnouncementInput => ({
    id,
    text: `THÔNG BÁO ${id}`,
    from,
    to,
  });

  it('preempts the schedules; afterwards the loop starts again from its first item', () => {
    const doc = buildPlan({
      playlists: [ml],
      schedules: [schedule],
      announcements: [tbn('tbn', '2026-03-28T08:10:00+07:00', '2026-03-28T08:20:00+07:00')],
    });
    // 01:00Z is 480 min in = 8 * 55 + 40: c4 began at 00:45Z (8 * 55 + 25 = 465 min).
    expect(segmentsOf(doc, 'cua-khau', '2026-03-28T01:00:00Z', '2026-03-28T02:00:00Z')).toEqual([
      item('2026-03-28T01:00:00Z', '2026-03-28T01:10:00Z', 'c4'),
      announcement('2026-03-28T01:10:00Z', '2026-03-28T01:20:00Z', 'tbn'),
      item('2026-03-28T01:20:00Z', '2026-03-28T01:45:00Z', 'c25'),
      item('2026-03-28T01:45:00Z', '2026-03-28T02:00:00Z', 'c4'),
    ]);
    expect(regimeOf(doc, 'cua-khau', '2026-03-28T01:15:00Z')).toEqual({
      kind: 'announcement',
      start: '2026-03-28T01:10:00.000Z',
      end: '2026-03-28T01:20:00.000Z',
    });
  });

  it.each([
    { order: 'earlier-from first in the file', reversed: false },
    { order: 'later-from first in the file', reversed: true },
  ])('among overlapping announcements the latest `from` wins ($order)', ({ reversed }) => {
    const long = tbn('dai', '2026-03-28T01:00:00Z', '2026-03-28T02:00:00Z');
    const short = tbn('ngan', '2026-03-28T01:20:00Z', '2026-03-28T01:40:00Z');
    const doc = buildPlan({
      playlists: [ml],
      schedules: [schedule],
      announcements: reversed ? [short, long] : [long, short],
    });
    // 00:50Z is 470 min in = 8 * 55 + 30: c4 began at 00:45Z.
    expect(segmentsOf(doc, 'tru-so', '2026-03-28T00:50:00Z', '2026-03-28T02:10:00Z')).toEqual([
      item('2026-03-28T00:50:00Z', '2026-03-28T01:00:00Z', 'c4'),
      announcement('2026-03-28T01:00:00Z', '2026-03-28T01:20:00Z', 'dai'),
      announcement('2026-03-28T01:20:00Z', '2026-03-28T01:40:00Z', 'ngan'),
      announcement('2026-03-28T01:40:00Z', '2026-03-28T02:00:00Z', 'dai'),
      item('2026-03-28T02:00:00Z', '2026-03-28T02:10:00Z', 'c25'),
    ]);
  });

  it('equal `from`: the earlier in the file wins while it lasts', () => {
    const first = tbn('truoc', '2026-03-28T01:00:00Z', '2026-03-28T01:30:00Z');
    const second = tbn('sau', '2026-03-28T01:00:00Z', '2026-03-28T02:00:00Z');
    const doc = buildPlan({
      playlists: [ml],
      schedules: [schedule],
      announcements: [first, second],
    });
    expect(segmentsOf(doc, 'tru-so', '2026-03-28T01:00:00Z', '2026-03-28T02:00:00Z')).toEqual([
      announcement('2026-03-28T01:00:00Z', '2026-03-28T01:30:00Z', 'truoc'),
      announcement('2026-03-28T01:30:00Z', '2026-03-28T02:00:00Z', 'sau'),
    ]);
    const swapped = buildPlan({
      playlists: [ml],
      schedules: [schedule],
      announcements: [second, first],
    });
    expect(segmentsOf(swapped, 'tru-so', '2026-03-28T01:00:00Z', '2026-03-28T02:00:00Z')).toEqual([
      announcement('2026-03-28T01:00:00Z', '2026-03-28T02:00:00Z', 'sau'),
    ]);
  });

  it('preempts a higher-priority schedule too, and plays over idle time', () => {
    const doc = buildPlan({
      schedules: [{ id: 'cao', playlist: 'L', phase: 'dot-1', priority: 1000 }],
      announcements: [tbn('tbn', '2026-03-30T16:00:00Z', '2026-03-30T18:00:00Z')],
    });
    expect(segmentsOf(doc, 'cua-khau', '2026-03-30T15:30:00Z', '2026-03-30T19:00:00Z')).toEqual([
      item('2026-03-30T15:30:00Z', '2026-03-30T16:00:00Z', 'c4'),
      announcement('2026-03-30T16:00:00Z', '2026-03-30T18:00:00Z', 'tbn'),
      idle('2026-03-30T18:00:00Z', '2026-03-30T19:00:00Z'),
    ]);
  });

  it('one announcement over several days is one segment', () => {
    const doc = buildPlan({
      schedules: [{ id: 's', playlist: 'L', phase: 'dot-1' }],
      announcements: [tbn('tbn', '2026-03-27T12:00:00Z', '2026-03-31T00:00:00Z')],
    });
    expect(segmentsOf(doc, 'cua-khau', '2026-03-27T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual([
      idle('2026-03-27T00:00:00Z', '2026-03-27T12:00:00Z'),
      announcement('2026-03-27T12:00:00Z', '2026-03-31T00:00:00Z', 'tbn'),
      idle('2026-03-31T00:00:00Z', '2026-04-01T00:00:00Z'),
    ]);
  });
});

describe('rule 5: regimes', () => {
  it('each new regime of the same schedule starts from the first item', () => {
    const doc = buildPlan({
      playlists: [{ id: 'ML', name: 'Dài', items: ['c25', 'c4'] }],
      schedules: [
        { id: 's', playlist: 'ML', phase: 'dot-1', hours: [{ from: '08:00', to: '09:00' }] },
      ],
    });
    for (const day of ['2026-03-28', '2026-03-29', '2026-03-30']) {
      expect(segmentsOf(doc, 'cua-khau', `${day}T00:30:00Z`, `${day}T02:30:00Z`), day).toEqual([
        idle(`${day}T00:30:00Z`, `${day}T01:00:00Z`),
        item(`${day}T01:00:00Z`, `${day}T01:25:00Z`, 'c25'),
        item(`${day}T01:25:00Z`, `${day}T01:55:00Z`, 'c4'),
        item(`${day}T01:55:00Z`, `${day}T02:00:00Z`, 'c25'),
        idle(`${day}T02:00:00Z`, `${day}T02:30:00Z`),
      ]);
    }
  });

  it('a release is as if always in force: a span starting mid-regime gives the same plays', () => {
    const doc = planWith([{ id: 's', playlist: 'M', phase: 'dot-1' }]);
    // 2026-03-29T10:07Z is 41 h 7 min = 2467 min in = 98 * 25 + 17: the play began at 09:50Z.
    expect(segmentsOf(doc, 'tru-so', '2026-03-29T10:07:00Z', '2026-03-29T10:20:00Z')).toEqual([
      item('2026-03-29T10:07:00Z', '2026-03-29T10:15:00Z', 'c25'),
      item('2026-03-29T10:15:00Z', '2026-03-29T10:20:00Z', 'c25'),
    ]);
  });
});

describe('rule 6: timeline segments', () => {
  it('one idle segment for a plan with nothing scheduled', () => {
    const doc = planWith([]);
    expect(segmentsOf(doc, 'cua-khau', '2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z')).toEqual([
      idle('2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z'),
    ]);
  });

  it('one idle segment per idle stretch, across local midnight and other boards’ changes', () => {
    const doc = planWith(
      [
        { id: 's', playlist: 'L', phase: 'dot-1', hours: [{ from: '08:00', to: '09:00' }] },
        { id: 'khac', playlist: 'A', phase: 'dot-1', boards: { ids: ['tru-so'] } },
      ],
      [
        {
          id: 'tbn',
          text: 'CHỈ TRỤ SỞ',
          from: '2026-03-28T10:00:00Z',
          to: '2026-03-28T11:00:00Z',
          boards: { tags: ['office'] },
        },
      ],
    );
    // 09:00 local 03-28 (02:00Z) to 08:00 local 03-29 (01:00Z) is one idle stretch.
    expect(segmentsOf(doc, 'cua-khau', '2026-03-28T01:30:00Z', '2026-03-29T01:30:00Z')).toEqual([
      item('2026-03-28T01:30:00Z', '2026-03-28T02:00:00Z', 'c4'),
      idle('2026-03-28T02:00:00Z', '2026-03-29T01:00:00Z'),
      item('2026-03-29T01:00:00Z', '2026-03-29T01:30:00Z', 'c4'),
    ]);
  });

  it('a span inside one play is one segment clipped at both ends', () => {
    const doc = planWith([{ id: 's', playlist: 'L', phase: 'dot-1' }]);
    expect(segmentsOf(doc, 'cua-khau', '2026-03-28T00:10:00Z', '2026-03-28T00:20:00Z')).toEqual([
      item('2026-03-28T00:10:00Z', '2026-03-28T00:20:00Z', 'c4'),
    ]);
  });

  it('an empty span has no segments', () => {
    const doc = planWith([{ id: 's', playlist: 'L', phase: 'dot-1' }]);
    expect(segmentsOf(doc, 'cua-khau', '2026-03-28T00:10:00Z', '2026-03-28T00:10:00Z')).toEqual([]);
  });

  it('consecutive plays of the same content are separate segments', () => {
    const doc = buildPlan({
      playlists: [{ id: 'CC', name: 'Hai lần', items: ['c1', 'c1'] }],
      schedules: [{ id: 's', playlist: 'CC', phase: 'dot-1' }],
    });
    expect(segmentsOf(doc, 'cua-khau', PHASE_START, '2026-03-27T17:00:25Z')).toEqual([
      item('2026-03-27T17:00:00Z', '2026-03-27T17:00:10Z', 'c1'),
      item('2026-03-27T17:00:10Z', '2026-03-27T17:00:20Z', 'c1'),
      item('2026-03-27T17:00:20Z', '2026-03-27T17:00:25Z', 'c1'),
    ]);
  });

  it('an unknown board has no timeline', () => {
    const doc = planWith([{ id: 's', playlist: 'L', phase: 'dot-1' }]);
    const result = validatePlan(doc);
    if (!result.ok) throw new Error('invalid');
    expect(timeline(compilePlan(result.plan), 'khong-co', 0, 1)).toBeUndefined();
  });
});

describe('item durations', () => {
  it("the item's own durationSec, else the content's, else 15 s (slogan) / 10 s (banner)", () => {
    const doc = buildPlan({
      content: [{ id: 'c6', kind: 'slogan', text: 'PHÂN SỐ', durationSec: 1.234 }],
      playlists: [
        {
          id: 'D',
          name: 'Thời lượng',
          items: [
            { content: 'c1', durationSec: 3 }, // item's own: 3 s
            'c1', // content's: 10 s
            'c5', // slogan default: 15 s
            'c3', // banner default: 10 s
            { content: 'c5', durationSec: 2.5 }, // 2.5 s
            { content: 'c3', durationSec: 0.125 }, // 125 ms
            'c6', // content's 1.234 s = 1234 ms
          ],
        },
      ],
      schedules: [{ id: 's', playlist: 'D', phase: 'dot-1' }],
    });
    // Starts 0, 3, 13, 28, 38, 40.5, 40.625, then the loop (41.859 s) again at 41.859.
    expect(segmentsOf(doc, 'cua-khau', PHASE_START, '2026-03-27T17:00:45Z')).toEqual([
      item('2026-03-27T17:00:00.000Z', '2026-03-27T17:00:03.000Z', 'c1'),
      item('2026-03-27T17:00:03.000Z', '2026-03-27T17:00:13.000Z', 'c1'),
      item('2026-03-27T17:00:13.000Z', '2026-03-27T17:00:28.000Z', 'c5'),
      item('2026-03-27T17:00:28.000Z', '2026-03-27T17:00:38.000Z', 'c3'),
      item('2026-03-27T17:00:38.000Z', '2026-03-27T17:00:40.500Z', 'c5'),
      item('2026-03-27T17:00:40.500Z', '2026-03-27T17:00:40.625Z', 'c3'),
      item('2026-03-27T17:00:40.625Z', '2026-03-27T17:00:41.859Z', 'c6'),
      item('2026-03-27T17:00:41.859Z', '2026-03-27T17:00:44.859Z', 'c1'),
      item('2026-03-27T17:00:44.859Z', '2026-03-27T17:00:45.000Z', 'c1'),
    ]);
  });

  it('fractional durations keep exact millisecond positions a day later', () => {
    const doc = buildPlan({
      content: [{ id: 'c6', kind: 'slogan', text: 'PHÂN SỐ', durationSec: 1.234 }],
      playlists: [{ id: 'F', name: 'Phân số', items: ['c6'] }],
      schedules: [{ id: 's', playlist: 'F', phase: 'dot-1' }],
    });
    // 86,400,000 ms = 70,016 * 1234 + 256: at 03-28T17:00Z the play began 256 ms earlier.
    expect(
      segmentsOf(doc, 'cua-khau', '2026-03-28T17:00:00.000Z', '2026-03-28T17:00:01.000Z'),
    ).toEqual([
      item('2026-03-28T17:00:00.000Z', '2026-03-28T17:00:00.978Z', 'c6'),
      item('2026-03-28T17:00:00.978Z', '2026-03-28T17:00:01.000Z', 'c6'),
    ]);
  });
});
