import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { PhaseTimeline } from '../components/phase-timeline';
import {
  Dialog,
  ErrorNotice,
  Field,
  FileInput,
  FormActions,
  Loading,
  PageHeader,
  SuccessNotice,
} from '../components/ui';
import { useApiGet } from '../components/use-api';
import { useI18n } from '../i18n';
import { entityPath, planCode, todayIn, usePlan, type Phase } from '../plan-data';
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
  return (
    <>
      <PageHeader title={t('plans.title')} />
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
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {session.can('POST /api/plans/import') ? <ImportForm /> : null}
      <PhasesSection />
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
  const [editing, setEditing] = useState<Phase | null>(null);
  if (!plan.data) return plan.failure ? <ErrorNotice failure={plan.failure} /> : null;
  const doc = plan.data;
  const today = todayIn(doc.plan.timeZone, session.now());
  const bound = (id: string) => doc.schedules.filter((s) => s.phase === id).length;
  const canEdit = session.can('PATCH /api/plans/:planId/phases/:id');
  return (
    <section aria-labelledby="plans-phases">
      <h2 id="plans-phases">
        {t('plans.phases')} — {planCode(doc.plan)}
      </h2>
      <PhaseTimeline
        phases={doc.phases}
        today={today}
        {...(canEdit
          ? {
              onPick: (id: string) => {
                setEditing(doc.phases.find((p) => p.id === id) ?? null);
              },
            }
          : {})}
      />
      <table class="table" data-testid="phases-table">
        <thead>
          <tr>
            <th scope="col">{t('plans.phase')}</th>
            <th scope="col">{t('field.from')}</th>
            <th scope="col">{t('field.to')}</th>
            <th scope="col">{t('plans.parent')}</th>
            <th scope="col">{t('plans.bound')}</th>
            {canEdit ? (
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
              <td>{p.from}</td>
              <td>{p.to}</td>
              <td>{doc.phases.find((x) => x.id === p.parent)?.name ?? ''}</td>
              <td>{bound(p.id)}</td>
              {canEdit ? (
                <td>
                  <button
                    type="button"
                    onClick={() => {
                      setEditing(p);
                    }}
                    aria-label={t('plans.editPhase', { name: p.name })}
                  >
                    {t('action.edit')}
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? (
        <PhaseDialog
          planId={doc.plan.id}
          phase={editing}
          phases={doc.phases}
          boundCount={bound(editing.id)}
          onClose={(saved) => {
            setEditing(null);
            if (saved) plan.reload();
          }}
        />
      ) : null}
    </section>
  );
}

function PhaseDialog(props: {
  planId: string;
  phase: Phase;
  phases: Phase[];
  boundCount: number;
  onClose: (saved: boolean) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const [draft, setDraft] = useState({ ...props.phase });
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const save = async (e: Event) => {
    e.preventDefault();
    const { id: _id, ...body } = draft;
    const result = await session.api.request(
      'PUT',
      entityPath(props.planId, 'phases', props.phase.id),
      { ...body, ...(body.parent ? {} : { parent: undefined }) },
    );
    if (result.ok) props.onClose(true);
    else setFailure(result);
  };
  return (
    <Dialog
      open
      title={t('plans.editPhase', { name: props.phase.name })}
      onClose={() => {
        props.onClose(false);
      }}
    >
      <form onSubmit={(e) => void save(e)} data-testid="phase-form">
        <Field label={t('field.name')}>
          {(a) => (
            <input
              {...a}
              required
              value={draft.name}
              onInput={(e) => {
                setDraft({ ...draft, name: e.currentTarget.value });
              }}
            />
          )}
        </Field>
        <div class="field-row">
          <Field label={t('field.from')}>
            {(a) => (
              <input
                {...a}
                type="date"
                required
                value={draft.from}
                onInput={(e) => {
                  setDraft({ ...draft, from: e.currentTarget.value });
                }}
              />
            )}
          </Field>
          <Field label={t('field.to')}>
            {(a) => (
              <input
                {...a}
                type="date"
                required
                value={draft.to}
                onInput={(e) => {
                  setDraft({ ...draft, to: e.currentTarget.value });
                }}
              />
            )}
          </Field>
        </div>
        <Field label={t('plans.parent')}>
          {(a) => (
            <select
              {...a}
              value={draft.parent ?? ''}
              onChange={(e) => {
                const parent = e.currentTarget.value;
                const { parent: _p, ...rest } = draft;
                setDraft(parent ? { ...rest, parent } : rest);
              }}
            >
              <option value="">{t('plans.parent.none')}</option>
              {props.phases
                .filter((p) => p.id !== props.phase.id)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <p class="hint">{t('plans.retime', { n: props.boundCount })}</p>
        <FormActions
          failure={failure}
          onCancel={() => {
            props.onClose(false);
          }}
          submitLabel={t('action.save')}
        />
      </form>
    </Dialog>
  );
}
