import { PlansPage } from './plans';
import type { PageSpec } from './registry';

/** Every page, in the order of the side menu. */
export const PAGES: PageSpec[] = [
  { page: 'plans', title: 'nav.plans', needs: 'GET /api/plans', component: PlansPage },
];
