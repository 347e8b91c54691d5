// ZoneCalendar: local days and wall times of one zone as instants ("compatible" rule), at the
// edges where they are hard. Epoch days are computed here with Date.UTC, independently of the
// calendar code: 2026-03-29 is day 20541, 2026-10-25 day 20751, 2026-09-06 day 20702.
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { ZoneCalendar, isValidTimeZone } from '../../playlists/index.js';

const DAY_MS = 86_400_000;
const epochDay = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const ms = (iso: string): number => Date.parse(iso);

describe('epoch days used below', () => {
  it('are what the header says', () => {
    expect(epochDay('2026-03-29')).toBe(20541);
    expect(epochDay('2026-10-25')).toBe(20751);
    expect(epochDay('2026-09-06')).toBe(20702);
  });
});

describe('ZoneCalendar in Europe/Berlin', () => {
  const zone = new ZoneCalendar('Europe/Berlin');
  const spring = epochDay('2026-03-29');
  const fall = epochDay('2026-10-25');

  it.each([
    // spring forward: 02:00-03:00 does not exist
    { day: spring, minute: 0, at: '2026-03-28T23:00:00Z' },
    { day: spring, minute: 60, at: '2026-03-29T00:00:00Z' },
    { day: spring, minute: 119, at: '2026-03-29T00:59:00Z' },
    { day: spring, minute: 120, at: '2026-03-29T01:00:00Z' }, // 02:00 -> 03:00 CEST
    { day: spring, minute: 150, at: '2026-03-29T01:30:00Z' }, // 02:30 -> 03:30 CEST
    { day: spring, minute: 180, at: '2026-03-29T01:00:00Z' }, // 03:00 CEST
    { day: spring, minute: 1440, at: '2026-03-29T22:00:00Z' }, // 24:00 = next day's 00:00
    { day: spring, minute: 1440 + 120, at: '2026-03-30T00:00:00Z' }, // next day 02:00 CEST
    // fall back: 02:00-03:00 happens twice; the earlier (CEST) one is taken
    { day: fall, minute: 0, at: '2026-10-24T22:00:00Z' },
    { day: fall, minute: 120, at: '2026-10-25T00:00:00Z' },
    { day: fall, minute: 150, at: '2026-10-25T00:30:00Z' },
    { day: fall, minute: 180, at: '2026-10-25T02:00:00Z' }, // 03:00 CET
    { day: fall, minute: 1440, at: '2026-10-25T23:00:00Z' },
  ])('at(day $day, minute $minute) = $at', ({ day, minute, at }) => {
    expect(zone.at(day, minute)).toBe(ms(at));
  });

  it('startOfDay is at(day, 0), and the transition days last 23 h and 25 h', () => {
    expect(zone.startOfDay(spring)).toBe(ms('2026-03-28T23:00:00Z'));
    expect(zone.startOfDay(spring + 1) - zone.startOfDay(spring)).toBe(23 * 3_600_000);
    expect(zone.startOfDay(fall)).toBe(ms('2026-10-24T22:00:00Z'));
    expect(zone.startOfDay(fall + 1) - zone.startOfDay(fall)).toBe(25 * 3_600_000);
  });

  it.each([
    { at: '2026-03-28T22:59:59.999Z', day: spring - 1 },
    { at: '2026-03-28T23:00:00Z', day: spring },
    { at: '2026-03-29T00:59:59.999Z', day: spring },
    { at: '2026-03-29T01:00:00Z', day: spring },
    { at: '2026-03-29T21:59:59.999Z', day: spring },
    { at: '2026-03-29T22:00:00Z', day: spring + 1 },
    { at: '2026-10-24T21:59:59.999Z', day: fall - 1 },
    { at: '2026-10-24T22:00:00Z', day: fall },
    { at: '2026-10-25T00:30:00Z', day: fall }, // 02:30 CEST
    { at: '2026-10-25T01:30:00Z', day: fall }, // 02:30 CET, the second time
    { at: '2026-10-25T22:59:59.999Z', day: fall },
    { at: '2026-10-25T23:00:00Z', day: fall + 1 },
  ])('dayOf($at) = $day', ({ at, day }) => {
    expect(zone.dayOf(ms(at))).toBe(day);
    // Asked again out of order, the answer does not depend on what was asked before.
    expect(new ZoneCalendar('Europe/Berlin').dayOf(ms(at))).toBe(day);
  });

  it('transitionsBetween finds the two 2026 transitions, half-open', () => {
    const march = ms('2026-03-29T01:00:00Z');
    const october = ms('2026-10-25T01:00:00Z');
    expect(zone.transitionsBetween(ms('2026-01-01T00:00:00Z'), ms('2027-01-01T00:00:00Z'))).toEqual(
      [march, october],
    );
    expect(zone.transitionsBetween(march, march + 1)).toEqual([march]);
    expect(zone.transitionsBetween(march - 1, march)).toEqual([]);
    expect(zone.transitionsBetween(march + 1, october)).toEqual([]);
    expect(zone.transitionsBetween(march, october + 1)).toEqual([march, october]);
  });

  it('transitionsBetween over 2020-2030 finds 22, each at 01:00Z on the last Sunday of March or October', () => {
    const found = new ZoneCalendar('Europe/Berlin').transitionsBetween(
      ms('2020-01-01T00:00:00Z'),
      ms('2031-01-01T00:00:00Z'),
    );
    expect(found).toHaveLength(22);
    for (const t of found) {
      const date = new Date(t);
      expect(date.getUTCHours() * 60 + date.getUTCMinutes(), date.toISOString()).toBe(60);
      expect(date.getUTCDay(), date.toISOString()).toBe(0);
      expect([2, 9]).toContain(date.getUTCMonth());
      expect(date.getUTCDate() + 7, date.toISOString()).toBeGreaterThan(31);
    }
    expect([...found].sort((a, b) => a - b)).toEqual(found);
  });
});

describe('ZoneCalendar where local midnight is skipped (America/Santiago)', () => {
  const zone = new ZoneCalendar('America/Santiago');
  const skipped = epochDay('2026-09-06');
  const long = epochDay('2026-04-04');

  it('2026-09-06 starts at 01:00 (-03) = 04:00Z and lasts 23 h', () => {
    expect(zone.startOfDay(skipped)).toBe(ms('2026-09-06T04:00:00Z'));
    expect(zone.at(skipped, 60)).toBe(ms('2026-09-06T04:00:00Z'));
    expect(zone.startOfDay(skipped + 1)).toBe(ms('2026-09-07T03:00:00Z'));
    expect(zone.at(skipped - 1, 1440)).toBe(ms('2026-09-06T04:00:00Z'));
  });

  it('dayOf agrees with startOfDay around the skipped midnight', () => {
    expect(zone.dayOf(ms('2026-09-06T03:59:59.999Z'))).toBe(skipped - 1);
    expect(zone.dayOf(ms('2026-09-06T04:00:00Z'))).toBe(skipped);
    expect(zone.startOfDay(skipped - 1)).toBe(ms('2026-09-05T04:00:00Z'));
  });

  it('2026-04-04 lasts 25 h: 24:00 (-03) goes back to 23:00 (-04)', () => {
    expect(zone.startOfDay(long)).toBe(ms('2026-04-04T03:00:00Z'));
    expect(zone.startOfDay(long + 1)).toBe(ms('2026-04-05T04:00:00Z'));
    expect(zone.dayOf(ms('2026-04-05T03:30:00Z'))).toBe(long);
    expect(zone.transitionsBetween(ms('2026-01-01T00:00:00Z'), ms('2027-01-01T00:00:00Z'))).toEqual(
      [ms('2026-04-05T03:00:00Z'), ms('2026-09-06T04:00:00Z')],
    );
  });
});

describe('ZoneCalendar without transitions (Asia/Ho_Chi_Minh)', () => {
  it('has no transitions in 2026 and days start at 17:00Z', () => {
    const zone = new ZoneCalendar('Asia/Ho_Chi_Minh');
    expect(zone.transitionsBetween(ms('2026-01-01T00:00:00Z'), ms('2027-01-01T00:00:00Z'))).toEqual(
      [],
    );
    expect(zone.startOfDay(epochDay('2026-03-29'))).toBe(ms('2026-03-28T17:00:00Z'));
    expect(zone.dayOf(ms('2026-03-28T17:00:00Z'))).toBe(epochDay('2026-03-29'));
    expect(zone.dayOf(ms('2026-03-28T16:59:59.999Z'))).toBe(epochDay('2026-03-28'));
  });
});

describe('dayOf, startOfDay and at agree everywhere near transitions', () => {
  const cases = [
    { zone: 'Europe/Berlin', around: ['2026-03-29', '2026-10-25'] },
    { zone: 'America/New_York', around: ['2026-03-08', '2026-11-01'] },
    { zone: 'America/Santiago', around: ['2026-04-05', '2026-09-06'] },
    { zone: 'Australia/Lord_Howe', around: ['2026-04-05', '2026-10-04'] },
  ];

  it.each(cases)('$zone', ({ zone: timeZone, around }) => {
    const zone = new ZoneCalendar(timeZone);
    for (const date of around) {
      const first = epochDay(date) - 2;
      // Every 7.5 minutes over 4 days: startOfDay(dayOf(t)) <= t < startOfDay(dayOf(t) + 1).
      for (let t = (first - 1) * DAY_MS; t < (first + 4) * DAY_MS; t += 450_000) {
        const day = zone.dayOf(t);
        expect(zone.startOfDay(day), new Date(t).toISOString()).toBeLessThanOrEqual(t);
        expect(zone.startOfDay(day + 1), new Date(t).toISOString()).toBeGreaterThan(t);
      }
      // at() is Temporal's "compatible" mapping of the local wall time.
      for (let day = first; day < first + 4; day += 1) {
        const plain = Temporal.PlainDate.from(new Date(day * DAY_MS).toISOString().slice(0, 10));
        for (let minute = 0; minute < 1440; minute += 15) {
          const expected = plain
            .toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 })
            .toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
          expect(zone.at(day, minute), `${plain.toString()} minute ${minute}`).toBe(expected);
        }
        expect(zone.startOfDay(day + 1)).toBeGreaterThan(zone.startOfDay(day));
      }
    }
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['Asia/Ho_Chi_Minh', true],
    ['Europe/Berlin', true],
    ['UTC', true],
    ['Mars/Olympus', false],
    ['Asia/Hanoi', false],
    ['', false],
  ])('%s -> %s', (name, valid) => {
    expect(isValidTimeZone(name)).toBe(valid);
  });
});
