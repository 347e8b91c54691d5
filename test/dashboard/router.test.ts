import { describe, expect, it } from 'vitest';
import { followHash, parseHash } from '../../controller/dashboard/router';

/** A window as far as the router uses it: its location's hash, and hashchange events. */
class FakeWindow extends EventTarget {
  readonly location = { hash: '' };

  go(hash: string): void {
    this.location.hash = hash;
    this.dispatchEvent(new Event('hashchange'));
  }
}

describe("the dashboard's route", () => {
  it('reads the page, the rest of the path and the query; no page is the plans', () => {
    const route = parseHash('#/schedules/day?board=bo-y');
    expect(route.page).toBe('schedules');
    expect(route.rest).toEqual(['day']);
    expect(route.params.get('board')).toBe('bo-y');
    expect(parseHash('').page).toBe('plans');
  });

  it('follows a hash changed before it started listening, then every change, until stopped', () => {
    const win = new FakeWindow();
    // The first render saw no hash; the link to the audit log was followed before the effect
    // that listens ran, so its hashchange went unheard.
    const rendered = win.location.hash;
    win.go('#/audit');
    const seen: string[] = [];
    const stop = followHash(win, (hash) => seen.push(hash));
    expect(parseHash(rendered).page).toBe('plans');
    expect(seen).toEqual(['#/audit']);
    win.go('#/boards');
    expect(seen).toEqual(['#/audit', '#/boards']);
    stop();
    win.go('#/users');
    expect(seen).toEqual(['#/audit', '#/boards']);
  });
});
