import { createContext } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';

/** Where the dashboard is: `#/schedules?board=bo-y` → `{ page: 'schedules', params }`. */
export interface Route {
  page: string;
  rest: string[];
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [page = '', ...rest] = path.split('/').filter((s) => s.length > 0);
  return {
    page: page || 'plans',
    rest: rest.map(decodeURIComponent),
    params: new URLSearchParams(query),
  };
}

export function useRoute(guard?: NavigationGuard): Route {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => followHash(window, setHash, guard), [guard]);
  return useMemo(() => parseHash(hash), [hash]);
}

/**
 * Asked before the route follows a hash change (browser Back or Forward, a link, a typed
 * address): `target` is where the user was going; call `proceed` to go there after all.
 */
export type LeaveAsk = (target: string, proceed: () => void) => void;

/**
 * What stops the dashboard from leaving a page with unsaved work. One per app; an editor with
 * unsaved changes blocks it while they last, and the router asks it at every hash change.
 */
export class NavigationGuard {
  private readonly blockers = new Set<() => LeaveAsk | null>();

  /** While `blocker` returns an ask, leaving is asked first; the returned function removes it. */
  block(blocker: () => LeaveAsk | null): () => void {
    this.blockers.add(blocker);
    return () => {
      this.blockers.delete(blocker);
    };
  }

  /** The ask of the first blocker that has unsaved work, or null to leave freely. */
  blocking(): LeaveAsk | null {
    for (const blocker of this.blockers) {
      const ask = blocker();
      if (ask) return ask;
    }
    return null;
  }
}

/** The app's guard, for the editors that block leaving while they hold unsaved work. */
export const NavigationGuardContext = createContext<NavigationGuard | null>(null);

/** The part of `history` the router uses. */
export interface HistoryLike {
  readonly state: unknown;
  replaceState: (data: unknown, unused: string, url?: string) => void;
  go: (delta: number) => void;
}

type HashTarget = Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & {
  location: { hash: string };
  history?: HistoryLike;
};

/** The position of a history entry, stamped by the router into its state. */
function entryIndex(history: HistoryLike): number | undefined {
  const state = history.state;
  if (typeof state !== 'object' || state === null || !('bangtinIndex' in state)) return undefined;
  const index = state.bangtinIndex;
  return typeof index === 'number' ? index : undefined;
}

function stamp(history: HistoryLike, index: number): void {
  const state = typeof history.state === 'object' && history.state !== null ? history.state : {};
  history.replaceState({ ...state, bangtinIndex: index }, '');
}

/**
 * Calls `set` with the hash now and at every change, until the returned function is called.
 * "Now" matters: the listener is added after the first render, and a hash changed in between
 * (a link followed while the page was still coming up) fires no event this listener can hear.
 *
 * With a `guard` that is blocking, a hash change is undone (the history entry the browser
 * moved to is left again, so Back then Cancel keeps Back and Forward as they were) and the
 * guard asks; each entry carries its index in `history.state` to know how far to move back.
 */
export function followHash(
  target: HashTarget,
  set: (hash: string) => void,
  guard?: NavigationGuard,
): () => void {
  const history = target.history;
  let shown = target.location.hash;
  let index = 0;
  if (history) {
    const stamped = entryIndex(history);
    if (stamped === undefined) stamp(history, index);
    else index = stamped;
  }
  const update = () => {
    const next = target.location.hash;
    const nextIndex = history ? entryIndex(history) : undefined;
    if (next === shown) {
      // Back where the page is (an undone change): nothing to show, only the index to keep.
      if (nextIndex !== undefined) index = nextIndex;
      return;
    }
    const ask = next === passThrough ? null : (guard?.blocking() ?? null);
    passThrough = null;
    if (ask && history) {
      // A new entry (a link, a typed address) is one ahead; a Back or Forward is where it says.
      const delta = nextIndex === undefined ? -1 : index - nextIndex;
      if (delta !== 0) history.go(delta);
      else history.replaceState(history.state, '', shown || '#/');
      ask(next, () => {
        if (nextIndex === undefined || nextIndex === index) target.location.hash = next;
        else history.go(nextIndex - index);
      });
      return;
    }
    if (history) {
      if (nextIndex === undefined) {
        index += 1;
        stamp(history, index);
      } else {
        index = nextIndex;
      }
    }
    shown = next;
    set(next);
  };
  target.addEventListener('hashchange', update);
  set(shown);
  return () => {
    target.removeEventListener('hashchange', update);
  };
}

/** A link target for a page, with optional query parameters. */
export function href(page: string, params?: Record<string, string>): string {
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#/${page}${query ? `?${query}` : ''}`;
}

export function navigate(page: string, params?: Record<string, string>): void {
  const target = href(page, params);
  // Already there: no hashchange comes, so nothing to let through (a stale pass would let a
  // later Back to this address past the guard).
  if (location.hash === target) return;
  // The app's own move (after a save, say): not one the user is asked about.
  passThrough = target;
  location.hash = target;
}

/** The hash `navigate` is moving to: the guard lets that change through. */
let passThrough: string | null = null;
