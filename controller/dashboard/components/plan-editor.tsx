import { useMemo, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useI18n, type Translate } from '../i18n';
import { freeId, planCode, slugify, type PlanInfo } from '../plan-data';
import { useSession } from '../session';
import { LeaveGuard } from './leave-guard';
import {
  DEFAULT_TIME_ZONE,
  planBody,
  planDraftProblems,
  planPatch,
  timeZoneChoices,
  type FormProblem,
  type PlanDraft,
} from './plan-format';
import { Dialog, Field, FormActions } from './ui';

/** The zones this browser knows (Intl), for the time zone list. */
function browserZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: 'timeZone') => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

function draftOf(plan: PlanInfo | null): PlanDraft {
  return {
    id: plan?.id ?? '',
    title: plan?.title ?? '',
    code: plan?.code ?? '',
    issuer: plan?.issuer ?? '',
    timeZone: plan?.timeZone ?? DEFAULT_TIME_ZONE,
    note: plan?.note ?? '',
  };
}

/** A form's own problems as a refusal, each under the label of its field. */
export function formFailure(
  t: Translate,
  problems: readonly FormProblem[],
  labels: Record<string, string>,
): ApiFailure {
  return {
    ok: false,
    status: 0,
    code: 'invalid_request',
    message: '',
    // Said with the field's label, not a path: the form is the user's, not a JSON document.
    problems: problems.map((p) => ({
      path: '',
      message: `${labels[p.path] ?? p.path}: ${t(p.key, p.params)}`,
    })),
  };
}

/** The fields a refusal names: a form's own (`title`), or the server's (`$.plan.title`). */
export function invalidFields(
  failure: ApiFailure | undefined,
  fields: readonly string[],
): Set<string> {
  const found = new Set<string>();
  for (const p of failure?.problems ?? []) {
    const last = /(\w+)(?:\[\d+\])?$/.exec(p.path)?.[1];
    if (last !== undefined && fields.includes(last)) found.add(last);
  }
  return found;
}

/**
 * Creates a plan (`plan` null: the id proposed from the title, the zone Vietnam's) or edits a
 * plan's header (its id stays). `onClose` gets the header as saved, or null when cancelled.
 */
export function PlanDialog(props: {
  plan: PlanInfo | null;
  takenIds: readonly string[];
  onClose: (saved: PlanInfo | null) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const isNew = props.plan === null;
  const initial = useMemo(() => draftOf(props.plan), [props.plan]);
  const [draft, setDraft] = useState<PlanDraft>(initial);
  const [idTyped, setIdTyped] = useState(!isNew);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [labelled, setLabelled] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const zones = useMemo(() => timeZoneChoices(browserZones()), []);
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  const labels: Record<string, string> = {
    id: t('field.id'),
    title: t('plans.planTitle'),
    code: t('plans.code'),
    issuer: t('plans.issuer'),
    timeZone: t('plans.timeZone'),
    note: t('field.note'),
  };

  const change = (patch: Partial<PlanDraft>, typed = idTyped) => {
    setLabelled((old) => new Set([...old].filter((f) => !(f in patch))));
    setDraft((old) => {
      const next = { ...old, ...patch };
      if (isNew && !typed) next.id = next.title ? freeId(slugify(next.title), props.takenIds) : '';
      return next;
    });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const problems = planDraftProblems(draft, {
      isNew,
      takenIds: props.takenIds,
      zones: [...zones.common, ...zones.others],
    });
    if (problems.length > 0) {
      setFailure(formFailure(t, problems, labels));
      setLabelled(new Set(problems.map((p) => p.path)));
      return;
    }
    setBusy(true);
    setFailure(undefined);
    const body = planBody(draft);
    const current = props.plan;
    const result =
      current === null
        ? await session.api.request<unknown>('POST', '/api/plans', body)
        : await session.api.request<PlanInfo>(
            'PATCH',
            `/api/plans/${encodeURIComponent(current.id)}`,
            planPatch(draft, current),
          );
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      setLabelled(invalidFields(result, Object.keys(labels)));
      return;
    }
    const saved: PlanInfo = current === null ? body : { ...(result.value as PlanInfo) };
    props.onClose(saved);
  };

  const invalid = (field: string) => (labelled.has(field) ? { 'aria-invalid': true } : {});
  const text = (field: 'title' | 'code' | 'issuer', extra: Record<string, unknown> = {}) => (
    <Field label={labels[field] ?? field} {...extra}>
      {(a) => (
        <input
          {...a}
          {...invalid(field)}
          value={draft[field]}
          autoComplete="off"
          data-testid={`plan-${field}`}
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
      wide
      title={
        props.plan === null
          ? t('plans.new.title')
          : t('plans.editInfo.title', { code: planCode(props.plan) })
      }
      onClose={() => {
        props.onClose(null);
      }}
    >
      <form onSubmit={(e) => void save(e)} noValidate data-testid="plan-form">
        {text('title')}
        <div class="field-row">
          {text('code', { hint: t('plans.field.code.hint') })}
          <Field
            label={labels.id ?? ''}
            hint={isNew ? t('plans.field.id.hint') : t('plans.field.idFixed')}
          >
            {(a) => (
              <input
                {...a}
                {...invalid('id')}
                value={draft.id}
                readOnly={!isNew}
                autoComplete="off"
                spellcheck={false}
                data-testid="plan-id"
                onInput={(e) => {
                  setIdTyped(true);
                  change({ id: e.currentTarget.value }, true);
                }}
              />
            )}
          </Field>
        </div>
        {text('issuer')}
        <Field
          label={labels.timeZone ?? ''}
          hint={
            !isNew && draft.timeZone !== initial.timeZone
              ? `${t('plans.field.timeZone.hint')} ${t('plans.field.timeZone.changed')}`
              : t('plans.field.timeZone.hint')
          }
        >
          {(a) => (
            <select
              {...a}
              {...invalid('timeZone')}
              value={draft.timeZone}
              data-testid="plan-timezone"
              onChange={(e) => {
                change({ timeZone: e.currentTarget.value });
              }}
            >
              <optgroup label={t('plans.field.timeZone.common')}>
                {zones.common.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t('plans.field.timeZone.all')}>
                {zones.others.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </optgroup>
            </select>
          )}
        </Field>
        <Field label={`${t('field.note')} ${t('field.optional')}`}>
          {(a) => (
            <textarea
              {...a}
              {...invalid('note')}
              rows={2}
              value={draft.note}
              data-testid="plan-note"
              onInput={(e) => {
                change({ note: e.currentTarget.value });
              }}
            />
          )}
        </Field>
        <FormActions
          failure={failure}
          disabled={busy}
          onCancel={() => {
            props.onClose(null);
          }}
          submitLabel={isNew ? t('plans.create') : t('action.save')}
          testId="plan-save"
        />
      </form>
      <LeaveGuard dirty={dirty && !busy} />
    </Dialog>
  );
}

/** Deletes a plan's working copy once its id is typed: the one step that cannot be undone. */
export function DeletePlanDialog(props: {
  plan: PlanInfo;
  counts: string;
  onClose: (deleted: boolean) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const [typed, setTyped] = useState('');
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [busy, setBusy] = useState(false);
  const code = planCode(props.plan);
  const matches = typed.trim() === props.plan.id;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!matches) return;
    setBusy(true);
    const result = await session.api.request(
      'DELETE',
      `/api/plans/${encodeURIComponent(props.plan.id)}`,
    );
    setBusy(false);
    if (result.ok) props.onClose(true);
    else setFailure(result);
  };
  return (
    <Dialog
      open
      title={t('plans.delete.title', { code })}
      onClose={() => {
        props.onClose(false);
      }}
    >
      <form onSubmit={(e) => void submit(e)} data-testid="plan-delete-form">
        <p>{t('plans.delete.message', { title: props.plan.title, counts: props.counts })}</p>
        <Field label={t('plans.delete.type', { id: props.plan.id })}>
          {(a) => (
            <input
              {...a}
              value={typed}
              autoComplete="off"
              spellcheck={false}
              data-testid="plan-delete-typed"
              onInput={(e) => {
                setTyped(e.currentTarget.value);
              }}
            />
          )}
        </Field>
        <FormActions
          failure={failure}
          danger
          disabled={!matches || busy}
          onCancel={() => {
            props.onClose(false);
          }}
          submitLabel={t('plans.delete.submit')}
          testId="plan-delete-submit"
        />
      </form>
    </Dialog>
  );
}
