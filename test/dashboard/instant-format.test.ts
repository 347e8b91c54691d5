// Every page writes an instant the same way: its local date and time in the plan's zone, day
// first, as Vietnamese writes dates.
import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../controller/dashboard/components/approval-format';
import { dayFirstIn } from '../../controller/dashboard/components/instant-format';
import { dateTimeSecondsIn } from '../../controller/dashboard/components/monitor-format';
import { dateTimeIn } from '../../controller/dashboard/components/schedule-format';

describe('instants on every page', () => {
  const at = '2026-11-27T06:44:07.900Z';

  it('are day first in the zone, with seconds where the page wants them', () => {
    expect(dayFirstIn('Asia/Ho_Chi_Minh', at)).toBe('27/11/2026 13:44');
    expect(dayFirstIn('Asia/Ho_Chi_Minh', at, true)).toBe('27/11/2026 13:44:07');
    expect(dayFirstIn('UTC', Date.parse('2026-12-31T23:59:59Z'), true)).toBe('31/12/2026 23:59:59');
  });

  it('are the same whichever helper a page calls, in either language', () => {
    const ms = Date.parse(at);
    expect(formatInstant('vi', 'Asia/Ho_Chi_Minh', at)).toBe(dateTimeIn('Asia/Ho_Chi_Minh', ms));
    expect(formatInstant('en', 'Asia/Ho_Chi_Minh', at, true)).toBe(
      dateTimeSecondsIn('Asia/Ho_Chi_Minh', at),
    );
  });

  it('follow the zone across a DST change, midnight as 00', () => {
    // New York falls back at 06:00Z on 2026-11-01: 01:30 happens twice.
    expect(dayFirstIn('America/New_York', '2026-11-01T05:30:00Z')).toBe('01/11/2026 01:30');
    expect(dayFirstIn('America/New_York', '2026-11-01T06:30:00Z')).toBe('01/11/2026 01:30');
    expect(dayFirstIn('Asia/Ho_Chi_Minh', '2026-11-26T17:00:00Z')).toBe('27/11/2026 00:00');
  });

  it('leave a value that is not an instant as it is', () => {
    expect(dayFirstIn('UTC', 'không phải ngày')).toBe('không phải ngày');
  });
});
