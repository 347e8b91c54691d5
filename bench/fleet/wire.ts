// The player's side of the socket.io wire protocol (Engine.IO v4 over a websocket, Socket.IO
// v5), spoken directly over a `ws` client, for the simulated boards of the load generator.
//
// Why not socket.io-client: ten thousand boards share one process and one core here, so the
// fleet's own cost per message is on the measured path (a real board has its own CPU), and
// socket.io-client's stack (engine.io-client, socket.io-parser, a Manager, emitters and timers
// per board) kept the fleet busy 11.9 s of a 10,000-board window where the baseline's `ws`
// fleet took 7.0 s. Over the same `ws` client, with the same JSON.parse of each bundle, both
// fleets cost the same per message and the figure compares the servers. What the server sees
// is what socket.io-client sends: the same packets, acknowledgements, pings and reconnection
// (see test/integration/bench-wire.test.ts, against the real controller).
import WebSocket from 'ws';
import { Backoff } from './common.js';

/**
 * How the simulated players speak socket.io (BENCH_PLAYER_CLIENT): `wire` (the default) writes
 * its packets over a `ws` client as the baseline boards do, `socket.io-client` uses the
 * player's own client library, for comparison.
 */
export function playerClient(value: string | undefined): 'wire' | 'socket.io-client' {
  if (value === undefined || value === '' || value === 'wire') return 'wire';
  if (value === 'socket.io-client') return value;
  throw new Error(`BENCH_PLAYER_CLIENT must be wire or socket.io-client, not ${value}`);
}

/** A packet the server sent, decoded as far as a player needs. */
export type WirePacket =
  | { kind: 'open'; pingIntervalMs: number; pingTimeoutMs: number }
  | { kind: 'ping' }
  | { kind: 'close' }
  | { kind: 'connect' }
  | { kind: 'connect_error'; message: string }
  | { kind: 'disconnect' }
  | { kind: 'event'; name: string; args: unknown[] }
  | { kind: 'ack'; id: number; args: unknown[] }
  /** Engine.IO packets a websocket-only client ignores (noop, upgrade), other namespaces. */
  | { kind: 'other' };

const OTHER: WirePacket = { kind: 'other' };

/**
 * Decodes a websocket text frame: an Engine.IO packet (`0` open, `1` close, `2` ping, `4`
 * message), and in a message a Socket.IO packet of `namespace`:
 * `<type>[<namespace>,][<ack id>][<JSON>]` (`0` connect, `1` disconnect, `2` event, `3` ack,
 * `4` connect error; the binary types are never sent to players).
 */
export function decodeWire(text: string, namespace: string): WirePacket {
  switch (text.charCodeAt(0)) {
    case 0x30: {
      const open = JSON.parse(text.slice(1)) as { pingInterval: number; pingTimeout: number };
      return { kind: 'open', pingIntervalMs: open.pingInterval, pingTimeoutMs: open.pingTimeout };
    }
    case 0x31:
      return { kind: 'close' };
    case 0x32:
      return { kind: 'ping' };
    case 0x34:
      break;
    default:
      return OTHER;
  }
  const type = text.charAt(1);
  let at = 2;
  if (namespace !== '/') {
    if (!text.startsWith(namespace, at) || text.charAt(at + namespace.length) !== ',') return OTHER;
    at += namespace.length + 1;
  }
  let id = Number.NaN;
  const idStart = at;
  while (at < text.length && text.charCodeAt(at) >= 0x30 && text.charCodeAt(at) <= 0x39) at++;
  if (at > idStart) id = Number(text.slice(idStart, at));
  const data = at < text.length ? (JSON.parse(text.slice(at)) as unknown) : undefined;
  switch (type) {
    case '0':
      return { kind: 'connect' };
    case '1':
      return { kind: 'disconnect' };
    case '4': {
      const message = (data as { message?: unknown } | undefined)?.message;
      return { kind: 'connect_error', message: typeof message === 'string' ? message : '' };
    }
    case '2': {
      const [name, ...args] = Array.isArray(data) ? (data as unknown[]) : [];
      return typeof name === 'string' ? { kind: 'event', name, args } : OTHER;
    }
    case '3':
      return Array.isArray(data) && !Number.isNaN(id) ? { kind: 'ack', id, args: data } : OTHER;
    default:
      return OTHER;
  }
}

/** A Socket.IO CONNECT packet with its auth, inside an Engine.IO message. */
export function connectPacket(namespace: string, auth: unknown): string {
  return `40${namespace === '/' ? '' : `${namespace},`}${JSON.stringify(auth)}`;
}

/** A Socket.IO EVENT packet, with an ack id when an answer is wanted. */
export function eventPacket(namespace: string, ackId: number | undefined, args: unknown[]): string {
  return `42${namespace === '/' ? '' : `${namespace},`}${ackId ?? ''}${JSON.stringify(args)}`;
}

export interface WireHandlers {
  /** The namespace accepted the connection (again, after each reconnection). */
  onConnect: () => void;
  /** The namespace refused it (its middleware's error): no retry, as socket.io-client. */
  onConnectError: (message: string) => void;
  onEvent: (name: string, args: unknown[]) => void;
  onDisconnect: () => void;
}

export interface WireOptions {
  /** The server's address, `http://host:port`. */
  url: string;
  namespace: string;
  /** What CONNECT carries, asked at each (re)connection. */
  auth: () => unknown;
  reconnectionDelay: number;
  reconnectionDelayMax: number;
  randomizationFactor: number;
}

/**
 * One player's connection, as socket.io-client with `transports: ['websocket']` and
 * `forceNew` behaves towards the server: one websocket at `/socket.io/?EIO=4`, the namespace
 * connected with its auth, pings answered, the link taken for dead when no ping comes within
 * pingInterval + pingTimeout, and after a lost link a new one after the player's backoff. A
 * namespace closed by the server is not reconnected (socket.io-client's "io server disconnect").
 */
export class WireSocket {
  connected = false;
  private ws: WebSocket | undefined;
  private closedByUs = false;
  private nextAckId = 0;
  private readonly acks = new Map<number, (args: unknown[]) => void>();
  private pingTimer: NodeJS.Timeout | undefined;
  /** The next attempt after a lost link, while the backoff runs. */
  private retry: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;

  constructor(
    private readonly options: WireOptions,
    private readonly handlers: WireHandlers,
  ) {
    this.backoff = new Backoff(
      options.reconnectionDelay,
      options.reconnectionDelayMax,
      options.randomizationFactor,
    );
    this.open();
  }

  /** Sends an event; `ack` is called with the server's answer. Dropped while disconnected. */
  emit(name: string, payload: unknown, ack?: (args: unknown[]) => void): void {
    if (!this.connected || this.ws?.readyState !== WebSocket.OPEN) return;
    let id: number | undefined;
    if (ack) {
      id = this.nextAckId++;
      this.acks.set(id, ack);
    }
    this.ws.send(eventPacket(this.options.namespace, id, [name, payload]));
  }

  /** Closes the connection, with no reconnection until connect(); "disconnect" at once, as socket.io-client. */
  disconnect(): void {
    this.closedByUs = true;
    clearTimeout(this.retry);
    this.closed();
    this.ws?.close();
  }

  /** Opens it again after disconnect(). */
  connect(): void {
    if (!this.closedByUs) return;
    this.closedByUs = false;
    clearTimeout(this.retry);
    this.open();
  }

  private open(): void {
    const base = this.options.url.replace(/^http/, 'ws');
    const ws = new WebSocket(`${base}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
    });
    this.ws = ws;
    ws.on('message', (data: Buffer) => {
      // Nothing more from a link disconnect() closed, or one replaced since.
      if (ws !== this.ws || this.closedByUs) return;
      this.receive(ws, data.toString('utf8'));
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      // A link closed by disconnect() may finish closing after connect() opened the next one.
      if (ws !== this.ws) return;
      this.closed();
      if (!this.closedByUs) {
        this.retry = setTimeout(() => {
          this.open();
        }, this.backoff.durationMs());
      }
    });
  }

  /** The link is gone: pending acks dropped, "disconnect" if the namespace was connected. */
  private closed(): void {
    clearTimeout(this.pingTimer);
    this.acks.clear();
    if (!this.connected) return;
    this.connected = false;
    this.handlers.onDisconnect();
  }

  private receive(ws: WebSocket, text: string): void {
    const packet = decodeWire(text, this.options.namespace);
    switch (packet.kind) {
      case 'open':
        this.backoff.reset();
        this.watchPings(ws, packet.pingIntervalMs + packet.pingTimeoutMs);
        ws.send(connectPacket(this.options.namespace, this.options.auth()));
        return;
      case 'ping':
        this.pingTimer?.refresh();
        ws.send('3');
        return;
      case 'close':
        ws.close();
        return;
      case 'connect':
        this.connected = true;
        this.handlers.onConnect();
        return;
      case 'connect_error':
        this.closedByUs = true;
        ws.close();
        this.handlers.onConnectError(packet.message);
        return;
      case 'disconnect':
        this.closedByUs = true;
        ws.close();
        return;
      case 'event':
        this.handlers.onEvent(packet.name, packet.args);
        return;
      case 'ack': {
        const ack = this.acks.get(packet.id);
        this.acks.delete(packet.id);
        ack?.(packet.args);
        return;
      }
      case 'other':
        return;
    }
  }

  private watchPings(ws: WebSocket, withinMs: number): void {
    clearTimeout(this.pingTimer);
    this.pingTimer = setTimeout(() => {
      ws.terminate();
    }, withinMs);
  }
}
