import { useEffect, useMemo, useState } from 'preact/hooks';
import { civilFromEpochDay, epochDayFromIso } from '../../../playlists/civil';
import type { ReleaseMeta } from '../../../playlists/release-index';
import type { Segment } from '../../../playlists/resolver';
import { ZoneCalendar } from '../../../playlists/zone';
import { useI18n } from '../i18n';
import { todayIn, type PlanDocument, type PlanWithApproval } from '../plan-data';
import { useSession } from '../session';
import { dateTimeIn, isCalendarDate, timeIn } from './schedule-format';
import { BoardSelect, ErrorNotice, Field, Loading } from './ui';
import { useApiGet } from './use-api';

type Resolver = typeof import('../../../playlists/resolver');

/** One row of the regime table: a stretch with one winner and how many plays it holds. */
export interface RegimeRow {
  startMs: number;
  endMs: number;
  kind: 'schedules' | 'announcement' | 'idle';
  schedules: string[];
  playlists: string[];
  announcement?: string;
  priority?: number;
  plays: number;
}

// Colour-blind-safe hues, dark enough for white text beside them.
const PALETTE = ['#0b5cad', '#1d7a35', '#8a4baf', '#b35c00', '#00727a', '#a3266f', '#5a6b00'];
const ANNOUNCEMENT_COLOUR = '#b3141b';
const IDLE_COLOUR = '#d6dae1';

const WIDTH = 1000;
const STRIP_H = 40;

function dayAfter(date: string, days: number): string {
  const { year, month, day } = civilFromEpochDay(epochDayFromIso(date) + days);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Regimes from the release's own resolver (exact: a regime is the stretch in which the winner
 * stays the same), with the plays of each counted from the timeline the API served.
 */
function regimesFromResolver(
  resolver: Resolver,
  plan: PlanDocument,
  boardId: string,
  startMs: number,
  endMs: number,
): RegimeRow[] | null {
  const board = resolver.resolverFor(resolver.compilePlan(plan), boardId);
  if (!board) return null;
  const rows: RegimeRow[] = [];
  for (let at = startMs; at < endMs && rows.length < 10_000;) {
    const regime = board.regimeAt(at);
    const row: RegimeRow = {
      startMs: Math.max(regime.startMs, startMs),
      endMs: Math.min(regime.endMs, endMs),
      kind: regime.winner.kind,
      schedules: [],
      playlists: [],
      plays: 0,
    };
    if (regime.winner.kind === 'schedules') {
      row.schedules = regime.winner.schedules.map((s) => s.id);
      row.playlists = regime.winner.schedules.map((s) => s.playlistId);
      row.priority = regime.winner.priority;
    } else if (regime.winner.kind === 'announcement') {
      row.announcement = regime.winner.announcement.id;
    }
    rows.push(row);
    at = Math.max(regime.endMs, at + 1);
  }
  return rows;
}

/** Without the resolver: consecutive segments of the same schedule (or announcement, or idle). */
function regimesFromSegments(segments: readonly Segment[]): RegimeRow[] {
  const rows: RegimeRow[] = [];
  for (const s of segments) {
    const startMs = Date.parse(s.start);
    const endMs = Date.parse(s.end);
    const kind = s.kind === 'item' ? 'schedules' : s.kind;
    const last = rows.at(-1);
    const same =
      last &&
      last.kind === kind &&
      (kind !== 'schedules' || last.schedules[0] === s.schedule) &&
      (kind !== 'announcement' || last.announcement === s.announcement);
    if (last && same) {
      last.endMs = endMs;
      continue;
    }
    rows.push({
      startMs,
      endMs,
      kind,
      schedules: s.schedule === undefined ? [] : [s.schedule],
      playlists: s.playlist === undefined ? [] : [s.playlist],
      ...(s.announcement === undefined ? {} : { announcement: s.announcement }),
      plays: 0,
    });
  }
  return rows;
}

/** Counts the item plays starting in each row (a play cut by the day's start counts once). */
function countPlays(rows: RegimeRow[], segments: readonly Segment[]): void {
  let r = 0;
  for (const s of segments) {
    if (s.kind === 'idle') continue;
    const at = Date.parse(s.start);
    while (r < rows.length - 1 && (rows[r]?.endMs ?? 0) <= at) r++;
    const row = rows[r];
    if (row) row.plays += 1;
  }
}

interface Band {
  startMs: number;
  endMs: number;
  key: string;
  kind: Segment['kind'];
  playlist?: string;
  announcement?: string;
}

/** Consecutive segments of one colour drawn as one band (a day can hold thousands of plays). */
function bandsOf(segments: readonly Segment[]): Band[] {
  const bands: Band[] = [];
  for (const s of segments) {
    const key =
      s.kind === 'item'
        ? `p:${s.playlist ?? ''}`
        : s.kind === 'announcement'
          ? `a:${s.announcement ?? ''}`
          : 'idle';
    const last = bands.at(-1);
    if (last && last.key === key) {
      last.endMs = Date.parse(s.end);
      continue;
    }
    bands.push({
      startMs: Date.parse(s.start),
      endMs: Date.parse(s.end),
      key,
      kind: s.kind,
      ...(s.playlist === undefined ? {} : { playlist: s.playlist }),
      ...(s.announcement === undefined ? {} : { announcement: s.announcement }),
    });
  }
  return bands;
}

/**
 * What one board plays over one local day of the plan's time zone, as the published release
 * decides it: a 24-hour strip and the table of regimes.
 */
export function ScheduleDayView(props: {
  doc: PlanWithApproval;
  initialBoard?: string | null;
  initialDate?: string | null;
}) {
  const { t } = useI18n();
  const session = useSession();
  const { doc } = props;
  const timeZone = doc.plan.timeZone;
  const today = todayIn(timeZone, session.now());
  const [boardId, setBoardId] = useState(
    () => doc.boards.find((b) => b.id === props.initialBoard)?.id ?? doc.boards[0]?.id ?? '',
  );
  const [date, setDate] = useState(() =>
    props.initialDate && isCalendarDate(props.initialDate) ? props.initialDate : today,
  );
  const [resolver, setResolver] = useState<Resolver | null>(null);
  const [nowMs, setNowMs] = useState(() => session.now());

  useEffect(() => {
    if (!doc.boards.some((b) => b.id === boardId)) setBoardId(doc.boards[0]?.id ?? '');
  }, [doc]);
  useEffect(() => {
    // The resolver (and the schema library it brings) loads with the day view, not the dashboard.
    let live = true;
    void import('../../../playlists/resolver')
      .then((module) => {
        if (live) setResolver(module);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    const timer = setInterval(() => {
      setNowMs(session.now());
    }, 30_000);
    return () => {
      clearInterval(timer);
    };
  }, [session]);

  const zone = useMemo(() => new ZoneCalendar(timeZone), [timeZone]);
  const validDate = isCalendarDate(date);
  const span = useMemo(() => {
    if (!validDate) return null;
    const day = epochDayFromIso(date);
    return { day, startMs: zone.startOfDay(day), endMs: zone.startOfDay(day + 1) };
  }, [date, validDate, zone]);

  const releases = useApiGet<ReleaseMeta[]>('/api/releases');
  const latest = releases.data?.reduce<ReleaseMeta | undefined>(
    (a, r) => (!a || r.version > a.version ? r : a),
    undefined,
  );
  const release = useApiGet<{ version: number; plans: PlanDocument[] }>(
    latest ? '/api/releases/latest' : null,
  );
  const releasePlan = release.data?.plans.findLast((p) => p.boards.some((b) => b.id === boardId));
  const inRelease = releasePlan !== undefined;
  const timeline = useApiGet<Segment[]>(
    inRelease && span
      ? `/api/boards/${encodeURIComponent(boardId)}/timeline?from=${new Date(span.startMs).toISOString()}&to=${new Date(span.endMs).toISOString()}`
      : null,
  );

  const segments = timeline.data && !timeline.loading ? timeline.data : null;
  const tooLarge = timeline.failure?.code === 'timeline_too_large';
  const rows = useMemo(() => {
    if (!span || (!segments && !tooLarge)) return null;
    const exact =
      resolver && releasePlan
        ? regimesFromResolver(resolver, releasePlan, boardId, span.startMs, span.endMs)
        : null;
    // Too many plays to fetch: the regimes still say what plays when, without the counts.
    if (!segments) return exact;
    const result = exact ?? regimesFromSegments(segments);
    countPlays(result, segments);
    return result;
  }, [segments, tooLarge, span, resolver, releasePlan, boardId]);

  const board = doc.boards.find((b) => b.id === boardId);
  const names = releasePlan ?? doc;
  const playlistName = (id: string) => names.playlists.find((p) => p.id === id)?.name ?? id;
  const announcementText = (id: string) => {
    const text = names.announcements.find((a) => a.id === id)?.text ?? id;
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  };
  const colours = new Map<string, string>();
  const colourOf = (band: Band) => {
    if (band.kind === 'idle') return IDLE_COLOUR;
    if (band.kind === 'announcement') return ANNOUNCEMENT_COLOUR;
    let colour = colours.get(band.key);
    if (!colour) {
      colour = PALETTE[colours.size % PALETTE.length] ?? '#0b5cad';
      colours.set(band.key, colour);
    }
    return colour;
  };
  const bands = segments ? bandsOf(segments) : [];
  const fill = bands.map(colourOf);
  const hhmm = (ms: number) => (span && ms >= span.endMs ? '24:00' : timeIn(timeZone, ms));
  const range = (a: number, b: number) => t('schedules.day.range', { from: hhmm(a), to: hhmm(b) });
  const x = (ms: number) =>
    span ? ((ms - span.startMs) / (span.endMs - span.startMs)) * WIDTH : 0;
  const isToday = date === today;
  const nowInside = span !== null && isToday && nowMs >= span.startMs && nowMs < span.endMs;
  const boardName = board?.name ?? boardId;
  const what = (row: RegimeRow) =>
    row.kind === 'idle'
      ? t('schedules.day.idle', {
          mode: t(
            board?.idle === 'black' ? 'schedules.day.idle.black' : 'schedules.day.idle.clock',
          ),
        })
      : row.kind === 'announcement'
        ? t('schedules.day.announcement', { text: announcementText(row.announcement ?? '') })
        : row.playlists
            .map((p) => t('schedules.day.playlist', { name: playlistName(p) }))
            .join(' + ');
  const describeBand = (band: Band) =>
    band.kind === 'idle'
      ? t('schedules.day.legend.idle')
      : band.kind === 'announcement'
        ? t('schedules.day.announcement', { text: announcementText(band.announcement ?? '') })
        : t('schedules.day.playlist', { name: playlistName(band.playlist ?? '') });
  const ticks = span
    ? Array.from({ length: 25 }, (_, hour) => ({
        hour,
        atX: x(hour === 24 ? span.endMs : zone.at(span.day, hour * 60)),
      }))
    : [];
  const legend = [
    ...new Map(bands.map((b, i) => [b.key, { band: b, colour: fill[i] ?? '' }])).values(),
  ];

  return (
    <section aria-labelledby="schedules-day" data-testid="schedule-day-view">
      <h2 id="schedules-day">{t('schedules.day.title')}</h2>
      <p class="notice notice-warn" data-testid="schedule-day-release">
        {latest
          ? t('schedules.day.published', {
              version: latest.version,
              at: dateTimeIn(timeZone, Date.parse(latest.createdAt)),
            })
          : t('schedules.day.publishedOnly')}
      </p>
      <div class="toolbar schedule-day-toolbar">
        <BoardSelect
          label={t('schedules.day.board')}
          boards={doc.boards}
          value={boardId}
          onChange={setBoardId}
        />
        <Field label={t('schedules.day.date', { zone: timeZone })}>
          {(a) => (
            <input
              {...a}
              type="date"
              value={date}
              onInput={(e) => {
                setDate(e.currentTarget.value);
              }}
            />
          )}
        </Field>
        <div class="schedule-day-steps">
          <button
            type="button"
            disabled={!validDate}
            onClick={() => {
              setDate(dayAfter(date, -1));
            }}
          >
            {t('schedules.day.prev')}
          </button>
          <button
            type="button"
            disabled={isToday}
            onClick={() => {
              setDate(today);
            }}
          >
            {t('schedules.day.today')}
          </button>
          <button
            type="button"
            disabled={!validDate}
            onClick={() => {
              setDate(dayAfter(date, 1));
            }}
          >
            {t('schedules.day.next')}
          </button>
        </div>
        {doc.phases.length > 0 ? (
          <Field label={t('schedules.day.jump')}>
            {(a) => (
              <select
                {...a}
                value=""
                onChange={(e) => {
                  const from = e.currentTarget.value;
                  if (from) setDate(from);
                }}
              >
                <option value="">{t('schedules.choose')}</option>
                {doc.phases.map((p) => (
                  <option key={p.id} value={p.from}>
                    {t('schedules.phaseDates', { name: p.name, from: p.from, to: p.to })}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
      </div>

      {!validDate ? <p class="form-error">{t('schedules.err.date')}</p> : null}
      {(releases.loading && !releases.data) || (release.loading && !release.data) ? (
        <Loading />
      ) : null}
      <ErrorNotice failure={releases.failure ?? release.failure} />
      {releases.data && !latest ? <p>{t('schedules.day.nothingPublished')}</p> : null}
      {latest && release.data && !inRelease && board ? (
        <p data-testid="schedule-day-not-published">
          {t('schedules.day.notInRelease', { board: boardName, version: latest.version })}
        </p>
      ) : null}
      {tooLarge ? (
        <p class="notice notice-error" role="alert" data-testid="schedule-day-too-large">
          {t('schedules.day.tooLarge')}
        </p>
      ) : (
        <ErrorNotice failure={timeline.failure} />
      )}
      {inRelease && timeline.loading ? <Loading /> : null}

      {segments && span ? (
        <>
          <figure class="schedule-day-strip" data-testid="schedule-day-strip">
            <div class="schedule-day-canvas">
              {/* Stretched to the width: bands and lines only; the words are HTML below. */}
              <svg
                viewBox={`0 0 ${WIDTH} ${STRIP_H}`}
                role="img"
                aria-labelledby="schedule-day-strip-title"
                preserveAspectRatio="none"
              >
                <title id="schedule-day-strip-title">
                  {t('schedules.day.stripTitle', { board: boardName, date })}
                </title>
                {bands.map((band, i) => (
                  <rect
                    key={band.startMs}
                    class={`schedule-day-band schedule-day-band-${band.kind}`}
                    data-kind={band.kind}
                    x={x(band.startMs)}
                    y={0}
                    width={Math.max(0.5, x(band.endMs) - x(band.startMs))}
                    height={STRIP_H}
                    fill={fill[i]}
                  >
                    <title>{`${range(band.startMs, band.endMs)} ${describeBand(band)}`}</title>
                  </rect>
                ))}
                {ticks.map(({ hour, atX }) => (
                  <line
                    key={hour}
                    class={
                      hour % 3 === 0
                        ? 'schedule-day-tick schedule-day-tick-major'
                        : 'schedule-day-tick'
                    }
                    x1={atX}
                    x2={atX}
                    y1={hour % 3 === 0 ? 0 : STRIP_H * 0.7}
                    y2={STRIP_H}
                  />
                ))}
                {nowInside ? (
                  <line
                    class="schedule-day-now-line"
                    x1={x(nowMs)}
                    x2={x(nowMs)}
                    y1={0}
                    y2={STRIP_H}
                  />
                ) : null}
              </svg>
              <div class="schedule-day-hours" aria-hidden="true">
                {ticks
                  .filter(({ hour }) => hour % 3 === 0)
                  .map(({ hour, atX }) => (
                    <span key={hour} style={{ left: `${(atX / WIDTH) * 100}%` }}>
                      {String(hour).padStart(2, '0')}
                    </span>
                  ))}
              </div>
              {nowInside ? (
                <span
                  class="schedule-day-now"
                  data-testid="schedule-day-now"
                  style={{ left: `${Math.min(Math.max((x(nowMs) / WIDTH) * 100, 6), 94)}%` }}
                >
                  {t('schedules.day.now', { time: timeIn(timeZone, nowMs) })}
                </span>
              ) : null}
            </div>
            <figcaption>
              <ul class="schedule-day-legend">
                {legend.map(({ band, colour }) => (
                  <li key={band.key}>
                    <span
                      class="schedule-swatch"
                      style={{ background: colour }}
                      aria-hidden="true"
                    />
                    {describeBand(band)}
                  </li>
                ))}
              </ul>
            </figcaption>
          </figure>
        </>
      ) : null}
      {rows && span ? (
        <>
          <table class="table schedule-day-table" data-testid="schedule-day-regimes">
            <caption class="sr-only">
              {t('schedules.day.tableCaption', { board: boardName, date })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('schedules.day.col.time')}</th>
                <th scope="col">{t('schedules.day.col.what')}</th>
                <th scope="col">{t('schedules.day.col.schedules')}</th>
                <th scope="col">{t('schedules.day.col.plays')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const current = nowInside && nowMs >= row.startMs && nowMs < row.endMs;
                return (
                  <tr
                    key={row.startMs}
                    data-kind={row.kind}
                    class={current ? 'schedule-day-current' : undefined}
                    aria-current={current ? 'time' : undefined}
                  >
                    <td class="schedule-nowrap">{range(row.startMs, row.endMs)}</td>
                    <td>
                      {what(row)}
                      {current ? (
                        <span class="badge badge-approved">{t('schedules.day.nowBadge')}</span>
                      ) : null}
                    </td>
                    <td>
                      {row.schedules.map((s) => (
                        <code key={s} class="schedule-id">
                          {s}
                        </code>
                      ))}
                      {row.priority !== undefined ? (
                        <small class="hint">
                          {' '}
                          {t('schedules.day.priority', { n: row.priority })}
                        </small>
                      ) : null}
                    </td>
                    <td class="schedule-nowrap">
                      {row.kind === 'schedules' && segments
                        ? t('schedules.day.plays', { n: row.plays })
                        : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
