import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MONITOR_LIVENESS } from '../../controller/monitoring/protocol';
import {
  EMPTY_LIVE_STATE,
  LiveMonitor,
  RETRY_MIN_MS,
  SNAPSHOT_WAIT_MS,
  applyAlert,
  applyScreenshot,
  applySnapshot,
  applyStatus,
  type MonitorSocket,
} from '../../controller/dashboard/live';
import type {
  Alert,
  BoardHealth,
  MonitorAck,
  MonitorSnapshot,
} from '../../controller/monitoring/protocol';

function board(boardId: string, patch: Partial<BoardHealth> = {}): BoardHealth {
  return {
    boardId,
    name: `Bảng ${boardId}`,
    planId: 'kh',
    state: 'online',
    connected: true,
    players: 1,
    lastSeenAt: '2030-01-05T03:00:00.000Z',
    bundle: { held: 1, latest: 1, stale: false, staleSince: null },
    showing: { kind: 'item', id: 's1', since: '2030-01-05T03:00:00.000Z' },
    expected: { kind: 'item', id: 's1' },
    wrongContent: false,
    wrongContentSince: null,
    blanked: false,
    clockOffsetMs: 12,
    clockSkew: false,
    errors: [],
    screen: { width: 384, height: 128 },
    uptimeMs: 60_000,
    screenshot: null,
    alerts: [],
    ...patch,
  };
}

function alert(kind: Alert['kind'], boardId: string, atMs: number): Alert {
  return {
    id: `${kind}:${boardId}:${atMs}`,
    kind,
    boardId,
    boardName: `Bảng ${boardId}`,
    raisedAt: new Date(atMs).toISOString(),
    since: new Date(atMs - 90_000).toISOString(),
    clearedAt: null,
    values: {},
  };
}

function snapshot(boards: BoardHealth[], alerts: Alert[] = []): MonitorSnapshot {
  return {
    at: '2030-01-05T03:00:00.000Z',
    boards,
    alerts,
    settings: {
      offlineAfterSec: 90,
      staleAfterSec: 120,
      wrongContentAfterSec: 60,
      contentGraceSec: 5,
      clockSkewSec: 60,
      screenshotEveryMin: 15,
      popRetentionDays: 400,
      webhook: { configured: false },
    },
  };
}

type Handler = (...args: unknown[]) => void;

/** Just enough of a socket.io client socket: events in, asks out, connection state. */
class FakeSocket {
  connected = false;
  active = true;
  connects = 0;
  asked: ((error: Error | null, reply: MonitorAck<MonitorSnapshot>) => void)[] = [];
  pings: { timeoutMs: number; ack: (error: Error | null) => void }[] = [];
  transportsClosed = 0;
  /** The Manager's engine, which the liveness check closes. */
  readonly io = {
    engine: {
      close: () => {
        this.transportsClosed += 1;
      },
    },
  };
  private readonly handlers = new Map<string, Handler[]>();

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  fire(event: string, ...args: unknown[]): void {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }

  timeout(ms: number) {
    return {
      emit: (
        event: string,
        _payload: unknown,
        ack: (error: Error | null, reply: MonitorAck<MonitorSnapshot>) => void,
      ) => {
        if (event === 'monitor:snapshot') this.asked.push(ack);
        if (event === 'monitor:ping') {
          this.pings.push({
            timeoutMs: ms,
            ack: (error) => {
              ack(error, { ok: false, code: 'bad_payload' });
            },
          });
        }
      },
    };
  }

  connect(): this {
    this.connects += 1;
    return this;
  }

  disconnect(): this {
    this.connected = false;
    return this;
  }

  removeAllListeners(): this {
    this.handlers.clear();
    return this;
  }
}

describe('live monitor state', () => {
  it('takes a snapshot whole, then each status, alert and screenshot', () => {
    const raised = alert('offline', 'b', Date.parse('2030-01-05T03:00:00Z'));
    let state = applySnapshot(EMPTY_LIVE_STATE, snapshot([board('a'), board('b')], [raised]));
    expect([...state.boards.keys()]).toEqual(['a', 'b']);
    expect(state.alerts).toEqual([raised]);
    expect(state.connected).toBe(true);

    state = applyStatus(state, board('a', { state: 'offline', connected: false }));
    expect(state.boards.get('a')?.state).toBe('offline');
    expect(state.boards.get('b')?.state).toBe('online');

    const newer = alert('clock_skew', 'a', Date.parse('2030-01-05T03:05:00Z'));
    state = applyAlert(state, newer, 'raised');
    expect(state.alerts.map((a) => a.id)).toEqual([newer.id, raised.id]);
    state = applyAlert(state, { ...raised, clearedAt: '2030-01-05T03:06:00.000Z' }, 'cleared');
    expect(state.alerts.map((a) => a.id)).toEqual([newer.id]);
    expect(state.alertEvents).toBe(2);
    expect(state.lastAlert?.change).toBe('cleared');

    state = applyScreenshot(state, {
      boardId: 'a',
      takenAt: '2030-01-05T03:07:00.000Z',
      width: 320,
      height: 107,
      bytes: 1000,
      dataUrl: 'data:image/png;base64,AAAA',
    });
    expect(state.screenshots.get('a')?.dataUrl).toBe('data:image/png;base64,AAAA');
    expect(state.boards.get('a')?.screenshot).toEqual({
      takenAt: '2030-01-05T03:07:00.000Z',
      width: 320,
      height: 107,
      bytes: 1000,
    });
  });
});

describe('LiveMonitor', () => {
  let socket: FakeSocket;
  let monitor: LiveMonitor;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    monitor = new LiveMonitor(() => socket as unknown as MonitorSocket);
    monitor.start();
  });
  afterEach(() => {
    monitor.stop();
    vi.useRealTimers();
  });

  it('is live only once a snapshot came, and re-syncs from the snapshot of each reconnection', () => {
    socket.fire('connect');
    expect(monitor.current.connected).toBe(false);
    socket.fire('monitor:snapshot', snapshot([board('a'), board('gone')]));
    expect(monitor.current.connected).toBe(true);

    socket.fire('disconnect', 'transport close');
    expect(monitor.current.connected).toBe(false);
    // While away, board "gone" was deleted and "a" went offline: the next snapshot says so.
    socket.fire('connect');
    socket.fire('monitor:snapshot', snapshot([board('a', { state: 'offline' })]));
    expect([...monitor.current.boards.keys()]).toEqual(['a']);
    expect(monitor.current.boards.get('a')?.state).toBe('offline');
    expect(monitor.current.connected).toBe(true);
    // The controller pushed one each time: nothing was asked for.
    vi.advanceTimersByTime(SNAPSHOT_WAIT_MS * 2);
    expect(socket.asked).toHaveLength(0);
  });

  it('asks for a snapshot when none came after connecting', () => {
    socket.fire('connect');
    vi.advanceTimersByTime(SNAPSHOT_WAIT_MS - 1);
    expect(socket.asked).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(socket.asked).toHaveLength(1);
    socket.asked[0]?.(null, { ok: true, value: snapshot([board('a')]) });
    expect(monitor.current.connected).toBe(true);
    expect(monitor.current.boards.has('a')).toBe(true);
  });

  it('retries with backoff when the namespace refuses the handshake, and after being dropped', () => {
    const refusal = Object.assign(new Error('unauthenticated'), {
      data: { code: 'unauthenticated' },
    });
    socket.active = false;
    socket.fire('connect_error', refusal);
    expect(monitor.current.refusal).toBe('unauthenticated');
    vi.advanceTimersByTime(RETRY_MIN_MS - 1);
    expect(socket.connects).toBe(0);
    vi.advanceTimersByTime(1);
    expect(socket.connects).toBe(1);
    socket.fire('connect_error', refusal);
    vi.advanceTimersByTime(RETRY_MIN_MS);
    expect(socket.connects).toBe(1);
    vi.advanceTimersByTime(RETRY_MIN_MS);
    expect(socket.connects).toBe(2);

    // socket.io retries transport failures itself: no second attempt from us.
    socket.active = true;
    socket.fire('connect_error', new Error('websocket error'));
    expect(monitor.current.refusal).toBe('network');
    vi.advanceTimersByTime(60_000);
    expect(socket.connects).toBe(2);

    // Connected, then dropped by the controller's session re-check: try again.
    socket.fire('connect');
    socket.fire('monitor:snapshot', snapshot([]));
    socket.fire('disconnect', 'io server disconnect');
    vi.advanceTimersByTime(RETRY_MIN_MS);
    expect(socket.connects).toBe(3);
  });

  it('pings while connected, and drops a link whose ping goes unanswered', () => {
    socket.fire('connect');
    socket.fire('monitor:snapshot', snapshot([board('a')]));
    vi.advanceTimersByTime(MONITOR_LIVENESS.pingEveryMs - 1);
    expect(socket.pings).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(socket.pings).toHaveLength(1);
    expect(socket.pings[0]?.timeoutMs).toBe(MONITOR_LIVENESS.ackTimeoutMs);
    // Answered: still live.
    socket.pings[0]?.ack(null);
    expect(monitor.current.connected).toBe(true);
    expect(socket.transportsClosed).toBe(0);

    vi.advanceTimersByTime(MONITOR_LIVENESS.pingEveryMs);
    expect(socket.pings).toHaveLength(2);
    // Not answered in time: not live any more, and the transport is closed for a reconnection.
    socket.pings[1]?.ack(new Error('operation has timed out'));
    expect(monitor.current.connected).toBe(false);
    expect(socket.transportsClosed).toBe(1);

    // No pings while disconnected; they start again with the next connection.
    socket.fire('disconnect', 'transport close');
    vi.advanceTimersByTime(MONITOR_LIVENESS.pingEveryMs * 3);
    expect(socket.pings).toHaveLength(2);
    socket.fire('connect');
    vi.advanceTimersByTime(MONITOR_LIVENESS.pingEveryMs);
    expect(socket.pings).toHaveLength(3);
    monitor.stop();
    vi.advanceTimersByTime(MONITOR_LIVENESS.pingEveryMs * 3);
    expect(socket.pings).toHaveLength(3);
  });

  it('tells its listeners, and stops listening when stopped', () => {
    const seen: number[] = [];
    const off = monitor.subscribe((s) => seen.push(s.boards.size));
    socket.fire('connect');
    socket.fire('monitor:snapshot', snapshot([board('a')]));
    socket.fire('board:status', board('b'));
    expect(seen).toEqual([1, 2]);
    off();
    socket.fire('board:status', board('c'));
    expect(seen).toEqual([1, 2]);
    monitor.stop();
    socket.fire('board:status', board('d'));
    expect(monitor.current.boards.has('d')).toBe(false);
  });
});
