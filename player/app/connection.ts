import { io, type Socket } from 'socket.io-client';
import {
  BlankAllStateSchema,
  BundleSchema,
  CommandSchema,
  PLAYER_LIVENESS,
  PLAYER_RECONNECT,
  PROTOCOL_VERSION,
  type Ack,
  type Bundle,
  type Command,
  type CommandResult,
  type Heartbeat,
  type HelloReply,
  type NowPlaying,
  type PairingClientEvents,
  type PairingComplete,
  type PairingOffer,
  type PairingServerEvents,
  type PlayBatchReply,
  type PlayRecord,
  type PlayerToServerEvents,
  type ServerToPlayerEvents,
  type TimeSyncReply,
} from '../../playlists/protocol.js';
import type { SyncSample } from './clock.js';

const ACK_TIMEOUT_MS = PLAYER_LIVENESS.ackTimeoutMs;

export type PlayerSocket = Socket<ServerToPlayerEvents, PlayerToServerEvents>;

function unwrap<T>(reply: Ack<T>): T {
  if (!reply.ok) throw new Error(reply.code);
  return reply.value;
}

/** Waits on the pairing namespace for a technician to claim the code it shows. */
export function startPairing(handlers: {
  screen: { width: number; height: number };
  onOffer(offer: PairingOffer): void;
  /** Keeps the credentials; pairing ends once the controller has the board's receipt. */
  onComplete(complete: PairingComplete): Promise<void>;
  onPaired(): void;
  onError(message: string): void;
}): () => void {
  const socket: Socket<PairingServerEvents, PairingClientEvents> = io('/pairing', {
    ...PLAYER_RECONNECT,
    transports: ['websocket'],
  });
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  const request = () => {
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('pairing:request', { protocol: PROTOCOL_VERSION, screen: handlers.screen })
      .then((reply) => {
        const offer = unwrap(reply as Ack<PairingOffer>);
        handlers.onOffer(offer);
        // A code lives ten minutes; ask for the next one just before it expires.
        if (renewTimer !== undefined) clearTimeout(renewTimer);
        renewTimer = setTimeout(request, Math.max(1_000, offer.expiresInMs - 5_000));
      })
      .catch((error: unknown) => {
        handlers.onError(error instanceof Error ? error.message : String(error));
        if (renewTimer !== undefined) clearTimeout(renewTimer);
        renewTimer = setTimeout(request, 10_000);
      });
  };
  socket.on('connect', request);
  socket.on('connect_error', (error) => {
    handlers.onError(error.message);
  });
  socket.on('pairing:complete', (complete, ack) => {
    handlers.onComplete(complete).then(
      () => {
        ack(true);
        // The receipt is queued before the disconnect, so the controller gets it.
        if (renewTimer !== undefined) clearTimeout(renewTimer);
        socket.disconnect();
        handlers.onPaired();
      },
      () => {
        ack(false);
      },
    );
  });
  return () => {
    if (renewTimer !== undefined) clearTimeout(renewTimer);
    socket.disconnect();
  };
}

/** What the connection reports to the player. */
export interface ConnectionHandlers {
  onConnected(): void;
  onDisconnected(): void;
  onBundle(bundle: Bundle): void;
  onCommand(command: Command): void;
  /** The approvers' blank-all switch changed. */
  onBlankAll(blank: boolean): void;
  onRevoked(): void;
}

/** The authenticated session of a paired player with its controller. */
export class PlayerConnection {
  readonly socket: PlayerSocket;

  /**
   * `url` is the controller's player namespace; a board's page reaches it on its own origin.
   * `ackTimeoutMs` is how long to wait for any acknowledgement.
   */
  constructor(
    token: string,
    handlers: ConnectionHandlers,
    private readonly options: { url?: string; ackTimeoutMs?: number } = {},
  ) {
    this.socket = io(options.url ?? '/player', {
      ...PLAYER_RECONNECT,
      transports: ['websocket'],
      auth: { token, protocol: PROTOCOL_VERSION },
    });
    this.socket.on('connect', () => {
      handlers.onConnected();
    });
    this.socket.on('disconnect', () => {
      handlers.onDisconnected();
    });
    this.socket.on('connect_error', (error) => {
      // The controller says who we are not: start over. Anything else: keep retrying.
      if (error.message === 'revoked' || error.message === 'unknown_token') handlers.onRevoked();
    });
    this.socket.on('player:revoked', () => {
      handlers.onRevoked();
    });
    this.socket.on('bundle:update', (bundle: unknown) => {
      // Never trust the wire, even from our own controller.
      const parsed = BundleSchema.safeParse(bundle);
      if (parsed.success) handlers.onBundle(parsed.data);
    });
    this.socket.on('command', (command: unknown) => {
      const parsed = CommandSchema.safeParse(command);
      if (parsed.success) handlers.onCommand(parsed.data);
    });
    this.socket.on('blank:update', (state: unknown) => {
      const parsed = BlankAllStateSchema.safeParse(state);
      if (parsed.success) handlers.onBlankAll(parsed.data.blank);
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  async hello(
    held: Bundle | undefined,
    screen: { width: number; height: number },
    userAgent: string,
  ): Promise<HelloReply> {
    const reply: unknown = await this.socket
      .timeout(this.ackTimeoutMs)
      .emitWithAck('player:hello', {
        protocol: PROTOCOL_VERSION,
        bundleVersion: held?.version ?? null,
        bundleHash: held?.hash ?? null,
        clientTimeMs: Date.now(),
        screen,
        userAgent: userAgent.slice(0, 500),
      });
    const value = unwrap(reply as Ack<HelloReply>);
    if (value.bundle) {
      const parsed = BundleSchema.safeParse(value.bundle);
      if (!parsed.success) throw new Error('the controller sent a malformed bundle');
      return { ...value, bundle: parsed.data };
    }
    return value;
  }

  /** One NTP-style exchange. */
  async syncOnce(): Promise<SyncSample> {
    const t0 = Date.now();
    const reply = (await this.socket
      .timeout(this.ackTimeoutMs)
      .emitWithAck('time:sync', { clientSendMs: t0 })) as Ack<TimeSyncReply>;
    const t3 = Date.now();
    const value = unwrap(reply);
    return { t0, t1: value.serverReceiveMs, t2: value.serverSendMs, t3 };
  }

  /**
   * Sends a heartbeat. Unanswered in time, the connection is taken for dead even if its socket
   * has not noticed: it is dropped, and socket.io-client reconnects with its backoff.
   */
  async heartbeat(beat: Heartbeat): Promise<void> {
    let reply: unknown;
    try {
      reply = await this.socket.timeout(this.ackTimeoutMs).emitWithAck('player:heartbeat', beat);
    } catch (error) {
      if (this.socket.connected) this.socket.io.engine.close();
      throw error;
    }
    unwrap(reply as Ack<null>);
  }

  private get ackTimeoutMs(): number {
    return this.options.ackTimeoutMs ?? ACK_TIMEOUT_MS;
  }

  async nowPlaying(now: NowPlaying): Promise<void> {
    unwrap(
      (await this.socket
        .timeout(this.ackTimeoutMs)
        .emitWithAck('player:now-playing', now)) as Ack<null>,
    );
  }

  async sendPlays(records: PlayRecord[]): Promise<PlayBatchReply> {
    return unwrap(
      (await this.socket
        .timeout(this.ackTimeoutMs)
        .emitWithAck('pop:batch', { records })) as Ack<PlayBatchReply>,
    );
  }

  async commandResult(result: CommandResult): Promise<void> {
    unwrap(
      (await this.socket
        .timeout(this.ackTimeoutMs)
        .emitWithAck('command:result', result)) as Ack<null>,
    );
  }

  close(): void {
    this.socket.disconnect();
  }
}
