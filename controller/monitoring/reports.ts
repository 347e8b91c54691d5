import { z } from 'zod';
import {
  DateSchema,
  isCalendarDate,
  IdSchema,
  type BoardResolver,
  type CompiledPlan,
  type PlanDocument,
} from '../../playlists/index.js';
import type { AggregateRow } from '../telemetry/pop-aggregates.js';
import { addScheduledTime } from './scheduled.js';

/** The longest span one report covers. */
export const REPORT_MAX_DAYS = 366;
/** Without dates or a phase: the last seven local days, today included. */
export const REPORT_DEFAULT_DAYS = 7;

const DAY_MS = 86_400_000;

/** `GET /api/reports/plays` (and `.csv`): every filter optional; dates are local to each plan. */
export const ReportQuerySchema = z
  .strictObject({
    planId: IdSchema.optional(),
    phaseId: IdSchema.optional(),
    boardId: IdSchema.optional(),
    contentId: IdSchema.optional(),
    from: DateSchema.optional(),
    to: DateSchema.optional(),
  })
  .refine((q) => q.phaseId === undefined || q.planId !== undefined, {
    message: 'a phase is named within its plan: give planId too',
    path: ['phaseId'],
    params: { code: 'phase_needs_plan' },
  })
  // The span is judged only between two real dates: a bad one is reported once, as itself.
  .refine((q) => !bothDates(q) || q.from <= q.to, {
    message: 'must not be before "from"',
    path: ['to'],
    params: { code: 'to_before_from' },
  })
  .refine(
    (q) => !bothDates(q) || Date.parse(q.to) - Date.parse(q.from) < REPORT_MAX_DAYS * DAY_MS,
    {
      message: `a report covers at most ${REPORT_MAX_DAYS} days`,
      path: ['to'],
      params: { code: 'span_too_long', maxDays: REPORT_MAX_DAYS },
    },
  );

function bothDates(q: { from?: string; to?: string }): q is { from: string; to: string } {
  return (
    q.from !== undefined && q.to !== undefined && isCalendarDate(q.from) && isCalendarDate(q.to)
  );
}
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/** Plays, time on air, scheduled time, and how much of the schedule was shown. */
export interface ReportFigures {
  plays: number;
  onAirMs: number;
  scheduledMs: number;
  /** Per board, content and local day: the smaller of time on air and scheduled time, added up. */
  shownScheduledMs: number;
  /** shownScheduledMs / scheduledMs; null when nothing was scheduled. */
  share: number | null;
}

export interface ReportContentRow extends ReportFigures {
  kind: 'item' | 'announcement';
  contentId: string;
  /** slogan, banner, announcement; unknown for a content no longer in the latest release. */
  contentKind: 'slogan' | 'banner' | 'announcement' | 'unknown';
  /** The slogan's or announcement's text, or the banner's file name. */
  title: string;
}

export interface ReportBoardRow extends ReportFigures {
  boardId: string;
  name: string;
  planId: string;
  place: string | null;
  contents: ReportContentRow[];
}

export interface ReportDayRow extends ReportFigures {
  /** A local date (YYYY-MM-DD) in the board's plan's time zone. */
  date: string;
}

/** The JSON of `GET /api/reports/plays`. */
export interface PlayReport {
  query: {
    planId: string | null;
    phaseId: string | null;
    boardId: string | null;
    contentId: string | null;
  };
  /** First and last local date, both included. */
  from: string;
  to: string;
  timeZones: string[];
  /** The release whose timeline gave the scheduled time. */
  releaseVersion: number;
  generatedAt: string;
  totals: ReportFigures;
  boards: ReportBoardRow[];
  /** Per content, over every board. */
  contents: ReportContentRow[];
  /** Per local date, over every board: the chart's series. */
  days: ReportDayRow[];
}

/** What a report reads: the published plans, their resolvers, and the proof-of-play totals. */
export interface ReportSources {
  releaseVersion: number;
  plans: readonly PlanDocument[];
  compiled: ReadonlyMap<string, CompiledPlan>;
  resolver(boardId: string): BoardResolver | undefined;
  visitRows(
    fromMs: number,
    toMs: number,
    boards: ReadonlySet<string>,
    visit: (row: AggregateRow) => void,
  ): Promise<void>;
  nowMs: number;
}

export type ReportOutcome =
  | { ok: true; report: PlayReport }
  | { ok: false; code: 'not_found' | 'invalid_request'; message: string };

interface Cell {
  plays: number;
  onAirMs: number;
  scheduledMs: number;
}

interface BoardSpan {
  planId: string;
  plan: CompiledPlan;
  board: PlanDocument['boards'][number];
  /** Local epoch days, both included, and their instants. */
  firstDay: number;
  lastDay: number;
  startMs: number;
  endMs: number;
}

function isoDate(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

function epochDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function figures(cells: Iterable<Cell>): ReportFigures {
  const f = { plays: 0, onAirMs: 0, scheduledMs: 0, shownScheduledMs: 0 };
  for (const c of cells) {
    f.plays += c.plays;
    f.onAirMs += c.onAirMs;
    f.scheduledMs += c.scheduledMs;
    f.shownScheduledMs += Math.min(c.onAirMs, c.scheduledMs);
  }
  return { ...f, share: f.scheduledMs > 0 ? f.shownScheduledMs / f.scheduledMs : null };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Proof of play against the schedule, for a plan (or all), a phase, a board, a content and a
 * range of local dates: plays and time on air from the proof-of-play totals, scheduled time
 * from the latest release's timeline (the same resolver as `GET /api/boards/:id/timeline`).
 * Time is counted per local day of each board's plan, so a day's figures are exact wherever
 * the plays fell.
 */
export async function buildPlayReport(
  query: ReportQuery,
  sources: ReportSources,
): Promise<ReportOutcome> {
  const plans = sources.plans.filter(
    (p) => query.planId === undefined || p.plan.id === query.planId,
  );
  if (query.planId !== undefined && plans.length === 0) {
    return {
      ok: false,
      code: 'not_found',
      message: `no plan "${query.planId}" in the latest release`,
    };
  }
  const spans: BoardSpan[] = [];
  for (const document of plans) {
    const plan = sources.compiled.get(document.plan.id);
    if (!plan) continue;
    let from = query.from;
    let to = query.to;
    if (query.phaseId !== undefined) {
      const phase = document.phases.find((p) => p.id === query.phaseId);
      if (!phase) {
        return {
          ok: false,
          code: 'not_found',
          message: `no phase "${query.phaseId}" in plan "${document.plan.id}"`,
        };
      }
      from = from === undefined || from < phase.from ? phase.from : from;
      to = to === undefined || to > phase.to ? phase.to : to;
      if (from > to) {
        return {
          ok: false,
          code: 'invalid_request',
          message: `the dates lie outside phase "${phase.id}" (${phase.from} to ${phase.to})`,
        };
      }
    }
    const today = plan.zone.dayOf(sources.nowMs);
    const lastDay =
      to !== undefined
        ? epochDay(to)
        : from !== undefined
          ? Math.min(epochDay(from) + REPORT_DEFAULT_DAYS - 1, today)
          : today;
    const firstDay = from !== undefined ? epochDay(from) : lastDay - REPORT_DEFAULT_DAYS + 1;
    if (lastDay < firstDay || lastDay - firstDay >= REPORT_MAX_DAYS) {
      return {
        ok: false,
        code: 'invalid_request',
        message: `a report covers 1 to ${REPORT_MAX_DAYS} days`,
      };
    }
    for (const board of document.boards) {
      if (query.boardId !== undefined && board.id !== query.boardId) continue;
      spans.push({
        planId: document.plan.id,
        plan,
        board,
        firstDay,
        lastDay,
        startMs: plan.zone.startOfDay(firstDay),
        endMs: plan.zone.startOfDay(lastDay + 1),
      });
    }
  }
  if (query.boardId !== undefined && spans.length === 0) {
    return {
      ok: false,
      code: 'not_found',
      message: `no board "${query.boardId}" in the latest release`,
    };
  }

  // One cell per board, content and local day.
  const cells = new Map<string, Cell>();
  const cell = (boardId: string, kind: string, id: string, day: number): Cell => {
    const key = `${boardId}\u0000${kind}\u0000${id}\u0000${day}`;
    let c = cells.get(key);
    if (!c) {
      c = { plays: 0, onAirMs: 0, scheduledMs: 0 };
      cells.set(key, c);
    }
    return c;
  };
  const wanted = (id: string) => query.contentId === undefined || id === query.contentId;

  for (const span of spans) {
    const resolver = sources.resolver(span.board.id);
    if (!resolver) continue;
    for (let day = span.firstDay; day <= span.lastDay; day += 1) {
      const dayStart = span.plan.zone.startOfDay(day);
      const dayEnd = span.plan.zone.startOfDay(day + 1);
      addScheduledTime(resolver, dayStart, dayEnd, (kind, id, ms) => {
        if (wanted(id)) cell(span.board.id, kind, id, day).scheduledMs += ms;
      });
    }
  }

  const byBoard = new Map(spans.map((s) => [s.board.id, s]));
  if (spans.length > 0) {
    const fromMs = Math.min(...spans.map((s) => s.startMs));
    const toMs = Math.max(...spans.map((s) => s.endMs));
    await sources.visitRows(fromMs, toMs, new Set(byBoard.keys()), (row) => {
      const span = byBoard.get(row.boardId);
      if (!span || row.bucketStartMs < span.startMs || row.bucketStartMs >= span.endMs) return;
      if (!wanted(row.contentId)) return;
      const c = cell(row.boardId, row.kind, row.contentId, span.plan.zone.dayOf(row.bucketStartMs));
      c.plays += row.plays;
      c.onAirMs += row.ms;
    });
  }

  // Titles from the published plans.
  const titles = new Map<string, { contentKind: ReportContentRow['contentKind']; title: string }>();
  for (const p of plans) {
    for (const c of p.content) {
      titles.set(`${p.plan.id}\u0000item\u0000${c.id}`, {
        contentKind: c.kind,
        title: c.kind === 'slogan' ? c.text : c.asset,
      });
    }
    for (const a of p.announcements) {
      titles.set(`${p.plan.id}\u0000announcement\u0000${a.id}`, {
        contentKind: 'announcement',
        title: a.text,
      });
    }
  }

  // Group the cells.
  const boardCells = new Map<string, Map<string, Cell[]>>();
  const contentCells = new Map<string, Cell[]>();
  const dayCells = new Map<string, Cell[]>();
  for (const [key, c] of cells) {
    const [boardId = '', kind = '', id = '', dayText = '0'] = key.split('\u0000');
    const contentKey = `${kind}\u0000${id}`;
    const push = <K>(map: Map<K, Cell[]>, k: K) => {
      const list = map.get(k);
      if (list) list.push(c);
      else map.set(k, [c]);
    };
    let perBoard = boardCells.get(boardId);
    if (!perBoard) {
      perBoard = new Map();
      boardCells.set(boardId, perBoard);
    }
    push(perBoard, contentKey);
    push(contentCells, contentKey);
    push(dayCells, isoDate(Number(dayText)));
  }
  const contentRow = (
    planId: string | undefined,
    contentKey: string,
    list: Cell[],
  ): ReportContentRow => {
    const [kind = 'item', contentId = ''] = contentKey.split('\u0000');
    const found =
      planId !== undefined
        ? titles.get(`${planId}\u0000${contentKey}`)
        : plans
            .map((p) => titles.get(`${p.plan.id}\u0000${contentKey}`))
            .find((t) => t !== undefined);
    return {
      kind: kind === 'announcement' ? 'announcement' : 'item',
      contentId,
      contentKind: found?.contentKind ?? 'unknown',
      title: found?.title ?? '',
      ...figures(list),
    };
  };
  const byContent = (a: ReportContentRow, b: ReportContentRow) =>
    compare(a.kind, b.kind) || compare(a.contentId, b.contentId);

  const boards: ReportBoardRow[] = spans.map((span) => {
    const perBoard = boardCells.get(span.board.id) ?? new Map<string, Cell[]>();
    return {
      boardId: span.board.id,
      name: span.board.name,
      planId: span.planId,
      place: span.board.place ?? null,
      ...figures([...perBoard.values()].flat()),
      contents: [...perBoard].map(([k, list]) => contentRow(span.planId, k, list)).sort(byContent),
    };
  });
  const allDays = spans.flatMap((s) => [isoDate(s.firstDay), isoDate(s.lastDay)]).sort();
  // Every date of the span has a point in the chart's series, with or without plays.
  const firstDate = allDays[0];
  const lastDate = allDays.at(-1);
  const days: ReportDayRow[] = [];
  if (firstDate !== undefined && lastDate !== undefined) {
    for (let d = epochDay(firstDate); d <= epochDay(lastDate); d += 1) {
      const date = isoDate(d);
      days.push({ date, ...figures(dayCells.get(date) ?? []) });
    }
  }
  const fallback = isoDate(Math.floor(sources.nowMs / DAY_MS));
  return {
    ok: true,
    report: {
      query: {
        planId: query.planId ?? null,
        phaseId: query.phaseId ?? null,
        boardId: query.boardId ?? null,
        contentId: query.contentId ?? null,
      },
      from: firstDate ?? query.from ?? fallback,
      to: lastDate ?? query.to ?? fallback,
      timeZones: [...new Set(spans.map((s) => s.plan.zone.timeZone))].sort(),
      releaseVersion: sources.releaseVersion,
      generatedAt: new Date(sources.nowMs).toISOString(),
      totals: figures(cells.values()),
      boards,
      contents: [...contentCells]
        .map(([k, list]) => contentRow(undefined, k, list))
        .sort(byContent),
      days,
    },
  };
}
