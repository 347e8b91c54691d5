import { useEffect, useState } from 'preact/hooks';
import type { Bundle } from '../../../playlists/protocol';
import type { RenderItem } from '../../../player/render/types';
import { useI18n, type Locale, type MessageKey, type Translate } from '../i18n';
import type {
  Announcement,
  Board,
  Content,
  PlanWithApproval,
  Playlist,
  PlaylistItem,
  Schedule,
} from '../plan-data';
import {
  describeSchedule,
  describeTargets,
  describeWeekdays,
  formatDate,
  formatInstant,
  targetedBoards,
} from './approval-format';
import { BoardPreview } from './preview';
import { Field } from './ui';

/** The kinds that go through approval. */
export type ApprovalKind = 'content' | 'playlists' | 'schedules' | 'announcements';

export interface PersonRef {
  userId: string;
  username?: string;
}

/** `GET /api/approvals`: an item waiting (or decided), with both versions. */
export interface QueueEntry {
  planId: string;
  kind: ApprovalKind;
  id: string;
  status: 'draft' | 'pending' | 'approved' | 'rejected';
  revision: number;
  authors: PersonRef[];
  changedAt: string;
  submittedAt?: string;
  rejection?: { revision: number; by: PersonRef; at: string; reason: string };
  pending: unknown;
  /** A banner's image in the waiting version (null: no file uploaded under its name). */
  pendingAsset?: ImageInfo | null;
  approved: {
    revision: number;
    value: unknown;
    by: PersonRef;
    at: string;
    urgent?: true;
    /** A banner's image as it was approved, which the boards show until the new one is. */
    asset?: ImageInfo | null;
  } | null;
}

/** `GET /api/assets`: an uploaded banner file. */
export interface AssetInfo {
  name: string;
  sha256: string;
  type: string;
  size: number;
}

/** A banner's image as the queue names it, beside the version it belongs to. */
export interface ImageInfo extends AssetInfo {
  url: string;
  width: number;
  height: number;
}

/** For a banner: the image each side shows, and whether it is another file. */
export function bannerImages(
  entry: QueueEntry,
): { approved: ImageInfo | null; pending: ImageInfo | null; replaced: boolean } | undefined {
  if (entry.kind !== 'content' || entry.pendingAsset === undefined) return undefined;
  const approved = entry.approved?.asset ?? null;
  const pending = entry.pendingAsset;
  return {
    approved,
    pending,
    replaced: entry.approved !== null && approved?.sha256 !== pending?.sha256,
  };
}

/** A file in a few words: name, size in pixels, the start of its hash. */
function describeImage(t: Translate, image: ImageInfo | null): string {
  if (!image) return t('approvals.image.none');
  return t('approvals.image.file', {
    name: image.name,
    w: image.width,
    h: image.height,
    hash: image.sha256.slice(0, 12),
  });
}

/** A user as the queue names them: their username, else their id; the seed is "system". */
export function personName(t: Translate, p: PersonRef): string {
  if (p.username !== undefined) return p.username;
  return p.userId === 'system' ? t('approvals.system') : p.userId;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with sorted keys, so two equal values compare equal whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`;
  }
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** One line naming an item for a person: a slogan's text, a playlist's name, a schedule's rule. */
export function summaryOf(
  t: Translate,
  locale: Locale,
  entry: QueueEntry,
  doc: PlanWithApproval | undefined,
): string {
  const value = entry.pending ?? entry.approved?.value;
  if (!isObject(value)) return t('approvals.deleted');
  switch (entry.kind) {
    case 'content': {
      const c = value as Content;
      return c.kind === 'slogan' ? c.text : t('approvals.bannerFile', { asset: c.asset });
    }
    case 'playlists':
      return (value as Playlist).name;
    case 'schedules':
      return describeSchedule(t, locale, value as Schedule, doc);
    case 'announcements':
      return (value as Announcement).text;
  }
}

const FIELD_KEYS: Record<string, MessageKey> = {
  kind: 'approvals.field.kind',
  text: 'approvals.field.text',
  asset: 'approvals.field.asset',
  durationSec: 'approvals.field.durationSec',
  motion: 'approvals.field.motion',
  speedPxPerSec: 'approvals.field.speedPxPerSec',
  fit: 'approvals.field.fit',
  style: 'approvals.field.style',
  name: 'approvals.field.name',
  items: 'approvals.field.items',
  playlist: 'approvals.field.playlist',
  phase: 'approvals.field.phase',
  from: 'approvals.field.from',
  to: 'approvals.field.to',
  on: 'approvals.field.on',
  weekdays: 'approvals.field.weekdays',
  hours: 'approvals.field.hours',
  boards: 'approvals.field.boards',
  priority: 'approvals.field.priority',
};

/** The order fields are compared in; others follow in their own order. */
const FIELD_ORDER = Object.keys(FIELD_KEYS);

/** A value with no better words for it: itself if it is a scalar, else its JSON. */
function plain(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

function formatField(
  t: Translate,
  locale: Locale,
  kind: ApprovalKind,
  key: string,
  value: unknown,
  doc: PlanWithApproval | undefined,
): string {
  if (value === undefined) return t('approvals.value.none');
  const timeZone = doc?.plan.timeZone ?? 'UTC';
  switch (key) {
    case 'kind':
      return value === 'banner'
        ? t('approvals.contentKind.banner')
        : t('approvals.contentKind.slogan');
    case 'durationSec':
    case 'speedPxPerSec':
      return typeof value === 'number'
        ? key === 'durationSec'
          ? t('unit.seconds', { n: value })
          : t('approvals.speed', { n: value })
        : plain(value);
    case 'motion':
      return value === 'scroll-left'
        ? t('approvals.motion.scroll')
        : value === 'paged'
          ? t('approvals.motion.paged')
          : t('approvals.motion.static');
    case 'weekdays':
      return Array.isArray(value) ? describeWeekdays(t, value as number[]) : plain(value);
    case 'hours':
      return Array.isArray(value)
        ? (value as { from: string; to: string }[]).map((h) => `${h.from}–${h.to}`).join(', ')
        : plain(value);
    case 'on':
      return Array.isArray(value)
        ? (value as string[]).map((md) => md.split('-').reverse().join('/')).join(', ')
        : plain(value);
    case 'boards':
      return describeTargets(t, value as Schedule['boards'], doc?.boards ?? []);
    case 'from':
    case 'to':
      if (typeof value !== 'string') return plain(value);
      return kind === 'announcements'
        ? formatInstant(locale, timeZone, value)
        : formatDate(locale, value);
    case 'phase':
      return doc?.phases.find((p) => p.id === value)?.name ?? plain(value);
    case 'playlist':
      return doc?.playlists.find((p) => p.id === value)?.name ?? plain(value);
    case 'items':
      return Array.isArray(value) ? t('approvals.itemCount', { n: value.length }) : plain(value);
    case 'style':
      if (!isObject(value)) return plain(value);
      return Object.entries(value)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join(', ');
    default:
      return plain(value);
  }
}

/** Field by field: the approved value beside the waiting one, changed rows marked. */
function FieldComparison(props: { entry: QueueEntry; doc: PlanWithApproval | undefined }) {
  const { t, locale } = useI18n();
  const { entry, doc } = props;
  const before = isObject(entry.approved?.value) ? entry.approved.value : {};
  const after = isObject(entry.pending) ? entry.pending : {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => k !== 'id')
    .sort((a, b) => {
      const ia = FIELD_ORDER.indexOf(a);
      const ib = FIELD_ORDER.indexOf(b);
      return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
    });
  const isNew = entry.approved === null;
  const images = bannerImages(entry);
  return (
    <table class="table approval-fields" data-testid="approval-fields">
      <caption class="sr-only">{t('approvals.fields.caption', { id: entry.id })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('approvals.fields.field')}</th>
          <th scope="col">{t('approvals.side.approved')}</th>
          <th scope="col">{t('approvals.side.pending')}</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const changed = stableJson(before[key]) !== stableJson(after[key]);
          return (
            <tr
              key={key}
              class={changed ? 'approval-changed' : undefined}
              data-field={key}
              data-changed={changed ? 'true' : 'false'}
            >
              <th scope="row">
                {key in FIELD_KEYS ? t(FIELD_KEYS[key] ?? 'approvals.field.text') : key}
                {changed ? (
                  <span class="approval-changed-mark">
                    {isNew ? t('approvals.fields.new') : t('approvals.fields.changed')}
                  </span>
                ) : null}
              </th>
              <td>{isNew ? '' : formatField(t, locale, entry.kind, key, before[key], doc)}</td>
              <td>{formatField(t, locale, entry.kind, key, after[key], doc)}</td>
            </tr>
          );
        })}
        {images ? (
          <tr
            class={images.replaced || isNew ? 'approval-changed' : undefined}
            data-field="image"
            data-changed={images.replaced || isNew ? 'true' : 'false'}
          >
            <th scope="row">
              {t('approvals.field.image')}
              {images.replaced || isNew ? (
                <span class="approval-changed-mark">
                  {isNew ? t('approvals.fields.new') : t('approvals.image.replaced')}
                </span>
              ) : null}
            </th>
            <td>{isNew ? '' : describeImage(t, images.approved)}</td>
            <td>{describeImage(t, images.pending)}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

function itemKey(item: PlaylistItem): string {
  return typeof item === 'string'
    ? `${item}|`
    : `${item.content}|${String(item.durationSec ?? '')}`;
}

/** A playlist's items in order, with what the other side lacks marked added or removed. */
function PlaylistItems(props: {
  items: PlaylistItem[];
  other: PlaylistItem[] | null;
  mark: 'added' | 'removed';
  doc: PlanWithApproval | undefined;
}) {
  const { t } = useI18n();
  const { doc } = props;
  // Items count as a multiset: a repeated slogan dropped once is one removal.
  const remaining = new Map<string, number>();
  for (const item of props.other ?? []) {
    remaining.set(itemKey(item), (remaining.get(itemKey(item)) ?? 0) + 1);
  }
  return (
    <ol class="approval-items">
      {props.items.map((item, i) => {
        const key = itemKey(item);
        const left = remaining.get(key) ?? 0;
        const marked = props.other !== null && left === 0;
        if (left > 0) remaining.set(key, left - 1);
        const contentId = typeof item === 'string' ? item : item.content;
        const content = doc?.content.find((c) => c.id === contentId);
        const ownSec = typeof item === 'string' ? undefined : item.durationSec;
        const seconds = ownSec ?? content?.durationSec ?? (content?.kind === 'banner' ? 10 : 15);
        return (
          <li
            key={`${key}:${String(i)}`}
            class={marked ? `approval-item-${props.mark}` : undefined}
          >
            {marked ? (
              <span class="approval-item-mark">
                {props.mark === 'added' ? t('approvals.item.added') : t('approvals.item.removed')}
              </span>
            ) : null}
            <span class="approval-item-text">
              {content
                ? content.kind === 'slogan'
                  ? content.text
                  : t('approvals.bannerFile', { asset: content.asset })
                : contentId}
            </span>{' '}
            <small class="hint">{t('unit.seconds', { n: seconds })}</small>
          </li>
        );
      })}
    </ol>
  );
}

type Playback = typeof import('../../../player/app/playback');
let playbackModule: Promise<Playback> | undefined;

/** What the player would show for a content item or announcement on `board` (its own rules). */
async function renderItemOf(
  doc: PlanWithApproval,
  board: Board,
  value: Content | Announcement,
  kind: 'content' | 'announcements',
  assets: readonly AssetInfo[],
): Promise<RenderItem> {
  playbackModule ??= import('../../../player/app/playback');
  const { renderItemFor } = await playbackModule;
  const content = kind === 'content' ? (value as Content) : null;
  const asset =
    content?.kind === 'banner'
      ? content.asset.startsWith('sha256:')
        ? assets.find((a) => a.sha256 === content.asset.slice(7))
        : assets.find((a) => a.name === content.asset)
      : undefined;
  const bundle: Bundle = {
    format: 'bangtin-bundle/1',
    version: 1,
    releaseVersion: 1,
    hash: '0'.repeat(64),
    boardId: board.id,
    board,
    plan: {
      format: 'bangtin-plan/1',
      plan: doc.plan,
      phases: [],
      boards: [board],
      content: content ? [content] : [],
      playlists: [],
      schedules: [],
      announcements: kind === 'announcements' ? [value as Announcement] : [],
    },
    assets:
      asset && content?.kind === 'banner'
        ? [
            {
              name: content.asset,
              sha256: asset.sha256,
              url: `/files/sha256/${asset.sha256}`,
              size: asset.size,
              type: asset.type,
            },
          ]
        : [],
    signature: { alg: 'Ed25519', value: 'A'.repeat(86) },
  };
  const seconds = content?.durationSec ?? (content?.kind === 'banner' ? 10 : content ? 15 : 0);
  return kind === 'content'
    ? renderItemFor(bundle, {
        kind: 'item',
        content: value.id,
        startMs: 0,
        endMs: Math.max(1, Math.round(seconds * 1000)),
      })
    : renderItemFor(bundle, {
        kind: 'announcement',
        announcement: value.id,
        startMs: 0,
        endMs: 1,
      });
}

/** One side of the comparison drawn by the board's own renderer. */
function SidePreview(props: {
  doc: PlanWithApproval;
  board: Board;
  value: unknown;
  kind: 'content' | 'announcements';
  assets: readonly AssetInfo[];
  label: string;
  testId: string;
}) {
  const [item, setItem] = useState<RenderItem | null>(null);
  const key = stableJson([
    props.value,
    props.board.width,
    props.board.height,
    props.assets.map((a) => a.sha256),
  ]);
  useEffect(() => {
    let live = true;
    if (!isObject(props.value)) {
      setItem(null);
      return;
    }
    void renderItemOf(
      props.doc,
      props.board,
      props.value as Content | Announcement,
      props.kind,
      props.assets,
    ).then((next) => {
      if (live) setItem(next);
    });
    return () => {
      live = false;
    };
  }, [key]);
  return (
    <BoardPreview
      width={props.board.width}
      height={props.board.height}
      item={item}
      label={props.label}
      testId={props.testId}
    />
  );
}

/**
 * The change an approver decides on: the last approved version (or "new") on the left, the
 * waiting one on the right; content and announcements drawn as the board shows them.
 */
export function ChangePreview(props: {
  entry: QueueEntry;
  doc: PlanWithApproval | undefined;
  assets: readonly AssetInfo[];
}) {
  const { t, locale } = useI18n();
  const { entry, doc } = props;
  const timeZone = doc?.plan.timeZone ?? 'UTC';
  const drawable = entry.kind === 'content' || entry.kind === 'announcements';
  // Announcements are previewed on a board they reach; content on any board of the plan.
  const boards = doc
    ? entry.kind === 'announcements' && isObject(entry.pending)
      ? [
          ...targetedBoards(doc.boards, (entry.pending as Announcement).boards),
          ...doc.boards.filter(
            (b) => !targetedBoards(doc.boards, (entry.pending as Announcement).boards).includes(b),
          ),
        ]
      : doc.boards
    : [];
  const [boardId, setBoardId] = useState<string>(boards[0]?.id ?? '');
  const board = boards.find((b) => b.id === boardId) ?? boards[0];
  const approved = entry.approved;
  // A banner is drawn with the image of its own version: the one approved with it on the left,
  // the file its name means now on the right (they differ when the image was replaced).
  const images = bannerImages(entry);
  const sideAssets = (which: 'approved' | 'pending'): readonly AssetInfo[] => {
    if (!images) return props.assets;
    const image = which === 'approved' ? images.approved : images.pending;
    return image ? [image] : [];
  };

  const side = (which: 'approved' | 'pending') => {
    const value = which === 'approved' ? approved?.value : entry.pending;
    if (which === 'approved' && !approved) {
      return <p class="approval-new">{t('approvals.side.none')}</p>;
    }
    if (!isObject(value)) return <p class="approval-new">{t('approvals.deleted')}</p>;
    if (drawable && doc && board) {
      return (
        <SidePreview
          doc={doc}
          board={board}
          value={value}
          kind={entry.kind as 'content' | 'announcements'}
          assets={sideAssets(which)}
          label={t(
            which === 'approved' ? 'approvals.preview.approved' : 'approvals.preview.pending',
            {
              board: board.name,
            },
          )}
          testId={`approval-preview-${which}`}
        />
      );
    }
    if (entry.kind === 'playlists') {
      const other = which === 'approved' ? entry.pending : approved?.value;
      return (
        <PlaylistItems
          items={(value as Playlist).items}
          other={isObject(other) ? (other as Playlist).items : null}
          mark={which === 'approved' ? 'removed' : 'added'}
          doc={doc}
        />
      );
    }
    if (entry.kind === 'schedules') {
      return <p class="approval-rule">{describeSchedule(t, locale, value as Schedule, doc)}</p>;
    }
    return null;
  };

  return (
    <div class="approval-change" data-testid="approval-change">
      {drawable && boards.length > 1 ? (
        <div class="approval-board-pick">
          <Field label={t('approvals.preview.board')}>
            {(a) => (
              <select
                {...a}
                value={board?.id ?? ''}
                data-testid="approval-preview-board"
                onChange={(e) => {
                  setBoardId(e.currentTarget.value);
                }}
              >
                {boards.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name} ({t('unit.px', { w: b.width, h: b.height })})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      ) : null}
      <div class="approval-compare" data-testid="approval-compare">
        <div class="approval-side approval-side-old">
          <h4>
            {approved
              ? t('approvals.side.approvedAt', {
                  revision: approved.revision,
                  by: personName(t, approved.by),
                  at: formatInstant(locale, timeZone, approved.at),
                })
              : t('approvals.side.newItem')}
            {approved?.urgent ? (
              <span class="badge badge-pending">{t('approvals.urgent')}</span>
            ) : null}
          </h4>
          {side('approved')}
        </div>
        <div class="approval-side approval-side-new">
          <h4>
            {t('approvals.side.pendingRev', { revision: entry.revision })}
            {images?.replaced ? (
              <span class="badge badge-pending" data-testid="approval-image-replaced">
                {t('approvals.image.replaced')}
              </span>
            ) : null}
          </h4>
          {side('pending')}
        </div>
      </div>
      {images?.replaced ? (
        <p class="approval-image-note" role="note">
          {t('approvals.image.note', {
            before: describeImage(t, images.approved),
            after: describeImage(t, images.pending),
          })}
        </p>
      ) : null}
      <FieldComparison entry={entry} doc={doc} />
    </div>
  );
}
