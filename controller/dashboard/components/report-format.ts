// How the reports page writes figures: durations as h:mm:ss, shares as percentages, dates as
// Vietnamese documents write them.

/** `12:05:30`: hours (any number), minutes and seconds of a duration. */
export function hmsText(ms: number): string {
  const total = Math.round(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${String(h)}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** `56,3 %` in Vietnamese, `56.3%` in English; a dash when nothing was scheduled. */
export function shareText(locale: string, share: number | null): string {
  if (share === null) return '—';
  const format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  // A little shown is not nothing: under 0.05 % reads "< 0,1 %", not "0 %".
  if (share > 0 && share < 0.0005) return `< ${format.format(0.001)}`;
  return format.format(share);
}

/** `1.143` in Vietnamese, `1,143` in English. */
export function countText(locale: string, n: number): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** `2030-01-05` → `05/01/2030`. */
export function dmyText(date: string): string {
  const [y = '', m = '', d = ''] = date.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * The day, month and year of a date as an administrative document writes them (Nghị định
 * 30/2020/NĐ-CP): a zero before days under 10 and before months 1 and 2.
 */
export function documentDateParts(date: string): { d: string; m: string; y: string } {
  const [y = '', m = '', d = ''] = date.split('-');
  const month = Number(m);
  return {
    d: d.padStart(2, '0'),
    m: month <= 2 ? String(month).padStart(2, '0') : String(month),
    y,
  };
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return (
    Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
  );
}

/** The date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A report's filters after a date was typed by hand: the phase stays chosen only while the
 * dates are still the phase's own, so the address never names a phase the dates do not match.
 */
export function withDatesTyped<F extends { phaseId: string; from: string; to: string }>(
  filters: F,
  dates: { from?: string; to?: string },
  phases: readonly { id: string; from: string; to: string }[],
): F {
  const next = { ...filters, ...dates };
  const phase = phases.find((p) => p.id === next.phaseId);
  return phase && phase.from === next.from && phase.to === next.to
    ? next
    : { ...next, phaseId: '' };
}
