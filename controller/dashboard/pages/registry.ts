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
