import { useMemo, useState } from 'preact/hooks';
import type { RenderItem } from '../../../player/render/types';
import type { ApiFailure } from '../api';
import {
  describeTargets,
  formatInstant,
  formatMinutes,
  targetedBoards,
  useNow,
  useTemporal,
} from '../components/approval-format';
import { BoardPreview } from '../components/preview';
import { BlankAllPanel } from '../components/urgent-blank';
import {
  Checkbox,
  ConfirmDialog,
  ErrorNotice,
  Field,
  Loading,
  PageHeader,
  RadioGroup,
  StatusBadge,
  SuccessNotice,
} from '../components/ui';
import { useI18n } from '../i18n';
import {
  freeId,
  usePlan,
  type Announcement,
  type PlanWithApproval,
  type Targets,
} from '../plan-data';
import { useSession } from '../session';

type Temporal = NonNullable<ReturnType<typeof useTemporal>>;

/** How long the announcement stays: a quick choice from its start, to the end of that day, or a time. */
type Until = { kind: 'minutes'; minutes: number } | { kind: 'endOfDay' } | { kind: 'at' };

const QUICK_MINUTES = [15, 60, 240] as const;
const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Local wall time in `timeZone` to an instant (Temporal's "compatible" rule, as the resolver). */
function localToMs(T: Temporal, timeZone: string, local: string): number | null {
  try {
    return T.PlainDateTime.from(local).toZonedDateTime(timeZone, { disambiguation: 'compatible' })
      .epochMilliseconds;
  } catch {
    return null;
  }
}

/** An instant as the value of a `datetime-local` input in `timeZone`. */
function msToLocal(T: Temporal, timeZone: string, ms: number): string {
  return T.Instant.fromEpochMilliseconds(ms)
    .toZonedDateTimeISO(timeZone)
    .toPlainDateTime()
    .toString({ smallestUnit: 'minute' });
}

/** The end of the local day containing `ms`: the next day's start (later if midnight is skipped). */
function endOfDayMs(T: Temporal, timeZone: string, ms: number): number {
  return T.Instant.fromEpochMilliseconds(ms)
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .add({ days: 1 })
    .toZonedDateTime({ timeZone }).epochMilliseconds;
}

/** A copy of `set` with `item` in it or not. */
function toggled<T>(set: ReadonlySet<T>, item: T, on: boolean): Set<T> {
  const next = new Set(set);
  if (on) next.add(item);
  else next.delete(item);
  return next;
}

export function UrgentPage() {
  const { t } = useI18n();
  const plan = usePlan();
  const timeZone = plan.data?.plan.timeZone ?? 'Asia/Ho_Chi_Minh';
  return (
    <>
      <PageHeader title={t('urgent.title')} />
      <BlankAllPanel timeZone={timeZone} />
      {plan.loading && !plan.data ? <Loading /> : null}
      <ErrorNotice failure={plan.failure} />
      {plan.planId === null ? <p>{t('app.noPlan')}</p> : null}
      {plan.data ? (
        <>
          <ComposeAnnouncement doc={plan.data} onSent={plan.reload} />
          <AnnouncementList doc={plan.data} onChanged={plan.reload} />
        </>
      ) : null}
    </>
  );
}

function ComposeAnnouncement(props: { doc: PlanWithApproval; onSent: () => void }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const T = useTemporal();
  const { doc } = props;
  const timeZone = doc.plan.timeZone;
  const [text, setText] = useState('');
  const [id, setId] = useState<string | null>(null);
  const [fromMode, setFromMode] = useState<'now' | 'at'>('now');
  const [fromLocal, setFromLocal] = useState('');
  const [until, setUntil] = useState<Until>({ kind: 'minutes', minutes: 60 });
  const [toLocal, setToLocal] = useState('');
  const [targetMode, setTargetMode] = useState<'all' | 'tags' | 'boards'>('all');
  const [tags, setTags] = useState<Set<string>>(new Set());
  const [boardIds, setBoardIds] = useState<Set<string>>(new Set());
  const [previewId, setPreviewId] = useState(doc.boards[0]?.id ?? '');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [done, setDone] = useState<string | null>(null);

  const now = useNow();
  const allTags = [...new Set(doc.boards.flatMap((b) => b.tags ?? []))].sort();
  const takenIds = doc.announcements.map((a) => a.id);
  const proposedId = T
    ? freeId(`tbn-${msToLocal(T, timeZone, now).slice(0, 10).replace(/-/g, '')}`, takenIds)
    : '';
  const effectiveId = id ?? proposedId;

  /** Start and end for a send at `atMs` ("now" and quick durations count from then). */
  const spanAt = (atMs: number): { fromMs: number | null; toMs: number | null } => {
    const start = fromMode === 'now' ? atMs : T ? localToMs(T, timeZone, fromLocal) : null;
    if (start === null || !T) return { fromMs: start, toMs: null };
    const end =
      until.kind === 'minutes'
        ? start + until.minutes * 60_000
        : until.kind === 'endOfDay'
          ? endOfDayMs(T, timeZone, start)
          : localToMs(T, timeZone, toLocal);
    return { fromMs: start, toMs: end };
  };
  const { fromMs, toMs } = spanAt(now);
  const shownTo =
    until.kind === 'at' ? toLocal : T && toMs !== null ? msToLocal(T, timeZone, toMs) : '';

  const targets: Targets =
    targetMode === 'all'
      ? { all: true }
      : targetMode === 'tags'
        ? { tags: [...tags].sort() }
        : { ids: doc.boards.filter((b) => boardIds.has(b.id)).map((b) => b.id) };
  const reached = targetedBoards(doc.boards, targets);
  const previewBoard = doc.boards.find((b) => b.id === previewId) ?? reached[0] ?? doc.boards[0];

  const problems: { field: string; message: string }[] = [];
  if (text.trim().length === 0) problems.push({ field: 'text', message: t('urgent.error.text') });
  if (fromMode === 'at' && fromMs === null) {
    problems.push({ field: 'from', message: t('urgent.error.from') });
  }
  if (toMs === null) problems.push({ field: 'to', message: t('urgent.error.to') });
  else if (fromMs !== null && toMs <= Math.max(fromMs, now)) {
    problems.push({ field: 'to', message: t('urgent.error.toBefore') });
  }
  if (reached.length === 0) problems.push({ field: 'boards', message: t('urgent.error.boards') });
  if (!ID_PATTERN.test(effectiveId)) problems.push({ field: 'id', message: t('urgent.error.id') });
  else if (takenIds.includes(effectiveId)) {
    problems.push({ field: 'id', message: t('urgent.error.idTaken') });
  }
  const problemFor = (field: string) =>
    tried ? problems.find((p) => p.field === field)?.message : undefined;

  const item = useMemo<RenderItem | null>(
    () =>
      text.trim().length > 0
        ? { kind: 'announcement', id: effectiveId || 'preview', text: text.normalize('NFC') }
        : null,
    [text, effectiveId],
  );

  const send = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    setDone(null);
    setFailure(undefined);
    if (problems.length > 0) return;
    // The form may have been open a while: "1 hour" means one hour from the moment it is sent.
    const span = spanAt(session.now());
    if (span.fromMs === null || span.toMs === null) return;
    setBusy(true);
    const announcement: Omit<Announcement, 'from'> & { from?: string } = {
      id: effectiveId,
      text: text.normalize('NFC').trim(),
      ...(fromMode === 'at' ? { from: new Date(span.fromMs).toISOString() } : {}),
      to: new Date(span.toMs).toISOString(),
      boards: targets,
    };
    const result = await session.api.request<{
      announcement: Announcement;
      release: { version: number };
    }>('POST', `/api/plans/${encodeURIComponent(doc.plan.id)}/urgent-announcements`, announcement);
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setDone(
      t('urgent.sent', {
        id: result.value.announcement.id,
        version: result.value.release.version,
        to: formatInstant(locale, timeZone, result.value.announcement.to),
      }),
    );
    setText('');
    setId(null);
    setTried(false);
    props.onSent();
    session.changed();
  };

  const describedTo = (field: string) => (problemFor(field) ? `urgent-error-${field}` : undefined);

  return (
    <section aria-labelledby="urgent-compose-title" data-testid="urgent-compose">
      <h2 id="urgent-compose-title">
        {t('urgent.compose.title')} — {doc.plan.code ?? doc.plan.id}
      </h2>
      <p class="hint">{t('urgent.compose.explain')}</p>
      {!T ? <Loading /> : null}
      <form class="urgent-form" noValidate onSubmit={(e) => void send(e)} data-testid="urgent-form">
        <div class="urgent-columns">
          <div>
            <Field label={t('urgent.text')} hint={t('urgent.textHint')}>
              {(a) => (
                <textarea
                  {...a}
                  required
                  maxLength={2000}
                  value={text}
                  data-testid="urgent-text"
                  aria-invalid={problemFor('text') ? 'true' : undefined}
                  aria-describedby={
                    [a['aria-describedby'], describedTo('text')].filter(Boolean).join(' ') ||
                    undefined
                  }
                  onInput={(e) => {
                    setText(e.currentTarget.value);
                  }}
                />
              )}
            </Field>
            <FieldError id="urgent-error-text" message={problemFor('text')} />
            <RadioGroup
              legend={t('urgent.from')}
              value={fromMode}
              options={[
                { value: 'now', label: t('urgent.from.now') },
                { value: 'at', label: t('urgent.from.at') },
              ]}
              onChange={(mode) => {
                setFromMode(mode);
                if (mode === 'at' && !fromLocal && T) setFromLocal(msToLocal(T, timeZone, now));
              }}
            >
              {fromMode === 'at' ? (
                <Field label={t('urgent.from.time', { zone: timeZone })}>
                  {(a) => (
                    <input
                      {...a}
                      type="datetime-local"
                      value={fromLocal}
                      data-testid="urgent-from"
                      aria-invalid={problemFor('from') ? 'true' : undefined}
                      onInput={(e) => {
                        setFromLocal(e.currentTarget.value);
                      }}
                    />
                  )}
                </Field>
              ) : null}
              <FieldError id="urgent-error-from" message={problemFor('from')} />
            </RadioGroup>
            <fieldset>
              <legend>{t('urgent.until')}</legend>
              <div class="urgent-quick" role="group" aria-label={t('urgent.until.quick')}>
                {QUICK_MINUTES.map((m) => (
                  <button
                    key={m}
                    type="button"
                    class="small"
                    aria-pressed={until.kind === 'minutes' && until.minutes === m}
                    data-testid={`urgent-until-${String(m)}`}
                    onClick={() => {
                      setUntil({ kind: 'minutes', minutes: m });
                    }}
                  >
                    {formatMinutes(t, m)}
                  </button>
                ))}
                <button
                  type="button"
                  class="small"
                  aria-pressed={until.kind === 'endOfDay'}
                  data-testid="urgent-until-end-of-day"
                  onClick={() => {
                    setUntil({ kind: 'endOfDay' });
                  }}
                >
                  {t('urgent.until.endOfDay')}
                </button>
              </div>
              <Field label={t('urgent.until.time', { zone: timeZone })}>
                {(a) => (
                  <input
                    {...a}
                    type="datetime-local"
                    required
                    value={shownTo}
                    data-testid="urgent-until"
                    aria-invalid={problemFor('to') ? 'true' : undefined}
                    onInput={(e) => {
                      setToLocal(e.currentTarget.value);
                      setUntil({ kind: 'at' });
                    }}
                  />
                )}
              </Field>
              <FieldError id="urgent-error-to" message={problemFor('to')} />
              {fromMs !== null && toMs !== null && toMs > fromMs ? (
                <p class="urgent-span" data-testid="urgent-span">
                  {t('urgent.span', {
                    from:
                      fromMode === 'now'
                        ? t('urgent.span.now')
                        : formatInstant(locale, timeZone, fromMs),
                    to: formatInstant(locale, timeZone, toMs),
                    duration: formatMinutes(t, (toMs - fromMs) / 60_000),
                  })}
                </p>
              ) : null}
            </fieldset>
            <RadioGroup
              legend={t('urgent.target')}
              value={targetMode}
              options={(['all', 'tags', 'boards'] as const).map((mode) => ({
                value: mode,
                label: t(`urgent.target.${mode}`),
                testId: `urgent-target-${mode}`,
              }))}
              onChange={setTargetMode}
            >
              {targetMode === 'tags' ? (
                <fieldset class="urgent-sub">
                  <legend>{t('urgent.target.chooseTags')}</legend>
                  <div class="checks">
                    {allTags.map((tag) => (
                      <Checkbox
                        key={tag}
                        label={tag}
                        checked={tags.has(tag)}
                        onChange={(on) => {
                          setTags(toggled(tags, tag, on));
                        }}
                      />
                    ))}
                  </div>
                </fieldset>
              ) : null}
              {targetMode === 'boards' ? (
                <fieldset class="urgent-sub">
                  <legend>{t('urgent.target.chooseBoards')}</legend>
                  <div class="urgent-board-list">
                    {doc.boards.map((b) => (
                      <Checkbox
                        key={b.id}
                        label={b.name}
                        checked={boardIds.has(b.id)}
                        onChange={(on) => {
                          setBoardIds(toggled(boardIds, b.id, on));
                        }}
                      />
                    ))}
                  </div>
                </fieldset>
              ) : null}
              <p data-testid="urgent-reach">
                {t('urgent.reach', { n: reached.length, total: doc.boards.length })}
              </p>
              <FieldError id="urgent-error-boards" message={problemFor('boards')} />
            </RadioGroup>
            <Field label={t('field.id')} hint={t('field.id.hint')}>
              {(a) => (
                <input
                  {...a}
                  value={effectiveId}
                  maxLength={64}
                  aria-invalid={problemFor('id') ? 'true' : undefined}
                  onInput={(e) => {
                    setId(e.currentTarget.value);
                  }}
                />
              )}
            </Field>
            <FieldError id="urgent-error-id" message={problemFor('id')} />
          </div>
          <div class="urgent-preview">
            {doc.boards.length > 1 ? (
              <Field label={t('urgent.preview.board')}>
                {(a) => (
                  <select
                    {...a}
                    value={previewBoard?.id ?? ''}
                    data-testid="urgent-preview-board"
                    onChange={(e) => {
                      setPreviewId(e.currentTarget.value);
                    }}
                  >
                    {doc.boards.map((b) => (
                      <option key={b.id} value={b.id}>
                        {b.name} ({t('unit.px', { w: b.width, h: b.height })})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            {previewBoard ? (
              <BoardPreview
                width={previewBoard.width}
                height={previewBoard.height}
                item={item}
                label={t('urgent.preview.label', { board: previewBoard.name })}
                testId="urgent-preview"
              />
            ) : (
              <p>{t('urgent.preview.noBoards')}</p>
            )}
            {previewBoard && !reached.includes(previewBoard) ? (
              <p class="hint">{t('urgent.preview.notReached')}</p>
            ) : null}
          </div>
        </div>
        <p class="notice notice-warn">{t('urgent.compose.publishes')}</p>
        {tried && problems.length > 0 ? (
          <p class="form-error" role="alert">
            {t('urgent.error.summary', { n: problems.length })}
          </p>
        ) : null}
        <ErrorNotice failure={failure} title={t('urgent.failed')} />
        <SuccessNotice text={done} />
        <div class="toolbar">
          <button type="submit" class="danger" disabled={busy || !T} data-testid="urgent-send">
            {busy ? t('urgent.sending') : t('urgent.send')}
          </button>
        </div>
      </form>
    </section>
  );
}

function FieldError(props: { id: string; message: string | undefined }) {
  if (!props.message) return null;
  return (
    <p class="form-error" id={props.id}>
      {props.message}
    </p>
  );
}

/** What `POST …/urgent-announcements/:id/end` answers. */
interface EndReply {
  outcome: 'ended' | 'cancelled';
  announcement: Announcement | null;
  release: { version: number };
}

/**
 * The plan's announcements that are playing or still to come, in the plan's time zone; an
 * approver ends a playing one now, or cancels one still to come, and the change is published.
 */
function AnnouncementList(props: { doc: PlanWithApproval; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const { doc } = props;
  const timeZone = doc.plan.timeZone;
  // Each second: a row turns from upcoming to showing, and leaves the list, when it should.
  const now = useNow(1_000);
  const [asking, setAsking] = useState<{ announcement: Announcement; current: boolean } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const canEnd = session.can('POST /api/plans/:planId/urgent-announcements/:id/end');
  const list = doc.announcements
    .filter((a) => Date.parse(a.to) > now)
    .sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
  const approval = doc.approval.announcements ?? {};

  const end = async (a: Announcement) => {
    setAsking(null);
    setBusy(true);
    setFailure(undefined);
    setDone(null);
    const result = await session.api.request<EndReply>(
      'POST',
      `/api/plans/${encodeURIComponent(doc.plan.id)}/urgent-announcements/${encodeURIComponent(a.id)}/end`,
      {},
    );
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    const { outcome, announcement, release } = result.value;
    setDone(
      outcome === 'ended' && announcement
        ? t('urgent.end.ended', {
            id: a.id,
            to: formatInstant(locale, timeZone, announcement.to),
            version: release.version,
          })
        : t('urgent.end.cancelled', { id: a.id, version: release.version }),
    );
    props.onChanged();
    session.changed();
  };

  return (
    <section aria-labelledby="urgent-list-title" data-testid="urgent-list">
      <h2 id="urgent-list-title">
        {t('urgent.list.title')} — {doc.plan.code ?? doc.plan.id}
      </h2>
      <SuccessNotice text={done} />
      <ErrorNotice failure={failure} />
      {list.length === 0 ? (
        <p>{t('urgent.list.none')}</p>
      ) : (
        <div class="approval-scroll">
          <table class="table">
            <caption class="sr-only">{t('urgent.list.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('urgent.list.state')}</th>
                <th scope="col">{t('urgent.text')}</th>
                <th scope="col">{t('urgent.list.from', { zone: timeZone })}</th>
                <th scope="col">{t('urgent.list.to', { zone: timeZone })}</th>
                <th scope="col">{t('urgent.target')}</th>
                <th scope="col">{t('urgent.list.approval')}</th>
                {canEnd ? <th scope="col">{t('urgent.list.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.map((a) => {
                const current = Date.parse(a.from) <= now;
                const status = approval[a.id]?.status;
                const waiting = status !== 'approved';
                return (
                  <tr key={a.id} data-announcement={a.id} data-testid="urgent-announcement">
                    <td>
                      <span class={current ? 'badge urgent-live' : 'badge badge-draft'}>
                        {current ? t('urgent.list.current') : t('urgent.list.upcoming')}
                      </span>
                    </td>
                    <td class="urgent-list-text">
                      {a.text}
                      <br />
                      <code class="hint">{a.id}</code>
                    </td>
                    <td>{formatInstant(locale, timeZone, a.from)}</td>
                    <td>{formatInstant(locale, timeZone, a.to)}</td>
                    <td>{describeTargets(t, a.boards, doc.boards)}</td>
                    <td>{status ? <StatusBadge status={status} /> : null}</td>
                    {canEnd ? (
                      <td>
                        <button
                          type="button"
                          class="danger"
                          data-testid="urgent-end"
                          disabled={busy || waiting}
                          title={waiting ? t('urgent.end.waiting') : undefined}
                          onClick={() => {
                            setAsking({
                              announcement: a,
                              current: Date.parse(a.from) <= session.now(),
                            });
                          }}
                        >
                          {current ? t('urgent.end.now') : t('urgent.end.cancel')}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={asking !== null}
        title={
          asking === null
            ? ''
            : asking.current
              ? t('urgent.end.titleNow', { id: asking.announcement.id })
              : t('urgent.end.titleCancel', { id: asking.announcement.id })
        }
        message={
          asking === null
            ? ''
            : asking.current
              ? t('urgent.end.messageNow', {
                  to: formatInstant(locale, timeZone, asking.announcement.to),
                })
              : t('urgent.end.messageCancel', {
                  from: formatInstant(locale, timeZone, asking.announcement.from),
                })
        }
        confirmLabel={asking?.current === false ? t('urgent.end.cancel') : t('urgent.end.now')}
        danger
        onConfirm={() => {
          if (asking !== null) void end(asking.announcement);
        }}
        onCancel={() => {
          setAsking(null);
        }}
      />
    </section>
  );
}
