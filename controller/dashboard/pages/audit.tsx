import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, AuditPage as AuditResults } from '../../audit/entry';
import { AUDIT_GROUPS, type AuditGroup } from '../../audit/filter';
import { formatInstant, useDisplayZone } from '../components/approval-format';
import { DataTable } from '../components/data-table';
import { ErrorNotice, Field, Loading, PageHeader } from '../components/ui';
import { useApiGet } from '../components/use-api';
import { dayFirstIn } from '../components/instant-format';
import { useI18n, type MessageKey, type Translate } from '../i18n';

const PAGE_SIZES = [50, 100, 200, 500] as const;
const ROLES = ['admin', 'editor', 'approver', 'technician', 'viewer'] as const;

function actorText(t: Translate, actor: AuditEntry['actor']): string {
  switch (actor.kind) {
    case 'user': {
      const role = ROLES.find((r) => r === actor.role);
      return `${actor.username} · ${role ? t(`role.${role}`) : actor.role}`;
    }
    case 'device':
      return t('audit.actor.device', { board: actor.boardId });
    case 'anonymous':
      return actor.username
        ? t('audit.actor.anonymousAs', { user: actor.username })
        : t('audit.actor.anonymous');
    case 'system':
      return t('audit.actor.system');
  }
}

/** The actions with a name of their own; the others are a verb on a noun (`content.update`). */
const NAMED_ACTIONS: Record<string, MessageKey> = {
  'alert.raise': 'audit.do.alert.raise',
  'alert.clear': 'audit.do.alert.clear',
  'announcement.urgent': 'audit.do.announcement.urgent',
  'announcement.urgent_end': 'audit.do.announcement.urgent_end',
  'approval.approve': 'audit.do.approval.approve',
  'approval.reject': 'audit.do.approval.reject',
  'approval.submit': 'audit.do.approval.submit',
  'asset.upload': 'audit.do.asset.upload',
  'audit.recover': 'audit.do.audit.recover',
  'auth.login': 'audit.do.auth.login',
  'auth.logout': 'audit.do.auth.logout',
  'auth.password_change': 'audit.do.auth.password_change',
  'board.blank_all': 'audit.do.board.blank_all',
  'board.unblank_all': 'audit.do.board.unblank_all',
  'command.send': 'audit.do.command.send',
  'device.revoke': 'audit.do.device.revoke',
  'monitor.configure': 'audit.do.monitor.configure',
  'pairing.claim': 'audit.do.pairing.claim',
  'plan.import': 'audit.do.plan.import',
  'release.publish': 'audit.do.release.publish',
  'screenshot.take': 'audit.do.screenshot.take',
};
const VERBS: Record<string, MessageKey> = {
  create: 'audit.verb.create',
  replace: 'audit.verb.replace',
  update: 'audit.verb.update',
  delete: 'audit.verb.delete',
};
const NOUNS: Record<string, MessageKey> = {
  announcement: 'audit.noun.announcement',
  board: 'audit.noun.board',
  content: 'audit.noun.content',
  phase: 'audit.noun.phase',
  playlist: 'audit.noun.playlist',
  schedule: 'audit.noun.schedule',
  plan: 'audit.noun.plan',
  user: 'audit.noun.user',
  token: 'audit.noun.token',
  settings: 'audit.noun.settings',
};
const known = (table: Record<string, MessageKey>, key: string): MessageKey | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

/** An audit action (`auth.login`) in the user's language, or undefined for one it does not know. */
export function actionLabel(t: Translate, action: string): string | undefined {
  const named = known(NAMED_ACTIONS, action);
  if (named) return t(named);
  const [noun = '', verb = ''] = action.split('.');
  const verbKey = known(VERBS, verb);
  const nounKey = known(NOUNS, noun);
  return verbKey && nounKey ? t(verbKey, { what: t(nounKey) }) : undefined;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A detail's value as text; instants as the page writes them, in `zone` (when given). */
function valueText(value: unknown, zone: string | undefined): string {
  return typeof value === 'string' ? localText(value, zone) : jsonText(value, zone);
}
function localText(value: string, zone: string | undefined): string {
  return zone !== undefined && INSTANT.test(value) ? dayFirstIn(zone, value, true) : value;
}
function jsonText(value: unknown, zone: string | undefined): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string' ? localText(v, zone) : v,
  );
}

/** Every detail as `name: value`; instants in `zone`, day first, like the page's time column. */
export function detailsText(details: Record<string, unknown> | undefined, zone?: string): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${valueText(v, zone)}`)
    .join('; ');
}

/** Details longer than this are shown shortened, the whole text a click away. */
const DETAILS_SHOWN = 240;

/** The details with each list cut to its first three items and a count of the rest. */
export function shortDetailsText(details: Record<string, unknown>, zone?: string): string {
  const brief = (v: unknown): string => {
    if (Array.isArray(v) && v.length > 3) {
      return `[${v
        .slice(0, 3)
        .map((x) => jsonText(x, zone))
        .join(',')},… +${String(v.length - 3)}]`;
    }
    return valueText(v, zone);
  };
  const text = Object.entries(details)
    .map(([k, v]) => `${k}: ${brief(v)}`)
    .join('; ');
  return text.length > DETAILS_SHOWN ? `${text.slice(0, DETAILS_SHOWN - 1)}…` : text;
}

function DetailsCell({
  details,
  zone,
}: {
  details: Record<string, unknown> | undefined;
  zone: string;
}) {
  const { t } = useI18n();
  const full = detailsText(details, zone);
  if (!details || full.length <= DETAILS_SHOWN) return <>{full}</>;
  return (
    <details class="audit-more">
      <summary>
        {shortDetailsText(details, zone)} <span class="hint">({t('audit.detailsAll')})</span>
      </summary>
      <div class="audit-full">{full}</div>
    </details>
  );
}

/** `value`, once it has stayed the same for `ms`: a search runs when the typing stops. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => {
      setSettled(value);
    }, ms);
    return () => {
      clearTimeout(timer);
    };
  }, [value, ms]);
  return settled;
}

export function AuditPage() {
  const { t, locale } = useI18n();
  const zone = useDisplayZone();
  const [limit, setLimit] = useState<number>(100);
  const [query, setQuery] = useState('');
  const [outcome, setOutcome] = useState<'' | 'ok' | 'refused'>('');
  const [group, setGroup] = useState<'' | AuditGroup>('');
  // The server filters the whole log; the search text once typing pauses.
  const search = useSettled(query.trim(), 350);
  const filters = new URLSearchParams({ limit: String(limit) });
  if (outcome) filters.set('outcome', outcome);
  if (group) filters.set('action', group);
  if (search) filters.set('q', search);
  const filterKey = filters.toString();
  // The `before` cursor of each page seen so far under these filters; the last is shown.
  const [paging, setPaging] = useState<{ key: string; cursors: (number | null)[] }>({
    key: filterKey,
    cursors: [null],
  });
  const cursors = paging.key === filterKey ? paging.cursors : [null];
  const setCursors = (next: (number | null)[]) => {
    setPaging({ key: filterKey, cursors: next });
  };
  const before = cursors[cursors.length - 1] ?? null;
  const page = useApiGet<AuditResults>(
    `/api/audit?${filterKey}${before === null ? '' : `&before=${String(before)}`}`,
  );
  const shown = page.data?.entries ?? [];
  const filtered = Boolean(outcome || group || search);
  // A search stops after so many entries; fewer than a page and more to look at says where.
  const searchedTo =
    page.data && page.data.nextBefore !== null && shown.length < limit
      ? page.data.nextBefore
      : null;
  const pageNumber = cursors.length;

  return (
    <>
      <PageHeader title={t('audit.title')}>
        <button type="button" onClick={page.reload}>
          {t('action.refresh')}
        </button>
      </PageHeader>
      <section aria-labelledby="audit-entries" data-testid="audit">
        <h2 id="audit-entries">{t('audit.entries')}</h2>
        <p class="hint">{t('audit.explain')}</p>
        <div class="toolbar audit-filters" role="search" aria-label={t('audit.filter')}>
          <Field label={t('audit.search')}>
            {(a) => (
              <input
                {...a}
                type="search"
                value={query}
                placeholder={t('audit.searchPlaceholder')}
                data-testid="audit-search"
                onInput={(e) => {
                  setQuery(e.currentTarget.value);
                }}
              />
            )}
          </Field>
          <Field label={t('audit.domain')}>
            {(a) => (
              <select
                {...a}
                value={group}
                data-testid="audit-domain"
                onChange={(e) => {
                  const chosen = AUDIT_GROUPS.find((g) => g === e.currentTarget.value);
                  setGroup(chosen ?? '');
                }}
              >
                <option value="">{t('audit.domain.all')}</option>
                {AUDIT_GROUPS.map((g) => (
                  <option key={g} value={g}>
                    {`${t(`audit.group.${g}`)} (${g})`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('audit.outcome')}>
            {(a) => (
              <select
                {...a}
                value={outcome}
                data-testid="audit-outcome"
                onChange={(e) => {
                  setOutcome(e.currentTarget.value as '' | 'ok' | 'refused');
                }}
              >
                <option value="">{t('audit.outcome.all')}</option>
                <option value="ok">{t('audit.outcome.ok')}</option>
                <option value="refused">{t('audit.outcome.refused')}</option>
              </select>
            )}
          </Field>
          <Field label={t('audit.pageSize')}>
            {(a) => (
              <select
                {...a}
                value={String(limit)}
                onChange={(e) => {
                  setLimit(Number(e.currentTarget.value));
                }}
              >
                {PAGE_SIZES.map((n) => (
                  <option key={n} value={String(n)}>
                    {n}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <p role="status" aria-live="polite" data-testid="audit-count">
          {page.data
            ? [
                t(filtered ? 'audit.countFound' : 'audit.count', {
                  shown: shown.length,
                  page: pageNumber,
                }),
                searchedTo === null ? '' : t('audit.searchedTo', { seq: searchedTo }),
              ].join(' ')
            : ''}
        </p>
        <ErrorNotice failure={page.failure} />
        {page.loading && !page.data ? <Loading /> : null}
        {page.data ? (
          <DataTable
            wrapClass="approval-scroll"
            tableClass="audit-table"
            testId="audit-table"
            caption={t('audit.entries')}
            rows={shown}
            rowKey={(e) => String(e.seq)}
            rowAttributes={(e) => ({ 'data-seq': String(e.seq), 'data-action': e.action })}
            columns={[
              { header: t('audit.seq'), cell: (e) => e.seq },
              {
                header: t('audit.at', { zone }),
                class: 'audit-time',
                cell: (e) => formatInstant(locale, zone, e.at, true),
              },
              { header: t('audit.actor'), cell: (e) => actorText(t, e.actor) },
              {
                header: t('audit.action'),
                class: 'audit-action',
                cell: (e) => {
                  const label = actionLabel(t, e.action);
                  return label === undefined ? (
                    <code>{e.action}</code>
                  ) : (
                    <>
                      <span data-testid="audit-action-label">{label}</span>
                      <br />
                      <code class="hint">{e.action}</code>
                    </>
                  );
                },
              },
              { header: t('audit.target'), class: 'audit-target', cell: (e) => e.target ?? '' },
              {
                header: t('audit.outcome'),
                cell: (e) => (
                  <span
                    class={e.outcome === 'ok' ? 'badge badge-approved' : 'badge badge-rejected'}
                  >
                    {e.outcome === 'ok' ? t('audit.outcome.ok') : t('audit.outcome.refused')}
                  </span>
                ),
              },
              {
                header: t('audit.details'),
                class: 'audit-details',
                cell: (e) => (
                  <>
                    <DetailsCell details={e.details} zone={zone} />
                    <small class="hint audit-origin">{t('audit.from', { ip: e.from.ip })}</small>
                  </>
                ),
              },
            ]}
          />
        ) : null}
        <nav class="toolbar audit-pages" aria-label={t('audit.pages')}>
          <button
            type="button"
            disabled={cursors.length <= 1}
            data-testid="audit-newer"
            onClick={() => {
              setCursors(cursors.slice(0, -1));
            }}
          >
            {t('audit.newer')}
          </button>
          <span>{t('audit.page', { n: pageNumber })}</span>
          <button
            type="button"
            disabled={!page.data?.nextBefore}
            data-testid="audit-older"
            onClick={() => {
              const next = page.data?.nextBefore;
              if (next) setCursors([...cursors, next]);
            }}
          >
            {t('audit.older')}
          </button>
        </nav>
      </section>
    </>
  );
}
