import { useEffect, useState } from 'preact/hooks';
import type {
  PlayReport,
  ReportBoardRow,
  ReportContentRow,
  ReportFigures,
} from '../../monitoring/reports';
import { dateTimeSecondsIn, durationText } from '../components/monitor-format';
import { ReportChart, type ChartPoint } from '../components/report-chart';
import {
  addDays,
  countText,
  daysBetween,
  dmyText,
  documentDateParts,
  hmsText,
  shareText,
  withDatesTyped,
} from '../components/report-format';
import { isCalendarDate } from '../components/schedule-format';
import { ErrorNotice, Field, Loading, PageHeader } from '../components/ui';
import { useApiGet } from '../components/use-api';
import { translator, useI18n, type Translate } from '../i18n';
import { planCode, todayIn, type PlanDocument } from '../plan-data';
import { navigate, type Route } from '../router';
import { useSession } from '../session';

interface PlanSummary {
  plan: { id: string; code?: string; title: string; issuer?: string; timeZone: string };
}

/** The longest span one report covers (controller/monitoring/reports.ts). */
const MAX_DAYS = 366;
const DEFAULT_DAYS = 7;
const PRINT_KEY = 'bangtin.reports.print';

/** The filters of a report, as the route carries them (empty string: not chosen). */
interface Filters {
  planId: string;
  phaseId: string;
  boardId: string;
  contentId: string;
  from: string;
  to: string;
}

/** The query of `GET /api/reports/plays` (and `.csv`) for the filters. */
function reportQuery(f: Filters): string {
  const q = new URLSearchParams({ planId: f.planId });
  if (f.phaseId) q.set('phaseId', f.phaseId);
  if (f.boardId) q.set('boardId', f.boardId);
  if (f.contentId) q.set('contentId', f.contentId);
  q.set('from', f.from);
  q.set('to', f.to);
  return q.toString();
}

/** Why the filters cannot make a report, or null. */
function filtersProblem(t: Translate, f: Filters, doc: PlanDocument | undefined): string | null {
  if (!isCalendarDate(f.from) || !isCalendarDate(f.to)) return t('reports.err.date');
  if (f.to < f.from) return t('reports.err.order');
  if (daysBetween(f.from, f.to) > MAX_DAYS) return t('reports.err.span', { n: MAX_DAYS });
  const phase = doc?.phases.find((p) => p.id === f.phaseId);
  if (phase && (f.from < phase.from || f.to > phase.to)) {
    return t('reports.err.phase', { from: dmyText(phase.from), to: dmyText(phase.to) });
  }
  return null;
}

/** `#/reports?plan=&phase=&board=&content=&from=&to=`: proof of play against the schedule. */
export function ReportsPage(props: { route: Route }) {
  const { t } = useI18n();
  const session = useSession();
  const params = props.route.params;
  const plans = useApiGet<PlanSummary[]>(session.can('GET /api/plans') ? '/api/plans' : null);
  const planId =
    params.get('plan') ??
    (plans.data?.some((p) => p.plan.id === session.planId) ? session.planId : null) ??
    plans.data?.[0]?.plan.id ??
    null;
  const summary = plans.data?.find((p) => p.plan.id === planId);
  const doc = useApiGet<PlanDocument>(
    planId !== null && session.can('GET /api/plans/:planId')
      ? `/api/plans/${encodeURIComponent(planId)}`
      : null,
  );
  const zone = doc.data?.plan.timeZone ?? summary?.plan.timeZone ?? null;

  if (planId === null || zone === null) {
    return (
      <>
        <PageHeader title={t('reports.title')} />
        {plans.loading || doc.loading ? <Loading /> : null}
        <ErrorNotice failure={plans.failure ?? doc.failure} />
        {plans.data && plans.data.length === 0 ? <p>{t('reports.noPlan')}</p> : null}
      </>
    );
  }
  const today = todayIn(zone, session.now());
  const phase = doc.data?.phases.find((p) => p.id === params.get('phase'));
  const applied: Filters = {
    planId,
    phaseId: phase?.id ?? '',
    boardId: params.get('board') ?? '',
    contentId: params.get('content') ?? '',
    from: params.get('from') ?? phase?.from ?? addDays(today, -(DEFAULT_DAYS - 1)),
    to: params.get('to') ?? phase?.to ?? today,
  };
  return (
    <ReportBody
      key={planId}
      applied={applied}
      plans={plans.data ?? (summary ? [summary] : [])}
      summary={summary}
      doc={doc.data}
      zone={zone}
      today={today}
    />
  );
}

function ReportBody(props: {
  applied: Filters;
  plans: PlanSummary[];
  summary: PlanSummary | undefined;
  doc: PlanDocument | undefined;
  zone: string;
  today: string;
}) {
  const { t, locale } = useI18n();
  const { applied, doc } = props;
  const query = reportQuery(applied);
  const problem = filtersProblem(t, applied, doc);
  const report = useApiGet<PlayReport>(problem === null ? `/api/reports/plays?${query}` : null);
  const [chartBy, setChartBy] = useState<'day' | 'board'>(
    applied.from === applied.to ? 'board' : 'day',
  );
  const [print, setPrint] = useState<PrintInfo>(loadPrintInfo);
  const r = report.data;
  const plan = doc?.plan ?? props.summary?.plan;

  return (
    <div class="reports-page">
      <div class="report-screen">
        <PageHeader title={t('reports.title')}>
          {r ? (
            <>
              <a
                class="button"
                href={`/api/reports/plays.csv?${query}`}
                download
                data-testid="report-csv"
              >
                {t('reports.csv')}
              </a>
              <button
                type="button"
                class="primary"
                data-testid="report-print"
                onClick={() => {
                  window.print();
                }}
              >
                {t('reports.print')}
              </button>
            </>
          ) : null}
        </PageHeader>
        <ReportFilters
          key={query}
          applied={applied}
          plans={props.plans}
          doc={doc}
          zone={props.zone}
          today={props.today}
          onApply={(f) => {
            const next = reportQuery(f);
            if (next === query) {
              report.reload();
              return;
            }
            const route: Record<string, string> = { plan: f.planId, from: f.from, to: f.to };
            if (f.phaseId) route.phase = f.phaseId;
            if (f.boardId) route.board = f.boardId;
            if (f.contentId) route.content = f.contentId;
            navigate('reports', route);
          }}
        />
        {problem !== null ? (
          <p class="notice notice-error" role="alert">
            {problem}
          </p>
        ) : null}
        {report.loading ? <Loading /> : null}
        <ErrorNotice failure={report.failure} />
        {r ? (
          <section aria-labelledby="report-result" data-testid="report-result">
            <h2 id="report-result">
              {t('reports.result', { from: dmyText(r.from), to: dmyText(r.to) })}
            </h2>
            <p class="hint">
              {t('reports.meta', {
                v: r.releaseVersion,
                at: dateTimeSecondsIn(props.zone, r.generatedAt),
              })}
            </p>
            <ReportSummary totals={r.totals} t={t} locale={locale} />
            <div class="report-chart-head">
              <h3>{t('reports.chart')}</h3>
              <div class="board-view-toggle" role="group" aria-label={t('reports.chart.by')}>
                {(['day', 'board'] as const).map((by) => (
                  <button
                    key={by}
                    type="button"
                    aria-pressed={chartBy === by}
                    data-chart-by={by}
                    onClick={() => {
                      setChartBy(by);
                    }}
                  >
                    {by === 'day' ? t('reports.chart.byDay') : t('reports.chart.byBoard')}
                  </button>
                ))}
              </div>
            </div>
            <ReportChart
              points={chartPoints(r, chartBy)}
              orientation={chartBy === 'day' ? 'columns' : 'rows'}
              t={t}
              locale={locale}
              caption={t('reports.chart')}
            />
            <h3>{t('reports.byBoard')}</h3>
            <BoardsTable report={r} t={t} locale={locale} testId="report-boards" />
            <h3>{t('reports.byDay')}</h3>
            <DaysTable report={r} t={t} locale={locale} testId="report-days" />
          </section>
        ) : null}
        {r ? <PrintInfoForm info={print} onChange={setPrint} /> : null}
      </div>
      {r && plan ? (
        <ReportDocument
          report={r}
          plan={plan}
          doc={doc}
          filters={applied}
          info={print}
          chartBy={chartBy}
          zone={props.zone}
          today={props.today}
        />
      ) : null}
    </div>
  );
}

function ReportFilters(props: {
  applied: Filters;
  plans: PlanSummary[];
  doc: PlanDocument | undefined;
  zone: string;
  today: string;
  onApply: (f: Filters) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const [f, setF] = useState<Filters>(props.applied);
  // Another plan chosen: its phases, boards and content are fetched at once for the lists.
  const otherPlan = f.planId !== props.applied.planId;
  const other = useApiGet<PlanDocument>(
    otherPlan && session.can('GET /api/plans/:planId')
      ? `/api/plans/${encodeURIComponent(f.planId)}`
      : null,
  );
  const doc = otherPlan ? other.data : props.doc;
  const listsLoading = otherPlan && doc === undefined;
  const problem = filtersProblem(t, f, doc);
  const set = (patch: Partial<Filters>) => {
    setF((old) => ({ ...old, ...patch }));
  };
  return (
    <section aria-labelledby="report-filters">
      <h2 id="report-filters">{t('reports.filters')}</h2>
      <form
        class="report-filters"
        data-testid="report-filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (problem === null) props.onApply(f);
        }}
      >
        <Field label={t('reports.plan')}>
          {(attrs) => (
            <select
              {...attrs}
              value={f.planId}
              onChange={(e) => {
                // Another plan: its phases, boards and content differ; keep only the dates.
                setF({
                  planId: e.currentTarget.value,
                  phaseId: '',
                  boardId: '',
                  contentId: '',
                  from: f.from,
                  to: f.to,
                });
              }}
            >
              {props.plans.map((p) => (
                <option key={p.plan.id} value={p.plan.id}>
                  {planCode(p.plan)} —{' '}
                  {p.plan.title.length > 50 ? `${p.plan.title.slice(0, 50)}…` : p.plan.title}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('reports.phase')} hint={t('reports.phase.hint')}>
          {(attrs) => (
            <select
              {...attrs}
              value={f.phaseId}
              disabled={listsLoading}
              onChange={(e) => {
                const id = e.currentTarget.value;
                const phase = doc?.phases.find((p) => p.id === id);
                set(phase ? { phaseId: id, from: phase.from, to: phase.to } : { phaseId: '' });
              }}
            >
              <option value="">{t('reports.phase.all')}</option>
              {(doc?.phases ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({dmyText(p.from)} – {dmyText(p.to)})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('reports.board')}>
          {(attrs) => (
            <select
              {...attrs}
              value={f.boardId}
              disabled={listsLoading}
              onChange={(e) => {
                set({ boardId: e.currentTarget.value });
              }}
            >
              <option value="">{t('reports.board.all')}</option>
              {(doc?.boards ?? []).map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('reports.content')}>
          {(attrs) => (
            <select
              {...attrs}
              value={f.contentId}
              disabled={listsLoading}
              onChange={(e) => {
                set({ contentId: e.currentTarget.value });
              }}
            >
              <option value="">{t('reports.content.all')}</option>
              {(doc?.content ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {short(c.kind === 'slogan' ? c.text : c.asset)}
                </option>
              ))}
              {(doc?.announcements ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {t('reports.content.announcement', { text: short(a.text) })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('reports.from')} hint={t('reports.dates.hint', { zone: props.zone })}>
          {(attrs) => (
            <input
              {...attrs}
              type="date"
              value={f.from}
              max={f.to || undefined}
              onInput={(e) => {
                const from = e.currentTarget.value;
                setF((old) => withDatesTyped(old, { from }, doc?.phases ?? []));
              }}
            />
          )}
        </Field>
        <Field label={t('reports.to')}>
          {(attrs) => (
            <input
              {...attrs}
              type="date"
              value={f.to}
              min={f.from || undefined}
              onInput={(e) => {
                const to = e.currentTarget.value;
                setF((old) => withDatesTyped(old, { to }, doc?.phases ?? []));
              }}
            />
          )}
        </Field>
        {listsLoading && !other.failure ? (
          <p class="hint" role="status" data-testid="report-lists-loading">
            {t('app.loading')}
          </p>
        ) : null}
        {otherPlan ? <ErrorNotice failure={other.failure} /> : null}
        <div class="report-filters-submit">
          <button type="submit" class="primary" disabled={problem !== null}>
            {t('reports.submit')}
          </button>
        </div>
      </form>
      {problem !== null && problem !== filtersProblem(t, props.applied, doc) ? (
        <p class="form-error" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  );
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** The chart's groups: every day of the span, or every board. */
function chartPoints(r: PlayReport, by: 'day' | 'board'): ChartPoint[] {
  if (by === 'day') {
    return r.days.map((d) => ({
      key: d.date,
      label: dmyText(d.date).slice(0, 5),
      title: dmyText(d.date),
      onAirMs: d.onAirMs,
      scheduledMs: d.scheduledMs,
      share: d.share,
    }));
  }
  return r.boards.map((b) => ({
    key: b.boardId,
    label: b.name.length > 26 ? `${b.name.slice(0, 25)}…` : b.name,
    title: b.name,
    onAirMs: b.onAirMs,
    scheduledMs: b.scheduledMs,
    share: b.share,
  }));
}

function ReportSummary(props: { totals: ReportFigures; t: Translate; locale: string }) {
  const { totals: f, t, locale } = props;
  const tiles = [
    {
      figure: 'plays',
      value: f.plays,
      label: t('reports.plays'),
      text: countText(locale, f.plays),
    },
    {
      figure: 'onAirMs',
      value: f.onAirMs,
      label: t('reports.onAir'),
      text: hmsText(f.onAirMs),
      sub: durationText(t, f.onAirMs),
    },
    {
      figure: 'scheduledMs',
      value: f.scheduledMs,
      label: t('reports.scheduled'),
      text: hmsText(f.scheduledMs),
      sub: durationText(t, f.scheduledMs),
    },
    {
      figure: 'shownScheduledMs',
      value: f.shownScheduledMs,
      label: t('reports.shown'),
      text: hmsText(f.shownScheduledMs),
      sub: durationText(t, f.shownScheduledMs),
    },
    {
      figure: 'share',
      value: f.share ?? '',
      label: t('reports.share'),
      text: shareText(locale, f.share),
      sub: t('reports.share.hint'),
    },
  ];
  return (
    <ul class="report-tiles" data-testid="report-summary">
      {tiles.map((tile) => (
        <li
          key={tile.figure}
          class="report-tile"
          data-testid="report-total"
          data-figure={tile.figure}
          data-value={String(tile.value)}
        >
          <span class="report-tile-label">{tile.label}</span>
          <span class="report-tile-n">{tile.text}</span>
          {tile.sub !== undefined ? (
            <small class={tile.figure === 'share' ? 'report-tile-hint' : undefined}>
              {tile.sub}
            </small>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function kindText(t: Translate, row: ReportContentRow): string {
  return t(`reports.kind.${row.contentKind}`);
}

/** Plays, on air, scheduled, shown and share: the figure cells of a row. */
function FigureCells(props: { f: ReportFigures; locale: string }) {
  const { f, locale } = props;
  return (
    <>
      <td class="num" data-figure="plays" data-value={f.plays}>
        {countText(locale, f.plays)}
      </td>
      <td class="num" data-figure="onAirMs" data-value={f.onAirMs}>
        {hmsText(f.onAirMs)}
      </td>
      <td class="num" data-figure="scheduledMs" data-value={f.scheduledMs}>
        {hmsText(f.scheduledMs)}
      </td>
      <td class="num" data-figure="shownScheduledMs" data-value={f.shownScheduledMs}>
        {hmsText(f.shownScheduledMs)}
      </td>
      <td class="num" data-figure="share" data-value={f.share ?? ''}>
        {shareText(locale, f.share)}
      </td>
    </>
  );
}

function FigureHeads(props: { t: Translate }) {
  const { t } = props;
  return (
    <>
      <th scope="col" class="num">
        {t('reports.col.plays')}
      </th>
      <th scope="col" class="num">
        {t('reports.col.onAir')}
      </th>
      <th scope="col" class="num">
        {t('reports.col.scheduled')}
      </th>
      <th scope="col" class="num">
        {t('reports.col.shown')}
      </th>
      <th scope="col" class="num">
        {t('reports.col.share')}
      </th>
    </>
  );
}

/** One row group per board (its subtotal, then its content), and the total. */
function BoardsTable(props: { report: PlayReport; t: Translate; locale: string; testId?: string }) {
  const { report, t, locale } = props;
  if (report.boards.length === 0) return <p>{t('reports.noRows')}</p>;
  return (
    <div class="report-scroll">
      <table class="table report-table report-table-boards" data-testid={props.testId}>
        <caption class="report-caption">{t('reports.hms')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reports.col.no')}</th>
            <th scope="col">{t('reports.col.item')}</th>
            <th scope="col">{t('reports.col.kind')}</th>
            <FigureHeads t={t} />
          </tr>
        </thead>
        {report.boards.map((b: ReportBoardRow, i) => (
          <tbody key={b.boardId} data-board={b.boardId}>
            <tr class="report-board-row" data-row="board">
              <td>{i + 1}</td>
              <th scope="rowgroup" colSpan={2}>
                {b.name}
                {b.place ? <small class="report-place"> — {b.place}</small> : null}
              </th>
              <FigureCells f={b} locale={locale} />
            </tr>
            {b.contents.map((c, j) => (
              <tr key={`${c.kind}:${c.contentId}`} data-row="content" data-content={c.contentId}>
                <td class="report-sub-no">
                  {i + 1}.{j + 1}
                </td>
                <th scope="row" class="report-content-title">
                  {c.title || c.contentId}
                </th>
                <td class="report-kind">{kindText(t, c)}</td>
                <FigureCells f={c} locale={locale} />
              </tr>
            ))}
          </tbody>
        ))}
        <tfoot>
          <tr class="report-total-row" data-row="total">
            <td />
            <th scope="row" colSpan={2}>
              {t('reports.total')}
            </th>
            <FigureCells f={report.totals} locale={locale} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function DaysTable(props: { report: PlayReport; t: Translate; locale: string; testId?: string }) {
  const { report, t, locale } = props;
  return (
    <div class="report-scroll">
      <table class="table report-table report-table-days" data-testid={props.testId}>
        <caption class="report-caption">{t('reports.hms')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reports.col.day')}</th>
            <FigureHeads t={t} />
          </tr>
        </thead>
        <tbody>
          {report.days.map((d) => (
            <tr key={d.date} data-day={d.date}>
              <th scope="row">{dmyText(d.date)}</th>
              <FigureCells f={d} locale={locale} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr class="report-total-row">
            <th scope="row">{t('reports.total')}</th>
            <FigureCells f={report.totals} locale={locale} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** What the printed report says about who reports, its number, place and signer. */
interface PrintInfo {
  agency: string;
  number: string;
  place: string;
  signerTitle: string;
  signerName: string;
}

function loadPrintInfo(): PrintInfo {
  const empty = { agency: '', number: '', place: '', signerTitle: '', signerName: '' };
  try {
    const saved = JSON.parse(localStorage.getItem(PRINT_KEY) ?? '{}') as Partial<PrintInfo>;
    const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : '');
    return {
      agency: text(saved.agency),
      number: text(saved.number),
      place: text(saved.place),
      signerTitle: text(saved.signerTitle),
      signerName: text(saved.signerName),
    };
  } catch {
    return empty;
  }
}

function PrintInfoForm(props: { info: PrintInfo; onChange: (info: PrintInfo) => void }) {
  const { t } = useI18n();
  const { info } = props;
  useEffect(() => {
    localStorage.setItem(PRINT_KEY, JSON.stringify(info));
  }, [info]);
  const field = (key: keyof PrintInfo, label: string, hint?: string) => (
    <Field label={label} {...(hint ? { hint } : {})}>
      {(attrs) => (
        <input
          {...attrs}
          type="text"
          maxLength={200}
          value={info[key]}
          onInput={(e) => {
            props.onChange({ ...info, [key]: e.currentTarget.value });
          }}
        />
      )}
    </Field>
  );
  return (
    <details class="report-print-info">
      <summary>{t('reports.printInfo')}</summary>
      <p class="hint">{t('reports.printInfo.hint')}</p>
      <div class="field-row">
        {field('agency', t('reports.printInfo.agency'))}
        {field('number', t('reports.printInfo.number'), t('reports.printInfo.number.hint'))}
        {field('place', t('reports.printInfo.place'), t('reports.printInfo.place.hint'))}
      </div>
      <div class="field-row">
        {field('signerTitle', t('reports.printInfo.signerTitle'))}
        {field('signerName', t('reports.printInfo.signerName'))}
      </div>
    </details>
  );
}

const DOTS = '…………………';

/**
 * The report as the office sends it to the province: an A4 administrative document in
 * Vietnamese whatever the screen's language (national heading, number, place and date, title,
 * the figures, the chart, the tables, recipients and signature). Shown only when printing.
 */
function ReportDocument(props: {
  report: PlayReport;
  plan: PlanSummary['plan'];
  doc: PlanDocument | undefined;
  filters: Filters;
  info: PrintInfo;
  chartBy: 'day' | 'board';
  zone: string;
  today: string;
}) {
  const tv = translator('vi');
  const locale = 'vi';
  const { report: r, plan, info, doc } = props;
  const date = documentDateParts(props.today);
  const code = plan.code ?? plan.id;
  const scope = [
    doc?.phases.find((p) => p.id === props.filters.phaseId)?.name,
    props.filters.boardId
      ? tv('reports.doc.scope.board', {
          name:
            doc?.boards.find((b) => b.id === props.filters.boardId)?.name ?? props.filters.boardId,
        })
      : undefined,
    props.filters.contentId
      ? tv('reports.doc.scope.content', {
          title: short(
            r.contents.find((c) => c.contentId === props.filters.contentId)?.title ??
              props.filters.contentId,
          ),
        })
      : undefined,
  ].filter((s): s is string => s !== undefined && s !== '');
  const f = r.totals;
  return (
    <article class="report-doc" data-testid="report-print-doc" lang="vi">
      <header class="doc-heading">
        <div class="doc-agency">
          <p class="doc-agency-name">{info.agency.trim() ? info.agency.toUpperCase() : DOTS}</p>
          <p class="doc-number">
            {tv('reports.doc.number', { number: info.number.trim() || `${DOTS}/BC` })}
          </p>
        </div>
        <div class="doc-nation">
          <p class="doc-nation-name">{tv('reports.doc.nation')}</p>
          <p class="doc-motto">{tv('reports.doc.motto')}</p>
          <p class="doc-place-date">
            {tv('reports.doc.placeDate', { place: info.place.trim() || DOTS, ...date })}
          </p>
        </div>
      </header>
      <h1 class="doc-title">
        <span class="doc-kind">{tv('reports.doc.kind')}</span>{' '}
        <span class="doc-subject">{tv('reports.doc.subject')}</span>
      </h1>
      <p class="doc-plan">
        {plan.issuer
          ? tv('reports.doc.plan', { code, issuer: plan.issuer, title: plan.title })
          : tv('reports.doc.planNoIssuer', { code, title: plan.title })}
      </p>
      <p class="doc-period">
        {tv('reports.doc.period', { from: dmyText(r.from), to: dmyText(r.to) })}
      </p>
      {scope.length > 0 ? (
        <p class="doc-scope">{tv('reports.doc.scope', { scope: scope.join('; ') })}</p>
      ) : null}
      <div class="doc-rule" />

      <h2>{tv('reports.doc.s1')}</h2>
      <p class="doc-text">
        {tv('reports.doc.s1.text', {
          boards: countText(locale, r.boards.length),
          plays: countText(locale, f.plays),
          onAir: durationText(tv, f.onAirMs),
          share: shareText(locale, f.share),
          shown: hmsText(f.shownScheduledMs),
          scheduled: hmsText(f.scheduledMs),
        })}
      </p>
      <ReportSummary totals={f} t={tv} locale={locale} />

      <h2>{tv('reports.doc.s2')}</h2>
      <ReportChart
        points={chartPoints(r, props.chartBy)}
        orientation={props.chartBy === 'day' ? 'columns' : 'rows'}
        t={tv}
        locale={locale}
        caption={tv('reports.chart')}
      />

      <h2>{tv('reports.doc.s3')}</h2>
      <BoardsTable report={r} t={tv} locale={locale} />

      <h2>{tv('reports.doc.s4')}</h2>
      <DaysTable report={r} t={tv} locale={locale} />

      <p class="doc-footnote">
        {tv('reports.doc.footnote', {
          v: r.releaseVersion,
          at: dateTimeSecondsIn(props.zone, r.generatedAt),
        })}
      </p>
      <footer class="doc-signatures">
        <div class="doc-recipients">
          <p class="doc-recipients-title">{tv('reports.doc.recipients')}</p>
          {plan.issuer ? (
            <p>{tv('reports.doc.recipient.issuer', { issuer: plan.issuer })}</p>
          ) : null}
          <p>{tv('reports.doc.recipient.archive')}</p>
        </div>
        <div class="doc-signer">
          <p class="doc-signer-title">
            {(info.signerTitle.trim() || tv('reports.doc.signerTitle')).toUpperCase()}
          </p>
          <p class="doc-sign-hint">{tv('reports.doc.sign')}</p>
          <p class="doc-signer-name">{info.signerName.trim()}</p>
        </div>
      </footer>
    </article>
  );
}
