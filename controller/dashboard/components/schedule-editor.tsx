import { useRef, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useI18n, type MessageKey, type Translate } from '../i18n';
import {
  entityPath,
  freeId,
  saveQuery,
  slugify,
  type PlanWithApproval,
  type Schedule,
} from '../plan-data';
import { useSession } from '../session';
import { LeaveGuard } from './leave-guard';
import { ChipInput, withTyped } from './schedule-chips';
import {
  boardTags,
  isCalendarDate,
  isMonthDay,
  isValidId,
  minutesOf,
  wrapsMidnight,
} from './schedule-format';
import { Checkbox, Dialog, Field, FormActions, RadioGroup } from './ui';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

interface WindowDraft {
  key: number;
  from: string;
  to: string;
}

/** The editor's state: every field of a schedule as the form holds it. */
interface Draft {
  id: string;
  /** False until the user types an id: until then it follows the playlist and phase. */
  idTyped: boolean;
  playlist: string;
  when: 'phase' | 'dates';
  phase: string;
  from: string;
  to: string;
  on: string[];
  weekdays: number[];
  hours: WindowDraft[];
  target: 'all' | 'some';
  ids: string[];
  tags: string[];
  priority: string;
  asDraft: boolean;
}

let windowKeys = 0;
const windowDraft = (from: string, to: string): WindowDraft => ({ key: ++windowKeys, from, to });

function proposeId(playlist: string, when: string, taken: readonly string[]): string {
  return freeId(slugify(`sc-${playlist}${when ? `-${when}` : ''}`), taken);
}

function draftOf(schedule: Schedule | null, doc: PlanWithApproval): Draft {
  const taken = doc.schedules.map((s) => s.id);
  if (!schedule) {
    const playlist = doc.playlists[0]?.id ?? '';
    const phase = doc.phases[0]?.id ?? '';
    return {
      id: proposeId(playlist, phase, taken),
      idTyped: false,
      playlist,
      when: doc.phases.length > 0 ? 'phase' : 'dates',
      phase,
      from: '',
      to: '',
      on: [],
      weekdays: [],
      hours: [],
      target: 'all',
      ids: [],
      tags: [],
      priority: '0',
      asDraft: false,
    };
  }
  const targets = schedule.boards;
  return {
    id: schedule.id,
    idTyped: true,
    playlist: schedule.playlist,
    when: schedule.phase !== undefined ? 'phase' : 'dates',
    phase: schedule.phase ?? doc.phases[0]?.id ?? '',
    from: schedule.from ?? '',
    to: schedule.to ?? '',
    on: [...(schedule.on ?? [])],
    weekdays: [...(schedule.weekdays ?? [])],
    hours: (schedule.hours ?? []).map((w) => windowDraft(w.from, w.to)),
    target: !targets || targets.all === true ? 'all' : 'some',
    ids: [...(targets?.ids ?? [])],
    tags: [...(targets?.tags ?? [])],
    priority: String(schedule.priority ?? 0),
    asDraft: false,
  };
}

/** The schedule the form describes, with only the fields that say something. */
function scheduleOf(d: Draft): Schedule {
  const weekdays = [...new Set(d.weekdays)].sort((a, b) => a - b);
  return {
    id: d.id.trim(),
    playlist: d.playlist,
    ...(d.when === 'phase'
      ? { phase: d.phase }
      : { from: d.from, ...(d.to === '' ? {} : { to: d.to }) }),
    ...(d.on.length > 0 ? { on: [...d.on].sort() } : {}),
    ...(weekdays.length > 0 && weekdays.length < 7 ? { weekdays } : {}),
    ...(d.hours.length > 0 ? { hours: d.hours.map((w) => ({ from: w.from, to: w.to })) } : {}),
    boards:
      d.target === 'all'
        ? { all: true }
        : {
            ...(d.ids.length > 0 ? { ids: d.ids } : {}),
            ...(d.tags.length > 0 ? { tags: d.tags } : {}),
          },
    priority: Number(d.priority),
  };
}

/** What is wrong with the form before it goes to the controller (which checks it all again). */
function problemsOf(
  t: (key: MessageKey) => string,
  d: Draft,
  isNew: boolean,
  taken: readonly string[],
): ApiFailure['problems'] {
  const problems: ApiFailure['problems'] = [];
  const add = (path: string, key: MessageKey) => problems.push({ path, message: t(key) });
  const id = d.id.trim();
  if (isNew && !isValidId(id)) add('id', 'schedules.err.id');
  else if (isNew && taken.includes(id)) add('id', 'schedules.err.idTaken');
  if (d.playlist === '') add('playlist', 'schedules.err.playlist');
  if (d.when === 'phase' && d.phase === '') add('phase', 'schedules.err.phase');
  if (d.when === 'dates') {
    if (!isCalendarDate(d.from)) add('from', 'schedules.err.from');
    if (d.to !== '' && !isCalendarDate(d.to)) add('to', 'schedules.err.date');
    else if (d.to !== '' && isCalendarDate(d.from) && d.to < d.from)
      add('to', 'schedules.err.toBeforeFrom');
  }
  d.hours.forEach((w, i) => {
    const from = minutesOf(w.from);
    const to = minutesOf(w.to);
    if (from === undefined || from >= 1440) add(`hours[${i}].from`, 'schedules.err.timeFrom');
    if (to === undefined) add(`hours[${i}].to`, 'schedules.err.timeTo');
    if (from !== undefined && to !== undefined && from === to % 1440 && to !== 1440) {
      add(`hours[${i}].to`, 'schedules.err.sameTimes');
    }
  });
  if (d.target === 'some' && d.ids.length === 0 && d.tags.length === 0) {
    add('boards', 'schedules.err.noTargets');
  }
  const priority = Number(d.priority);
  if (d.priority.trim() === '' || !Number.isInteger(priority) || Math.abs(priority) > 1000) {
    add('priority', 'schedules.err.priority');
  }
  return problems;
}

/** An anniversary as typed (3/2, 03-02 or 3-2: day/month the Vietnamese way, or MM-DD) as MM-DD. */
function anniversaryOf(
  t: Translate,
  typed: string,
  values: readonly string[],
): { value: string } | { error: string } {
  const slash = /^(\d{1,2})\/(\d{1,2})$/.exec(typed);
  const dash = /^(\d{1,2})-(\d{1,2})$/.exec(typed);
  const md = slash
    ? `${(slash[2] ?? '').padStart(2, '0')}-${(slash[1] ?? '').padStart(2, '0')}`
    : dash
      ? `${(dash[1] ?? '').padStart(2, '0')}-${(dash[2] ?? '').padStart(2, '0')}`
      : typed;
  if (!isMonthDay(md)) return { error: t('schedules.on.invalid', { day: typed }) };
  if (values.includes(md)) return { error: t('schedules.on.duplicate', { day: md }) };
  return { value: md };
}

/** Creates (`schedule` null) or edits a schedule: every field of the plan file's schedule. */
export function ScheduleEditor(props: {
  doc: PlanWithApproval;
  schedule: Schedule | null;
  onClose: (saved: Schedule | null) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const { doc } = props;
  const isNew = props.schedule === null;
  const [initial] = useState<Draft>(() => draftOf(props.schedule, doc));
  const [d, setD] = useState<Draft>(initial);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [busy, setBusy] = useState(false);
  /** What is typed in the anniversary box and not added yet. */
  const typedOn = useRef('');
  const taken = doc.schedules.map((s) => s.id);
  const tags = [...new Set([...boardTags(doc.boards), ...d.tags])].sort();

  // Until the user types an id, it follows the playlist and the phase (or start date).
  const change = (patch: Partial<Draft>) => {
    setD((old) => {
      const next = { ...old, ...patch };
      if (isNew && !next.idTyped) {
        next.id = proposeId(next.playlist, next.when === 'phase' ? next.phase : next.from, taken);
      }
      return next;
    });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    // An anniversary typed and not added yet is part of what the user means: added now, or the
    // save is refused with why (a schedule saved without it would run every day).
    const on = withTyped(typedOn.current, d.on, (typed, values) => anniversaryOf(t, typed, values));
    if ('error' in on) {
      setFailure({
        ok: false,
        status: 0,
        code: 'invalid_request',
        message: '',
        problems: [{ path: 'on', message: t('schedules.on.unadded', { reason: on.error }) }],
      });
      return;
    }
    if (on.values.length !== d.on.length) {
      typedOn.current = '';
      setD((old) => ({ ...old, on: on.values }));
    }
    const problems = problemsOf(t, { ...d, on: on.values }, isNew, taken);
    if (problems.length > 0) {
      setFailure({ ok: false, status: 0, code: 'invalid_request', message: '', problems });
      return;
    }
    setBusy(true);
    setFailure(undefined);
    const schedule = scheduleOf({ ...d, on: on.values });
    const query = saveQuery(doc, 'schedules', isNew ? null : schedule.id, d.asDraft);
    const { id, ...body } = schedule;
    const result = isNew
      ? await session.api.request(
          'POST',
          `${entityPath(doc.plan.id, 'schedules')}${query}`,
          schedule,
        )
      : await session.api.request(
          'PUT',
          `${entityPath(doc.plan.id, 'schedules', id)}${query}`,
          body,
        );
    setBusy(false);
    if (result.ok) props.onClose(schedule);
    else setFailure(result);
  };

  const title = isNew ? t('schedules.new') : t('schedules.edit', { id: d.id });
  return (
    <Dialog
      open
      wide
      title={title}
      onClose={() => {
        props.onClose(null);
      }}
    >
      <form onSubmit={(e) => void save(e)} noValidate data-testid="schedule-form">
        <div class="field-row">
          <Field label={t('schedules.playlist')}>
            {(a) => (
              <select
                {...a}
                value={d.playlist}
                onChange={(e) => {
                  change({ playlist: e.currentTarget.value });
                }}
              >
                {d.playlist === '' ? <option value="">{t('schedules.choose')}</option> : null}
                {doc.playlists.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('field.id')} hint={isNew ? t('field.id.hint') : t('schedules.idFixed')}>
            {(a) => (
              <input
                {...a}
                value={d.id}
                readOnly={!isNew}
                autoComplete="off"
                spellcheck={false}
                onInput={(e) => {
                  change({ id: e.currentTarget.value, idTyped: true });
                }}
              />
            )}
          </Field>
        </div>

        <RadioGroup
          legend={t('schedules.when')}
          testId="schedule-when"
          value={d.when}
          options={[
            {
              value: 'phase',
              label: t('schedules.when.phase'),
              disabled: doc.phases.length === 0,
            },
            { value: 'dates', label: t('schedules.when.dates') },
          ]}
          onChange={(when) => {
            change({ when });
          }}
        >
          {d.when === 'phase' ? (
            <Field label={t('schedules.phase')} hint={t('schedules.phase.hint')}>
              {(a) => (
                <select
                  {...a}
                  value={d.phase}
                  onChange={(e) => {
                    change({ phase: e.currentTarget.value });
                  }}
                >
                  {doc.phases.map((p) => (
                    <option key={p.id} value={p.id}>
                      {t('schedules.phaseDates', { name: p.name, from: p.from, to: p.to })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <div class="field-row">
              <Field label={t('schedules.from')}>
                {(a) => (
                  <input
                    {...a}
                    type="date"
                    value={d.from}
                    onInput={(e) => {
                      change({ from: e.currentTarget.value });
                    }}
                  />
                )}
              </Field>
              <Field label={t('schedules.to')} hint={t('schedules.to.hint')}>
                {(a) => (
                  <input
                    {...a}
                    type="date"
                    value={d.to}
                    onInput={(e) => {
                      change({ to: e.currentTarget.value });
                    }}
                  />
                )}
              </Field>
            </div>
          )}
          <small class="hint">{t('schedules.dates.hint')}</small>
        </RadioGroup>

        <ChipInput
          legend={t('schedules.on')}
          hint={t('schedules.on.hint')}
          values={d.on}
          onChange={(on) => {
            change({ on });
          }}
          inputLabel={t('schedules.on.input')}
          addLabel={t('schedules.on.add')}
          removeLabel={(v) => t('schedules.on.remove', { day: v })}
          placeholder={t('schedules.on.placeholder')}
          testId="schedule-on"
          check={(typed, values) => anniversaryOf(t, typed, values)}
          onTyped={(typed) => {
            typedOn.current = typed;
          }}
          display={(v) =>
            t('schedules.on.chip', { md: v, d: Number(v.slice(3)), m: Number(v.slice(0, 2)) })
          }
        />

        <fieldset data-testid="schedule-weekdays">
          <legend>{t('schedules.weekdays')}</legend>
          <div class="checks">
            {WEEKDAYS.map((day) => (
              <Checkbox
                key={day}
                value={String(day)}
                label={t(`weekday.${day}`)}
                checked={d.weekdays.includes(day)}
                onChange={(on) => {
                  change({
                    weekdays: on ? [...d.weekdays, day] : d.weekdays.filter((x) => x !== day),
                  });
                }}
              />
            ))}
          </div>
          <small class="hint">{t('schedules.weekdays.hint')}</small>
        </fieldset>

        <fieldset data-testid="schedule-hours">
          <legend>{t('schedules.hours')}</legend>
          {d.hours.length === 0 ? <p class="hint">{t('schedules.hours.none')}</p> : null}
          <ol class="schedule-hours-list">
            {d.hours.map((w, i) => (
              <li key={w.key} class="schedule-hours-row" data-window={i}>
                <Field label={t('schedules.hours.from', { n: i + 1 })}>
                  {(a) => (
                    <input
                      {...a}
                      class="schedule-time"
                      inputMode="numeric"
                      placeholder="06:00"
                      value={w.from}
                      onInput={(e) => {
                        const from = e.currentTarget.value;
                        change({
                          hours: d.hours.map((x) => (x.key === w.key ? { ...x, from } : x)),
                        });
                      }}
                    />
                  )}
                </Field>
                <Field label={t('schedules.hours.to', { n: i + 1 })}>
                  {(a) => (
                    <input
                      {...a}
                      class="schedule-time"
                      inputMode="numeric"
                      placeholder="22:00"
                      value={w.to}
                      onInput={(e) => {
                        const to = e.currentTarget.value;
                        change({ hours: d.hours.map((x) => (x.key === w.key ? { ...x, to } : x)) });
                      }}
                    />
                  )}
                </Field>
                <span class="schedule-hours-note" aria-live="polite">
                  {wrapsMidnight(w) ? t('schedules.hours.wraps') : ''}
                </span>
                <button
                  type="button"
                  class="small"
                  aria-label={t('schedules.hours.remove', { n: i + 1 })}
                  onClick={() => {
                    change({ hours: d.hours.filter((x) => x.key !== w.key) });
                  }}
                >
                  {t('action.remove')}
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            onClick={() => {
              change({ hours: [...d.hours, windowDraft('06:00', '22:00')] });
            }}
          >
            {t('schedules.hours.add')}
          </button>
          <p class="hint">{t('schedules.hours.hint')}</p>
        </fieldset>

        <RadioGroup
          legend={t('schedules.targets')}
          testId="schedule-targets"
          value={d.target}
          options={[
            { value: 'all', label: t('schedules.targets.all') },
            { value: 'some', label: t('schedules.targets.some') },
          ]}
          onChange={(target) => {
            change({ target });
          }}
        >
          {d.target === 'some' ? (
            <>
              <h3 class="schedule-subhead">{t('schedules.targets.boards')}</h3>
              <div class="checks schedule-checks-column" data-testid="schedule-target-boards">
                {doc.boards.map((b) => (
                  <Checkbox
                    key={b.id}
                    value={b.id}
                    label={
                      <>
                        {b.name} <code>{b.id}</code>
                      </>
                    }
                    checked={d.ids.includes(b.id)}
                    onChange={(on) => {
                      change({ ids: on ? [...d.ids, b.id] : d.ids.filter((x) => x !== b.id) });
                    }}
                  />
                ))}
              </div>
              <h3 class="schedule-subhead">{t('schedules.targets.tags')}</h3>
              <div class="schedule-tags" data-testid="schedule-target-tags">
                {tags.length === 0 ? (
                  <span class="hint">{t('schedules.targets.noTags')}</span>
                ) : null}
                {tags.map((tag) => {
                  const on = d.tags.includes(tag);
                  const count = doc.boards.filter((b) => b.tags?.includes(tag)).length;
                  return (
                    <button
                      key={tag}
                      type="button"
                      class={on ? 'schedule-tag schedule-tag-on' : 'schedule-tag'}
                      aria-pressed={on}
                      data-tag={tag}
                      onClick={() => {
                        change({ tags: on ? d.tags.filter((x) => x !== tag) : [...d.tags, tag] });
                      }}
                    >
                      {t('schedules.targets.tagCount', { tag, n: count })}
                    </button>
                  );
                })}
              </div>
              <p class="hint">{t('schedules.targets.hint')}</p>
            </>
          ) : null}
        </RadioGroup>

        <Field label={t('schedules.priority')} hint={t('schedules.priority.hint')}>
          {(a) => (
            <input
              {...a}
              type="number"
              step={1}
              min={-1000}
              max={1000}
              class="schedule-number"
              value={d.priority}
              onInput={(e) => {
                change({ priority: e.currentTarget.value });
              }}
            />
          )}
        </Field>

        <Checkbox
          class="schedule-check"
          label={t('schedules.asDraft')}
          checked={d.asDraft}
          onChange={(on) => {
            change({ asDraft: on });
          }}
        />

        <FormActions
          failure={failure}
          failureTitle={t('schedules.refused')}
          onCancel={() => {
            props.onClose(null);
          }}
          submitLabel={t('action.save')}
          disabled={busy}
        />
      </form>
      <LeaveGuard dirty={JSON.stringify(d) !== JSON.stringify(initial) && !busy} />
    </Dialog>
  );
}
