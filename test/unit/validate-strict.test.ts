import { describe, expect, it } from 'vitest';
import { durationMs, isValidTimeZone, validatePlan } from '../../playlists/index.js';

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
  it('takes any positive duration, and refuses zero and below (design.md: "a positive number")', () => {
    const plan = (durationSec: number) =>
      validatePlan({
        format: 'bangtin-plan/1',
        plan: { id: 'p', title: 'P', timeZone: 'UTC' },
        content: [{ id: 'c', kind: 'slogan', text: 'X', durationSec }],
      });
    expect(plan(0.0004).ok).toBe(true);
    for (const bad of [0, -1, 3600.001]) {
      const result = plan(bad);
      expect(result.ok, String(bad)).toBe(false);
      if (!result.ok)
        expect(result.problems.map((p) => p.path)).toEqual(['$.content[0].durationSec']);
    }
  });

  it('resolves a duration to the millisecond as written, and to at least 1 ms', () => {
    expect(durationMs(0.0004)).toBe(1);
    expect(durationMs(0.0005)).toBe(1);
    expect(durationMs(0.0015)).toBe(2);
    expect(durationMs(0.25)).toBe(250);
    // 1.0005 * 1000 is 1000.4999999999999 in binary: half up on the digits written.
    expect(durationMs(1.0005)).toBe(1001);
    expect(durationMs(1.0004)).toBe(1000);
    expect(durationMs(4.35)).toBe(4350);
    expect(durationMs(3600)).toBe(3_600_000);
  });
});
