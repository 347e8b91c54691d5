import { useMemo, useState } from 'preact/hooks';
import type { Slogan } from '../../../playlists/plan';
import type { ApiFailure } from '../api';
import { useI18n, type Translate } from '../i18n';
import {
  entityPath,
  freeId,
  saveQuery,
  slugify,
  type Board,
  type Content,
  type PlanWithApproval,
} from '../plan-data';
import { href } from '../router';
import { isValidId, isValidDuration } from './schedule-format';
import { useSession } from '../session';
import {
  BoardPicker,
  ContentPreview,
  DurationField,
  EditorActions,
  FixedId,
  NewIdField,
  sameTextKey,
  shortText,
  type AssetInfo,
} from './content-shared';
import { LeaveGuard } from './leave-guard';
import { Field, PageHeader, RadioGroup, StatusBadge } from './ui';

type Motion = NonNullable<Slogan['motion']>;
type Align = 'left' | 'center' | 'right';

const MOTIONS: readonly Motion[] = ['static', 'scroll-left', 'paged'];
const ALIGNS: readonly Align[] = ['center', 'left', 'right'];
// The player's defaults (player/render/scenes.ts DEFAULT_SLOGAN_STYLE), shown when none is set.
const DEFAULT_COLOR = '#ffd700';
const DEFAULT_BACKGROUND = '#000000';

interface Draft {
  id: string;
  text: string;
  durationSec: string;
  motion: Motion;
  speed: string;
  color?: string;
  background?: string;
  align?: Align;
}

function draftOf(original: Slogan | undefined): Draft {
  if (!original) return { id: '', text: '', durationSec: '15', motion: 'static', speed: '' };
  const style = original.style ?? {};
  return {
    id: original.id,
    text: original.text,
    durationSec: original.durationSec === undefined ? '' : String(original.durationSec),
    motion: original.motion ?? 'static',
    speed: original.speedPxPerSec === undefined ? '' : String(original.speedPxPerSec),
    ...(style.color ? { color: style.color } : {}),
    ...(style.background ? { background: style.background } : {}),
    ...(style.align ? { align: style.align } : {}),
  };
}

/** `"2,5"` or `"2.5"` → 2.5; blank → undefined; anything else → NaN. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' ? undefined : Number(trimmed);
}

/** The slogan the draft describes, as the API takes it (text in NFC). */
function sloganOf(draft: Draft, fallbackId: string): Slogan {
  const durationSec = parseNumber(draft.durationSec);
  const speed = parseNumber(draft.speed);
  const style = {
    ...(draft.color ? { color: draft.color } : {}),
    ...(draft.background ? { background: draft.background } : {}),
    ...(draft.align ? { align: draft.align } : {}),
  };
  return {
    id: draft.id || fallbackId,
    kind: 'slogan',
    text: draft.text.normalize('NFC'),
    ...(durationSec === undefined || Number.isNaN(durationSec) ? {} : { durationSec }),
    ...(draft.motion === 'static' ? {} : { motion: draft.motion }),
    ...(draft.motion === 'scroll-left' && speed !== undefined && !Number.isNaN(speed)
      ? { speedPxPerSec: speed }
      : {}),
    ...(Object.keys(style).length > 0 ? { style } : {}),
  };
}

/** Problems the controller would refuse anyway, said in the operator's words before sending. */
function checkDraft(
  t: Translate,
  draft: Draft,
  isNew: boolean,
  taken: readonly Content[],
): ApiFailure | undefined {
  const problems: ApiFailure['problems'] = [];
  if (draft.text.trim() === '') {
    problems.push({ path: t('content.slogan.text'), message: t('content.check.textEmpty') });
  }
  if (draft.text.length > 2000) {
    problems.push({ path: t('content.slogan.text'), message: t('content.check.textLong') });
  }
  if (isNew) {
    if (!isValidId(draft.id)) {
      problems.push({ path: t('field.id'), message: t('field.id.hint') });
    } else if (taken.some((c) => c.id === draft.id)) {
      problems.push({ path: t('field.id'), message: t('content.check.idTaken') });
    }
  }
  const duration = parseNumber(draft.durationSec);
  if (duration !== undefined && !isValidDuration(duration)) {
    problems.push({ path: t('content.duration'), message: t('content.check.duration') });
  }
  const speed = parseNumber(draft.speed);
  if (draft.motion === 'scroll-left' && speed !== undefined && !(speed > 0 && speed <= 2000)) {
    problems.push({ path: t('content.slogan.speed'), message: t('content.check.speed') });
  }
  if (problems.length === 0) return undefined;
  return { ok: false, status: 0, code: 'invalid_request', message: '', problems };
}

/** Writes a new slogan or changes one, with the board's own rendering beside the form. */
export function SloganEditor(props: {
  doc: PlanWithApproval;
  assets: AssetInfo[];
  board: Board;
  onBoard: (boardId: string) => void;
  onDone: (message: string) => void;
  original?: Slogan;
}) {
  const { t } = useI18n();
  const session = useSession();
  const { doc, original, board } = props;
  const initial = useMemo(() => draftOf(original), [original]);
  const [draft, setDraft] = useState<Draft>(initial);
  const [idTouched, setIdTouched] = useState(original !== undefined);
  const [failure, setFailure] = useState<{ failure: ApiFailure; title?: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const [replay, setReplay] = useState(0);
  const isNew = original === undefined;
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  const approval = original ? doc.approval.content?.[original.id] : undefined;
  const takenIds = doc.content.map((c) => c.id);

  const update = (patch: Partial<Draft>) => {
    setDraft((d) => {
      const next = { ...d, ...patch };
      if (isNew && !idTouched && patch.text !== undefined) {
        next.id = patch.text.trim() ? freeId(slugify(patch.text), takenIds) : '';
      }
      return next;
    });
  };

  const save = async (asDraft: boolean) => {
    const problem = checkDraft(t, draft, isNew, doc.content);
    if (problem) {
      setFailure({ failure: problem });
      return;
    }
    setBusy(true);
    setFailure(undefined);
    const slogan = sloganOf(draft, draft.id);
    const query = saveQuery(doc, 'content', isNew ? null : slogan.id, asDraft);
    const { id, ...body } = slogan;
    const result = isNew
      ? await session.api.request('POST', `${entityPath(doc.plan.id, 'content')}${query}`, slogan)
      : await session.api.request('PUT', `${entityPath(doc.plan.id, 'content', id)}${query}`, body);
    setBusy(false);
    if (!result.ok) {
      setFailure({ failure: result, title: t('content.save.refused') });
      return;
    }
    const name = shortText(slogan.text, 50);
    props.onDone(asDraft ? t('content.savedDraft', { name }) : t('content.savedPending', { name }));
  };

  const preview = draft.text.trim() === '' ? null : sloganOf(draft, 'preview');
  const textKey = sameTextKey(draft.text);
  const twin =
    textKey === ''
      ? undefined
      : doc.content.find(
          (c) => c.kind === 'slogan' && c.id !== original?.id && sameTextKey(c.text) === textKey,
        );
  const autoSpeed = Math.round((60 * board.height) / 128);

  return (
    <>
      <PageHeader title={isNew ? t('content.slogan.newTitle') : t('content.slogan.editTitle')}>
        <a href={href('content')}>{t('content.back')}</a>
      </PageHeader>
      {approval ? (
        <p class="content-state">
          <StatusBadge status={approval.status} /> {t('content.reapproval')}
        </p>
      ) : (
        <p class="hint">{t('content.approvalNote')}</p>
      )}
      <form
        class="content-editor"
        data-testid="slogan-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save(false);
        }}
      >
        <div class="columns content-slogan-columns">
          <section aria-labelledby="slogan-fields">
            <h2 id="slogan-fields">{t('content.slogan.fields')}</h2>
            <Field label={t('content.slogan.text')} hint={t('content.slogan.text.hint')}>
              {(a) => (
                <textarea
                  {...a}
                  lang="vi"
                  rows={4}
                  required
                  value={draft.text}
                  data-testid="slogan-text"
                  onInput={(e) => {
                    update({ text: e.currentTarget.value });
                  }}
                />
              )}
            </Field>
            <p class="hint content-chars">
              {t('content.slogan.chars', { n: draft.text.normalize('NFC').length })}
            </p>
            <p class="notice notice-warn" role="status" data-testid="slogan-twin">
              {twin ? t('content.slogan.twin', { id: twin.id }) : ''}
            </p>
            {isNew ? (
              <NewIdField
                id={draft.id}
                testId="slogan-id"
                onInput={(id) => {
                  setIdTouched(true);
                  update({ id });
                }}
              />
            ) : (
              <FixedId id={draft.id} />
            )}
            <DurationField
              kind="slogan"
              value={draft.durationSec}
              testId="slogan-duration"
              onInput={(durationSec) => {
                update({ durationSec });
              }}
            />
            <RadioGroup
              legend={t('content.slogan.motion')}
              value={draft.motion}
              options={MOTIONS.map((m) => ({
                value: m,
                label: t(`content.motion.${m}`),
                hint: t(`content.motion.${m}.hint`),
              }))}
              onChange={(motion) => {
                update({ motion });
              }}
            />
            {draft.motion === 'scroll-left' ? (
              <Field
                label={t('content.slogan.speed')}
                hint={t('content.slogan.speed.hint', { n: autoSpeed })}
              >
                {(a) => (
                  <input
                    {...a}
                    type="number"
                    inputMode="decimal"
                    min={1}
                    max={2000}
                    step="any"
                    class="content-short"
                    value={draft.speed}
                    placeholder={t('content.slogan.speed.auto')}
                    data-testid="slogan-speed"
                    onInput={(e) => {
                      update({ speed: e.currentTarget.value });
                    }}
                  />
                )}
              </Field>
            ) : null}
            <fieldset>
              <legend>{t('content.slogan.look')}</legend>
              <div class="field-row">
                <Field label={t('content.style.color')}>
                  {(a) => (
                    <input
                      {...a}
                      type="color"
                      value={draft.color ?? DEFAULT_COLOR}
                      data-testid="slogan-color"
                      onInput={(e) => {
                        update({ color: e.currentTarget.value });
                      }}
                    />
                  )}
                </Field>
                <Field label={t('content.style.background')}>
                  {(a) => (
                    <input
                      {...a}
                      type="color"
                      value={draft.background ?? DEFAULT_BACKGROUND}
                      data-testid="slogan-background"
                      onInput={(e) => {
                        update({ background: e.currentTarget.value });
                      }}
                    />
                  )}
                </Field>
                <Field label={t('content.style.align')}>
                  {(a) => (
                    <select
                      {...a}
                      value={draft.align ?? 'center'}
                      data-testid="slogan-align"
                      onChange={(e) => {
                        update({ align: e.currentTarget.value as Align });
                      }}
                    >
                      {ALIGNS.map((al) => (
                        <option key={al} value={al}>
                          {t(`content.align.${al}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
              {draft.color || draft.background || draft.align ? (
                <button
                  type="button"
                  class="small"
                  onClick={() => {
                    setDraft(({ color: _c, background: _b, align: _a, ...rest }) => rest);
                  }}
                >
                  {t('content.style.reset')}
                </button>
              ) : (
                <small class="hint">{t('content.style.defaults')}</small>
              )}
            </fieldset>
          </section>
          <section aria-labelledby="slogan-preview" class="content-preview-panel">
            <h2 id="slogan-preview">{t('content.preview.title')}</h2>
            <BoardPicker boards={doc.boards} value={board.id} onChange={props.onBoard} />
            <ContentPreview
              info={doc.plan}
              board={board}
              content={preview}
              assets={props.assets}
              replay={replay}
              testId="slogan-preview"
            />
            <div class="toolbar">
              <button
                type="button"
                class="small"
                onClick={() => {
                  setReplay((n) => n + 1);
                }}
              >
                {t('content.preview.replay')}
              </button>
              <small class="hint">{t('content.preview.hint')}</small>
            </div>
          </section>
        </div>
        <EditorActions
          failure={failure}
          cancelHref={href('content')}
          disabled={busy}
          busy={busy}
          testIdPrefix="slogan"
          submitsForm
          onSave={(asDraft) => void save(asDraft)}
        />
      </form>
      <LeaveGuard dirty={dirty && !busy} />
    </>
  );
}
