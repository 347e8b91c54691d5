import { useEffect, useRef, useState } from 'preact/hooks';
import type { Bundle } from '../../../playlists/protocol';
import type { DEFAULT_DURATION_SEC } from '../../../playlists/resolver';
import type { RenderItem } from '../../../player/render/types';
import type { ApiFailure } from '../api';
import { useI18n, type Locale } from '../i18n';
import type { Board, Content, PlanInfo, PlanWithApproval } from '../plan-data';
import { BoardPreview } from './preview';
import { ErrorNotice, Field } from './ui';

/** `GET /api/assets`: an uploaded banner file. */
export interface AssetInfo {
  name: string;
  sha256: string;
  type: string;
  size: number;
  width: number;
  height: number;
  uploadedAt: string;
  uploadedBy: string;
}

// The resolver's defaults, restated so the dashboard's main bundle does not pull in the resolver;
// the type keeps the two equal (it fails to compile if the resolver's numbers change).
const DEFAULT_SEC: typeof DEFAULT_DURATION_SEC = { slogan: 15, banner: 10 };

/** The design's default duration of a kind of content, in seconds. */
export function defaultSeconds(kind: Content['kind']): number {
  return DEFAULT_SEC[kind];
}

/** Seconds an item plays: its own override, else its content's, else the kind's default. */
export function effectiveSeconds(content: Content | undefined, ownSec?: number): number {
  if (ownSec !== undefined) return ownSec;
  if (!content) return 0;
  return content.durationSec ?? DEFAULT_SEC[content.kind];
}

/** `225` → `3:45`. */
export function formatMinSec(totalSec: number): string {
  const whole = Math.round(totalSec);
  const minutes = Math.floor(whole / 60);
  const seconds = whole % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** A number as the user's language writes it (`2,5` in Vietnamese). */
export function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(n);
}

/** Same words, whatever the spacing, case or Unicode form. */
export function sameTextKey(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi');
}

/** The first `max` characters of a text, with an ellipsis when it was cut. */
export function shortText(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** What names a content item for a person: its text, or its image file. */
export function contentName(content: Content, max = 60): string {
  return content.kind === 'slogan' ? shortText(content.text, max) : content.asset;
}

/** The URL the player loads a banner from. */
export function assetUrl(asset: AssetInfo): string {
  return `/files/sha256/${asset.sha256}`;
}

/** The asset a banner refers to (by name or as `sha256:<hex>`). */
export function findAsset(assets: readonly AssetInfo[], ref: string): AssetInfo | undefined {
  return ref.startsWith('sha256:')
    ? assets.find((a) => a.sha256 === ref.slice(7))
    : assets.find((a) => a.name === ref);
}

/** Playlists of the plan that refer to a content id. */
export function playlistsUsing(doc: PlanWithApproval, contentId: string) {
  return doc.playlists.filter((p) =>
    p.items.some((i) => (typeof i === 'string' ? i : i.content) === contentId),
  );
}

const FALLBACK_BOARD: Board = { id: 'preview', name: '', width: 384, height: 128 };

/** The board a preview uses: the chosen one, else the plan's first, else a common LED size. */
export function boardFor(doc: PlanWithApproval, boardId: string | null): Board {
  return doc.boards.find((b) => b.id === boardId) ?? doc.boards[0] ?? FALLBACK_BOARD;
}

/** Picks the board whose size a preview is drawn at. */
export function BoardPicker(props: {
  boards: readonly Board[];
  value: string;
  onChange: (boardId: string) => void;
}) {
  const { t } = useI18n();
  if (props.boards.length === 0) return <p class="hint">{t('content.preview.noBoards')}</p>;
  return (
    <Field label={t('content.preview.board')}>
      {(a) => (
        <select
          {...a}
          value={props.value}
          data-testid="preview-board"
          onChange={(e) => {
            props.onChange(e.currentTarget.value);
          }}
        >
          {props.boards.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name} ({t('unit.px', { w: b.width, h: b.height })})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

// dashboard.css .preview-screen: a 6 px frame on each side, at most 360 px high.
const SCREEN_BORDER_PX = 12;
const SCREEN_MAX_HEIGHT_PX = 360;

type Playback = typeof import('../../../player/app/playback');
let playbackModule: Promise<Playback> | undefined;

/** The render item the player would show for `content` on `board` (its own rules, loaded lazily). */
async function renderItemOf(
  info: PlanInfo,
  board: Board,
  content: Content,
  assets: readonly AssetInfo[],
  durationSec: number,
): Promise<RenderItem> {
  // With the preview's renderer, not with the dashboard: it brings the shared model with it.
  playbackModule ??= import('../../../player/app/playback');
  const { renderItemFor } = await playbackModule;
  const asset = content.kind === 'banner' ? findAsset(assets, content.asset) : undefined;
  const bundle: Bundle = {
    format: 'bangtin-bundle/1',
    version: 1,
    releaseVersion: 1,
    hash: '0'.repeat(64),
    boardId: board.id,
    board,
    plan: {
      format: 'bangtin-plan/1',
      plan: info,
      phases: [],
      boards: [board],
      content: [content],
      playlists: [],
      schedules: [],
      announcements: [],
    },
    assets: asset
      ? [
          {
            // Under the name the banner refers to, as a release would list it.
            name: content.kind === 'banner' ? content.asset : asset.name,
            sha256: asset.sha256,
            url: assetUrl(asset),
            size: asset.size,
            type: asset.type,
          },
        ]
      : [],
    signature: { alg: 'Ed25519', value: 'A'.repeat(86) },
  };
  return renderItemFor(bundle, {
    kind: 'item',
    content: content.id,
    startMs: 0,
    endMs: Math.max(1, Math.round(durationSec * 1000)),
  });
}

/**
 * What the board shows for `content`, drawn by the player's renderer at the board's size. Follows
 * edits after a short pause (`debounceMs`) so typing stays smooth; `replay` restarts the motion.
 */
export function ContentPreview(props: {
  info: PlanInfo;
  board: Board;
  content: Content | null;
  assets: readonly AssetInfo[];
  durationSec?: number;
  debounceMs?: number;
  replay?: number;
  testId?: string;
}) {
  const { t } = useI18n();
  const { info, board, content, assets } = props;
  const [item, setItem] = useState<RenderItem | null>(null);
  const seconds = props.durationSec ?? effectiveSeconds(content ?? undefined);
  const asset = content?.kind === 'banner' ? findAsset(assets, content.asset) : undefined;
  // Only a real change (or a replay) redraws: a new object with the same meaning must not restart it.
  const key = JSON.stringify([content, asset?.sha256, board.width, board.height, seconds]);
  const first = useRef(true);
  const replay = props.replay ?? 0;
  useEffect(() => {
    let live = true;
    const wait = first.current ? 0 : (props.debounceMs ?? 250);
    first.current = false;
    const timer = setTimeout(() => {
      if (!content) {
        setItem(null);
        return;
      }
      void renderItemOf(info, board, content, assets, seconds).then((next) => {
        if (live) setItem(next);
      });
    }, wait);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, replay]);
  // The player scales a board by whole device pixels per LED and centres it; a box of exactly
  // that size keeps black margins from looking like part of the picture (a banner seems inset).
  const box = useRef<HTMLDivElement>(null);
  const [boxWidth, setBoxWidth] = useState<number | null>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => {
      const dpr = window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
      const inner = Math.min(
        element.clientWidth - SCREEN_BORDER_PX,
        ((SCREEN_MAX_HEIGHT_PX - SCREEN_BORDER_PX) * board.width) / board.height,
      );
      const whole = Math.floor((inner * dpr) / board.width);
      const width = whole >= 1 ? (whole * board.width) / dpr : inner;
      setBoxWidth(Math.floor(width) + SCREEN_BORDER_PX);
    };
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    measure();
    return () => {
      observer.disconnect();
    };
  }, [board.width, board.height]);
  return (
    <div ref={box} class="content-preview-box">
      <div
        class="content-preview-fit"
        style={boxWidth === null ? undefined : { maxWidth: `${boxWidth}px` }}
      >
        <BoardPreview
          width={board.width}
          height={board.height}
          item={item}
          label={t('content.preview.label', { board: board.name || t('content.preview.generic') })}
          testId={props.testId ?? 'content-preview'}
        />
      </div>
    </div>
  );
}

/** A `<progress>` with what it measures in words (a percentage, a count), announced as it moves. */
export function ProgressBar(props: {
  value: number;
  max: number;
  label: string;
  text: string;
  testId: string;
}) {
  return (
    <div class="content-progress" data-testid={props.testId}>
      <progress value={props.value} max={props.max} aria-label={props.label} />
      <span role="status" aria-live="polite">
        {props.text}
      </span>
    </div>
  );
}

/** Why an editor's last save was refused, with the sentence that heads the problems. */
export interface EditorFailure {
  failure: ApiFailure;
  title?: string;
}

/**
 * The foot of a slogan, banner or playlist editor: the refusal if any, then Cancel, Save draft
 * and Save. With `submitsForm`, Save is the form's submit button, so Enter in a field saves.
 */
export function EditorActions(props: {
  failure: EditorFailure | undefined;
  cancelHref: string;
  disabled: boolean;
  busy: boolean;
  testIdPrefix: string;
  submitsForm: boolean;
  onSave: (asDraft: boolean) => void;
}) {
  const { t } = useI18n();
  const { failure } = props;
  return (
    <>
      <ErrorNotice
        failure={failure?.failure}
        {...(failure?.title ? { title: failure.title } : {})}
      />
      <div class="content-actions">
        <a class="button" href={props.cancelHref}>
          {t('action.cancel')}
        </a>
        <button
          type="button"
          disabled={props.disabled}
          data-testid={`${props.testIdPrefix}-save-draft`}
          onClick={() => {
            props.onSave(true);
          }}
        >
          {t('content.saveDraft')}
        </button>
        <button
          type={props.submitsForm ? 'submit' : 'button'}
          class="primary"
          disabled={props.disabled}
          data-testid={`${props.testIdPrefix}-save`}
          onClick={
            props.submitsForm
              ? undefined
              : () => {
                  props.onSave(false);
                }
          }
        >
          {props.busy ? t('content.saving') : t('content.save')}
        </button>
      </div>
    </>
  );
}

/** The id of an item not saved yet: proposed from its words, the user may change it. */
export function NewIdField(props: { id: string; testId: string; onInput: (id: string) => void }) {
  const { t } = useI18n();
  return (
    <Field label={t('field.id')} hint={t('content.id.hint')}>
      {(a) => (
        <input
          {...a}
          value={props.id}
          spellcheck={false}
          autocomplete="off"
          data-testid={props.testId}
          onInput={(e) => {
            props.onInput(e.currentTarget.value);
          }}
        />
      )}
    </Field>
  );
}

/** The id of a saved item, which no longer changes. */
export function FixedId(props: { id: string }) {
  const { t } = useI18n();
  return (
    <p>
      {t('field.id')}: <code>{props.id}</code>
    </p>
  );
}

/** Seconds a slogan or banner plays, as typed; empty means the kind's default. */
export function DurationField(props: {
  kind: Content['kind'];
  value: string;
  onInput: (value: string) => void;
  hint?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const fallback = defaultSeconds(props.kind);
  return (
    <Field
      label={t('content.duration')}
      hint={props.hint ?? t('content.duration.hint', { n: fallback })}
    >
      {(a) => (
        <input
          {...a}
          type="number"
          inputMode="decimal"
          min={1}
          max={3600}
          step="any"
          class="content-short"
          value={props.value}
          placeholder={String(fallback)}
          {...(props.testId ? { 'data-testid': props.testId } : {})}
          onInput={(e) => {
            props.onInput(e.currentTarget.value);
          }}
        />
      )}
    </Field>
  );
}
