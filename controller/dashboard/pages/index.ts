import { PlansPage } from './plans';
import { ContentPage } from './content';
import { PlaylistsPage } from './playlists';
import { SchedulesPage } from './schedules';
import { BoardsPage } from './boards';
import { ApprovalsPage } from './approvals';
import { UrgentPage } from './urgent';
import { UsersPage } from './users';
import { AuditPage } from './audit';
import { MonitorPage } from './monitor';
import { ReportsPage } from './reports';
import type { PageSpec } from './registry';

/** Every page, in the order of the side menu. */
export const PAGES: PageSpec[] = [
  { page: 'plans', title: 'nav.plans', needs: 'GET /api/plans', component: PlansPage },
  { page: 'content', title: 'nav.content', needs: 'GET /api/plans', component: ContentPage },
  { page: 'playlists', title: 'nav.playlists', needs: 'GET /api/plans', component: PlaylistsPage },
  { page: 'schedules', title: 'nav.schedules', needs: 'GET /api/plans', component: SchedulesPage },
  {
    page: 'boards',
    title: 'nav.boards',
    needs: 'GET /api/plans/:planId/boards',
    component: BoardsPage,
  },
  {
    page: 'approvals',
    title: 'nav.approvals',
    needs: 'GET /api/approvals',
    component: ApprovalsPage,
  },
  {
    page: 'urgent',
    title: 'nav.urgent',
    needs: 'POST /api/plans/:planId/urgent-announcements',
    component: UrgentPage,
  },
  {
    page: 'monitor',
    title: 'nav.monitor',
    needs: 'GET /api/monitor/boards',
    component: MonitorPage,
  },
  {
    page: 'reports',
    title: 'nav.reports',
    needs: 'GET /api/reports/plays',
    component: ReportsPage,
  },
  { page: 'users', title: 'nav.users', needs: 'GET /api/users', component: UsersPage },
  { page: 'audit', title: 'nav.audit', needs: 'GET /api/audit', component: AuditPage },
];
