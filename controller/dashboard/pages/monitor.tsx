import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { LiveIndicator, OnlineBadge, isOnline } from '../components/board-status';
import { DataTable, type Column, type RowAttributes } from '../components/data-table';
import {
  agoText,
  clockOffsetText,
  dateTimeSecondsIn,
  durationText,
  shownText,
  useNowTick,
} from '../components/monitor-format';
import { Dialog, ErrorNotice, Field, PageHeader, SuccessNotice } from '../components/ui';
import { useApiGet } from '../components/use-api';
import { useI18n, type MessageKey, type Translate } from '../i18n';
import {
  useLiveMonitor,
  type Alert,
  type AlertKind,
  type BoardHealth,
  type LiveMonitorView,
  type MonitorSettings,
  type MonitorSettingsView,
} from '../live';
import { planCode } from '../plan-data';
import { href } from '../router';
import { useSession } from '../session';

interface PlanSummary {
  plan: { id: string; code?: string; title: string; timeZone: string };
}

/** How many alerts of the history the page lists. */
const HISTORY_SHOWN = 50;
const DEFAULT_ZONE = 'Asia/Ho_Chi_Minh';

/** `#/monitor`: every board's health at a glance, the alerts, their history and thresholds. */
export function MonitorPage() {
  const { t } = useI18n();
  const session = useSession();
  const feed = useLiveMonitor();
  const plans = useApiGet<PlanSummary[]>(session.can('GET /api/plans') ? '/api/plans' : null);
  const zones = new Map((plans.data ?? []).map((p) => [p.plan.id, p.plan.timeZone]));
  const codes = new Map((plans.data ?? []).map((p) => [p.plan.id, planCode(p.plan)]));
  const zone =
    (session.planId !== null ? zones.get(session.planId) : undefined) ??
    plans.data?.[0]?.plan.timeZone ??
    DEFAULT_ZONE;
  const zoneOf = (boardId: string) => {
    const planId = feed.boards.get(boardId)?.planId;
    return (planId !== null && planId !== undefined ? zones.get(planId) : undefined) ?? zone;
  };
  const boards = [...feed.boards.values()];

  return (
    <div class="monitor-page">
      <PageHeader title={t('monitor.title')} />
      <LiveIndicator feed={feed} timeZone={zone} />
      <AlertAnnouncer feed={feed} />
      <Summary boards={boards} />
      <ActiveAlerts feed={feed} zoneOf={zoneOf} />
      <BoardsTable boards={boards} codes={codes} zoneOf={zoneOf} />
      <AlertHistory feed={feed} zoneOf={zoneOf} />
      <Thresholds
        settings={feed.settings}
        onSaved={() => {
          feed.resync();
        }}
      />
    </div>
  );
}

/** New and ended alerts, read out by screen readers as they happen. */
function AlertAnnouncer(props: { feed: LiveMonitorView }) {
  const { t } = useI18n();
  const last = props.feed.lastAlert;
  return (
    <p class="sr-only" role="alert" aria-live="assertive">
      {last
        ? t(last.change === 'raised' ? 'monitor.announce.raised' : 'monitor.announce.cleared', {
            kind: t(kindKey(last.alert.kind)),
            board: last.alert.boardName,
          })
        : ''}
    </p>
  );
}

function kindKey(kind: AlertKind): MessageKey {
  return `monitor.kind.${kind}`;
}

const COUNTS = [
  { kind: 'online', label: 'monitor.count.online', tone: 'ok', test: isOnline },
  {
    kind: 'offline',
    label: 'monitor.count.offline',
    tone: 'bad',
    test: (b) => b.state === 'offline',
  },
  { kind: 'stale', label: 'monitor.count.stale', tone: 'warn', test: (b) => b.bundle.stale },
  { kind: 'wrong_content', label: 'monitor.count.wrong', tone: 'bad', test: (b) => b.wrongContent },
  { kind: 'clock_skew', label: 'monitor.count.skew', tone: 'warn', test: (b) => b.clockSkew },
  {
    kind: 'unpaired',
    label: 'monitor.count.unpaired',
    tone: 'muted',
    test: (b) => b.state === 'unpaired',
  },
] as const satisfies readonly {
  kind: string;
  label: MessageKey;
  tone: string;
  test: (b: BoardHealth) => boolean;
}[];

/** Big counts a technician reads from across the room. */
function Summary(props: { boards: BoardHealth[] }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="monitor-summary" data-testid="monitor-summary">
      <h2 id="monitor-summary">
        {t('monitor.summary')}{' '}
        <small>· {t('monitor.summary.total', { n: props.boards.length })}</small>
      </h2>
      <ul class="monitor-tiles">
        {COUNTS.map((c) => {
          const n = props.boards.filter((b) => c.test(b)).length;
          const tone = n === 0 && c.tone !== 'ok' ? 'zero' : c.tone;
          return (
            <li
              key={c.kind}
              class={`monitor-tile monitor-tile-${tone}`}
              data-testid="monitor-count"
              data-kind={c.kind}
              data-count={n}
            >
              <span class="monitor-tile-n">{n}</span>
              <span class="monitor-tile-label">{t(c.label)}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The figures behind an alert, in words. */
function alertDetails(t: Translate, alert: Alert, zone: string, locale: string): string {
  const v = alert.values;
  const text = (x: string | number | null | undefined) =>
    x === null || x === undefined ? t('monitor.detail.unknown') : String(x);
  const shown = (x: string | number | null | undefined) => {
    if (typeof x !== 'string') return text(x);
    const [kind = '', ...id] = x.split(':');
    return kind === 'item' || kind === 'announcement' || kind === 'idle' || kind === 'blank'
      ? shownText(t, { kind, id: id.join(':') })
      : x;
  };
  switch (alert.kind) {
    case 'offline':
      return t('monitor.detail.offline', {
        at:
          typeof v.lastSeenAt === 'string'
            ? dateTimeSecondsIn(zone, v.lastSeenAt)
            : t('monitor.detail.unknown'),
      });
    case 'stale':
      return t('monitor.detail.stale', { held: text(v.held), latest: text(v.latest) });
    case 'wrong_content':
      return t('monitor.detail.wrong', { showing: shown(v.showing), expected: shown(v.expected) });
    case 'clock_skew':
      return t('monitor.detail.skew', {
        offset:
          typeof v.clockOffsetMs === 'number'
            ? clockOffsetText(t, locale, v.clockOffsetMs)
            : text(null),
      });
  }
}

function BoardName(props: { boardId: string; name: string; planId: string | null | undefined }) {
  const session = useSession();
  return (
    <>
      {props.planId === session.planId ? (
        <a href={href(`boards/${encodeURIComponent(props.boardId)}`)}>{props.name}</a>
      ) : (
        props.name
      )}{' '}
      <code class="board-id">{props.boardId}</code>
    </>
  );
}

/** The columns both alert tables begin with: what is wrong, on which board, since when. */
function alertColumns(
  t: Translate,
  zoneOf: (boardId: string) => string,
  board: (alert: Alert) => ComponentChildren,
): Column<Alert>[] {
  return [
    {
      header: t('monitor.col.kind'),
      cell: (a) => (
        <span class={`badge monitor-kind monitor-kind-${a.kind}`}>{t(kindKey(a.kind))}</span>
      ),
    },
    { header: t('monitor.col.board'), rowHeader: true, cell: board },
    {
      header: t('monitor.col.since'),
      class: 'board-nowrap',
      cell: (a) => dateTimeSecondsIn(zoneOf(a.boardId), a.since),
    },
  ];
}

function alertRowAttributes(a: Alert): RowAttributes {
  return { 'data-alert': a.kind, 'data-board': a.boardId };
}

function ActiveAlerts(props: { feed: LiveMonitorView; zoneOf: (boardId: string) => string }) {
  const { t, locale } = useI18n();
  const nowMs = useNowTick();
  const { alerts } = props.feed;
  return (
    <section aria-labelledby="monitor-alerts" data-testid="monitor-alerts">
      <h2 id="monitor-alerts">{t('monitor.alerts.title', { n: alerts.length })}</h2>
      {alerts.length === 0 ? (
        <p class="monitor-all-ok">{t('monitor.alerts.none')}</p>
      ) : (
        <DataTable
          wrapClass="monitor-scroll"
          tableClass="monitor-table"
          rows={alerts}
          rowKey={(a) => a.id}
          rowAttributes={alertRowAttributes}
          columns={[
            ...alertColumns(t, props.zoneOf, (a) => (
              <BoardName
                boardId={a.boardId}
                name={a.boardName}
                planId={props.feed.boards.get(a.boardId)?.planId}
              />
            )),
            {
              header: t('monitor.col.lasting'),
              cell: (a) => durationText(t, nowMs - Date.parse(a.since)),
            },
            {
              header: t('monitor.col.details'),
              cell: (a) => alertDetails(t, a, props.zoneOf(a.boardId), locale),
            },
          ]}
        />
      )}
    </section>
  );
}

/** Problems first (offline, wrong, stale, skewed), then the healthy, then the unpaired. */
function rank(b: BoardHealth): number {
  if (b.state === 'offline') return 0;
  if (b.wrongContent) return 1;
  if (b.bundle.stale || b.clockSkew || b.errors.length > 0) return 2;
  if (b.state === 'online') return 3;
  return 4;
}

function BoardsTable(props: {
  boards: BoardHealth[];
  codes: ReadonlyMap<string, string>;
  zoneOf: (boardId: string) => string;
}) {
  const { t, locale } = useI18n();
  const nowMs = useNowTick();
  const sorted = [...props.boards].sort(
    (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'vi'),
  );
  return (
    <section aria-labelledby="monitor-boards" data-testid="monitor-boards">
      <h2 id="monitor-boards">{t('monitor.boards.title', { n: sorted.length })}</h2>
      <p class="hint">{t('monitor.boards.intro')}</p>
      {sorted.length === 0 ? (
        <p>{t('monitor.boards.none')}</p>
      ) : (
        <div class="monitor-scroll">
          <table class="table monitor-table">
            <thead>
              <tr>
                <th scope="col">{t('monitor.col.board')}</th>
                <th scope="col">{t('monitor.col.plan')}</th>
                <th scope="col">{t('monitor.col.state')}</th>
                <th scope="col">{t('monitor.col.lastSeen')}</th>
                <th scope="col">{t('monitor.col.bundle')}</th>
                <th scope="col">{t('monitor.col.content')}</th>
                <th scope="col">{t('monitor.col.clock')}</th>
                <th scope="col">{t('monitor.col.uptime')}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((b) => {
                const zone = props.zoneOf(b.boardId);
                return (
                  <tr
                    key={b.boardId}
                    data-board={b.boardId}
                    data-online={String(isOnline(b))}
                    class={b.state === 'offline' ? 'monitor-row-off' : undefined}
                  >
                    <th scope="row">
                      <BoardName boardId={b.boardId} name={b.name} planId={b.planId} />
                    </th>
                    <td>{b.planId !== null ? (props.codes.get(b.planId) ?? b.planId) : ''}</td>
                    <td>
                      <OnlineBadge status={b} />
                    </td>
                    <td>
                      {b.lastSeenAt !== null ? (
                        <>
                          {agoText(t, nowMs - Date.parse(b.lastSeenAt))}
                          <br />
                          <small>{dateTimeSecondsIn(zone, b.lastSeenAt)}</small>
                        </>
                      ) : (
                        t('boards.status.neverConnected')
                      )}
                    </td>
                    <td>
                      {b.bundle.held === null
                        ? t('boards.status.bundle.none')
                        : t('boards.status.bundle.version', { v: b.bundle.held })}
                      {b.bundle.stale ? (
                        <>
                          {' '}
                          <span class="badge badge-pending">{t('monitor.kind.stale')}</span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {b.wrongContent ? (
                        <span class="badge badge-offline">{t('monitor.kind.wrong_content')}</span>
                      ) : b.showing && isOnline(b) ? (
                        t('monitor.boards.ok')
                      ) : (
                        ''
                      )}
                    </td>
                    <td class={b.clockSkew ? 'board-wrong' : undefined}>
                      {b.clockOffsetMs !== null ? clockOffsetText(t, locale, b.clockOffsetMs) : ''}
                    </td>
                    <td>{b.uptimeMs !== null && isOnline(b) ? durationText(t, b.uptimeMs) : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** `GET /api/monitor/alerts`. */
interface AlertsAnswer {
  active: Alert[];
  recent: Alert[];
}

/** Alerts raised and ended lately: one row per alert, its end when it ended. */
function AlertHistory(props: { feed: LiveMonitorView; zoneOf: (boardId: string) => string }) {
  const { t } = useI18n();
  const history = useApiGet<AlertsAnswer>('/api/monitor/alerts');
  const { reload } = history;
  const { alertEvents } = props.feed;
  useEffect(() => {
    if (alertEvents > 0) reload();
  }, [alertEvents, reload]);
  const active = new Set(props.feed.alerts.map((a) => a.id));
  // The history lists each transition; keep one row per alert (its latest word), newest first.
  const rows: Alert[] = [];
  const seen = new Set<string>();
  for (const a of history.data?.recent ?? []) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    rows.push(a);
  }
  const shown = rows.slice(0, HISTORY_SHOWN);
  return (
    <section aria-labelledby="monitor-history" data-testid="monitor-history">
      <h2 id="monitor-history">{t('monitor.history.title')}</h2>
      <ErrorNotice failure={history.failure} />
      {history.data && shown.length === 0 ? <p>{t('monitor.history.none')}</p> : null}
      {shown.length > 0 ? (
        <>
          <p class="hint">{t('monitor.history.shown', { n: shown.length })}</p>
          <DataTable
            wrapClass="monitor-scroll"
            tableClass="monitor-table"
            rows={shown}
            rowKey={(a) => a.id}
            rowAttributes={alertRowAttributes}
            columns={[
              ...alertColumns(t, props.zoneOf, (a) => (
                <>
                  {a.boardName} <code class="board-id">{a.boardId}</code>
                </>
              )),
              {
                header: t('monitor.col.raised'),
                class: 'board-nowrap',
                cell: (a) => dateTimeSecondsIn(props.zoneOf(a.boardId), a.raisedAt),
              },
              {
                header: t('monitor.col.cleared'),
                class: 'board-nowrap',
                cell: (a) =>
                  a.clearedAt !== null
                    ? dateTimeSecondsIn(props.zoneOf(a.boardId), a.clearedAt)
                    : active.has(a.id)
                      ? t('monitor.alerts.ongoing')
                      : '',
              },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}

type SettingKey = keyof MonitorSettings;

/** The settings and their bounds, as controller/monitoring/protocol.ts checks them. */
const SETTINGS: readonly {
  key: SettingKey;
  unit: 'sec' | 'min' | 'days';
  min: number;
  max: number;
}[] = [
  { key: 'offlineAfterSec', unit: 'sec', min: 40, max: 86_400 },
  { key: 'staleAfterSec', unit: 'sec', min: 10, max: 86_400 },
  { key: 'wrongContentAfterSec', unit: 'sec', min: 0, max: 86_400 },
  { key: 'contentGraceSec', unit: 'sec', min: 0, max: 600 },
  { key: 'clockSkewSec', unit: 'sec', min: 1, max: 86_400 },
  { key: 'screenshotEveryMin', unit: 'min', min: 0, max: 1440 },
  { key: 'popRetentionDays', unit: 'days', min: 1, max: 36_500 },
];

function settingValue(t: Translate, key: SettingKey, unit: string, n: number): string {
  if (key === 'screenshotEveryMin' && n === 0) return t('monitor.settings.onDemand');
  if (unit === 'min') return t('monitor.unit.minutes', { n });
  if (unit === 'days') return t('monitor.unit.days', { n });
  return t('unit.seconds', { n });
}

/** The thresholds; admins may change them (`PATCH /api/monitor/settings`). */
function Thresholds(props: { settings: MonitorSettingsView | null; onSaved: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<MonitorSettingsView | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const settings = saved ?? props.settings;
  useEffect(() => {
    // A fresh snapshot carries the settings as saved: stop showing our own copy.
    setSaved(null);
  }, [props.settings]);
  const canEdit = session.can('PATCH /api/monitor/settings');
  return (
    <section aria-labelledby="monitor-settings" data-testid="monitor-settings">
      <h2 id="monitor-settings">{t('monitor.settings.title')}</h2>
      <SuccessNotice text={done} />
      {settings ? (
        <dl class="monitor-settings">
          {SETTINGS.map((s) => (
            <div key={s.key} data-setting={s.key}>
              <dt>{t(`monitor.settings.${s.key}`)}</dt>
              <dd>{settingValue(t, s.key, s.unit, settings[s.key])}</dd>
            </div>
          ))}
          <div data-setting="webhook">
            <dt>{t('monitor.settings.webhook')}</dt>
            <dd>
              {settings.webhook.configured
                ? t('monitor.settings.webhook.on')
                : t('monitor.settings.webhook.off')}
            </dd>
          </div>
        </dl>
      ) : null}
      {canEdit ? (
        settings ? (
          <button
            type="button"
            onClick={() => {
              setDone(null);
              setEditing(true);
            }}
          >
            {t('monitor.settings.edit')}
          </button>
        ) : null
      ) : (
        <p class="hint">{t('monitor.settings.readonly')}</p>
      )}
      {editing && settings ? (
        <SettingsEditor
          settings={settings}
          onClose={(view) => {
            setEditing(false);
            if (view) {
              setSaved(view);
              setDone(t('monitor.settings.saved'));
              props.onSaved();
            }
          }}
        />
      ) : null}
    </section>
  );
}

function SettingsEditor(props: {
  settings: MonitorSettings;
  onClose: (saved: MonitorSettingsView | null) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const [values, setValues] = useState<Record<SettingKey, string>>(
    () =>
      Object.fromEntries(SETTINGS.map((s) => [s.key, String(props.settings[s.key])])) as Record<
        SettingKey,
        string
      >,
  );
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [busy, setBusy] = useState(false);
  const invalid = (s: (typeof SETTINGS)[number]) => {
    const text = values[s.key].trim();
    const n = Number(text);
    return !/^\d+$/.test(text) || n < s.min || n > s.max;
  };
  const anyInvalid = SETTINGS.some(invalid);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (anyInvalid) return;
    const patch: Partial<MonitorSettings> = {};
    for (const s of SETTINGS) {
      const n = Number(values[s.key]);
      if (n !== props.settings[s.key]) patch[s.key] = n;
    }
    if (Object.keys(patch).length === 0) {
      props.onClose(null);
      return;
    }
    setBusy(true);
    setFailure(undefined);
    const r = await session.api.request<MonitorSettingsView>(
      'PATCH',
      '/api/monitor/settings',
      patch,
    );
    setBusy(false);
    if (!r.ok) {
      setFailure(r);
      return;
    }
    props.onClose(r.value);
  };

  return (
    <Dialog
      open
      title={t('monitor.settings.edit')}
      onClose={() => {
        props.onClose(null);
      }}
    >
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="monitor-settings-form">
        <ErrorNotice failure={failure} title={t('monitor.settings.refused')} />
        {SETTINGS.map((s) => {
          const bad = invalid(s);
          return (
            <Field
              key={s.key}
              label={t(`monitor.settings.${s.key}`)}
              hint={`${t(`monitor.settings.range.${s.unit}`, { min: s.min, max: s.max })} ${t(
                `monitor.settings.${s.key}.hint`,
              )}${bad ? ` ${t('monitor.settings.invalid')}` : ''}`}
            >
              {(attrs) => (
                <input
                  {...attrs}
                  type="number"
                  inputMode="numeric"
                  min={s.min}
                  max={s.max}
                  step={1}
                  required
                  aria-invalid={bad}
                  value={values[s.key]}
                  onInput={(e) => {
                    const value = e.currentTarget.value;
                    setValues((v) => ({ ...v, [s.key]: value }));
                  }}
                />
              )}
            </Field>
          );
        })}
        <div class="dialog-actions">
          <button
            type="button"
            onClick={() => {
              props.onClose(null);
            }}
          >
            {t('action.cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy || anyInvalid}>
            {t('action.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
