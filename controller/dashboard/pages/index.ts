import { PlansPage } from './plans';
import { ContentPage } from './content';
import { PlaylistsPage } from './playlists';
import type { PageSpec } from './registry';

/** Every page, in the order of the side menu. */
export const PAGES: PageSpec[] = [
  { page: 'plans', title: 'nav.plans', needs: 'GET /api/plans', component: PlansPage },
  { page: 'content', title: 'nav.content', needs: 'GET /api/plans', component: ContentPage },
  { page: 'playlists', title: 'nav.playlists', needs: 'GET /api/plans', component: PlaylistsPage },
];
