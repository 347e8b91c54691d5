import { useEffect, useState } from 'preact/hooks';

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
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = () => {
      setRoute(parseHash(location.hash));
    };
    window.addEventListener('hashchange', update);
    return () => {
      window.removeEventListener('hashchange', update);
    };
  }, []);
  return route;
}

/** A link target for a page, with optional query parameters. */
export function href(page: string, params?: Record<string, string>): string {
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#/${page}${query ? `?${query}` : ''}`;
}

export function navigate(page: string, params?: Record<string, string>): void {
  location.hash = href(page, params);
}
