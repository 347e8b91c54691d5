import { useEffect, useState } from 'preact/hooks';
import type { ReleaseMeta } from '../../../playlists/release-index';
import type { ApiFailure } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { personName, type QueueEntry } from './approval-diff';
import { formatInstant } from './approval-format';
import { Dialog, ErrorNotice, Field, Loading, SuccessNotice } from './ui';

/** `GET /api/releases`: one published release (the controller's own schema). */
export type { ReleaseMeta };

interface Withheld {
  planId: string;
  kind: QueueEntry['kind'];
  id: string;
  reason: 'not_approved' | 'references_withheld';
}

type Published = ReleaseMeta & { withheld: Withheld[] };

interface PlanRef {
  id: string;
  code?: string;
}

/** What a publish would leave out, and what it newly ships, read when the dialog opens. */
interface Outlook {
  pending: QueueEntry[];
  draft: QueueEntry[];
  rejected: QueueEntry[];
  /** Approved since the latest release: what this publish newly sends to the boards. */
  fresh: QueueEntry[];
}

function planLabel(plans: readonly PlanRef[], planId: string): string {
  return plans.find((p) => p.id === planId)?.code ?? planId;
}

/**
 * Publish: freezes the approved state of every plan as the next release. The confirmation says
 * what ships and how many items waiting for approval will not.
 */
export function PublishPanel(props: {
  plans: readonly PlanRef[];
  releases: readonly ReleaseMeta[] | undefined;
  timeZone: string;
}) {
  const { t, locale } = useI18n();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [outlook, setOutlook] = useState<Outlook | null>(null);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [published, setPublished] = useState<Published | null>(null);
  const latest = props.releases?.[0];

  useEffect(() => {
    if (!open) return;
    let live = true;
    setOutlook(null);
    const read = (status: string) =>
      session.api.get<QueueEntry[]>(`/api/approvals?status=${status}`);
    void Promise.all(['pending', 'draft', 'rejected', 'approved'].map(read)).then((results) => {
      if (!live) return;
      const failed = results.find((r) => !r.ok);
      if (failed) {
        setFailure(failed);
        return;
      }
      const [pending = [], draft = [], rejected = [], approved = []] = results.map((r) =>
        r.ok ? r.value : [],
      );
      const since = latest ? Date.parse(latest.createdAt) : -Infinity;
      setOutlook({
        pending,
        draft,
        rejected,
        fresh: approved.filter((e) => e.approved && Date.parse(e.approved.at) > since),
      });
    });
    return () => {
      live = false;
    };
  }, [open]);

  const publish = async () => {
    setBusy(true);
    setFailure(undefined);
    const trimmed = note.trim();
    const result = await session.api.request<Published>(
      'POST',
      '/api/releases',
      trimmed ? { note: trimmed } : {},
    );
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setPublished(result.value);
    setOpen(false);
    setNote('');
    session.changed();
  };

  const held = outlook
    ? outlook.pending.length + outlook.draft.length + outlook.rejected.length
    : 0;
  const nextVersion = (latest?.version ?? 0) + 1;
  const entryLabel = (e: QueueEntry) =>
    `${planLabel(props.plans, e.planId)} · ${t(`kind.${e.kind}`)} · ${e.id}`;

  return (
    <section aria-labelledby="approvals-publish" data-testid="publish-section">
      <h2 id="approvals-publish">{t('approvals.publish.title')}</h2>
      <p class="hint">{t('approvals.publish.explain')}</p>
      <div class="toolbar">
        <button
          type="button"
          class="primary"
          data-testid="publish-open"
          onClick={() => {
            setPublished(null);
            setFailure(undefined);
            setOpen(true);
          }}
        >
          {t('approvals.publish.open')}
        </button>
        {latest ? (
          <span>
            {t('approvals.publish.latest', {
              version: latest.version,
              at: formatInstant(locale, props.timeZone, latest.createdAt),
            })}
          </span>
        ) : (
          <span>{t('approvals.publish.never')}</span>
        )}
      </div>
      {!open ? <ErrorNotice failure={failure} title={t('approvals.publish.failed')} /> : null}
      <SuccessNotice
        text={
          published
            ? t('approvals.publish.done', {
                version: published.version,
                withheld: published.withheld.length,
              })
            : null
        }
      />
      {published ? (
        <p class="approval-published" data-testid="published-version">
          {t('approvals.publish.version', { version: published.version })}
        </p>
      ) : null}
      {published && published.withheld.length > 0 ? (
        <details class="approval-withheld">
          <summary>{t('approvals.publish.withheldList', { n: published.withheld.length })}</summary>
          <ul>
            {published.withheld.map((w) => (
              <li key={`${w.planId}/${w.kind}/${w.id}`}>
                {planLabel(props.plans, w.planId)} · {t(`kind.${w.kind}`)} · {w.id} —{' '}
                {w.reason === 'not_approved'
                  ? t('approvals.publish.reason.notApproved')
                  : t('approvals.publish.reason.references')}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <Dialog
        open={open}
        wide
        title={t('approvals.publish.confirmTitle', { version: nextVersion })}
        onClose={() => {
          setOpen(false);
        }}
      >
        <div data-testid="publish-dialog">
          {outlook ? (
            <>
              <p>
                {t('approvals.publish.ships', {
                  plans: props.plans.map((p) => p.code ?? p.id).join(', '),
                })}
              </p>
              <p data-testid="publish-fresh">
                {latest
                  ? t('approvals.publish.fresh', {
                      n: outlook.fresh.length,
                      version: latest.version,
                    })
                  : t('approvals.publish.freshFirst', { n: outlook.fresh.length })}
              </p>
              {outlook.fresh.length > 0 ? (
                <details>
                  <summary>{t('approvals.publish.freshList')}</summary>
                  <ul class="approval-outlook">
                    {outlook.fresh.map((e) => (
                      <li key={`${e.planId}/${e.kind}/${e.id}`}>
                        {entryLabel(e)}
                        {e.approved
                          ? ` — ${t('approvals.publish.approvedBy', { by: personName(t, e.approved.by) })}`
                          : ''}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
              {held > 0 ? (
                <div class="notice notice-warn" data-testid="publish-held">
                  <p>
                    <strong>
                      {t('approvals.publish.held', {
                        n: held,
                        pending: outlook.pending.length,
                        draft: outlook.draft.length,
                        rejected: outlook.rejected.length,
                      })}
                    </strong>{' '}
                    {t('approvals.publish.heldExplain')}
                  </p>
                  <details>
                    <summary>{t('approvals.publish.heldList')}</summary>
                    <ul class="approval-outlook">
                      {[...outlook.pending, ...outlook.draft, ...outlook.rejected].map((e) => (
                        <li key={`${e.planId}/${e.kind}/${e.id}`}>
                          {entryLabel(e)} — {t(`status.${e.status}`)}
                          {e.approved ? '' : ` (${t('approvals.publish.neverApproved')})`}
                        </li>
                      ))}
                    </ul>
                  </details>
                </div>
              ) : (
                <p data-testid="publish-held">{t('approvals.publish.nothingHeld')}</p>
              )}
              <Field label={`${t('field.note')} ${t('field.optional')}`}>
                {(a) => (
                  <textarea
                    {...a}
                    maxLength={1000}
                    value={note}
                    data-testid="publish-note"
                    onInput={(e) => {
                      setNote(e.currentTarget.value);
                    }}
                  />
                )}
              </Field>
            </>
          ) : failure ? null : (
            <Loading />
          )}
          <ErrorNotice failure={failure} title={t('approvals.publish.failed')} />
          <div class="dialog-actions">
            <button
              type="button"
              onClick={() => {
                setOpen(false);
              }}
            >
              {t('action.cancel')}
            </button>
            <button
              type="button"
              class="primary"
              data-testid="publish-confirm"
              disabled={!outlook || busy}
              onClick={() => void publish()}
            >
              {busy
                ? t('approvals.publish.working')
                : t('approvals.publish.confirm', { version: nextVersion })}
            </button>
          </div>
        </div>
      </Dialog>
    </section>
  );
}

/** The latest releases, newest first. */
export function ReleasesList(props: {
  releases: readonly ReleaseMeta[] | undefined;
  failure: ApiFailure | undefined;
  plans: readonly PlanRef[];
  timeZone: string;
}) {
  const { t, locale } = useI18n();
  const shown = (props.releases ?? []).slice(0, 10);
  return (
    <section aria-labelledby="approvals-releases" data-testid="releases">
      <h2 id="approvals-releases">{t('approvals.releases.title')}</h2>
      <ErrorNotice failure={props.failure} />
      {props.releases === undefined && !props.failure ? <Loading /> : null}
      {props.releases && shown.length === 0 ? <p>{t('approvals.releases.none')}</p> : null}
      {shown.length > 0 ? (
        <div class="approval-scroll">
          <table class="table" data-testid="releases-table">
            <caption class="sr-only">{t('approvals.releases.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('approvals.releases.version')}</th>
                <th scope="col">{t('approvals.releases.at', { zone: props.timeZone })}</th>
                <th scope="col">{t('field.note')}</th>
                <th scope="col">{t('approvals.releases.plans')}</th>
                <th scope="col">{t('approvals.releases.boards')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.version} data-release={r.version}>
                  <td>
                    <strong>{r.version}</strong>
                  </td>
                  <td>{formatInstant(locale, props.timeZone, r.createdAt)}</td>
                  <td>{r.note ?? ''}</td>
                  <td>{r.planIds.map((id) => planLabel(props.plans, id)).join(', ')}</td>
                  <td>
                    {t('approvals.releases.boardCount', {
                      n: r.boards,
                      changed: r.changedBoards,
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
