// Proleptic Gregorian calendar arithmetic on "epoch days" (days since 1970-01-01).
// Calendar dates only: offsets and zones are the time-zone library's job (zone.ts).

/** A calendar date as year, month (1-12) and day (1-31). */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Days since 1970-01-01 of a calendar date. */
export function epochDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date of an epoch day. */
export function civilFromEpochDay(epochDay: number): CivilDate {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Epoch day of a YYYY-MM-DD string already known to be valid. */
export function epochDayFromIso(date: string): number {
  return epochDayFromCivil(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)),
    Number(date.slice(8, 10)),
  );
}

/** ISO weekday of an epoch day: 1 = Monday .. 7 = Sunday. */
export function isoWeekday(epochDay: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

/** Month and day of an epoch day packed as month * 100 + day (e.g. 0319 for 19 March). */
export function monthDayKey(epochDay: number): number {
  const { month, day } = civilFromEpochDay(epochDay);
  return month * 100 + day;
}
