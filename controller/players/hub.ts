import { randomUUID } from 'node:crypto';
import { ServerResponse, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { Server, type Namespace, type Socket } from 'socket.io';
import type { z } from 'zod';
import {
  CommandResultSchema,
  HeartbeatSchema,
  HelloSchema,
  NowPlayingSchema,
  PairingRequestSchema,
  PlayBatchSchema,
  PlayerAuthSchema,
  PLAYER_LIVENESS,
  REFUSAL,
  TimeSyncSchema,
  type Ack,
  type Command,
  type CommandResult,
  type HelloReply,
  type PairingClientEvents,
  type PairingComplete,
  type PairingOffer,
  type PairingServerEvents,
  type PlayBatchReply,
  type PlayerToServerEvents,
  type RefusalCode,
  type ServerToPlayerEvents,
  type TimeSyncReply,
  type Untrusted,
} from '../../playlists/index.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { ReleaseService } from '../releases/service.js';
import { partsText } from '../releases/text-parts.js';
import type { StoreLogger } from '../store/index.js';
import type { BoardStatusBook } from '../telemetry/status.js';
import type { PopStore } from '../telemetry/pop-store.js';
import { every, type Timers } from '../telemetry/timers.js';
import { plainHeartbeat } from './heartbeat-check.js';
import { PAIRING_TTL_MS, type PairingService } from './pairing.js';
import { PopAdmission } from './pop-admission.js';
import { FrameArena, type FrameLease } from './ws-frame.js';

/** Largest socket.io message (a screenshot is the biggest legitimate one). */
export const MAX_MESSAGE_BYTES = 3_000_000;
/** Refused messages a connection may send before it is dropped. */
export const GARBAGE_LIMIT = 10;
/** Pairing codes one client address may ask for per minute. */
export const PAIRING_REQUESTS_PER_MINUTE = 10;
const COMMAND_TIMEOUT_MS = 10_000;
const DELIVERY_TIMEOUT_MS = 5_000;

interface PlayerData {
  deviceId: string;
  boardId: string;
  garbage: number;
  /** When the controller last heard from the board (any event). */
  heardMs: number;
}

type PlayerSocket = Socket<
  Untrusted<PlayerToServerEvents>,
  ServerToPlayerEvents,
  object,
  PlayerData
>;
/**
 * A pairing connection's own data: its garbage count, when it last asked for a code (or
 * connected), and whether it holds one.
 */
interface PairingData {
  garbage: number;
  heardMs: number;
  offered: boolean;
}

type PairingSocket = Socket<
  Untrusted<PairingClientEvents>,
  PairingServerEvents,
  object,
  PairingData
>;

/** A handler of one player event, given a validated-to-be-a-function acknowledgement. */
type PlayerHandler = (socket: PlayerSocket, payload: unknown, ack: (reply: never) => void) => void;
type Reply<T> = (reply: Ack<T>) => void;

/** True when a browser's Origin names this server (or one of the allowed origins). */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  // Browsers always send Origin on websocket and cross-site requests; other clients
  // (a board's own watchdog, tests) authenticate with their token alone.
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * A socket.io EVENT packet (socket.io protocol v5, as socket.io-parser encodes it) whose
 * arguments are the event's name and a value given as JSON text: `2<namespace>,[name,value]`.
 */
export function eventFrame(namespace: string, event: string, json: string): string {
  const [before, after] = eventFrameAround(namespace, event);
  return `${before}${json}${after}`;
}

/** The text of eventFrame before and after the JSON of its value. */
export function eventFrameAround(namespace: string, event: string): [string, string] {
  const nsp = namespace === '/' ? '' : `${namespace},`;
  return [`2${nsp}[${JSON.stringify(event)},`, ']'];
}

/** Boards pushed to per turn of the event loop (pushBundles). */
const PUSH_BATCH = 250;

/**
 * Lets the HTTP request that opened a WebSocket be collected once the connection is made.
 * engine.io keeps the request of every connection (`conn.request`, which the player namespace
 * drops once authenticated) and, since its middleware support, once more: the stand-in
 * response of an upgrade holds it (`res.req`) and lives as long as the TCP socket, through the
 * socket's `close` listener. Nothing reads that reference after the middlewares: this one, the
 * last, drops it (with `conn.request`, close to 1 KB per connected board).
 */
export function discardUpgradeRequest(io: Server): void {
  io.engine.use((_req: IncomingMessage, res: object, next: () => void) => {
    // An upgrade's stand-in (engine.io's WebSocketResponse); a polling request has a real
    // response, left alone.
    if (!(res instanceof ServerResponse) && 'req' in res) res.req = null;
    next();
  });
}

type Handshake = Socket['handshake'];
const NOTHING_KEPT: Record<string, never> = Object.freeze({});

/**
 * The handshake a connected player keeps: its address (for the log and the rate limits), with
 * the headers, query, URL, time text and `auth` (the device's token) dropped. They are read only
 * by the player namespace's middleware, before the connection is made, and held by socket.io
 * for as long as it lasts: with a board's headers, about 1 KB per connected board.
 */
export function keptHandshake(handshake: Handshake): Handshake {
  return {
    headers: NOTHING_KEPT,
    time: '',
    address: handshake.address,
    xdomain: handshake.xdomain,
    secure: handshake.secure,
    issued: handshake.issued,
    url: '',
    query: NOTHING_KEPT,
    auth: NOTHING_KEPT,
  };
}

/** What writeFrameDirectly reads of an engine.io connection and of its WebSocket. */
interface DirectlyWritable {
  readonly readyState: string;
  /** engine.io's packets waiting for the transport (private in its types). */
  readonly writeBuffer?: readonly unknown[];
  readonly transport: {
    readonly name: string;
    readonly writable: boolean;
    readonly perMessageDeflate?: unknown;
    /** ws's WebSocket, and its sender, which engine.io's own pre-encoded path writes with. */
    readonly socket?: {
      readonly readyState?: number;
      readonly _sender?: { sendFrame?: (frames: Buffer[], done: () => void) => void };
    };
  };
}

const WEBSOCKET_OPEN = 1;

/**
 * Writes a pre-encoded WebSocket frame (an engine.io message packet's whole frame) to an
 * engine.io connection's WebSocket, as engine.io's transport itself writes a packet sent with
 * `wsPreEncodedFrame` (ws's sender, `sendFrame`), without the rest of engine.io's path for a
 * packet: a packet object, five events, the write buffer, the bookkeeping of its callbacks.
 * At 10,000 boards that path was a fifth of a push's time (M1, README). Only when engine.io
 * has nothing of its own to write first (the connection open, its write buffer empty, its
 * transport not in the middle of a write), so messages keep their order, and only over an
 * open, uncompressed WebSocket; false otherwise (nothing written), and the caller writes
 * through engine.io. `done` is called once the frame is written.
 */
export function writeFrameDirectly(conn: unknown, frame: Buffer, done: () => void): boolean {
  const { readyState, writeBuffer, transport } = conn as DirectlyWritable;
  const sender = transport.socket?._sender;
  if (
    readyState !== 'open' ||
    transport.name !== 'websocket' ||
    transport.perMessageDeflate ||
    !transport.writable ||
    writeBuffer?.length !== 0 ||
    transport.socket?.readyState !== WEBSOCKET_OPEN ||
    typeof sender?.sendFrame !== 'function'
  ) {
    return false;
  }
  sender.sendFrame([frame], done);
  return true;
}

function refuse(code: RefusalCode): { ok: false; code: RefusalCode } {
  return { ok: false, code };
}

/**
 * The socket.io side of the controller: pairing for new players, and authenticated,
 * validated sessions for paired ones (bundles, time, heartbeats, proof of play, commands).
 */
export class PlayerHub {
  private pushing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Memory the bundle frames of pushes are written into, reused from push to push. */
  private readonly frames = new FrameArena();
  /**
   * The text of an engine.io message ("4") carrying a `bundle:update` event, before and after
   * the bundle's JSON: one array for the hub's life, by which the releases keep its templates.
   */
  private readonly bundleMessage: readonly [string, string];
  readonly io: Server<Untrusted<PlayerToServerEvents>, ServerToPlayerEvents, object, PlayerData>;
  private readonly players: Namespace<
    Untrusted<PlayerToServerEvents>,
    ServerToPlayerEvents,
    object,
    PlayerData
  >;
  private readonly pairingNs: Namespace<
    Untrusted<PairingClientEvents>,
    PairingServerEvents,
    object,
    PairingData
  >;
  private readonly pendingCommands = new Map<string, (result: CommandResult) => void>();
  /** Judges proof-of-play records before they are stored. */
  private readonly popAdmission: PopAdmission;
  private readonly pairingRequests = new Map<string, number[]>();
  private readonly unsubscribe: (() => void)[];
  /** The events a player may send (all of the protocol's: a compile error otherwise). */
  private readonly playerHandlers: ReadonlyMap<string, PlayerHandler>;
  /** The listener of every player's events, shared by all of them (`this` is the socket). */
  private readonly playerEvent: (this: PlayerSocket, event: unknown, ...args: unknown[]) => void;
  /** The listener of every player's disconnection, shared too. */
  private readonly playerGone: (this: PlayerSocket) => void;

  constructor(
    private readonly deps: {
      httpServer: HttpServer;
      releases: ReleaseService;
      pairing: PairingService;
      events: EventBus;
      clock: Clock;
      logger: StoreLogger;
      status: BoardStatusBook;
      pop: PopStore;
      allowedOrigins: readonly string[];
      /** Whether every board must show black (the approvers' blank-all switch). */
      blankAll: () => boolean;
      timers: Timers;
      /** A board silent this long is disconnected (default PLAYER_LIVENESS.silentCloseMs). */
      silentCloseMs?: number | undefined;
    },
  ) {
    this.io = new Server<Untrusted<PlayerToServerEvents>, ServerToPlayerEvents, object, PlayerData>(
      deps.httpServer,
      {
        serveClient: false,
        maxHttpBufferSize: MAX_MESSAGE_BYTES,
        // Bundles are a few KB: deflating each one would cost CPU per board and a zlib
        // context (hundreds of KB) per connection. Off, as engine.io's default, on purpose.
        perMessageDeflate: false,
        // Boards find a dead link by their heartbeat's acknowledgement, the controller by
        // their silence (closeSilent): the ping is only the floor under both (PLAYER_LIVENESS).
        pingInterval: PLAYER_LIVENESS.pingIntervalMs,
        pingTimeout: PLAYER_LIVENESS.pingTimeoutMs,
        allowRequest: (req, callback) => {
          if (originAllowed(req, deps.allowedOrigins)) {
            callback(null, true);
            return;
          }
          deps.logger.warn({ origin: req.headers.origin }, 'socket refused: wrong Origin');
          callback(REFUSAL.badOrigin, false);
        },
      },
    );
    this.popAdmission = new PopAdmission(deps);
    const handlers: Record<keyof PlayerToServerEvents, PlayerHandler> = {
      'player:hello': (socket, payload, ack) => {
        this.hello(socket, payload, ack as Reply<HelloReply>);
      },
      'time:sync': (socket, payload, ack) => {
        this.timeSync(socket, payload, ack as Reply<TimeSyncReply>);
      },
      'player:heartbeat': (socket, payload, ack) => {
        this.heartbeat(socket, payload, ack as Reply<null>);
      },
      'player:now-playing': (socket, payload, ack) => {
        this.nowPlaying(socket, payload, ack as Reply<null>);
      },
      'pop:batch': (socket, payload, ack) => {
        this.popBatch(socket, payload, ack as Reply<PlayBatchReply>);
      },
      'command:result': (socket, payload, ack) => {
        this.commandResult(socket, payload, ack as Reply<null>);
      },
    };
    this.playerHandlers = new Map(Object.entries(handlers));
    const handle = (socket: PlayerSocket, event: unknown, args: unknown[]) => {
      this.handlePlayerEvent(socket, event, args);
    };
    const { clock } = deps;
    this.playerEvent = function (this: PlayerSocket, event: unknown, ...args: unknown[]) {
      this.data.heardMs = clock.now();
      handle(this, event, args);
    };
    const status = deps.status;
    this.playerGone = function (this: PlayerSocket) {
      status.disconnected(this.data.boardId);
    };
    discardUpgradeRequest(this.io);
    this.players = this.io.of('/player');
    const [before, after] = eventFrameAround(this.players.name, 'bundle:update');
    this.bundleMessage = [`4${before}`, after];
    // One server, two protocols: the pairing namespace has events and data of its own.
    this.pairingNs = this.io.of('/pairing') as unknown as typeof this.pairingNs;
    this.players.use((socket, next) => {
      const auth = PlayerAuthSchema.safeParse(socket.handshake.auth);
      if (!auth.success) {
        next(this.refusal(REFUSAL.badPayload, socket.handshake.address));
        return;
      }
      const found = deps.pairing.deviceForToken(auth.data.token);
      if ('refused' in found) {
        next(this.refusal(found.refused, socket.handshake.address));
        return;
      }
      socket.data.deviceId = found.device.id;
      socket.data.boardId = found.device.boardId;
      socket.data.garbage = 0;
      socket.data.heardMs = deps.clock.now();
      next();
    });
    this.players.on('connection', (socket) => {
      this.onPlayer(socket);
    });
    this.pairingNs.on('connection', (socket) => {
      this.onPairing(socket);
    });
    const silentCloseMs = deps.silentCloseMs ?? PLAYER_LIVENESS.silentCloseMs;
    const silenceCheck = every(deps.timers, Math.max(1_000, silentCloseMs / 3), () => {
      this.closeSilent(silentCloseMs);
    });
    this.unsubscribe = [
      () => {
        silenceCheck.cancel();
      },
      deps.events.on(
        'release:published',
        (event) => {
          this.pushBundles(event.boardIds, () => {
            deps.events.emit({
              type: 'release:delivered',
              version: event.version,
              publishedAtMs: event.atMs,
              atMs: deps.clock.now(),
            });
          });
        },
        { first: true },
      ),
      // One broadcast reaches every online board at once; the others learn it at their hello.
      deps.events.on('blank:changed', (event) => {
        this.players.emit('blank:update', { blank: event.blank });
      }),
    ];
  }

  private refusal(code: RefusalCode, address: string): Error {
    this.deps.logger.warn({ code, address }, 'player connection refused');
    const error = new Error(code) as Error & { data: { code: RefusalCode } };
    error.data = { code };
    return error;
  }

  /** Parses an incoming payload; a bad one is refused. */
  private parse<T>(
    socket: PlayerSocket,
    event: string,
    schema: z.ZodType<T>,
    payload: unknown,
    ack: unknown,
  ): T | undefined {
    const parsed = schema.safeParse(payload);
    if (parsed.success) return parsed.data;
    this.garbage(socket, event, ack);
    return undefined;
  }

  /** Refuses a message; a connection that keeps sending garbage is dropped. */
  private garbage(socket: PlayerSocket | PairingSocket, event: string, ack: unknown): void {
    socket.data.garbage += 1;
    this.deps.logger.warn(
      {
        ...('boardId' in socket.data ? { boardId: socket.data.boardId } : {}),
        namespace: socket.nsp.name,
        event,
        garbage: socket.data.garbage,
      },
      'refused a malformed message',
    );
    if (typeof ack === 'function') (ack as (r: Ack<never>) => void)(refuse(REFUSAL.badPayload));
    if (socket.data.garbage >= GARBAGE_LIMIT) socket.disconnect(true);
  }

  /**
   * A connected player: its board's room, its status, and the two listeners every player shares
   * (nothing is allocated per connection for them: 10,000 boards stay connected at once).
   */
  private onPlayer(socket: PlayerSocket): void {
    const { boardId } = socket.data;
    void socket.join(`board:${boardId}`);
    this.deps.status.connected(boardId);
    // Authenticated: the first HTTP request of the connection is never read again (the
    // handshake keeps the address). socket.io's memory advice; see discardUpgradeRequest.
    (socket.conn as { request: IncomingMessage | null }).request = null;
    (socket as { handshake: Handshake }).handshake = keptHandshake(socket.handshake);
    socket.on('disconnect', this.playerGone);
    // One listener for every event a player sends, unknown ones included (garbage).
    socket.onAny(this.playerEvent);
  }

  /**
   * Disconnects the boards not heard from for `silentCloseMs`: a board that vanished without
   * closing its connection (power cut, a NAT that forgot it) stops its heartbeats, and its
   * socket is freed here rather than at engine.io's rare ping.
   */
  private closeSilent(silentCloseMs: number): void {
    const now = this.deps.clock.now();
    for (const socket of this.players.sockets.values()) {
      const silentMs = now - socket.data.heardMs;
      if (silentMs <= silentCloseMs) continue;
      this.deps.logger.info(
        { boardId: socket.data.boardId, silentMs },
        'board silent: its connection closed',
      );
      socket.disconnect(true);
    }
    // A pairing connection asks for a code at once and for a new one before it expires (the
    // player renews it 5 s early): one that does neither only holds a socket open.
    for (const socket of this.pairingNs.sockets.values()) {
      const allowedMs = socket.data.offered ? PAIRING_TTL_MS + silentCloseMs : silentCloseMs;
      const silentMs = now - socket.data.heardMs;
      if (silentMs <= allowedMs) continue;
      this.deps.logger.info(
        { address: socket.handshake.address, silentMs, offered: socket.data.offered },
        'pairing connection silent: closed',
      );
      socket.disconnect(true);
    }
  }

  /** An event from a player (through playerEvent): handled, or refused as garbage. */
  private handlePlayerEvent(socket: PlayerSocket, event: unknown, args: unknown[]): void {
    const handler = typeof event === 'string' ? this.playerHandlers.get(event) : undefined;
    if (handler === undefined) {
      this.garbage(socket, `unknown event ${String(event)}`, args.at(-1));
      return;
    }
    const [payload, ack] = args;
    // Acks must be functions; an event without one is garbage too.
    if (typeof ack !== 'function') {
      this.garbage(socket, 'without an ack', ack);
      return;
    }
    handler(socket, payload, ack as (reply: never) => void);
  }

  private hello(socket: PlayerSocket, payload: unknown, ack: (r: Ack<HelloReply>) => void): void {
    const hello = this.parse(socket, 'player:hello', HelloSchema, payload, ack);
    if (!hello) return;
    const { boardId } = socket.data;
    const { releases, clock } = this.deps;
    // A board that holds its current bundle is not sent it again, nor is it signed for it:
    // after a restart thousands of boards say hello, and most of them are current.
    const current = hello.bundleHash !== null && releases.bundleHash(boardId) === hello.bundleHash;
    const bundle = current ? undefined : releases.bundle(boardId);
    ack({
      ok: true,
      value: {
        boardId,
        serverTimeMs: clock.now(),
        ...(bundle ? { bundle } : {}),
        blankAll: this.deps.blankAll(),
      },
    });
  }

  private timeSync(
    socket: PlayerSocket,
    payload: unknown,
    ack: (r: Ack<TimeSyncReply>) => void,
  ): void {
    const { clock } = this.deps;
    const receivedMs = clock.now();
    const sync = this.parse(socket, 'time:sync', TimeSyncSchema, payload, ack);
    if (!sync) return;
    ack({
      ok: true,
      value: {
        clientSendMs: sync.clientSendMs,
        serverReceiveMs: receivedMs,
        serverSendMs: clock.now(),
      },
    });
  }

  private heartbeat(socket: PlayerSocket, payload: unknown, ack: (r: Ack<null>) => void): void {
    // Every board beats every 30 s: a valid heartbeat is recognised by hand (plainHeartbeat,
    // never looser than the schema); anything else is judged by the schema.
    const beat = plainHeartbeat(payload)
      ? payload
      : this.parse(socket, 'player:heartbeat', HeartbeatSchema, payload, ack);
    if (!beat) return;
    this.deps.status.heartbeat(socket.data.boardId, beat);
    ack({ ok: true, value: null });
  }

  private nowPlaying(socket: PlayerSocket, payload: unknown, ack: (r: Ack<null>) => void): void {
    const now = this.parse(socket, 'player:now-playing', NowPlayingSchema, payload, ack);
    if (!now) return;
    this.deps.status.nowPlaying(socket.data.boardId, now);
    ack({ ok: true, value: null });
  }

  private popBatch(
    socket: PlayerSocket,
    payload: unknown,
    ack: (r: Ack<PlayBatchReply>) => void,
  ): void {
    const batch = this.parse(socket, 'pop:batch', PlayBatchSchema, payload, ack);
    if (!batch) return;
    const { boardId } = socket.data;
    // A board reports its own plays only.
    if (batch.records.some((r) => r.boardId !== boardId || r.endMs < r.startMs)) {
      this.garbage(socket, 'pop:batch', ack);
      return;
    }
    // Nothing a board reports is taken as it is: each record is judged (pop-admission.ts),
    // the refused ones acknowledged as refused so an honest board does not send them forever.
    this.popAdmission
      .admit(boardId, batch.records)
      .then(async ({ accepted, refused }) => {
        const stored = accepted.length > 0 ? await this.deps.pop.append(accepted) : [];
        // Every record sent under an id that is now held or refused (a repeated id as often).
        const done = new Set([...stored, ...refused.map((r) => r.id)]);
        const acknowledged = batch.records.filter((r) => done.has(r.id)).map((r) => r.id);
        ack({ ok: true, value: { acknowledged, ...(refused.length > 0 ? { refused } : {}) } });
      })
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error, boardId }, 'proof of play not stored');
        ack(refuse(REFUSAL.internal));
      });
  }

  /** Proof-of-play records refused since start, by reason. */
  popRefusals(): Record<string, number> {
    return this.popAdmission.refusedCounts();
  }

  private commandResult(socket: PlayerSocket, payload: unknown, ack: (r: Ack<null>) => void): void {
    const result = this.parse(socket, 'command:result', CommandResultSchema, payload, ack);
    if (!result) return;
    this.pendingCommands.get(result.id)?.(result);
    ack({ ok: true, value: null });
  }

  private onPairing(socket: PairingSocket): void {
    let withdraw: (() => void) | undefined;
    socket.data.garbage = 0;
    socket.data.heardMs = this.deps.clock.now();
    socket.data.offered = false;
    socket.on('disconnect', () => withdraw?.());
    // The same garbage rule as for players: a connection that keeps sending it is dropped.
    socket.onAny((event: string, ...args: unknown[]) => {
      if (event !== 'pairing:request') this.garbage(socket, `unknown event ${event}`, args.at(-1));
    });
    socket.on('pairing:request', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') {
        this.garbage(socket, 'pairing:request without an ack', ack);
        return;
      }
      const reply = ack as (r: Ack<PairingOffer>) => void;
      if (!PairingRequestSchema.safeParse(payload).success) {
        this.garbage(socket, 'pairing:request', ack);
        return;
      }
      // Asking counts as being heard, refused or not: a board told to wait asks again in 10 s.
      socket.data.heardMs = this.deps.clock.now();
      if (!this.allowPairingRequest(socket.handshake.address)) {
        reply(refuse(REFUSAL.rateLimited));
        return;
      }
      withdraw?.();
      const offer = this.deps.pairing.offer(async (complete: PairingComplete) => {
        try {
          return await socket
            .timeout(DELIVERY_TIMEOUT_MS)
            .emitWithAck('pairing:complete', complete);
        } catch {
          return false;
        }
      });
      withdraw = offer.withdraw;
      socket.data.offered = true;
      reply({
        ok: true,
        value: {
          code: offer.code,
          expiresAtMs: offer.expiresAtMs,
          expiresInMs: offer.expiresAtMs - this.deps.clock.now(),
        },
      });
    });
  }

  private allowPairingRequest(address: string): boolean {
    const now = this.deps.clock.now();
    const recent = (this.pairingRequests.get(address) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= PAIRING_REQUESTS_PER_MINUTE) {
      this.pairingRequests.set(address, recent);
      this.deps.logger.warn({ address }, 'pairing requests rate-limited');
      return false;
    }
    recent.push(now);
    this.pairingRequests.set(address, recent);
    return true;
  }

  /**
   * Pushes a publish's bundles: the first PUSH_BATCH boards at once, the rest a batch per turn
   * of the event loop. Each write's request and callbacks live until the loop turns; thousands
   * of them kept through one long loop outlive the young generation and make the collector
   * copy and then promote them all. Between batches heartbeats and hellos are answered too.
   * A board that a later publish changed gets the latest bundle, as at a hello.
   */
  private pushBundles(boardIds: readonly string[], delivered: () => void): void {
    // A failure is logged, and the others still go out (the board gets its bundle at its next
    // hello): the publish is made, and no caller is left to hear of it for the later batches.
    const push = (batch: readonly string[]) => {
      for (const boardId of batch) {
        try {
          this.pushBundle(boardId);
        } catch (err) {
          this.deps.logger.error({ err, boardId }, 'bundle push failed');
        }
      }
    };
    push(boardIds.slice(0, PUSH_BATCH));
    if (boardIds.length <= PUSH_BATCH) {
      delivered();
      return;
    }
    const rest = boardIds.slice(PUSH_BATCH);
    const run = async () => {
      for (let i = 0; i < rest.length && !this.closed; i += PUSH_BATCH) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        push(rest.slice(i, i + PUSH_BATCH));
      }
      if (!this.closed) delivered();
    };
    this.pushing = this.pushing.then(run);
  }

  /** Resolves once every bundle of the publishes so far has been written to its players. */
  async pushed(): Promise<void> {
    await this.pushing;
  }

  /** Sends a board its current bundle (after a publish that changed its slice). */
  pushBundle(boardId: string): void {
    // A board with no player online gets its bundle at its hello; none is built for it now.
    const sids = this.players.adapter.rooms.get(`board:${boardId}`);
    if (!sids) return;
    const message = this.deps.releases.bundleTextParts(boardId, this.bundleMessage);
    if (message === undefined) return;
    // One frame per board, whatever the number of its players, written to their engine.io
    // connections. socket.io's emit would walk the whole bundle looking for binary parts and
    // serialize it again; its text is composed from the canonical JSON the publish already
    // made, and for a WebSocket it is encoded once, as the whole WebSocket frame (wsTextFrame).
    let lease: FrameLease | undefined;
    let text: string | undefined;
    for (const sid of sids) {
      const conn = this.players.sockets.get(sid)?.conn;
      if (!conn) continue;
      // perMessageDeflate is the WebSocket transport's own field, not in engine.io's types.
      const transport = conn.transport as { name: string; perMessageDeflate?: unknown };
      if (transport.name === 'websocket' && !transport.perMessageDeflate) {
        // "4": engine.io's message packet. The frame goes straight to the WebSocket when
        // engine.io has nothing waiting there (writeFrameDirectly), else through engine.io,
        // which writes a pre-encoded frame as it is when the connection does not deflate (the
        // server's options rule that out). The callback comes once the frame is written: then
        // the arena may reuse the memory.
        lease ??= this.frames.textFrame(message);
        lease.retain();
        if (!writeFrameDirectly(conn, lease.frame, lease.release)) {
          const options = { wsPreEncodedFrame: [lease.frame] };
          conn.write('', options as Parameters<typeof conn.write>[1], lease.release);
        }
      } else {
        // Another transport (long-polling) writes engine.io's "4" itself.
        text ??= partsText(message).slice(1);
        conn.write(text);
      }
    }
    lease?.release();
  }

  /** Number of players connected, for every board. */
  onlineCount(): number {
    return this.players.sockets.size;
  }

  /** Sends a command to every player of a board and collects their answers. */
  async command(boardId: string, type: Command['type']): Promise<CommandResult[]> {
    const sockets = await this.players.in(`board:${boardId}`).fetchSockets();
    return Promise.all(
      sockets.map(
        (socket) =>
          new Promise<CommandResult>((resolve) => {
            const id = randomUUID();
            const timer = setTimeout(() => {
              this.pendingCommands.delete(id);
              resolve({ id, ok: false, error: 'no answer from the player' });
            }, COMMAND_TIMEOUT_MS);
            this.pendingCommands.set(id, (result) => {
              clearTimeout(timer);
              this.pendingCommands.delete(id);
              resolve(result);
            });
            socket.emit('command', { id, type });
          }),
      ),
    );
  }

  /** Tells revoked devices so and drops their connections. */
  disconnectDevices(deviceIds: readonly string[]): void {
    // Revocation is rare: the players are looked through rather than each kept in a room of its
    // device, which would cost every connected board a room (a set and its name) all along.
    const revoked = new Set(deviceIds);
    for (const socket of [...this.players.sockets.values()]) {
      if (!revoked.has(socket.data.deviceId)) continue;
      socket.emit('player:revoked');
      socket.disconnect(true);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const off of this.unsubscribe) off();
    await this.io.close();
  }
}
