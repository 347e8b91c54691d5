import { useRef, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { entityPath, freeId, slugify, type Board, type PlanWithApproval } from '../plan-data';
import { useSession } from '../session';
import { LeaveGuard } from './leave-guard';
import { ChipInput, withTyped } from './schedule-chips';
import { boardTags, isValidId } from './schedule-format';
import { Checkbox, Dialog, Field, FormActions, RadioGroup } from './ui';

/** Sizes of the boards agencies buy: small and large LED boards, full-HD and HD screens. */
export const SIZE_PRESETS = [
  { width: 192, height: 64, label: 'boards.preset.192x64' },
  { width: 384, height: 128, label: 'boards.preset.384x128' },
  { width: 1920, height: 1080, label: 'boards.preset.1920x1080' },
  { width: 1280, height: 720, label: 'boards.preset.1280x720' },
] as const satisfies readonly { width: number; height: number; label: MessageKey }[];

interface Draft {
  id: string;
  idTyped: boolean;
  name: string;
  tags: string[];
  width: string;
  height: string;
  place: string;
  idle: 'clock' | 'black';
  public: boolean;
}

function draftOf(board: Board | null): Draft {
  return {
    id: board?.id ?? '',
    idTyped: board !== null,
    name: board?.name ?? '',
    tags: [...(board?.tags ?? [])],
    width: String(board?.width ?? 384),
    height: String(board?.height ?? 128),
    place: board?.place ?? '',
    idle: board?.idle ?? 'clock',
    public: board?.public === true,
  };
}

function sizeValid(text: string): boolean {
  const n = Number(text);
  return Number.isInteger(n) && n >= 8 && n <= 8192;
}

/** Creates (`board` null) or edits a board of the working plan: every field of the plan file. */
export function BoardEditor(props: {
  doc: PlanWithApproval;
  board: Board | null;
  onClose: (saved: Board | null) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const { doc } = props;
  const isNew = props.board === null;
  const [initial] = useState<Draft>(() => draftOf(props.board));
  const [d, setD] = useState<Draft>(initial);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [busy, setBusy] = useState(false);
  /** What is typed in the tag box and not added yet: saving adds it. */
  const typedTag = useRef('');
  const taken = doc.boards.map((b) => b.id);
  const tagOf = (typed: string): { value: string } | { error: string } => {
    const tag = isValidId(typed) ? typed : slugify(typed);
    return isValidId(tag) ? { value: tag } : { error: t('boards.err.tag') };
  };

  const change = (patch: Partial<Draft>) => {
    setD((old) => {
      const next = { ...old, ...patch };
      if (isNew && !next.idTyped) next.id = next.name ? freeId(slugify(next.name), taken) : '';
      return next;
    });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const problems: ApiFailure['problems'] = [];
    const id = d.id.trim();
    if (isNew && !isValidId(id)) problems.push({ path: 'id', message: t('boards.err.id') });
    else if (isNew && taken.includes(id))
      problems.push({ path: 'id', message: t('boards.err.idTaken') });
    if (d.name.trim() === '') problems.push({ path: 'name', message: t('boards.err.name') });
    if (!sizeValid(d.width)) problems.push({ path: 'width', message: t('boards.err.size') });
    if (!sizeValid(d.height)) problems.push({ path: 'height', message: t('boards.err.size') });
    const typed = withTyped(typedTag.current, d.tags, tagOf);
    if ('error' in typed) problems.push({ path: 'tags', message: typed.error });
    const tags = 'error' in typed ? d.tags : typed.values;
    if (problems.length > 0) {
      setFailure({ ok: false, status: 0, code: 'invalid_request', message: '', problems });
      return;
    }
    const board: Board = {
      id,
      name: d.name.trim(),
      ...(tags.length > 0 ? { tags } : {}),
      width: Number(d.width),
      height: Number(d.height),
      ...(d.place.trim() === '' ? {} : { place: d.place.trim() }),
      idle: d.idle,
      ...(d.public ? { public: true } : {}),
    };
    setBusy(true);
    setFailure(undefined);
    const { id: _id, ...body } = board;
    const result = isNew
      ? await session.api.request('POST', entityPath(doc.plan.id, 'boards'), board)
      : await session.api.request('PUT', entityPath(doc.plan.id, 'boards', id), body);
    setBusy(false);
    if (result.ok) props.onClose(board);
    else setFailure(result);
  };

  return (
    <Dialog
      open
      wide
      title={isNew ? t('boards.new') : t('boards.edit', { name: props.board?.name ?? '' })}
      onClose={() => {
        props.onClose(null);
      }}
    >
      <form onSubmit={(e) => void save(e)} noValidate data-testid="board-form">
        <div class="field-row">
          <Field label={t('field.name')}>
            {(a) => (
              <input
                {...a}
                value={d.name}
                autoComplete="off"
                onInput={(e) => {
                  change({ name: e.currentTarget.value });
                }}
              />
            )}
          </Field>
          <Field label={t('field.id')} hint={isNew ? t('field.id.hint') : t('boards.idFixed')}>
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

        <fieldset data-testid="board-size">
          <legend>{t('boards.size')}</legend>
          <div class="board-size-row">
            <PixelField
              label={t('boards.width')}
              value={d.width}
              onInput={(width) => {
                change({ width });
              }}
            />
            <span class="board-size-times" aria-hidden="true">
              ×
            </span>
            <PixelField
              label={t('boards.height')}
              value={d.height}
              onInput={(height) => {
                change({ height });
              }}
            />
          </div>
          <div class="board-presets" role="group" aria-label={t('boards.presets')}>
            {SIZE_PRESETS.map((p) => {
              const on = d.width === String(p.width) && d.height === String(p.height);
              return (
                <button
                  key={`${p.width}x${p.height}`}
                  type="button"
                  class="small"
                  aria-pressed={on}
                  onClick={() => {
                    change({ width: String(p.width), height: String(p.height) });
                  }}
                >
                  {t(p.label)}
                </button>
              );
            })}
          </div>
          <small class="hint">{t('boards.size.hint')}</small>
        </fieldset>

        <ChipInput
          legend={t('boards.tags')}
          hint={t('boards.tags.hint')}
          values={d.tags}
          onChange={(tags) => {
            change({ tags });
          }}
          inputLabel={t('boards.tags.input')}
          addLabel={t('boards.tags.add')}
          removeLabel={(tag) => t('boards.tags.remove', { tag })}
          suggestions={boardTags(doc.boards)}
          suggestLabel={(tag) => t('boards.tags.suggest', { tag })}
          testId="board-tags"
          check={tagOf}
          onTyped={(typed) => {
            typedTag.current = typed;
          }}
        />

        <Field label={t('boards.place')} hint={t('boards.place.hint')}>
          {(a) => (
            <input
              {...a}
              value={d.place}
              onInput={(e) => {
                change({ place: e.currentTarget.value });
              }}
            />
          )}
        </Field>

        <RadioGroup
          legend={t('boards.idle')}
          value={d.idle}
          options={[
            { value: 'clock', label: t('boards.idle.clock') },
            { value: 'black', label: t('boards.idle.black') },
          ]}
          onChange={(idle) => {
            change({ idle });
          }}
        >
          <small class="hint">{t('boards.idle.hint')}</small>
        </RadioGroup>

        <Checkbox
          class="board-check"
          label={t('boards.public')}
          checked={d.public}
          onChange={(on) => {
            change({ public: on });
          }}
        />

        <FormActions
          failure={failure}
          failureTitle={t('boards.refused')}
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

/** A board's width or height in pixels, as typed. */
function PixelField(props: { label: string; value: string; onInput: (value: string) => void }) {
  return (
    <Field label={props.label}>
      {(a) => (
        <input
          {...a}
          type="number"
          class="board-number"
          min={8}
          max={8192}
          step={1}
          value={props.value}
          onInput={(e) => {
            props.onInput(e.currentTarget.value);
          }}
        />
      )}
    </Field>
  );
}
