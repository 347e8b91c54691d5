import type { FunctionComponent } from 'preact';
import type { MessageKey } from '../i18n';
import type { Route } from '../router';

/** A page of the dashboard: its hash, its title, and the route that decides who sees it. */
export interface PageSpec {
  page: string;
  title: MessageKey;
  /** Shown to users who may call this route (`GET /api/plans`), as the controller decides. */
  needs: string;
  component: FunctionComponent<{ route: Route }>;
}

/** Why a hash shows no page: a page the user's role may not see, or no page at all. */
export function missingPageReason(
  page: string,
  pages: readonly Pick<PageSpec, 'page' | 'needs'>[],
  can: (route: string) => boolean,
): 'forbidden' | 'unknown' {
  const spec = pages.find((p) => p.page === page);
  return spec !== undefined && !can(spec.needs) ? 'forbidden' : 'unknown';
}
