import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { DeletePhaseDialog, PhaseDialog } from '../components/phase-editor';
import { PhaseTimeline } from '../components/phase-timeline';
import { DeletePlanDialog, PlanDialog } from '../components/plan-editor';
import { ErrorNotice, FileInput, Loading, PageHeader, SuccessNotice } from '../components/ui';
import { useApiGet } from '../components/use-api';
import { useI18n } from '../i18n';
import { planCode, todayIn, usePlan, type Phase } from '../plan-data';
import { useSession } from '../session';

interface PlanSummary {
  plan: { id: string; code?: string; title: string; issuer?: string; timeZone: string };
  counts: Record<
    'phases' | 'boards' | 'content' | 'playlists' | 'schedules' | 'announcements',
    number
  >;
}

export function PlansPage() {
  const { t } = useI18n();
  const session = useSession();
  const list = useApiGet<PlanSummary[]>('/api/plans');
  const [editing, setEditing] = useState<PlanSummary | 'new' | null>(null);
  const [deleting, setDeleting] = useState<PlanSummary | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const canCreate = session.can('POST /api/plans');
  const canEditInfo = session.can('PATCH /api/plans/:planId');
  const canDelete = session.can('DELETE /api/plans/:planId');
  const takenIds = (list.data ?? []).map((p) => p.plan.id);
  const working = list.data?.some((p) => p.plan.id === session.planId) === true;
  return (
    <>
      <PageHeader title={t('plans.title')}>
        {canCreate ? (
          <button
            type="button"
            class="primary"
            data-testid="new-plan"
            onClick={() => {
              setDone(null);
              setEditing('new');
            }}
          >
            {t('plans.new')}
          </button>
        ) : null}
      </PageHeader>
      <SuccessNotice text={done} />
      <section aria-labelledby="plans-list">
        <h2 id="plans-list">{t('plans.list')}</h2>
        {list.loading && !list.data ? <Loading /> : null}
        <ErrorNotice failure={list.failure} />
        {list.data ? (
          <table class="table" data-testid="plans-table">
            <thead>
              <tr>
                <th scope="col">{t('plans.code')}</th>
                <th scope="col">{t('plans.planTitle')}</th>
                <th scope="col">{t('plans.issuer')}</th>
                <th scope="col">{t('plans.timeZone')}</th>
                <th scope="col">
                  <span class="sr-only">{t('plans.work')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((p) => (
                <tr key={p.plan.id} data-plan={p.plan.id}>
                  <td class="plan-code">{planCode(p.plan)}</td>
                  <td>
                    {p.plan.title}
                    <br />
                    <small>{t('plans.counts', p.counts)}</small>
                  </td>
                  <td>{p.plan.issuer ?? ''}</td>
                  <td>{p.plan.timeZone}</td>
                  <td class="row-actions">
                    {session.planId === p.plan.id ? (
                      <span class="badge badge-approved">{t('plans.working')}</span>
                    ) : (
                      <button
                        type="button"
                        onClick={() => {
                          session.setPlanId(p.plan.id);
                        }}
                      >
                        {t('plans.work')}
                      </button>
                    )}
                    <a
                      class="button"
                      href={`/api/plans/${encodeURIComponent(p.plan.id)}/export`}
                      download={`${p.plan.id}.json`}
                      aria-label={t('plans.exportOf', { code: planCode(p.plan) })}
                    >
                      {t('plans.export')}
                    </a>
                    {canEditInfo ? (
                      <button
                        type="button"
                        data-testid="edit-plan"
                        aria-label={t('plans.editInfoOf', { code: planCode(p.plan) })}
                        onClick={() => {
                          setDone(null);
                          setEditing(p);
                        }}
                      >
                        {t('plans.editInfo')}
                      </button>
                    ) : null}
                    {canDelete ? (
                      <button
                        type="button"
                        class="danger"
                        data-testid="delete-plan"
                        aria-label={t('plans.deleteOf', { code: planCode(p.plan) })}
                        onClick={() => {
                          setDone(null);
                          setDeleting(p);
                        }}
                      >
                        {t('action.delete')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {session.can('POST /api/plans/import') ? <ImportForm /> : null}
      {working ? <PhasesSection /> : null}
      {editing ? (
        <PlanDialog
          plan={editing === 'new' ? null : editing.plan}
          takenIds={takenIds}
          onClose={(saved) => {
            const wasNew = editing === 'new';
            setEditing(null);
            if (!saved) return;
            if (wasNew) {
              session.setPlanId(saved.id);
              setDone(t('plans.new.done', { code: planCode(saved) }));
            } else {
              setDone(t('plans.editInfo.done', { code: planCode(saved) }));
            }
            session.changed();
          }}
        />
      ) : null}
      {deleting ? (
        <DeletePlanDialog
          plan={deleting.plan}
          counts={t('plans.counts', deleting.counts)}
          onClose={(deleted) => {
            const gone = deleting.plan;
            setDeleting(null);
            if (!deleted) return;
            const next = list.data?.find((p) => p.plan.id !== gone.id);
            if (session.planId === gone.id && next) session.setPlanId(next.plan.id);
            setDone(t('plans.delete.done', { code: planCode(gone) }));
            session.changed();
          }}
        />
      ) : null}
    </>
  );
}

interface ImportResult {
  replaced: boolean;
  plan: PlanSummary;
}

function ImportForm() {
  const { t } = useI18n();
  const session = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setFailure(undefined);
    setDone(null);
    let doc: unknown;
    try {
      doc = JSON.parse(await file.text());
    } catch (error) {
      setBusy(false);
      setFailure({
        ok: false,
        status: 0,
        code: 'invalid_json',
        message: '',
        problems: [
          {
            path: file.name,
            message: t('plans.import.notJson', {
              message: error instanceof Error ? error.message : String(error),
            }),
          },
        ],
      });
      return;
    }
    const result = await session.api.request<ImportResult>('POST', '/api/plans/import', doc);
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    const { plan } = result.value;
    setDone(
      t('plans.import.done', {
        code: planCode(plan.plan),
        phases: plan.counts.phases,
        content: plan.counts.content,
        schedules: plan.counts.schedules,
      }),
    );
    session.changed();
  };

  return (
    <section aria-labelledby="plans-import">
      <h2 id="plans-import">{t('plans.import')}</h2>
      <form class="inline-form" onSubmit={(e) => void submit(e)} data-testid="import-form">
        <FileInput
          label={t('plans.import.file')}
          hint={t('plans.import.hint')}
          accept="application/json,.json"
          name="plan-file"
          file={file}
          onFile={setFile}
        />
        <button type="submit" class="primary" disabled={!file || busy}>
          {busy ? t('plans.import.working') : t('plans.import.submit')}
        </button>
      </form>
      <ErrorNotice failure={failure} title={t('plans.import.refused')} />
      <SuccessNotice text={done} />
    </section>
  );
}

function PhasesSection() {
  const { t } = useI18n();
  const session = useSession();
  const plan = usePlan();
  const [editing, setEditing] = useState<{ phase: Phase | null; parent?: string } | null>(null);
  const [deleting, setDeleting] = useState<Phase | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!plan.data) return plan.failure ? <ErrorNotice failure={plan.failure} /> : null;
  const doc = plan.data;
  const today = todayIn(doc.plan.timeZone, session.now());
  const bound = (id: string) => doc.schedules.filter((s) => s.phase === id).length;
  const canEdit = session.can('PATCH /api/plans/:planId/phases/:id');
  const canAdd = session.can('POST /api/plans/:planId/phases');
  const canDelete = session.can('DELETE /api/plans/:planId/phases/:id');
  const actions = canEdit || canAdd || canDelete;
  return (
    <section aria-labelledby="plans-phases">
      <div class="plans-section-head">
        <h2 id="plans-phases">
          {t('plans.phases')} — {planCode(doc.plan)}
        </h2>
        {canAdd ? (
          <button
            type="button"
            data-testid="add-phase"
            onClick={() => {
              setDone(null);
              setEditing({ phase: null });
            }}
          >
            {t('plans.addPhase')}
          </button>
        ) : null}
      </div>
      <SuccessNotice text={done} />
      <PhaseTimeline
        phases={doc.phases}
        today={today}
        {...(canEdit
          ? {
              onPick: (id: string) => {
                const phase = doc.phases.find((p) => p.id === id);
                if (phase) setEditing({ phase });
              },
            }
          : {})}
      />
      {doc.phases.length > 0 ? (
        <table class="table" data-testid="phases-table">
          <thead>
            <tr>
              <th scope="col">{t('plans.phase')}</th>
              <th scope="col">{t('field.from')}</th>
              <th scope="col">{t('field.to')}</th>
              <th scope="col">{t('plans.parent')}</th>
              <th scope="col">{t('plans.bound')}</th>
              {actions ? (
                <th scope="col">
                  <span class="sr-only">{t('action.edit')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {doc.phases.map((p) => (
              <tr key={p.id} data-phase={p.id}>
                <td>{p.name}</td>
                <td class="plans-date">{p.from}</td>
                <td class="plans-date">{p.to}</td>
                <td>{doc.phases.find((x) => x.id === p.parent)?.name ?? ''}</td>
                <td>{bound(p.id)}</td>
                {actions ? (
                  <td class="row-actions">
                    {canEdit ? (
                      <button
                        type="button"
                        onClick={() => {
                          setDone(null);
                          setEditing({ phase: p });
                        }}
                        aria-label={t('plans.editPhase', { name: p.name })}
                      >
                        {t('action.edit')}
                      </button>
                    ) : null}
                    {canAdd && p.parent === undefined ? (
                      <button
                        type="button"
                        data-testid="add-sub-phase"
                        onClick={() => {
                          setDone(null);
                          setEditing({ phase: null, parent: p.id });
                        }}
                        aria-label={`${t('plans.addSubPhase')} — ${p.name}`}
                      >
                        {t('plans.addSubPhase')}
                      </button>
                    ) : null}
                    {canDelete ? (
                      <button
                        type="button"
                        class="danger"
                        data-testid="delete-phase"
                        onClick={() => {
                          setDone(null);
                          setDeleting(p);
                        }}
                        aria-label={t('plans.deletePhase', { name: p.name })}
                      >
                        {t('action.delete')}
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {editing ? (
        <PhaseDialog
          doc={doc}
          phase={editing.phase}
          {...(editing.parent === undefined ? {} : { parent: editing.parent })}
          onClose={(saved) => {
            const wasNew = editing.phase === null;
            setEditing(null);
            if (!saved) return;
            if (wasNew) setDone(t('plans.phaseAdded', { name: saved.name }));
            plan.reload();
          }}
        />
      ) : null}
      {deleting ? (
        <DeletePhaseDialog
          doc={doc}
          phase={deleting}
          onClose={(deleted) => {
            const gone = deleting;
            setDeleting(null);
            if (!deleted) return;
            setDone(t('plans.phaseDeleted', { name: gone.name }));
            plan.reload();
          }}
        />
      ) : null}
    </section>
  );
}
