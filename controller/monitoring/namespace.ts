import type { Namespace, Socket } from 'socket.io';
import type { AuthService } from '../auth/service.js';
import { ROLES, type Role } from '../state.js';
import type { StoreLogger } from '../store/index.js';
import { every, type Timers } from '../telemetry/timers.js';
import type { Monitor } from './monitor.js';
import {
  MONITOR_REFUSAL,
  MonitorAuthSchema,
  PingRequestSchema,
  SnapshotRequestSchema,
  type MonitorAck,
  type MonitorClientEvents,
  type MonitorRefusalCode,
  type MonitorServerEvents,
  type MonitorSnapshot,
} from './protocol.js';

/** Every role may watch: viewers and auditors read status, they change nothing. */
export const WATCHER_ROLES: readonly Role[] = ROLES;
/** Refused messages a dashboard may send before it is dropped. */
const GARBAGE_LIMIT = 10;
/** How often open dashboards are checked against their session or token (logout, expiry). */
const RECHECK_MS = 60_000;

type Credential = { kind: 'session'; cookie: string } | { kind: 'bearer'; token: string };

interface WatcherData {
  credential: Credential;
  userId: string;
  garbage: number;
  /** When the dashboard last sent anything (it pings every MONITOR_LIVENESS.pingEveryMs). */
  heardMs: number;
}

type UntrustedClientEvents = {
  [K in keyof MonitorClientEvents]: (payload: unknown, ack: unknown) => void;
};
type WatcherSocket = Socket<UntrustedClientEvents, MonitorServerEvents, object, WatcherData>;
type WatcherNamespace = Namespace<UntrustedClientEvents, MonitorServerEvents, object, WatcherData>;

/** A socket.io server, whatever the event maps of its other namespaces. */
export interface SocketServer {
  of(name: string): unknown;
}

/** One cookie's value from a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    const raw = part.slice(index + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The `/monitor` socket.io namespace: dashboards get a snapshot when they connect, then every
 * board status change, alert and screenshot as it happens. A dashboard authenticates like the
 * HTTP API: the session cookie (sent by the browser with the handshake) or a bearer token in
 * the handshake's `auth`; the Origin is checked by the server for every namespace, as for
 * players. Logged-out or disabled users are dropped within a minute.
 */
export class MonitorNamespace {
  private readonly ns: WatcherNamespace;
  private readonly stop: (() => void)[] = [];

  constructor(
    private readonly deps: {
      io: SocketServer;
      auth: AuthService;
      monitor: Monitor;
      snapshot: () => MonitorSnapshot;
      timers: Timers;
      logger: StoreLogger;
      sessionCookie: string;
      /** Epoch milliseconds, for the answer to a ping. */
      now: () => number;
      /** A dashboard silent this long is disconnected at the next check. */
      silentCloseMs: number;
    },
  ) {
    this.ns = deps.io.of('/monitor') as WatcherNamespace;
    this.ns.use((socket, next) => {
      const found = this.authenticate(socket);
      if (typeof found === 'string') {
        deps.logger.warn({ code: found, address: socket.handshake.address }, 'monitor refused');
        const error = new Error(found) as Error & { data: { code: MonitorRefusalCode } };
        error.data = { code: found };
        next(error);
        return;
      }
      socket.data.credential = found.credential;
      socket.data.userId = found.userId;
      socket.data.garbage = 0;
      socket.data.heardMs = deps.now();
      next();
    });
    this.ns.on('connection', (socket) => {
      this.onWatcher(socket);
    });
    this.stop.push(
      // socket.io encodes a broadcast (and frames it) before it looks for sockets: with no
      // dashboard open, as on most days, each board's heartbeat would still pay for that.
      deps.monitor.listen({
        status: (board) => {
          if (this.watched) this.ns.emit('board:status', board);
        },
        wantsStatus: () => this.watched,
        raised: (alert) => {
          if (this.watched) this.ns.emit('alert:raised', alert);
        },
        cleared: (alert) => {
          if (this.watched) this.ns.emit('alert:cleared', alert);
        },
        screenshot: (shot) => {
          if (this.watched) this.ns.emit('board:screenshot', shot);
        },
      }),
    );
    const recheck = every(deps.timers, RECHECK_MS, () => {
      void this.recheck();
    });
    this.stop.push(() => {
      recheck.cancel();
    });
  }

  /** Whether any dashboard is connected to hear a broadcast. */
  private get watched(): boolean {
    return this.ns.sockets.size > 0;
  }

  private authenticate(
    socket: WatcherSocket,
  ): MonitorRefusalCode | { credential: Credential; userId: string } {
    const auth = MonitorAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) return MONITOR_REFUSAL.badPayload;
    const credential: Credential | undefined =
      auth.data.token !== undefined
        ? { kind: 'bearer', token: auth.data.token }
        : (() => {
            // From the handshake: the player namespace lets go of the request of its
            // connections, so a dashboard multiplexed on one finds no cookie (refused).
            const cookie = cookieValue(socket.handshake.headers.cookie, this.deps.sessionCookie);
            return cookie === undefined ? undefined : { kind: 'session' as const, cookie };
          })();
    if (!credential) return MONITOR_REFUSAL.unauthenticated;
    const user = this.userOf(credential);
    if (!user) return MONITOR_REFUSAL.unauthenticated;
    if (!WATCHER_ROLES.includes(user.role)) return MONITOR_REFUSAL.forbidden;
    return { credential, userId: user.id };
  }

  private userOf(credential: Credential) {
    return credential.kind === 'bearer'
      ? this.deps.auth.userForToken(credential.token)
      : this.deps.auth.sessionFor(credential.cookie)?.user;
  }

  private onWatcher(socket: WatcherSocket): void {
    socket.emit('monitor:snapshot', this.deps.snapshot());
    socket.onAny(() => {
      socket.data.heardMs = this.deps.now();
    });
    socket.on('monitor:snapshot', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') {
        this.garbage(socket);
        return;
      }
      const reply = ack as (r: MonitorAck<MonitorSnapshot>) => void;
      if (!SnapshotRequestSchema.safeParse(payload).success) {
        reply({ ok: false, code: MONITOR_REFUSAL.badPayload });
        this.garbage(socket);
        return;
      }
      reply({ ok: true, value: this.deps.snapshot() });
    });
    socket.on('monitor:ping', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') {
        this.garbage(socket);
        return;
      }
      const reply = ack as (r: MonitorAck<{ at: string }>) => void;
      if (!PingRequestSchema.safeParse(payload).success) {
        reply({ ok: false, code: MONITOR_REFUSAL.badPayload });
        this.garbage(socket);
        return;
      }
      reply({ ok: true, value: { at: new Date(this.deps.now()).toISOString() } });
    });
  }

  private garbage(socket: WatcherSocket): void {
    socket.data.garbage += 1;
    if (socket.data.garbage >= GARBAGE_LIMIT) socket.disconnect(true);
  }

  /**
   * Drops dashboards whose session ended or whose user was disabled, and those silent for
   * `silentCloseMs` (MONITOR_LIVENESS: a page that vanished without closing its connection
   * would keep the status broadcasts going until engine.io's rare ping).
   */
  async recheck(): Promise<void> {
    const now = this.deps.now();
    for (const socket of await this.ns.fetchSockets()) {
      const user = this.userOf(socket.data.credential);
      if (
        !user ||
        user.id !== socket.data.userId ||
        !WATCHER_ROLES.includes(user.role) ||
        now - socket.data.heardMs > this.deps.silentCloseMs
      ) {
        socket.disconnect(true);
      }
    }
  }

  close(): void {
    for (const off of this.stop) off();
    this.ns.disconnectSockets(true);
  }
}
