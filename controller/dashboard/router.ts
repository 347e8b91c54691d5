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

export function useRoute(): Route {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => followHash(window, setHash), []);
  return useMemo(() => parseHash(hash), [hash]);
}

/**
 * Calls `set` with the hash now and at every change, until the returned function is called.
 * "Now" matters: the listener is added after the first render, and a hash changed in between
 * (a link followed while the page was still coming up) fires no event this listener can hear.
 */
export function followHash(
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & {
    location: { hash: string };
  },
  set: (hash: string) => void,
): () => void {
  const update = () => {
    set(target.location.hash);
  };
  target.addEventListener('hashchange', update);
  update();
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
  location.hash = href(page, params);
}
