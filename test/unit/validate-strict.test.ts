import { describe, expect, it } from 'vitest';
import { isValidTimeZone, validatePlan } from '../../playlists/index.js';

describe('strict time zones and durations', () => {
  it.each(['Asia/Ho_Chi_Minh', 'Europe/Berlin', 'UTC', 'America/Argentina/Buenos_Aires'])(
    'accepts the IANA zone %s',
    (zone) => {
      expect(isValidTimeZone(zone)).toBe(true);
    },
  );
  it.each(['+07:00', 'asia/ho_chi_minh', 'Mars/Olympus', '', 'Asia/Ho_Chi_Minh/', '../etc'])(
    'refuses %j',
    (zone) => {
      expect(isValidTimeZone(zone)).toBe(false);
    },
  );
  it('refuses a duration that would round to zero milliseconds', () => {
    const result = validatePlan({
      format: 'bangtin-plan/1',
      plan: { id: 'p', title: 'P', timeZone: 'UTC' },
      content: [{ id: 'c', kind: 'slogan', text: 'X', durationSec: 0.0004 }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map((p) => p.path)).toEqual(['$.content[0].durationSec']);
  });
});
