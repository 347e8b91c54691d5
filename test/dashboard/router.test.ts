import { describe, expect, it } from 'vitest';
import {
  followHash,
  NavigationGuard,
  parseHash,
  type HistoryLike,
} from '../../controller/dashboard/router';

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

/** A window with a session history: links push entries, Back and Forward move between them. */
class HistoryWindow extends EventTarget {
  private entries: { hash: string; state: unknown }[];
  private at = 0;
  readonly location: { hash: string };
  readonly history: HistoryLike;

  constructor(hash: string) {
    super();
    this.entries = [{ hash, state: null }];
    const current = () => this.entries[this.at];
    const link = (next: string) => {
      this.link(next);
    };
    this.location = {
      get hash() {
        return current()?.hash ?? '';
      },
      set hash(next: string) {
        link(next);
      },
    };
    this.history = {
      get state() {
        return current()?.state ?? null;
      },
      replaceState: (data, _unused, url) => {
        const entry = this.entries[this.at];
        if (!entry) return;
        entry.state = structuredClone(data);
        if (url !== undefined) entry.hash = url;
      },
      // Like a browser's: the move happens later, then hashchange fires if the hash changed.
      go: (delta) => {
        queueMicrotask(() => {
          this.move(delta);
        });
      },
    };
  }

  /** A link followed: a new entry after this one; any Forward entries are dropped. */
  link(hash: string): void {
    this.entries = [...this.entries.slice(0, this.at + 1), { hash, state: null }];
    this.at += 1;
    this.dispatchEvent(new Event('hashchange'));
  }

  move(delta: number): void {
    const before = this.location.hash;
    this.at = Math.min(this.entries.length - 1, Math.max(0, this.at + delta));
    if (this.location.hash !== before) this.dispatchEvent(new Event('hashchange'));
  }

  get hashes(): string[] {
    return this.entries.map((e) => e.hash);
  }

  get position(): number {
    return this.at;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the dashboard's leave guard", () => {
  it('lets every change through while nothing blocks it, Back and Forward included', async () => {
    const win = new HistoryWindow('#/plans');
    const seen: string[] = [];
    followHash(win, (hash) => seen.push(hash), new NavigationGuard());
    win.link('#/content');
    win.link('#/schedules');
    win.move(-1);
    await settle();
    expect(seen).toEqual(['#/plans', '#/content', '#/schedules', '#/content']);
  });

  it('undoes a Back while an editor has unsaved work, asks, and keeps the history on Cancel', async () => {
    const win = new HistoryWindow('#/plans');
    const guard = new NavigationGuard();
    const seen: string[] = [];
    followHash(win, (hash) => seen.push(hash), guard);
    win.link('#/content');
    const asked: string[] = [];
    const unblock = guard.block(() => (target) => asked.push(target));
    win.move(-1); // Back
    await settle();
    expect(asked).toEqual(['#/plans']);
    expect(seen).toEqual(['#/plans', '#/content']);
    expect(win.location.hash).toBe('#/content');
    expect(win.hashes).toEqual(['#/plans', '#/content']);
    expect(win.position).toBe(1);
    // Nothing unsaved any more: Back works again.
    unblock();
    win.move(-1);
    await settle();
    expect(seen).toEqual(['#/plans', '#/content', '#/plans']);
  });

  it('goes where Back or Forward was going when the user chooses to leave', async () => {
    const win = new HistoryWindow('#/plans');
    const guard = new NavigationGuard();
    const seen: string[] = [];
    followHash(win, (hash) => seen.push(hash), guard);
    win.link('#/content');
    win.link('#/playlists');
    win.move(-2);
    await settle();
    expect(seen.at(-1)).toBe('#/plans');
    let dirty = true;
    let leave: (() => void) | undefined;
    guard.block(() =>
      dirty
        ? (_target, proceed) => {
            leave = proceed;
          }
        : null,
    );
    win.move(2); // Forward twice, as from the browser's history menu
    await settle();
    expect(win.location.hash).toBe('#/plans');
    dirty = false;
    leave?.();
    await settle();
    expect(seen.at(-1)).toBe('#/playlists');
    expect(win.hashes).toEqual(['#/plans', '#/content', '#/playlists']);
    expect(win.position).toBe(2);
  });

  it('undoes a link or a typed address the same way, and follows it on leave', async () => {
    const win = new HistoryWindow('#/content');
    const guard = new NavigationGuard();
    const seen: string[] = [];
    followHash(win, (hash) => seen.push(hash), guard);
    let dirty = true;
    let leave: (() => void) | undefined;
    guard.block(() =>
      dirty
        ? (_target, proceed) => {
            leave = proceed;
          }
        : null,
    );
    win.link('#/audit');
    await settle();
    expect(win.location.hash).toBe('#/content');
    expect(seen).toEqual(['#/content']);
    dirty = false;
    leave?.();
    await settle();
    expect(seen).toEqual(['#/content', '#/audit']);
  });
});
