import { useMemo, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useI18n } from '../i18n';
import { entityPath, freeId, slugify, type Phase, type PlanWithApproval } from '../plan-data';
import { useSession } from '../session';
import { LeaveGuard } from './leave-guard';
import { formFailure, invalidFields } from './plan-editor';
import {
  parentChoices,
  phaseDeleteBlockers,
  phaseDraftProblems,
  phaseUsers,
  type PhaseDraft,
  type PhaseUsers,
} from './plan-format';
import { Dialog, ErrorNotice, Field, FormActions } from './ui';

function draftOf(phase: Phase | null, parent: string): PhaseDraft {
  return {
    id: phase?.id ?? '',
    name: phase?.name ?? '',
    from: phase?.from ?? '',
    to: phase?.to ?? '',
    parent: phase?.parent ?? parent,
    note: phase?.note ?? '',
  };
}

/**
 * Adds a phase (`phase` null; `parent` preset for a sub-phase) or edits one: name, dates, the
 * phase it lies in, a note. Moving an existing phase's dates moves the schedules bound to it.
 */
export function PhaseDialog(props: {
  doc: PlanWithApproval;
  phase: Phase | null;
  parent?: string;
  onClose: (saved: Phase | null) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const { doc } = props;
  const isNew = props.phase === null;
  const initial = useMemo(
    () => draftOf(props.phase, props.parent ?? ''),
    [props.phase, props.parent],
  );
  const [draft, setDraft] = useState<PhaseDraft>(initial);
  const [idTyped, setIdTyped] = useState(!isNew);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [labelled, setLabelled] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  const taken = doc.phases.map((p) => p.id);
  const labels: Record<string, string> = {
    id: t('field.id'),
    name: t('field.name'),
    from: t('field.from'),
    to: t('field.to'),
    parent: t('plans.parent'),
    note: t('field.note'),
  };
  const bound = props.phase ? phaseUsers(doc, props.phase.id).schedules.length : 0;

  const change = (patch: Partial<PhaseDraft>, typed = idTyped) => {
    setLabelled((old) => new Set([...old].filter((f) => !(f in patch))));
    setDraft((old) => {
      const next = { ...old, ...patch };
      if (isNew && !typed) next.id = next.name ? freeId(slugify(next.name), taken) : '';
      return next;
    });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const problems = phaseDraftProblems(draft, { isNew, phases: doc.phases });
    if (problems.length > 0) {
      setFailure(formFailure(t, problems, labels));
      setLabelled(new Set(problems.map((p) => p.path)));
      return;
    }
    const phase: Phase = {
      id: draft.id.trim(),
      name: draft.name.trim(),
      from: draft.from,
      to: draft.to,
      ...(draft.parent === '' ? {} : { parent: draft.parent }),
      ...(draft.note.trim() === '' ? {} : { note: draft.note.trim() }),
    };
    setBusy(true);
    setFailure(undefined);
    const { id, ...body } = phase;
    const result = isNew
      ? await session.api.request('POST', entityPath(doc.plan.id, 'phases'), phase)
      : await session.api.request('PUT', entityPath(doc.plan.id, 'phases', id), body);
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      setLabelled(invalidFields(result, Object.keys(labels)));
      return;
    }
    props.onClose(phase);
  };

  const invalid = (field: string) => (labelled.has(field) ? { 'aria-invalid': true } : {});
  const date = (field: 'from' | 'to') => (
    <Field label={labels[field] ?? field}>
      {(a) => (
        <input
          {...a}
          {...invalid(field)}
          type="date"
          value={draft[field]}
          data-testid={`phase-${field}`}
          onInput={(e) => {
            change({ [field]: e.currentTarget.value });
          }}
        />
      )}
    </Field>
  );
  return (
    <Dialog
      open
      title={
        props.phase === null
          ? t('plans.newPhase', { code: doc.plan.code ?? doc.plan.id })
          : t('plans.editPhase', { name: props.phase.name })
      }
      onClose={() => {
        props.onClose(null);
      }}
    >
      <form onSubmit={(e) => void save(e)} noValidate data-testid="phase-form">
        <div class="field-row">
          <Field label={labels.name ?? ''} hint={t('plans.phaseName.hint')}>
            {(a) => (
              <input
                {...a}
                {...invalid('name')}
                value={draft.name}
                autoComplete="off"
                data-testid="phase-name"
                onInput={(e) => {
                  change({ name: e.currentTarget.value });
                }}
              />
            )}
          </Field>
          <Field
            label={labels.id ?? ''}
            hint={isNew ? t('plans.phaseId.hint') : t('plans.field.idFixed')}
          >
            {(a) => (
              <input
                {...a}
                {...invalid('id')}
                value={draft.id}
                readOnly={!isNew}
                autoComplete="off"
                spellcheck={false}
                data-testid="phase-id"
                onInput={(e) => {
                  setIdTyped(true);
                  change({ id: e.currentTarget.value }, true);
                }}
              />
            )}
          </Field>
        </div>
        <div class="field-row">
          {date('from')}
          {date('to')}
        </div>
        <Field label={labels.parent ?? ''} hint={t('plans.parent.hint')}>
          {(a) => (
            <select
              {...a}
              {...invalid('parent')}
              value={draft.parent}
              data-testid="phase-parent"
              onChange={(e) => {
                change({ parent: e.currentTarget.value });
              }}
            >
              <option value="">{t('plans.parent.none')}</option>
              {parentChoices(doc.phases, props.phase?.id ?? null).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({t('plans.dates', { from: p.from, to: p.to })})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={`${labels.note ?? ''} ${t('field.optional')}`}>
          {(a) => (
            <textarea
              {...a}
              rows={2}
              value={draft.note}
              onInput={(e) => {
                change({ note: e.currentTarget.value });
              }}
            />
          )}
        </Field>
        {isNew ? null : <p class="hint">{t('plans.retime', { n: bound })}</p>}
        <FormActions
          failure={failure}
          disabled={busy}
          onCancel={() => {
            props.onClose(null);
          }}
          submitLabel={isNew ? t('plans.addPhase') : t('action.save')}
          testId="phase-save"
        />
      </form>
      <LeaveGuard dirty={dirty && !busy} />
    </Dialog>
  );
}

/**
 * Asks before deleting a phase. The controller refuses while a schedule or a sub-phase refers
 * to it; the refusal is said as the list of those, so the editor knows what to move first.
 */
export function DeletePhaseDialog(props: {
  doc: PlanWithApproval;
  phase: Phase;
  onClose: (deleted: boolean) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const { doc, phase } = props;
  const [refusal, setRefusal] = useState<PhaseUsers | null>(null);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [busy, setBusy] = useState(false);
  const users = phaseUsers(doc, phase.id);
  const inUse = users.schedules.length + users.subPhases.length > 0;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setRefusal(null);
    setFailure(undefined);
    const result = await session.api.request('DELETE', entityPath(doc.plan.id, 'phases', phase.id));
    setBusy(false);
    if (result.ok) {
      props.onClose(true);
      return;
    }
    const blockers = phaseDeleteBlockers(doc, phase.id, result.problems);
    if (blockers) setRefusal(blockers);
    else setFailure(result);
  };
  const playlistName = (id: string) => doc.playlists.find((p) => p.id === id)?.name ?? id;
  return (
    <Dialog
      open
      title={t('plans.deletePhase.title', { name: phase.name })}
      onClose={() => {
        props.onClose(false);
      }}
    >
      <form onSubmit={(e) => void submit(e)} data-testid="phase-delete-form">
        <p>
          {t('plans.deletePhase.message', { name: phase.name, from: phase.from, to: phase.to })}
        </p>
        {inUse && !refusal ? <p class="hint">{t('plans.deletePhase.inUse')}</p> : null}
        {refusal ? (
          <div class="notice notice-error" role="alert" data-testid="phase-delete-refused">
            <p>
              <strong>{t('plans.deletePhase.refused', { name: phase.name })}</strong>{' '}
              {t('plans.deletePhase.refusedWhy')}
            </p>
            <ul class="problems">
              {refusal.schedules.map((s) => (
                <li key={`s:${s.id}`}>
                  {t('plans.deletePhase.schedule', {
                    id: s.id,
                    playlist: playlistName(s.playlist),
                  })}
                </li>
              ))}
              {refusal.subPhases.map((p) => (
                <li key={`p:${p.id}`}>
                  {t('plans.deletePhase.subPhase', { name: p.name, from: p.from, to: p.to })}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <ErrorNotice failure={failure} />
        <div class="dialog-actions">
          <button
            type="button"
            onClick={() => {
              props.onClose(false);
            }}
          >
            {refusal ? t('action.close') : t('action.cancel')}
          </button>
          {refusal ? null : (
            <button type="submit" class="danger" disabled={busy} data-testid="phase-delete-submit">
              {t('action.delete')}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
