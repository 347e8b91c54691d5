import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useI18n } from '../i18n';
import {
  useLiveMonitor,
  type BoardHealth,
  type LiveMonitorView,
  type Screenshot,
  type ScreenshotInfo,
} from '../live';
import { useSession } from '../session';
import {
  agoText,
  clockOffsetText,
  dateTimeSecondsIn,
  durationText,
  shownText,
  useNowTick,
} from './monitor-format';
import { failureText } from './ui';

/** Where the board cards get their statuses from: the live `/monitor` socket (live.ts). */
export type BoardStatusFeed = LiveMonitorView;

/** Every board's status, live: a snapshot on (re)connection, then each change as it happens. */
export function useBoardStatusFeed(): BoardStatusFeed {
  return useLiveMonitor();
}

/** Online as the controller judges it: heard from within the offline threshold. */
export function isOnline(status: BoardHealth | undefined): boolean {
  return status?.state === 'online';
}

/** Whether the live feed is up, announced politely when it changes. */
export function LiveIndicator(props: { feed: BoardStatusFeed; timeZone: string }) {
  const { t } = useI18n();
  const { feed } = props;
  const text = feed.connected
    ? t('monitor.live.on')
    : feed.refusal === null
      ? feed.snapshotAt === null
        ? t('monitor.live.connecting')
        : t('monitor.live.lost')
      : feed.refusal === 'network'
        ? t('monitor.live.lost')
        : t('monitor.live.refused', { code: feed.refusal });
  return (
    <p
      class={feed.connected ? 'live-indicator live-on' : 'live-indicator live-off'}
      role="status"
      aria-live="polite"
      data-testid="live-indicator"
      data-live={String(feed.connected)}
    >
      <span class="live-dot" aria-hidden="true" />
      {text}
      {feed.snapshotAt !== null && !feed.connected ? (
        <small>
          {' '}
          · {t('monitor.live.since', { at: dateTimeSecondsIn(props.timeZone, feed.snapshotAt) })}
        </small>
      ) : null}
    </p>
  );
}

/**
 * The online/offline badge: colour and words, never colour alone. A board still within the
 * offline threshold whose connection is gone (its browser closed, or the controller restarted
 * and it has not come back yet) says it is waiting to reconnect, not that it is online.
 */
export function OnlineBadge(props: { status: BoardHealth | undefined }) {
  const { t } = useI18n();
  const online = isOnline(props.status);
  const connected = props.status?.connected === true;
  const unpaired = !props.status || props.status.state === 'unpaired';
  return (
    <span
      class={
        online
          ? connected
            ? 'badge badge-online'
            : 'badge badge-pending'
          : unpaired
            ? 'badge badge-draft'
            : 'badge badge-offline'
      }
      data-testid="board-online"
      data-online={String(online)}
      data-connected={String(connected)}
      title={online && !connected ? t('boards.status.reconnecting.hint') : undefined}
    >
      {online
        ? connected
          ? t('boards.status.online')
          : t('boards.status.reconnecting')
        : unpaired
          ? t('monitor.state.unpaired')
          : t('boards.status.offline')}
    </span>
  );
}

/** The board's problems as badges: stale bundle, wrong content, clock skew, blanked. */
function ProblemBadges(props: { status: BoardHealth }) {
  const { t } = useI18n();
  const s = props.status;
  return (
    <>
      {s.bundle.stale ? (
        <span class="badge badge-pending" data-problem="stale">
          {t('monitor.kind.stale')}
        </span>
      ) : null}
      {s.wrongContent ? (
        <span class="badge badge-offline" data-problem="wrong_content">
          {t('monitor.kind.wrong_content')}
        </span>
      ) : null}
      {s.clockSkew ? (
        <span class="badge badge-pending" data-problem="clock_skew">
          {t('monitor.kind.clock_skew')}
        </span>
      ) : null}
      {s.blanked ? <span class="badge badge-draft">{t('monitor.card.blanked')}</span> : null}
    </>
  );
}

/**
 * What a board is doing: online or not, what it shows against what it must show, its bundle,
 * clock, screen, uptime and errors. `describe` names a content id for people (the slogan's
 * text, the banner's file).
 */
export function BoardStatusView(props: {
  status: BoardHealth | undefined;
  timeZone: string;
  describe?: (contentId: string) => string;
  compact?: boolean;
}) {
  const { t, locale } = useI18n();
  const nowMs = useNowTick();
  const { status, compact = false } = props;
  const online = isOnline(status);
  const lastSeenAt = status?.lastSeenAt ?? null;
  const neverSeen = lastSeenAt === null;
  const showing = status?.showing ?? null;
  const expected = status?.expected ?? null;
  const held = status?.bundle.held ?? null;
  const latest = status?.bundle.latest ?? null;
  const bundle = (
    <dd data-testid="board-bundle" data-bundle-version={held ?? ''}>
      {held === null
        ? t('boards.status.bundle.none')
        : t('boards.status.bundle.version', { v: held })}{' '}
      {latest === null ? (
        <small>{t('boards.status.bundle.notReleased')}</small>
      ) : held === null ? (
        <small>{t('boards.status.bundle.latest', { latest })}</small>
      ) : held >= latest ? (
        <span class="badge badge-approved">{t('boards.status.bundle.current')}</span>
      ) : (
        <span class="badge badge-pending">{t('boards.status.bundle.behind', { latest })}</span>
      )}
    </dd>
  );
  const showClock =
    status?.clockOffsetMs !== null &&
    status?.clockOffsetMs !== undefined &&
    (!compact || status.clockSkew);
  return (
    <div
      class="board-status"
      data-testid="board-status"
      data-online={String(online)}
      data-state={status?.state ?? 'unpaired'}
    >
      <div class="board-status-line">
        <OnlineBadge status={status} />
        {status ? <ProblemBadges status={status} /> : null}
        {status && status.players > 1 ? (
          <small>{t('boards.status.connections', { n: status.players })}</small>
        ) : null}
        {status && online && !status.connected ? (
          <small>{t('monitor.card.disconnected')}</small>
        ) : null}
        {neverSeen ? <small>{t('boards.status.neverConnected')}</small> : null}
      </div>
      {neverSeen && compact ? null : (
        <dl class={compact ? 'board-status-list board-status-compact' : 'board-status-list'}>
          {showing ? (
            <>
              <dt>{online ? t('boards.status.playing') : t('boards.status.lastPlaying')}</dt>
              <dd
                data-testid="board-now-playing"
                data-now-playing={showing.id}
                class={status?.wrongContent ? 'board-wrong' : undefined}
              >
                {shownText(t, showing, props.describe)}
              </dd>
            </>
          ) : null}
          {expected && (status?.wrongContent || !compact) ? (
            <>
              <dt>{t('monitor.card.expected')}</dt>
              <dd data-testid="board-expected" data-expected={expected.id}>
                {shownText(t, expected, props.describe)}
              </dd>
            </>
          ) : null}
          <dt>{t('boards.status.bundle')}</dt>
          {bundle}
          {lastSeenAt !== null ? (
            <>
              <dt>{t('boards.status.lastSeen')}</dt>
              <dd data-testid="board-last-seen">
                {t('monitor.card.lastSeen', {
                  ago: agoText(t, nowMs - Date.parse(lastSeenAt)),
                  at: dateTimeSecondsIn(props.timeZone, lastSeenAt),
                })}
              </dd>
            </>
          ) : null}
          {showClock && status.clockOffsetMs !== null ? (
            <>
              <dt>{t('monitor.card.clock')}</dt>
              <dd class={status.clockSkew ? 'board-wrong' : undefined}>
                {clockOffsetText(t, locale, status.clockOffsetMs)}
              </dd>
            </>
          ) : null}
          {status?.screen ? (
            <>
              <dt>{t('boards.status.screen')}</dt>
              <dd>{t('unit.px', { w: status.screen.width, h: status.screen.height })}</dd>
            </>
          ) : null}
          {status?.uptimeMs !== null && status?.uptimeMs !== undefined && online ? (
            <>
              <dt>{t('monitor.card.uptime')}</dt>
              <dd>{durationText(t, status.uptimeMs)}</dd>
            </>
          ) : null}
        </dl>
      )}
      {status && status.errors.length > 0 ? (
        <ul class="board-errors" aria-label={t('boards.status.errors')}>
          {status.errors.slice(0, compact ? 2 : 20).map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** `GET /api/boards/:id/screenshot`. */
interface StoredScreenshot {
  boardId: string;
  screenshot: Screenshot | null;
}

/**
 * The board's latest low-resolution screenshot: the one pushed live, or read once it scrolls
 * into view; with a "take now" button for the roles that may.
 */
export function BoardThumbnail(props: {
  boardId: string;
  name: string;
  info: ScreenshotInfo | null;
  pushed: Screenshot | undefined;
  connected: boolean;
  timeZone: string;
}) {
  const { t } = useI18n();
  const session = useSession();
  const ref = useRef<HTMLElement>(null);
  const [visible, setVisible] = useState(false);
  const [read, setRead] = useState<Screenshot | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const takenAt = props.info?.takenAt ?? null;
  const fresh = (shot: Screenshot | null | undefined) =>
    shot && (takenAt === null || shot.takenAt >= takenAt) ? shot : null;
  const shown = fresh(props.pushed) ?? fresh(read);
  const canTake = session.can('POST /api/boards/:id/screenshot') && props.connected;
  // Nothing to show and nothing to do: a board never paired or long gone needs no black box.
  const hidden = !shown && takenAt === null && !canTake;

  useEffect(() => {
    const el = ref.current;
    if (!el || visible) return;
    if (typeof IntersectionObserver === 'undefined') {
      setVisible(true);
      return;
    }
    // Read a little ahead of the scroll, so thumbnails are there when they come into view.
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setVisible(true);
      },
      { rootMargin: '600px 0px' },
    );
    observer.observe(el);
    return () => {
      observer.disconnect();
    };
  }, [visible, hidden]);

  useEffect(() => {
    if (!visible || takenAt === null || shown) return;
    let live = true;
    void session.api
      .get<StoredScreenshot>(`/api/boards/${encodeURIComponent(props.boardId)}/screenshot`)
      .then((r) => {
        if (live && r.ok) setRead(r.value.screenshot);
      });
    return () => {
      live = false;
    };
  }, [visible, takenAt, props.boardId]);

  const take = async () => {
    setBusy(true);
    setFailure(undefined);
    const r = await session.api.request<Screenshot>(
      'POST',
      `/api/boards/${encodeURIComponent(props.boardId)}/screenshot`,
    );
    setBusy(false);
    if (r.ok) setRead(r.value);
    else setFailure(r);
  };

  const at = shown ? dateTimeSecondsIn(props.timeZone, shown.takenAt) : '';
  if (hidden) return null;
  return (
    <figure class="board-thumb" ref={ref} data-testid="board-thumbnail">
      <div class="board-thumb-frame">
        {shown ? (
          <img
            src={shown.dataUrl}
            width={shown.width}
            height={shown.height}
            alt={t('monitor.card.screenshot.alt', { name: props.name, at })}
            data-taken-at={shown.takenAt}
          />
        ) : (
          <span class="board-thumb-none">{t('monitor.card.screenshot.none')}</span>
        )}
      </div>
      <figcaption>
        {shown ? <small>{t('monitor.card.screenshot.at', { at })}</small> : null}
        {canTake ? (
          <button
            type="button"
            class="small"
            disabled={busy}
            aria-label={t('monitor.card.screenshot.takeOf', { name: props.name })}
            data-testid="take-screenshot"
            onClick={() => void take()}
          >
            {busy ? t('monitor.card.screenshot.taking') : t('monitor.card.screenshot.take')}
          </button>
        ) : null}
      </figcaption>
      {failure ? (
        <p class="board-thumb-error" role="alert">
          {t('monitor.card.screenshot.failed', { message: failureText(t, failure) })}
        </p>
      ) : null}
    </figure>
  );
}
