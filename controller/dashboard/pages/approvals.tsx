import { Fragment } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import {
  bannerImages,
  ChangePreview,
  personName,
  summaryOf,
  type ApprovalKind,
  type AssetInfo,
  type QueueEntry,
} from '../components/approval-diff';
import { DEFAULT_TIME_ZONE, formatInstant } from '../components/approval-format';
import { PublishPanel, ReleasesList, type ReleaseMeta } from '../components/approval-publish';
import {
  ConfirmDialog,
  Dialog,
  ErrorNotice,
  Field,
  FormActions,
  Loading,
  PageHeader,
  StatusBadge,
  SuccessNotice,
} from '../components/ui';
import { useApiGet } from '../components/use-api';
import { useI18n } from '../i18n';
import { problemText } from '../problems';
import type { PlanWithApproval } from '../plan-data';
import { useSession } from '../session';

type StatusFilter = QueueEntry['status'] | 'all';

const STATUSES: QueueEntry['status'][] = ['pending', 'draft', 'rejected', 'approved'];
const KINDS: ApprovalKind[] = ['content', 'playlists', 'schedules', 'announcements'];

interface PlanSummary {
  plan: { id: string; code?: string; title: string; timeZone: string };
}

function refOf(e: QueueEntry): string {
  return `${e.planId}/${e.kind}/${e.id}`;
}

/** The queue for a plan (or all) and status (or all four), reloaded with `tick`. */
function useQueue(
  planId: string,
  status: StatusFilter,
  tick: number,
): { entries: QueueEntry[] | undefined; failure: ApiFailure | undefined } {
  const session = useSession();
  const [state, setState] = useState<{ entries?: QueueEntry[]; failure?: ApiFailure }>({});
  useEffect(() => {
    let live = true;
    const statuses = status === 'all' ? STATUSES : [status];
    const plan = planId ? `&planId=${encodeURIComponent(planId)}` : '';
    void Promise.all(
      statuses.map((s) => session.api.get<QueueEntry[]>(`/api/approvals?status=${s}${plan}`)),
    ).then((results) => {
      if (!live) return;
      const failed = results.find((r) => !r.ok);
      if (failed) {
        setState({ failure: failed });
        return;
      }
      setState({ entries: results.flatMap((r) => (r.ok ? r.value : [])) });
    });
    return () => {
      live = false;
    };
  }, [planId, status, tick, session.generation]);
  return { entries: state.entries, failure: state.failure };
}

/** The working copies of the plans the queue shows, for names, boards and previews. */
function usePlanDocs(planIds: readonly string[]): Map<string, PlanWithApproval> {
  const session = useSession();
  const [docs, setDocs] = useState(new Map<string, PlanWithApproval>());
  const key = [...planIds].sort().join('\u0000');
  useEffect(() => {
    let live = true;
    void Promise.all(
      planIds.map((id) =>
        session.api.get<PlanWithApproval>(`/api/plans/${encodeURIComponent(id)}`),
      ),
    ).then((results) => {
      if (!live) return;
      setDocs(new Map(results.flatMap((r) => (r.ok ? [[r.value.plan.id, r.value] as const] : []))));
    });
    return () => {
      live = false;
    };
  }, [key, session.generation]);
  return docs;
}

/** A refusal because of four-eyes: the controller names each item the approver changed. */
function isFourEyes(failure: ApiFailure): boolean {
  return failure.code === 'forbidden' && failure.problems.some((p) => p.code === 'own_change');
}

function DecisionFailure(props: { failure: ApiFailure | undefined }) {
  const { t } = useI18n();
  const { failure } = props;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The refusal shows above the queue; bring it into view from a row far below.
    if (failure) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [failure]);
  if (!failure) return null;
  if (!isFourEyes(failure)) {
    return (
      <div ref={ref}>
        <ErrorNotice failure={failure} />
      </div>
    );
  }
  return (
    <div ref={ref} class="notice notice-error" role="alert" data-testid="four-eyes-refusal">
      <p>
        <strong>{t('approvals.fourEyes.refused')}</strong>
      </p>
      {failure.problems.length > 0 ? (
        <ul class="problems">
          {failure.problems.map((p) => (
            <li key={p.path}>
              <code>{p.path}</code> {problemText(t, p)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function ApprovalsPage() {
  const { t, locale } = useI18n();
  const session = useSession();
  const canApprove = session.can('POST /api/plans/:planId/approvals/approve');
  const canReject = session.can('POST /api/plans/:planId/approvals/reject');
  const canSubmit = session.can('POST /api/plans/:planId/approvals/submit');
  const canPublish = session.can('POST /api/releases');
  const canChangeSettings = session.can('PATCH /api/settings');
  const me = session.me.user.id;

  const [planFilter, setPlanFilter] = useState('');
  // Approvers and auditors start from what waits; editors from the state of their own changes.
  const editorView = !canApprove && canSubmit;
  const [status, setStatus] = useState<StatusFilter>(editorView ? 'all' : 'pending');
  const [mineOnly, setMineOnly] = useState(editorView);
  const [tick, setTick] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [openRef, setOpenRef] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<QueueEntry[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [switching, setSwitching] = useState(false);

  const plans = useApiGet<PlanSummary[]>('/api/plans');
  const settings = useApiGet<{ fourEyes: boolean }>('/api/settings');
  const releases = useApiGet<ReleaseMeta[]>('/api/releases');
  const assets = useApiGet<AssetInfo[]>('/api/assets');
  const queue = useQueue(planFilter, status, tick);

  const shown = useMemo(
    () => (queue.entries ?? []).filter((e) => !mineOnly || e.authors.some((a) => a.userId === me)),
    [queue.entries, mineOnly, me],
  );
  const docs = usePlanDocs([...new Set(shown.map((e) => e.planId))]);
  const planRefs = (plans.data ?? []).map((p) => ({
    id: p.plan.id,
    ...(p.plan.code === undefined ? {} : { code: p.plan.code }),
  }));
  const zone =
    plans.data?.find((p) => p.plan.id === (planFilter || session.planId))?.plan.timeZone ??
    plans.data?.[0]?.plan.timeZone ??
    DEFAULT_TIME_ZONE;

  // Selections and the open item follow what is shown.
  useEffect(() => {
    const refs = new Set(shown.map(refOf));
    setSelected((s) => new Set([...s].filter((r) => refs.has(r))));
    if (openRef !== null && !refs.has(openRef)) setOpenRef(null);
  }, [shown]);

  const groups = useMemo(() => {
    const byPlan = new Map<string, Map<ApprovalKind, QueueEntry[]>>();
    for (const e of shown) {
      const kinds = byPlan.get(e.planId) ?? new Map<ApprovalKind, QueueEntry[]>();
      kinds.set(e.kind, [...(kinds.get(e.kind) ?? []), e]);
      byPlan.set(e.planId, kinds);
    }
    return [...byPlan.entries()].map(([planId, kinds]) => ({
      planId,
      kinds: KINDS.flatMap((k) => {
        const entries = kinds.get(k);
        return entries ? [{ kind: k, entries }] : [];
      }),
    }));
  }, [shown]);

  const decidable = (e: QueueEntry) => e.status === 'pending';
  const fourEyes = settings.data?.fourEyes;
  /** Four-eyes keeps the user from deciding on an item they changed: the controller refuses it. */
  const ownBlocked = (e: QueueEntry) =>
    fourEyes === true && decidable(e) && e.authors.some((a) => a.userId === me);
  const chosen = shown.filter((e) => selected.has(refOf(e)) && decidable(e) && !ownBlocked(e));
  const submittable = (e: QueueEntry) => e.status === 'draft' || e.status === 'rejected';
  const planCode = (planId: string) =>
    plans.data?.find((p) => p.plan.id === planId)?.plan.code ?? planId;

  const after = (text: string) => {
    setDone(text);
    setSelected(new Set());
    setTick((n) => n + 1);
    session.changed();
  };

  /** Approve or reject, one request per plan (each all or nothing). */
  const decide = async (
    action: 'approve' | 'reject',
    entries: QueueEntry[],
    reason?: string,
  ): Promise<boolean> => {
    setBusy(true);
    setFailure(undefined);
    setDone(null);
    const byPlan = new Map<string, QueueEntry[]>();
    for (const e of entries) byPlan.set(e.planId, [...(byPlan.get(e.planId) ?? []), e]);
    let count = 0;
    for (const [planId, list] of byPlan) {
      const result = await session.api.request(
        'POST',
        `/api/plans/${encodeURIComponent(planId)}/approvals/${action}`,
        {
          items: list.map(({ kind, id, revision }) => ({ kind, id, revision })),
          ...(reason === undefined ? {} : { reason }),
        },
      );
      if (!result.ok) {
        setBusy(false);
        setFailure(result);
        if (count > 0) after(t('approvals.partly', { n: count }));
        else if (result.code === 'conflict') setTick((n) => n + 1);
        return false;
      }
      count += list.length;
    }
    setBusy(false);
    after(
      action === 'approve'
        ? t('approvals.approved', { n: count })
        : t('approvals.rejected', { n: count }),
    );
    return true;
  };

  const submit = async (planId: string, entries: QueueEntry[] | null) => {
    setBusy(true);
    setFailure(undefined);
    setDone(null);
    const result = await session.api.request<{ submitted: unknown[] }>(
      'POST',
      `/api/plans/${encodeURIComponent(planId)}/approvals/submit`,
      entries ? { items: entries.map(({ kind, id }) => ({ kind, id })) } : {},
    );
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    after(t('approvals.submitted', { n: result.value.submitted.length }));
  };

  const toggle = (e: QueueEntry) => {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(refOf(e))) next.delete(refOf(e));
      else next.add(refOf(e));
      return next;
    });
  };

  const draftsInView = shown.filter(submittable);
  const draftPlans = [...new Set(draftsInView.map((e) => e.planId))];

  return (
    <>
      <PageHeader title={t('approvals.title')}>
        <button
          type="button"
          onClick={() => {
            setTick((n) => n + 1);
            releases.reload();
          }}
        >
          {t('action.refresh')}
        </button>
      </PageHeader>
      {canPublish ? (
        <PublishPanel plans={planRefs} releases={releases.data} timeZone={zone} />
      ) : null}
      <section aria-labelledby="approvals-queue" data-testid="approval-queue">
        <h2 id="approvals-queue">{t('approvals.queue')}</h2>
        {fourEyes !== undefined && (canApprove || canChangeSettings) ? (
          <div
            class={fourEyes ? 'approval-foureyes' : 'approval-foureyes approval-foureyes-off'}
            data-testid="four-eyes"
          >
            <p>{fourEyes ? t('approvals.fourEyes.on') : t('approvals.fourEyes.off')}</p>
            {canChangeSettings ? (
              <button
                type="button"
                class="small"
                onClick={() => {
                  setSwitching(true);
                }}
              >
                {fourEyes ? t('approvals.fourEyes.turnOff') : t('approvals.fourEyes.turnOn')}
              </button>
            ) : null}
          </div>
        ) : null}
        <ConfirmDialog
          open={switching}
          title={fourEyes ? t('approvals.fourEyes.offTitle') : t('approvals.fourEyes.onTitle')}
          message={
            fourEyes ? t('approvals.fourEyes.offMessage') : t('approvals.fourEyes.onMessage')
          }
          confirmLabel={fourEyes ? t('approvals.fourEyes.turnOff') : t('approvals.fourEyes.turnOn')}
          danger={fourEyes === true}
          onCancel={() => {
            setSwitching(false);
          }}
          onConfirm={() => {
            setSwitching(false);
            void session.api
              .request('PATCH', '/api/settings', { fourEyes: !fourEyes })
              .then((result) => {
                if (result.ok) settings.reload();
                else setFailure(result);
              });
          }}
        />
        <div class="toolbar approval-filters" role="group" aria-label={t('approvals.filters')}>
          <Field label={t('approvals.filter.plan')}>
            {(a) => (
              <select
                {...a}
                value={planFilter}
                data-testid="approval-filter-plan"
                onChange={(e) => {
                  setPlanFilter(e.currentTarget.value);
                }}
              >
                <option value="">{t('approvals.filter.allPlans')}</option>
                {(plans.data ?? []).map((p) => (
                  <option key={p.plan.id} value={p.plan.id}>
                    {p.plan.code ?? p.plan.id}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('approvals.filter.status')}>
            {(a) => (
              <select
                {...a}
                value={status}
                data-testid="approval-filter-status"
                onChange={(e) => {
                  setStatus(e.currentTarget.value as StatusFilter);
                }}
              >
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
                <option value="all">{t('approvals.filter.allStatuses')}</option>
              </select>
            )}
          </Field>
          <label class="approval-mine">
            <input
              type="checkbox"
              checked={mineOnly}
              data-testid="approval-filter-mine"
              onChange={(e) => {
                setMineOnly(e.currentTarget.checked);
              }}
            />{' '}
            {t('approvals.filter.mine')}
          </label>
        </div>
        {canApprove || canReject ? (
          <div class="toolbar approval-bulk" data-testid="approval-bulk">
            <span aria-live="polite">{t('approvals.selected', { n: chosen.length })}</span>
            {canApprove ? (
              <button
                type="button"
                class="primary"
                disabled={chosen.length === 0 || busy}
                data-testid="approve-selected"
                onClick={() => void decide('approve', chosen)}
              >
                {t('approvals.approveSelected', { n: chosen.length })}
              </button>
            ) : null}
            {canReject ? (
              <button
                type="button"
                disabled={chosen.length === 0 || busy}
                data-testid="reject-selected"
                onClick={() => {
                  setRejecting(chosen);
                }}
              >
                {t('approvals.rejectSelected', { n: chosen.length })}
              </button>
            ) : null}
          </div>
        ) : null}
        {canSubmit && draftPlans.length > 0 ? (
          <div class="toolbar">
            {draftPlans.map((planId) => (
              <button
                key={planId}
                type="button"
                disabled={busy}
                data-testid="submit-all"
                onClick={() => void submit(planId, null)}
              >
                {t('approvals.submitAll', { plan: planCode(planId) })}
              </button>
            ))}
          </div>
        ) : null}
        <DecisionFailure failure={failure} />
        <SuccessNotice text={done} />
        <ErrorNotice failure={queue.failure} />
        {queue.entries === undefined && !queue.failure ? <Loading /> : null}
        {queue.entries !== undefined && shown.length === 0 ? (
          <p data-testid="approval-empty">
            {status === 'pending' ? t('approvals.emptyPending') : t('approvals.empty')}
          </p>
        ) : null}
        {groups.map((g) => (
          <div key={g.planId} class="approval-plan" data-plan={g.planId}>
            {g.kinds.map(({ kind, entries }) => (
              <div key={kind} class="approval-group" data-kind={kind}>
                <h3>
                  {planCode(g.planId)} — {t(`kind.${kind}`)}{' '}
                  <span class="hint">({entries.length})</span>
                </h3>
                <div class="approval-scroll">
                  <table class="table approval-table">
                    <caption class="sr-only">
                      {planCode(g.planId)} — {t(`kind.${kind}`)}
                    </caption>
                    <thead>
                      <tr>
                        {canApprove || canReject ? (
                          <th scope="col" class="approval-check">
                            <span class="sr-only">{t('approvals.select')}</span>
                          </th>
                        ) : null}
                        <th scope="col">{t('approvals.col.item')}</th>
                        <th scope="col">{t('approvals.col.status')}</th>
                        <th scope="col">{t('approvals.col.when', { zone })}</th>
                        <th scope="col">
                          <span class="sr-only">{t('approvals.col.actions')}</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {entries.map((e) => {
                        const ref = refOf(e);
                        const open = openRef === ref;
                        const doc = docs.get(e.planId);
                        const tz = doc?.plan.timeZone ?? zone;
                        const blocked = ownBlocked(e);
                        const detailId = `approval-detail-${ref.replace(/[^A-Za-z0-9_-]/g, '_')}`;
                        const ownId = `${detailId}-own`;
                        const ownDescribed = blocked ? { 'aria-describedby': ownId } : {};
                        return (
                          <Fragment key={ref}>
                            <tr
                              data-testid="approval-row"
                              data-kind={e.kind}
                              data-id={e.id}
                              data-status={e.status}
                              aria-selected={selected.has(ref) ? 'true' : undefined}
                              class={open ? 'approval-open' : undefined}
                            >
                              {canApprove || canReject ? (
                                <td class="approval-check">
                                  {decidable(e) ? (
                                    <input
                                      type="checkbox"
                                      checked={selected.has(ref) && !blocked}
                                      disabled={blocked}
                                      {...ownDescribed}
                                      aria-label={t('approvals.selectItem', { id: e.id })}
                                      onChange={() => {
                                        toggle(e);
                                      }}
                                    />
                                  ) : null}
                                </td>
                              ) : null}
                              <td class="approval-item">
                                <code>{e.id}</code>
                                <span class="approval-summary">{summaryOf(t, locale, e, doc)}</span>
                                {bannerImages(e)?.replaced ? (
                                  <span
                                    class="badge badge-pending"
                                    data-testid="approval-row-image"
                                  >
                                    {t('approvals.image.replaced')}
                                  </span>
                                ) : null}
                                {e.rejection ? (
                                  <span class="approval-rejection" data-testid="approval-rejection">
                                    {t('approvals.rejectedBy', {
                                      by: personName(t, e.rejection.by),
                                      at: formatInstant(locale, tz, e.rejection.at),
                                      reason: e.rejection.reason,
                                    })}
                                  </span>
                                ) : null}
                                {blocked && (canApprove || canReject) ? (
                                  <span class="approval-own" id={ownId} data-testid="approval-own">
                                    {t('approvals.ownChange')}
                                  </span>
                                ) : null}
                              </td>
                              <td>
                                <StatusBadge status={e.status} />
                                <br />
                                <small>
                                  {e.approved
                                    ? t('approvals.revisionOf', {
                                        revision: e.revision,
                                        approved: e.approved.revision,
                                      })
                                    : t('approvals.revisionNew', { revision: e.revision })}
                                </small>
                              </td>
                              <td>
                                <span class="approval-authors">
                                  {e.authors.map((a) => personName(t, a)).join(', ')}
                                </span>
                                {t('approvals.changedAt', {
                                  at: formatInstant(locale, tz, e.changedAt),
                                })}
                                {e.submittedAt ? (
                                  <>
                                    <br />
                                    <small>
                                      {t('approvals.submittedAt', {
                                        at: formatInstant(locale, tz, e.submittedAt),
                                      })}
                                    </small>
                                  </>
                                ) : null}
                              </td>
                              <td>
                                <div class="row-actions approval-actions">
                                  <button
                                    type="button"
                                    aria-expanded={open}
                                    aria-controls={detailId}
                                    data-testid="approval-toggle"
                                    onClick={() => {
                                      setOpenRef(open ? null : ref);
                                    }}
                                  >
                                    {open ? t('approvals.hideChange') : t('approvals.showChange')}
                                  </button>
                                  {canApprove && decidable(e) ? (
                                    <button
                                      type="button"
                                      class="primary"
                                      disabled={busy || blocked}
                                      {...ownDescribed}
                                      data-testid="approval-approve"
                                      aria-label={t('approvals.approveItem', { id: e.id })}
                                      onClick={() => void decide('approve', [e])}
                                    >
                                      {t('approvals.approve')}
                                    </button>
                                  ) : null}
                                  {canReject && decidable(e) ? (
                                    <button
                                      type="button"
                                      disabled={busy || blocked}
                                      {...ownDescribed}
                                      data-testid="approval-reject"
                                      aria-label={t('approvals.rejectItem', { id: e.id })}
                                      onClick={() => {
                                        setRejecting([e]);
                                      }}
                                    >
                                      {t('approvals.reject')}
                                    </button>
                                  ) : null}
                                  {canSubmit && submittable(e) ? (
                                    <button
                                      type="button"
                                      disabled={busy}
                                      data-testid="approval-submit"
                                      aria-label={t('approvals.submitItem', { id: e.id })}
                                      onClick={() => void submit(e.planId, [e])}
                                    >
                                      {t('approvals.submit')}
                                    </button>
                                  ) : null}
                                </div>
                              </td>
                            </tr>
                            {open ? (
                              <tr class="approval-detail-row">
                                <td colSpan={canApprove || canReject ? 5 : 4} id={detailId}>
                                  <ChangePreview entry={e} doc={doc} assets={assets.data ?? []} />
                                </td>
                              </tr>
                            ) : null}
                          </Fragment>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              </div>
            ))}
          </div>
        ))}
      </section>
      <ReleasesList
        releases={releases.data}
        failure={releases.failure}
        plans={planRefs}
        timeZone={zone}
      />
      {rejecting ? (
        <RejectDialog
          entries={rejecting}
          busy={busy}
          onCancel={() => {
            setRejecting(null);
          }}
          onReject={(reason) => {
            void decide('reject', rejecting, reason).then(() => {
              setRejecting(null);
            });
          }}
        />
      ) : null}
    </>
  );
}

/** Rejecting needs a reason: the editor reads it beside their item. */
function RejectDialog(props: {
  entries: QueueEntry[];
  busy: boolean;
  onCancel: () => void;
  onReject: (reason: string) => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const empty = reason.trim().length === 0;
  return (
    <Dialog
      open
      title={t('approvals.rejectTitle', { n: props.entries.length })}
      onClose={props.onCancel}
    >
      <form
        data-testid="reject-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (!empty) props.onReject(reason.trim());
        }}
      >
        <ul class="approval-outlook">
          {props.entries.map((e) => (
            <li key={refOf(e)}>
              {t(`kind.${e.kind}`)} · <code>{e.id}</code>
            </li>
          ))}
        </ul>
        <Field label={t('approvals.reason')} hint={t('approvals.reasonHint')}>
          {(a) => (
            <textarea
              {...a}
              required
              maxLength={1000}
              aria-invalid={tried && empty ? 'true' : undefined}
              value={reason}
              data-testid="reject-reason"
              onInput={(e) => {
                setReason(e.currentTarget.value);
              }}
            />
          )}
        </Field>
        <p class="form-error" role="alert">
          {tried && empty ? t('approvals.reasonRequired') : ''}
        </p>
        <FormActions
          onCancel={props.onCancel}
          submitLabel={t('approvals.rejectConfirm', { n: props.entries.length })}
          disabled={props.busy}
          danger
          testId="reject-confirm"
        />
      </form>
    </Dialog>
  );
}
