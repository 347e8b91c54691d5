// Schedules across offset transitions. Europe/Berlin 2026: CET (+01) until 2026-03-29T01:00Z,
// when 02:00 local jumps to 03:00 (CEST, +02); back at 2026-10-25T01:00Z, when 03:00 local
// returns to 02:00 (CET). Local wall time maps to instants with Temporal's "compatible" rule:
// a time in the gap moves forward by the gap, an ambiguous time takes the earlier instant.
// Playlists: L = [c4 30 min], M = [c25 25 min]; see test/helpers/plan-builder.ts.
import { describe, expect, it } from 'vitest';
import {
  buildPlan,
  idle,
  item,
  loopItems,
  ms,
  resolverOf,
  segmentsOf,
  type PlanParts,
} from '../helpers/plan-builder.js';

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

const berlin = (parts: PlanParts) => buildPlan({ timeZone: 'Europe/Berlin', ...parts });
const phase = (from: string, to: string) => [{ id: 'p', name: 'Đợt', from, to }];

describe('Europe/Berlin, spring forward 2026-03-29', () => {
  it('a phase day of 23 h plays one continuous loop through the transition', () => {
    // 03-29 runs from 00:00 CET (03-28T23:00Z) to 00:00 CEST on 03-30 (03-29T22:00Z): 23 h =
    // 1380 min = 55 * 25 + 5, so 55 full plays and a last one cut after 5 minutes.
    const doc = berlin({
      phases: phase('2026-03-29', '2026-03-29'),
      schedules: [{ id: 's', playlist: 'M', phase: 'p' }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T12:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-28T23:00:00.000Z',
      end: '2026-03-29T22:00:00.000Z',
    });
    const segments = segmentsOf(doc, 'cua-khau', '2026-03-28T22:00:00Z', '2026-03-29T23:00:00Z');
    expect(segments).toEqual([
      idle('2026-03-28T22:00:00Z', '2026-03-28T23:00:00Z'),
      ...loopItems(
        [['c25', 25 * MIN]],
        '2026-03-28T23:00:00Z',
        '2026-03-28T23:00:00Z',
        '2026-03-29T22:00:00Z',
      ),
      idle('2026-03-29T22:00:00Z', '2026-03-29T23:00:00Z'),
    ]);
    expect(segments).toHaveLength(1 + 56 + 1);
    // The transition (01:00Z) is 120 min in = 4 * 25 + 20: the play of 00:40Z-01:05Z spans it.
    expect(segments).toContainEqual(item('2026-03-29T00:40:00Z', '2026-03-29T01:05:00Z', 'c25'));
    expect(segments.at(-2)).toEqual(item('2026-03-29T21:55:00Z', '2026-03-29T22:00:00Z', 'c25'));
  });

  it('a phase without hours plays straight through the transition', () => {
    // From 03-28 00:00 CET (03-27T23:00Z): 03-29T01:00Z is 26 h = 1560 min = 62 * 25 + 10 in.
    const doc = berlin({
      phases: phase('2026-03-28', '2026-03-30'),
      schedules: [{ id: 's', playlist: 'M', phase: 'p' }],
    });
    expect(segmentsOf(doc, 'tru-so', '2026-03-29T00:55:00Z', '2026-03-29T01:30:00Z')).toEqual([
      item('2026-03-29T00:55:00Z', '2026-03-29T01:15:00Z', 'c25'),
      item('2026-03-29T01:15:00Z', '2026-03-29T01:30:00Z', 'c25'),
    ]);
    expect(regimeOf(doc, 'tru-so', '2026-03-29T01:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-27T23:00:00.000Z',
      end: '2026-03-30T22:00:00.000Z',
    });
  });

  it('a window starting inside the gap (02:15-05:00) moves forward by the gap', () => {
    // 02:15 does not exist on 03-29: it becomes 03:15 CEST = 01:15Z; 05:00 CEST = 03:00Z.
    const doc = berlin({
      phases: phase('2026-03-28', '2026-03-30'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p', hours: [{ from: '02:15', to: '05:00' }] }],
    });
    expect(segmentsOf(doc, 'cua-khau', '2026-03-29T00:00:00Z', '2026-03-29T03:30:00Z')).toEqual([
      idle('2026-03-29T00:00:00Z', '2026-03-29T01:15:00Z'),
      item('2026-03-29T01:15:00Z', '2026-03-29T01:45:00Z', 'c4'),
      item('2026-03-29T01:45:00Z', '2026-03-29T02:15:00Z', 'c4'),
      item('2026-03-29T02:15:00Z', '2026-03-29T02:45:00Z', 'c4'),
      item('2026-03-29T02:45:00Z', '2026-03-29T03:00:00Z', 'c4'),
      idle('2026-03-29T03:00:00Z', '2026-03-29T03:30:00Z'),
    ]);
    // The day before it is 02:15-05:00 CET = [01:15Z, 04:00Z).
    expect(regimeOf(doc, 'cua-khau', '2026-03-28T02:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-28T01:15:00.000Z',
      end: '2026-03-28T04:00:00.000Z',
    });
  });

  it('a window starting exactly at the gap (02:00-02:30) plays 03:00-03:30 CEST', () => {
    const doc = berlin({
      phases: phase('2026-03-29', '2026-03-29'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p', hours: [{ from: '02:00', to: '02:30' }] }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T01:10:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-29T01:00:00.000Z',
      end: '2026-03-29T01:30:00.000Z',
    });
  });

  it('a window ending inside the gap (01:00-02:30) ends at 03:30 CEST', () => {
    // 01:00 CET = 00:00Z; 02:30 becomes 03:30 CEST = 01:30Z.
    const doc = berlin({
      phases: phase('2026-03-28', '2026-03-30'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p', hours: [{ from: '01:00', to: '02:30' }] }],
    });
    expect(segmentsOf(doc, 'cua-khau', '2026-03-28T23:30:00Z', '2026-03-29T02:00:00Z')).toEqual([
      idle('2026-03-28T23:30:00Z', '2026-03-29T00:00:00Z'),
      item('2026-03-29T00:00:00Z', '2026-03-29T00:30:00Z', 'c4'),
      item('2026-03-29T00:30:00Z', '2026-03-29T01:00:00Z', 'c4'),
      item('2026-03-29T01:00:00Z', '2026-03-29T01:30:00Z', 'c4'),
      idle('2026-03-29T01:30:00Z', '2026-03-29T02:00:00Z'),
    ]);
  });

  it('a window wrapping midnight over the transition lasts 7 h', () => {
    // 03-28 22:00 CET = 21:00Z to 03-29 06:00 CEST = 04:00Z.
    const doc = berlin({
      phases: phase('2026-03-28', '2026-03-28'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p', hours: [{ from: '22:00', to: '06:00' }] }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T01:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-28T21:00:00.000Z',
      end: '2026-03-29T04:00:00.000Z',
    });
  });

  it('windows that tile the day in minutes can still leave a hole on the gap day', () => {
    // 00:00-03:10 and 02:30-24:00 cover every minute, but on 03-29 03:10 CEST = 01:10Z while
    // 02:30 becomes 03:30 CEST = 01:30Z: [01:10Z, 01:30Z) is not covered (rule 2's union).
    const doc = berlin({
      phases: phase('2026-03-27', '2026-03-31'),
      schedules: [
        {
          id: 's',
          playlist: 'L',
          phase: 'p',
          hours: [
            { from: '00:00', to: '03:10' },
            { from: '02:30', to: '24:00' },
          ],
        },
      ],
    });
    // Before: from 03-27 00:00 CET (03-26T23:00Z); after: to 04-01 00:00 CEST (03-31T22:00Z).
    expect(regimeOf(doc, 'cua-khau', '2026-03-28T12:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-26T23:00:00.000Z',
      end: '2026-03-29T01:10:00.000Z',
    });
    expect(regimeOf(doc, 'cua-khau', '2026-03-29T01:20:00Z')).toEqual({
      kind: 'idle',
      start: '2026-03-29T01:10:00.000Z',
      end: '2026-03-29T01:30:00.000Z',
    });
    expect(regimeOf(doc, 'cua-khau', '2026-03-30T12:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-29T01:30:00.000Z',
      end: '2026-03-31T22:00:00.000Z',
    });
    // 03-26T23:00Z -> 03-29T01:10Z is 50 h 10 min = 100 plays + 10 min.
    expect(segmentsOf(doc, 'cua-khau', '2026-03-29T01:00:00Z', '2026-03-29T01:40:00Z')).toEqual([
      item('2026-03-29T01:00:00Z', '2026-03-29T01:10:00Z', 'c4'),
      idle('2026-03-29T01:10:00Z', '2026-03-29T01:30:00Z'),
      item('2026-03-29T01:30:00Z', '2026-03-29T01:40:00Z', 'c4'),
    ]);
  });
});

describe('Europe/Berlin, fall back 2026-10-25', () => {
  it('a phase day of 25 h plays one continuous loop through the transition', () => {
    // 10-25 runs from 00:00 CEST (10-24T22:00Z) to 00:00 CET on 10-26 (10-25T23:00Z):
    // 25 h = 1500 min = 60 plays exactly.
    const doc = berlin({
      phases: phase('2026-10-25', '2026-10-25'),
      schedules: [{ id: 's', playlist: 'M', phase: 'p' }],
    });
    expect(regimeOf(doc, 'tru-so', '2026-10-25T01:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-10-24T22:00:00.000Z',
      end: '2026-10-25T23:00:00.000Z',
    });
    const segments = segmentsOf(doc, 'tru-so', '2026-10-24T21:00:00Z', '2026-10-26T00:00:00Z');
    expect(segments).toEqual([
      idle('2026-10-24T21:00:00Z', '2026-10-24T22:00:00Z'),
      ...loopItems(
        [['c25', 25 * MIN]],
        '2026-10-24T22:00:00Z',
        '2026-10-24T22:00:00Z',
        '2026-10-25T23:00:00Z',
      ),
      idle('2026-10-25T23:00:00Z', '2026-10-26T00:00:00Z'),
    ]);
    expect(segments).toHaveLength(62);
    // The transition (01:00Z) is 180 min in = 7 * 25 + 5: the play of 00:55Z-01:20Z spans it.
    expect(segments).toContainEqual(item('2026-10-25T00:55:00Z', '2026-10-25T01:20:00Z', 'c25'));
    expect(segments.at(-2)).toEqual(item('2026-10-25T22:35:00Z', '2026-10-25T23:00:00Z', 'c25'));
  });

  it('a window starting inside the repeated hour (02:30-04:00) takes the earlier 02:30', () => {
    // 02:30 is ambiguous: 02:30 CEST = 00:30Z (earlier) or 02:30 CET = 01:30Z. 04:00 CET = 03:00Z.
    const doc = berlin({
      phases: phase('2026-10-24', '2026-10-26'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p', hours: [{ from: '02:30', to: '04:00' }] }],
    });
    expect(segmentsOf(doc, 'cua-khau', '2026-10-25T00:00:00Z', '2026-10-25T03:30:00Z')).toEqual([
      idle('2026-10-25T00:00:00Z', '2026-10-25T00:30:00Z'),
      item('2026-10-25T00:30:00Z', '2026-10-25T01:00:00Z', 'c4'),
      item('2026-10-25T01:00:00Z', '2026-10-25T01:30:00Z', 'c4'),
      item('2026-10-25T01:30:00Z', '2026-10-25T02:00:00Z', 'c4'),
      item('2026-10-25T02:00:00Z', '2026-10-25T02:30:00Z', 'c4'),
      item('2026-10-25T02:30:00Z', '2026-10-25T03:00:00Z', 'c4'),
      idle('2026-10-25T03:00:00Z', '2026-10-25T03:30:00Z'),
    ]);
    // On 10-24 (CEST throughout) it is [00:30Z, 02:00Z); on 10-26 (CET) [01:30Z, 03:00Z).
    expect(regimeOf(doc, 'cua-khau', '2026-10-24T01:00:00Z')).toMatchObject({
      start: '2026-10-24T00:30:00.000Z',
      end: '2026-10-24T02:00:00.000Z',
    });
    expect(regimeOf(doc, 'cua-khau', '2026-10-26T02:00:00Z')).toMatchObject({
      start: '2026-10-26T01:30:00.000Z',
      end: '2026-10-26T03:00:00.000Z',
    });
  });

  it('a window ending inside the repeated hour (00:00-02:30) ends at the earlier 02:30', () => {
    // 00:00 CEST = 10-24T22:00Z; 02:30 CEST = 00:30Z.
    const doc = berlin({
      phases: phase('2026-10-25', '2026-10-25'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p', hours: [{ from: '00:00', to: '02:30' }] }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-10-25T00:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-10-24T22:00:00.000Z',
      end: '2026-10-25T00:30:00.000Z',
    });
    expect(regimeOf(doc, 'cua-khau', '2026-10-25T01:00:00Z').kind).toBe('idle');
  });

  it('a window wrapping midnight over the transition lasts 9 h', () => {
    // 10-24 22:00 CEST = 20:00Z to 10-25 06:00 CET = 05:00Z.
    const doc = berlin({
      phases: phase('2026-10-24', '2026-10-24'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p', hours: [{ from: '22:00', to: '06:00' }] }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-10-25T01:30:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-10-24T20:00:00.000Z',
      end: '2026-10-25T05:00:00.000Z',
    });
  });
});

describe('Europe/Berlin, a daily 00:00-24:00 window over a whole year', () => {
  const doc = berlin({
    phases: phase('2026-01-01', '2026-12-31'),
    playlists: [{ id: 'S7', name: 'Bảy giây', items: ['c7'] }],
    schedules: [{ id: 's', playlist: 'S7', phase: 'p', hours: [{ from: '00:00', to: '24:00' }] }],
  });
  // The year runs from 00:00 CET 2026-01-01 (2025-12-31T23:00Z) to 00:00 CET 2027-01-01.
  const whole = {
    kind: 'schedules',
    start: '2025-12-31T23:00:00.000Z',
    end: '2026-12-31T23:00:00.000Z',
  };

  it.each([
    '2026-01-01T00:00:00Z',
    '2026-03-29T01:00:00Z',
    '2026-06-30T12:00:00Z',
    '2026-10-25T00:30:00Z',
    '2026-10-25T01:30:00Z',
    '2026-12-15T12:00:00Z',
    '2026-12-31T22:59:59.999Z',
  ])('is one regime when asked at %s', (at) => {
    expect(regimeOf(doc, 'cua-khau', at)).toEqual(whole);
  });

  it('keeps the 7-second loop aligned to the start of the year in December', () => {
    // 2025-12-31T23:00Z -> 2026-12-15T12:00Z = 348 days + 13 h = 30,114,000 s = 7 * 4,302,000:
    // a play starts exactly at 12:00:00Z. (A restart at the March or October transition, or at
    // local midnight, would put the boundary 6, 6 or 5 s off.)
    expect(segmentsOf(doc, 'cua-khau', '2026-12-15T11:59:55Z', '2026-12-15T12:00:10Z')).toEqual([
      item('2026-12-15T11:59:55Z', '2026-12-15T12:00:00Z', 'c7'),
      item('2026-12-15T12:00:00Z', '2026-12-15T12:00:07Z', 'c7'),
      item('2026-12-15T12:00:07Z', '2026-12-15T12:00:10Z', 'c7'),
    ]);
  });
});

describe('America/Santiago: local midnight is skipped on 2026-09-06', () => {
  // At 2026-09-06T04:00Z, 00:00 (-04) jumps to 01:00 (-03); 2026-04-05T03:00Z, 24:00 on 04-04
  // (-03) returns to 23:00 (-04).
  const santiago = (parts: PlanParts) => buildPlan({ timeZone: 'America/Santiago', ...parts });

  it('a range starting that day starts at 01:00 local (04:00Z)', () => {
    const doc = santiago({
      phases: phase('2026-09-06', '2026-09-06'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p' }],
    });
    // 09-06 lasts 23 h: to 00:00 (-03) on 09-07 = 03:00Z.
    expect(regimeOf(doc, 'cua-khau', '2026-09-06T12:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-09-06T04:00:00.000Z',
      end: '2026-09-07T03:00:00.000Z',
    });
  });

  it('a range ending the day before ends where that day starts (04:00Z)', () => {
    // 09-05 runs from 00:00 (-04) = 04:00Z to the start of 09-06 = 04:00Z next day: 24 h.
    const doc = santiago({
      phases: phase('2026-09-05', '2026-09-05'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p' }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-09-06T03:59:59.999Z')).toEqual({
      kind: 'schedules',
      start: '2026-09-05T04:00:00.000Z',
      end: '2026-09-06T04:00:00.000Z',
    });
  });

  it('a window 00:00-02:00 on the skipped-midnight day plays one hour', () => {
    // 00:00 becomes 01:00 (-03) = 04:00Z; 02:00 (-03) = 05:00Z.
    const doc = santiago({
      phases: phase('2026-09-05', '2026-09-07'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p', hours: [{ from: '00:00', to: '02:00' }] }],
    });
    expect(segmentsOf(doc, 'cua-khau', '2026-09-06T03:30:00Z', '2026-09-06T05:30:00Z')).toEqual([
      idle('2026-09-06T03:30:00Z', '2026-09-06T04:00:00Z'),
      item('2026-09-06T04:00:00Z', '2026-09-06T04:30:00Z', 'c4'),
      item('2026-09-06T04:30:00Z', '2026-09-06T05:00:00Z', 'c4'),
      idle('2026-09-06T05:00:00Z', '2026-09-06T05:30:00Z'),
    ]);
  });

  it('a wrap window 23:00-00:30 from 09-05 runs to 01:30 (-03)', () => {
    // 09-05 23:00 (-04) = 09-06T03:00Z; 09-06 00:30 becomes 01:30 (-03) = 04:30Z.
    const doc = santiago({
      phases: phase('2026-09-05', '2026-09-05'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p', hours: [{ from: '23:00', to: '00:30' }] }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-09-06T04:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-09-06T03:00:00.000Z',
      end: '2026-09-06T04:30:00.000Z',
    });
  });

  it('the fall-back day 2026-04-04 lasts 25 h', () => {
    // 04-04 00:00 (-03) = 03:00Z; 04-05 00:00 (-04) = 04-05T04:00Z.
    const doc = santiago({
      phases: phase('2026-04-04', '2026-04-04'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p' }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-04-05T03:30:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-04-04T03:00:00.000Z',
      end: '2026-04-05T04:00:00.000Z',
    });
  });
});

describe('Australia/Lord_Howe: half-hour transitions', () => {
  // 2026-10-04: 02:00 (+10:30) jumps to 02:30 (+11) at 10-03T15:30Z.
  // 2026-04-05: 02:00 (+11) returns to 01:30 (+10:30) at 04-04T15:00Z.
  const lordHowe = (parts: PlanParts) => buildPlan({ timeZone: 'Australia/Lord_Howe', ...parts });

  it('the spring day 2026-10-04 lasts 23.5 h', () => {
    // 00:00 (+10:30) = 10-03T13:30Z to 10-05 00:00 (+11) = 10-04T13:00Z.
    const doc = lordHowe({
      phases: phase('2026-10-04', '2026-10-04'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p' }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-10-04T00:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-10-03T13:30:00.000Z',
      end: '2026-10-04T13:00:00.000Z',
    });
  });

  it('a window starting in the half-hour gap (02:10-03:00) moves forward 30 min', () => {
    // 02:10 becomes 02:40 (+11) = 15:40Z; 03:00 (+11) = 16:00Z.
    const doc = lordHowe({
      phases: phase('2026-10-04', '2026-10-04'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p', hours: [{ from: '02:10', to: '03:00' }] }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-10-03T15:50:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-10-03T15:40:00.000Z',
      end: '2026-10-03T16:00:00.000Z',
    });
  });

  it('a window starting in the repeated half hour (01:45-03:00) takes the earlier 01:45', () => {
    // 01:45 (+11) = 04-04T14:45Z; 03:00 (+10:30) = 16:30Z.
    const doc = lordHowe({
      phases: phase('2026-04-05', '2026-04-05'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p', hours: [{ from: '01:45', to: '03:00' }] }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-04-04T15:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-04-04T14:45:00.000Z',
      end: '2026-04-04T16:30:00.000Z',
    });
  });
});

describe('America/New_York', () => {
  it('the spring day 2026-03-08 lasts 23 h', () => {
    // 00:00 EST = 05:00Z; 03-09 00:00 EDT = 04:00Z.
    const doc = buildPlan({
      timeZone: 'America/New_York',
      phases: phase('2026-03-08', '2026-03-08'),
      schedules: [{ id: 's', playlist: 'L', phase: 'p' }],
    });
    expect(regimeOf(doc, 'cua-khau', '2026-03-08T12:00:00Z')).toEqual({
      kind: 'schedules',
      start: '2026-03-08T05:00:00.000Z',
      end: '2026-03-09T04:00:00.000Z',
    });
  });
});
