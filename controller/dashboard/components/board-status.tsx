import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { dateTimeIn } from './schedule-format';

/** One board's live status as `GET /api/boards/status` answers it (controller/telemetry/status.ts). */
export interface BoardLiveStatus {
  boardId: string;
  connected: boolean;
  connections: number;
  lastSeenMs: number | null;
  nowPlaying: {
    id: string;
    kind: 'item' | 'announcement' | 'idle' | 'blank';
    startedAtMs: number;
    bundleVersion: number | null;
  } | null;
  bundleVersion: number | null;
  clockOffsetMs: number | null;
  uptimeMs: number | null;
  screen: { width: number; height: number } | null;
  errors: string[];
  /** The bundle version of this board in the latest release; null when it is in none. */
  latestBundleVersion: number | null;
}

/** Where the board cards get their statuses from: today a poll, later a live socket. */
export interface BoardStatusFeed {
  statuses: ReadonlyMap<string, BoardLiveStatus>;
  failure: ApiFailure | undefined;
  /** When the statuses were last read, by the controller's clock; null before the first answer. */
  updatedMs: number | null;
}

export const STATUS_POLL_MS = 10_000;

/**
 * Every board's status, read from `GET /api/boards/status` now and every 10 s. A live feed
 * (socket.io) can replace this hook: the components below only need a `BoardStatusFeed`.
 */
export function useBoardStatusPoll(): BoardStatusFeed {
  const session = useSession();
  const [feed, setFeed] = useState<BoardStatusFeed>({
    statuses: new Map(),
    failure: undefined,
    updatedMs: null,
  });
  useEffect(() => {
    let live = true;
    const read = () => {
      void session.api.get<BoardLiveStatus[]>('/api/boards/status').then((result) => {
        if (!live) return;
        setFeed((old) =>
          result.ok
            ? {
                statuses: new Map(result.value.map((s) => [s.boardId, s])),
                failure: undefined,
                updatedMs: session.now(),
              }
            : { ...old, failure: result },
        );
      });
    };
    read();
    const timer = setInterval(read, STATUS_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [session.api, session.generation]);
  return feed;
}

export function isOnline(status: BoardLiveStatus | undefined): boolean {
  return status?.connected === true;
}

/** The online/offline badge: colour and words, never colour alone. */
export function OnlineBadge(props: { status: BoardLiveStatus | undefined }) {
  const { t } = useI18n();
  const online = isOnline(props.status);
  return (
    <span
      class={online ? 'badge badge-online' : 'badge badge-offline'}
      data-testid="board-online"
      data-online={String(online)}
    >
      {online ? t('boards.status.online') : t('boards.status.offline')}
    </span>
  );
}

/**
 * What a board is doing: online or not, what it plays, and whether it holds the latest bundle.
 * `describe` names a content id for people (the slogan's text, the banner's file).
 */
export function BoardStatusView(props: {
  status: BoardLiveStatus | undefined;
  timeZone: string;
  describe?: (contentId: string) => string;
  compact?: boolean;
}) {
  const { t } = useI18n();
  const { status } = props;
  const online = isOnline(status);
  const playing = status?.nowPlaying ?? null;
  const playingText = !playing
    ? t('boards.status.playing.unknown')
    : playing.kind === 'item'
      ? (props.describe?.(playing.id) ?? playing.id)
      : playing.kind === 'announcement'
        ? t('boards.status.playing.announcement', { id: playing.id })
        : playing.kind === 'blank'
          ? t('boards.status.playing.blank')
          : t('boards.status.playing.idle');
  const version = status?.bundleVersion ?? null;
  const latest = status?.latestBundleVersion ?? null;
  const lastSeenMs = status?.lastSeenMs ?? null;
  const neverSeen = !online && lastSeenMs === null;
  const bundle = (
    <dd data-testid="board-bundle" data-bundle-version={version ?? ''}>
      {version === null
        ? t('boards.status.bundle.none')
        : t('boards.status.bundle.version', { v: version })}{' '}
      {latest === null ? (
        <small>{t('boards.status.bundle.notReleased')}</small>
      ) : version === null ? (
        <small>{t('boards.status.bundle.latest', { latest })}</small>
      ) : version >= latest ? (
        <span class="badge badge-approved">{t('boards.status.bundle.current')}</span>
      ) : (
        <span class="badge badge-pending">{t('boards.status.bundle.behind', { latest })}</span>
      )}
    </dd>
  );
  return (
    <div class="board-status" data-testid="board-status" data-online={String(online)}>
      <div class="board-status-line">
        <OnlineBadge status={status} />
        {status && status.connections > 1 ? (
          <small>{t('boards.status.connections', { n: status.connections })}</small>
        ) : null}
        {neverSeen ? <small>{t('boards.status.neverConnected')}</small> : null}
      </div>
      {neverSeen && props.compact ? null : (
        <dl class={props.compact ? 'board-status-list board-status-compact' : 'board-status-list'}>
          {neverSeen ? null : (
            <>
              <dt>{online ? t('boards.status.playing') : t('boards.status.lastPlaying')}</dt>
              <dd data-testid="board-now-playing" data-now-playing={playing?.id ?? ''}>
                {playingText}
              </dd>
            </>
          )}
          <dt>{t('boards.status.bundle')}</dt>
          {bundle}
          {lastSeenMs !== null && (!props.compact || !online) ? (
            <>
              <dt>{t('boards.status.lastSeen')}</dt>
              <dd>{dateTimeIn(props.timeZone, lastSeenMs)}</dd>
            </>
          ) : null}
          {!props.compact && status?.screen ? (
            <>
              <dt>{t('boards.status.screen')}</dt>
              <dd>{t('unit.px', { w: status.screen.width, h: status.screen.height })}</dd>
            </>
          ) : null}
        </dl>
      )}
      {status && status.errors.length > 0 ? (
        <ul class="board-errors" aria-label={t('boards.status.errors')}>
          {status.errors.slice(0, props.compact ? 1 : 20).map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
