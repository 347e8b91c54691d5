import { z } from 'zod';
import { IdSchema, problem } from '../../playlists/index.js';
import { MonitorSettingsPatchSchema } from '../monitoring/protocol.js';
import type { Monitoring } from '../monitoring/service.js';
import type { Role } from '../state.js';
import { ApiError } from './errors.js';
import { ANY_ROLE, type ApiRoutes } from './routes.js';

const TECHNICIANS: readonly Role[] = ['admin', 'technician'];
const ADMINS: readonly Role[] = ['admin'];
const IdParams = z.strictObject({ id: IdSchema });
const NoQuery = z.strictObject({});

/** Live status, alerts, monitoring settings and screenshots (docs/monitoring.md). */
export function addMonitorRoutes(api: ApiRoutes, deps: { monitoring: Monitoring }): void {
  const { monitoring } = deps;

  api.add({
    method: 'get',
    path: '/api/monitor/boards',
    summary:
      'Every board as the dashboard grid shows it: online/offline, last seen, bundle held versus latest, what it shows versus what it must, clock, errors, screen, uptime, screenshot, active alerts',
    tag: 'monitoring',
    access: ANY_ROLE,
    query: NoQuery,
    handler: () => monitoring.monitor.boards(),
  });
  api.add({
    method: 'get',
    path: '/api/monitor/alerts',
    summary: 'Active alerts, and the latest alerts raised or cleared (newest first)',
    tag: 'monitoring',
    access: ANY_ROLE,
    query: NoQuery,
    handler: () => ({
      active: monitoring.monitor.activeAlerts(),
      recent: monitoring.monitor.recentAlerts(),
    }),
  });
  api.add({
    method: 'get',
    path: '/api/monitor/snapshot',
    summary:
      'Boards, active alerts and settings at once: what the /monitor socket sends on connection',
    tag: 'monitoring',
    access: ANY_ROLE,
    query: NoQuery,
    handler: () => monitoring.snapshot(),
  });
  api.add({
    method: 'get',
    path: '/api/monitor/settings',
    summary:
      'Alert thresholds, screenshot period and proof-of-play retention; whether an alert webhook is set',
    tag: 'monitoring',
    access: ANY_ROLE,
    query: NoQuery,
    handler: () => monitoring.settingsView(),
  });
  api.add({
    method: 'patch',
    path: '/api/monitor/settings',
    summary:
      'Change alert thresholds, the screenshot period or proof-of-play retention (admins; overrides the environment)',
    tag: 'monitoring',
    access: ADMINS,
    body: MonitorSettingsPatchSchema,
    audit: 'monitor.configure',
    handler: async ({ body, audit: note }) => {
      note.target = 'monitor/settings';
      note.details = { ...body };
      await monitoring.settings.update(body);
      return monitoring.settingsView();
    },
  });
  api.add({
    method: 'post',
    path: '/api/boards/:id/screenshot',
    summary:
      'Take a low-resolution screenshot of a board now (at most 320×320); it is kept and pushed to dashboards',
    tag: 'monitoring',
    access: TECHNICIANS,
    params: IdParams,
    audit: 'screenshot.take',
    handler: async ({ params, audit: note }) => {
      const outcome = await monitoring.captureScreenshot(params.id);
      if (!outcome.ok) {
        throw new ApiError('conflict', outcome.message, [
          outcome.code === 'offline'
            ? problem('$.params.id', 'board_offline', { board: params.id }, 'no player is online')
            : problem(
                '$.params.id',
                'screenshot_failed',
                { reason: outcome.reason },
                outcome.message,
              ),
        ]);
      }
      note.details = { width: outcome.screenshot.width, height: outcome.screenshot.height };
      return outcome.screenshot;
    },
  });
  api.add({
    method: 'get',
    path: '/api/boards/:id/screenshot',
    summary:
      "A board's latest screenshot as a PNG data URL with its time and size, or null when none was taken",
    tag: 'monitoring',
    access: ANY_ROLE,
    params: IdParams,
    query: NoQuery,
    handler: async ({ params }) => ({
      boardId: params.id,
      screenshot: (await monitoring.screenshots.read(params.id)) ?? null,
    }),
  });
}
