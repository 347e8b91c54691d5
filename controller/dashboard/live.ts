// The dashboard's one connection module: the `/monitor` socket.io namespace (live board status,
// alerts and screenshots). Pages read it through `useLiveMonitor()`; nothing else imports
// socket.io-client.
import { useEffect, useState } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import {
  MONITOR_LIVENESS,
  type Alert,
  type BoardHealth,
  type MonitorClientEvents,
  type MonitorRefusalCode,
  type MonitorServerEvents,
  type MonitorSettingsView,
  type MonitorSnapshot,
  type Screenshot,
} from '../monitoring/protocol';

export type {
  Alert,
  AlertKind,
  BoardHealth,
  MonitorSettings,
  MonitorSettingsView,
  Screenshot,
  ScreenshotInfo,
  ShownItem,
} from '../monitoring/protocol';

export type MonitorSocket = Socket<MonitorServerEvents, MonitorClientEvents>;

/** What the dashboard knows of the boards, as of the last snapshot and the events since. */
export interface LiveMonitorState {
  /** Every board, by id. */
  boards: ReadonlyMap<string, BoardHealth>;
  /** The active alerts, newest first. */
  alerts: readonly Alert[];
  settings: MonitorSettingsView | null;
  /** Screenshots pushed since the page opened, by board. */
  screenshots: ReadonlyMap<string, Screenshot>;
  /** The socket is open and a snapshot came since it opened: what is shown is live. */
  connected: boolean;
  /** Why the controller refused the socket, if it did. */
  refusal: MonitorRefusalCode | 'network' | null;
  /** When the controller took the last snapshot (ISO), null before the first. */
  snapshotAt: string | null;
  /** Alerts raised or cleared since the page opened: pages re-read the alert history when it moves. */
  alertEvents: number;
  /** The last alert raised or cleared since the page opened (announced to screen readers). */
  lastAlert: { alert: Alert; change: 'raised' | 'cleared' } | null;
}

export const EMPTY_LIVE_STATE: LiveMonitorState = {
  boards: new Map(),
  alerts: [],
  settings: null,
  screenshots: new Map(),
  connected: false,
  refusal: null,
  snapshotAt: null,
  alertEvents: 0,
  lastAlert: null,
};

const byNewest = (a: Alert, b: Alert) =>
  a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : a.id < b.id ? -1 : 1;

/** A snapshot replaces everything but the screenshots (their images are not in it). */
export function applySnapshot(
  state: LiveMonitorState,
  snapshot: MonitorSnapshot,
): LiveMonitorState {
  return {
    ...state,
    boards: new Map(snapshot.boards.map((b) => [b.boardId, b])),
    alerts: [...snapshot.alerts].sort(byNewest),
    settings: snapshot.settings,
    connected: true,
    refusal: null,
    snapshotAt: snapshot.at,
  };
}

export function applyStatus(state: LiveMonitorState, board: BoardHealth): LiveMonitorState {
  const boards = new Map(state.boards);
  boards.set(board.boardId, board);
  return { ...state, boards };
}

export function applyAlert(
  state: LiveMonitorState,
  alert: Alert,
  change: 'raised' | 'cleared',
): LiveMonitorState {
  const others = state.alerts.filter((a) => a.id !== alert.id);
  return {
    ...state,
    alerts: change === 'raised' ? [alert, ...others].sort(byNewest) : others,
    alertEvents: state.alertEvents + 1,
    lastAlert: { alert, change },
  };
}

export function applyScreenshot(state: LiveMonitorState, shot: Screenshot): LiveMonitorState {
  const screenshots = new Map(state.screenshots);
  screenshots.set(shot.boardId, shot);
  const board = state.boards.get(shot.boardId);
  if (!board) return { ...state, screenshots };
  const { dataUrl: _image, boardId: _id, ...info } = shot;
  return applyStatus({ ...state, screenshots }, { ...board, screenshot: info });
}

/** Waits before asking again for a snapshot the controller should have pushed on connection. */
export const SNAPSHOT_WAIT_MS = 3_000;
/** Retry delays after the controller refused the socket (socket.io does not retry those). */
export const RETRY_MIN_MS = 2_000;
export const RETRY_MAX_MS = 30_000;

/**
 * One `/monitor` connection and the state it keeps. It re-syncs from a snapshot whenever the
 * socket (re)connects: the controller pushes one on every connection, and it is asked for one
 * if none came. A refused handshake (session ended, controller restarted) is retried with
 * backoff, since socket.io itself gives up on those.
 */
export class LiveMonitor {
  private state: LiveMonitorState = EMPTY_LIVE_STATE;
  private readonly listeners = new Set<(state: LiveMonitorState) => void>();
  private socket: MonitorSocket | undefined;
  private snapshotTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private retries = 0;

  constructor(private readonly connect: () => MonitorSocket) {}

  get current(): LiveMonitorState {
    return this.state;
  }

  subscribe(listener: (state: LiveMonitorState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  start(): void {
    if (this.socket) return;
    const socket = this.connect();
    this.socket = socket;
    socket.on('connect', () => {
      this.retries = 0;
      this.startPings(socket);
      // Until a snapshot arrives, what is shown may have missed changes: not live yet.
      this.clearSnapshotTimer();
      this.snapshotTimer = setTimeout(() => {
        this.resync();
      }, SNAPSHOT_WAIT_MS);
    });
    socket.on('monitor:snapshot', (snapshot) => {
      this.clearSnapshotTimer();
      this.set(applySnapshot(this.state, snapshot));
    });
    socket.on('board:status', (board) => {
      this.set(applyStatus(this.state, board));
    });
    socket.on('alert:raised', (alert) => {
      this.set(applyAlert(this.state, alert, 'raised'));
    });
    socket.on('alert:cleared', (alert) => {
      this.set(applyAlert(this.state, alert, 'cleared'));
    });
    socket.on('board:screenshot', (shot) => {
      this.set(applyScreenshot(this.state, shot));
    });
    socket.on('disconnect', (reason) => {
      this.clearSnapshotTimer();
      this.stopPings();
      this.set({ ...this.state, connected: false });
      // The controller dropped us (a session re-check): socket.io does not reconnect by itself.
      if (reason === 'io server disconnect') this.retryLater();
    });
    socket.on('connect_error', (error) => {
      const code = (error as Error & { data?: { code?: unknown } }).data?.code;
      const refusal =
        code === 'unauthenticated' || code === 'forbidden' || code === 'bad_payload'
          ? code
          : 'network';
      this.set({ ...this.state, connected: false, refusal });
      // A transport failure is retried by socket.io; a refusal by the namespace is not.
      if (!socket.active) this.retryLater();
    });
  }

  /** Asks the controller for a fresh snapshot (also after a settings change). */
  resync(): void {
    const socket = this.socket;
    if (!socket?.connected) return;
    socket.timeout(10_000).emit('monitor:snapshot', {}, (error, reply) => {
      // socket.io types the error as always present; it is null when the ack came in time.
      if ((error as Error | null) !== null || !reply.ok) return;
      this.clearSnapshotTimer();
      this.set(applySnapshot(this.state, reply.value));
    });
  }

  stop(): void {
    this.clearSnapshotTimer();
    this.stopPings();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
  }

  /**
   * Pings while connected (MONITOR_LIVENESS). An answer that does not come in time means the
   * link is dead though no socket error says so (a cable pulled, a NAT that forgot us): the
   * page stops showing the status as live and the transport is closed, so socket.io reconnects
   * and the new connection brings a fresh snapshot.
   */
  private startPings(socket: MonitorSocket): void {
    this.stopPings();
    this.pingTimer = setInterval(() => {
      if (!socket.connected) return;
      socket
        .timeout(MONITOR_LIVENESS.ackTimeoutMs)
        .emit('monitor:ping', {}, (error: Error | null) => {
          // socket.io types the error as always present; it is null when the ack came in time.
          if (error === null || this.socket !== socket) return;
          this.set({ ...this.state, connected: false });
          socket.io.engine.close();
        });
    }, MONITOR_LIVENESS.pingEveryMs);
  }

  private stopPings(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  private retryLater(): void {
    if (this.retryTimer !== undefined) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.retries);
    this.retries += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.socket?.connect();
    }, delay);
  }

  private clearSnapshotTimer(): void {
    if (this.snapshotTimer !== undefined) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
  }

  private set(state: LiveMonitorState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}

/** The `/monitor` socket of this page's controller: same origin, the session cookie rides along. */
export function connectMonitor(): MonitorSocket {
  return io('/monitor', {
    transports: ['websocket'],
    withCredentials: true,
    reconnection: true,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 15_000,
    randomizationFactor: 0.5,
  });
}

export interface LiveMonitorView extends LiveMonitorState {
  resync: () => void;
}

/**
 * Live board status and alerts while the calling component is mounted: one socket, opened on
 * mount and closed on unmount.
 */
export function useLiveMonitor(connect: () => MonitorSocket = connectMonitor): LiveMonitorView {
  const [monitor] = useState(() => new LiveMonitor(connect));
  const [state, setState] = useState<LiveMonitorState>(monitor.current);
  useEffect(() => {
    const off = monitor.subscribe(setState);
    monitor.start();
    return () => {
      off();
      monitor.stop();
    };
  }, [monitor]);
  return {
    ...state,
    resync: () => {
      monitor.resync();
    },
  };
}
