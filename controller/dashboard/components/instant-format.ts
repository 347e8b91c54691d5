/**
 * An instant as its local date and time in `timeZone`, day first as Vietnamese writes it:
 * `26/11/2026 08:45`, or `26/11/2026 08:45:07` with seconds. Every page writes instants so.
 */
export function dayFirstIn(timeZone: string, at: string | number, withSeconds = false): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (Number.isNaN(ms)) return String(at);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  const time = [part('hour'), part('minute'), ...(withSeconds ? [part('second')] : [])].join(':');
  return `${part('day')}/${part('month')}/${part('year')} ${time}`;
}
