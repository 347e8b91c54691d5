import { reportCsv } from '../monitoring/csv.js';
import { ReportQuerySchema, type PlayReport, type ReportQuery } from '../monitoring/reports.js';
import type { Monitoring } from '../monitoring/service.js';
import { ApiError } from './errors.js';
import { ANY_ROLE, type ApiRoutes } from './routes.js';

/** Proof-of-play reports, as JSON and as CSV (docs/monitoring.md, "Reports"). */
export function addReportRoutes(api: ApiRoutes, deps: { monitoring: Monitoring }): void {
  const { monitoring } = deps;

  const build = async (query: ReportQuery): Promise<PlayReport> => {
    const outcome = await monitoring.report(query);
    if (!outcome) throw new ApiError('not_found', 'nothing has been published yet');
    if (!outcome.ok) throw new ApiError(outcome.code, outcome.message);
    return outcome.report;
  };

  api.add({
    method: 'get',
    path: '/api/reports/plays',
    summary:
      'Proof-of-play report: plays, time on air and the share of scheduled time shown, per board, content and local day; filters planId, phaseId, boardId, contentId, from, to (local dates, both included; default the last 7 days)',
    tag: 'reports',
    access: ANY_ROLE,
    query: ReportQuerySchema,
    handler: ({ query }) => build(query),
  });
  api.add({
    method: 'get',
    path: '/api/reports/plays.csv',
    summary:
      'The same report as CSV (UTF-8 with BOM, Vietnamese headings): one row per board and content, subtotals and a total',
    tag: 'reports',
    access: ANY_ROLE,
    query: ReportQuerySchema,
    responseDescription: 'text/csv',
    handler: async ({ query, res }) => {
      const report = await build(query);
      const name = [
        'bao-cao-phat',
        report.query.planId,
        report.query.boardId,
        report.from,
        report.to,
      ]
        .filter((p) => p !== null)
        .join('_');
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="${name}.csv"`);
      res.send(reportCsv(report));
    },
  });
}
