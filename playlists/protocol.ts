import { z } from 'zod';
import { BoardSchema, IdSchema, PlanDocumentSchema } from './plan.js';

/** The version of the player protocol; both ends refuse another. */
export const PROTOCOL_VERSION = 1;

/**
 * How a board keeps its session alive. It sends a heartbeat every `heartbeatMs`; an
 * acknowledgement missing after `ackTimeoutMs` means the connection died without closing (a
 * cut cable, a NAT that forgot it), and the board drops it and reconnects: it finds a dead
 * link within 40 s. The controller, for its part, closes the connection of a board it has not
 * heard from for `silentCloseMs` (three heartbeats), which frees the sockets of boards that
 * vanished. So engine.io's own ping, a message to and from every board, can be rare: it is only
 * the floor under both (a board still hears one every `pingIntervalMs`).
 */
export const PLAYER_LIVENESS = {
  heartbeatMs: 30_000,
  ackTimeoutMs: 10_000,
  silentCloseMs: 90_000,
  pingIntervalMs: 300_000,
  pingTimeoutMs: 30_000,
} as const;

/**
 * How a board reconnects (socket.io-client's backoff): 1 s, doubling, at most 5 s (socket.io's
 * default), each delay ±50 % so that a thousand boards do not return in step. The cap bounds
 * how long a board stays dark after the controller comes back; a refused attempt costs the
 * controller next to nothing.
 */
export const PLAYER_RECONNECT = {
  reconnection: true,
  reconnectionDelay: 1_000,
  reconnectionDelayMax: 5_000,
  randomizationFactor: 0.5,
} as const;

/** Why the controller refused a message or a connection. */
export const REFUSAL = {
  badPayload: 'bad_payload',
  badProtocol: 'bad_protocol',
  unknownToken: 'unknown_token',
  revoked: 'revoked',
  badOrigin: 'bad_origin',
  tooLarge: 'too_large',
  rateLimited: 'rate_limited',
  notPaired: 'not_paired',
  internal: 'internal',
} as const;
export type RefusalCode = (typeof REFUSAL)[keyof typeof REFUSAL];

/** Every acknowledgement: a value, or a coded refusal. */
export type Ack<T> = { ok: true; value: T } | { ok: false; code: RefusalCode };

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
// Instants a board may report: after 1970 and before the year 10000 (ISO-8601 with four-digit
// years, which is also how proof-of-play files are named by day).
const MsSchema = z.number().int().min(0).max(253_402_300_799_999);

/** A file a bundle needs, addressed by the sha256 of its bytes. */
export const BundleAssetSchema = z.strictObject({
  name: z.string().max(200),
  sha256: Sha256Schema,
  url: z.string().max(300),
  size: z.int().min(0),
  type: z.string().max(100),
});
export type BundleAsset = z.infer<typeof BundleAssetSchema>;

const Ed25519ValueSchema = z.string().regex(/^[A-Za-z0-9_-]{86}$/);

/**
 * How a bundle proves the controller's release key made it (release-proof.ts):
 * - `Ed25519-merkle`: an Ed25519 signature (base64url) over the release's root, once per
 *   release, with this bundle's leaf `index` among `size` leaves and the sibling hashes from
 *   its leaf up to that root;
 * - `Ed25519`: an Ed25519 signature over the canonical JSON of the bundle without it (what
 *   controllers before release roots made; still accepted from a player's cache).
 */
export const BundleSignatureSchema = z.discriminatedUnion('alg', [
  z.strictObject({
    alg: z.literal('Ed25519-merkle'),
    value: Ed25519ValueSchema,
    size: z.int().min(1).max(1_000_000),
    index: z.int().min(0).max(999_999),
    proof: z.array(Sha256Schema).max(20),
  }),
  z.strictObject({ alg: z.literal('Ed25519'), value: Ed25519ValueSchema }),
]);
export type BundleSignature = z.infer<typeof BundleSignatureSchema>;

export const BUNDLE_FORMAT = 'bangtin-bundle/1';

/** One board's slice of a release: everything it needs to play offline. */
export const BundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  /** The release in which this board's slice last changed. */
  version: z.int().positive(),
  /** The release this bundle was cut from. */
  releaseVersion: z.int().positive(),
  /** sha256 of the slice's canonical content (plan and assets). */
  hash: Sha256Schema,
  boardId: IdSchema,
  board: BoardSchema,
  plan: PlanDocumentSchema,
  assets: z.array(BundleAssetSchema).max(10_000),
  signature: BundleSignatureSchema,
});
export type Bundle = z.infer<typeof BundleSchema>;

/** The handshake auth of a paired player. */
export const PlayerAuthSchema = z.strictObject({
  token: z.string().min(10).max(200),
  protocol: z.literal(PROTOCOL_VERSION),
});
export type PlayerAuth = z.infer<typeof PlayerAuthSchema>;

export const HelloSchema = z.strictObject({
  protocol: z.literal(PROTOCOL_VERSION),
  /** The bundle the player holds, or null. */
  bundleVersion: z.int().positive().nullable(),
  bundleHash: Sha256Schema.nullable(),
  clientTimeMs: MsSchema,
  screen: z.strictObject({
    width: z.int().min(0).max(100_000),
    height: z.int().min(0).max(100_000),
  }),
  userAgent: z.string().max(500).optional(),
});
export type Hello = z.infer<typeof HelloSchema>;

export interface HelloReply {
  boardId: string;
  serverTimeMs: number;
  /** Present only when the player's bundle is not the current one. */
  bundle?: Bundle;
  /** Every board is blanked (an approver's emergency switch) until told otherwise. */
  blankAll: boolean;
}

/** The blank-all switch, pushed to every board when an approver flips it. */
export const BlankAllStateSchema = z.strictObject({ blank: z.boolean() });
export type BlankAllState = z.infer<typeof BlankAllStateSchema>;

export const TimeSyncSchema = z.strictObject({ clientSendMs: MsSchema });
export type TimeSync = z.infer<typeof TimeSyncSchema>;
export interface TimeSyncReply {
  clientSendMs: number;
  serverReceiveMs: number;
  serverSendMs: number;
}

export const NowPlayingSchema = z.strictObject({
  /** The content or announcement id; empty when idle or blank. */
  id: z.string().max(64),
  kind: z.enum(['item', 'announcement', 'idle', 'blank']),
  startedAtMs: MsSchema,
  bundleVersion: z.int().positive().nullable(),
});
export type NowPlaying = z.infer<typeof NowPlayingSchema>;

export const HeartbeatSchema = z.strictObject({
  nowPlaying: NowPlayingSchema,
  bundleVersion: z.int().positive().nullable(),
  uptimeMs: MsSchema,
  clockOffsetMs: z.number().min(-8.64e15).max(8.64e15),
  screen: z.strictObject({
    width: z.int().min(0).max(100_000),
    height: z.int().min(0).max(100_000),
  }),
  errors: z.array(z.string().max(500)).max(20),
});
export type Heartbeat = z.infer<typeof HeartbeatSchema>;

/** One play of one item, as the board saw it. */
export const PlayRecordSchema = z.strictObject({
  /** Made by the board (random); the controller counts each id once. */
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  boardId: IdSchema,
  kind: z.enum(['item', 'announcement']),
  contentId: IdSchema,
  startMs: MsSchema,
  endMs: MsSchema,
  releaseVersion: z.int().positive(),
});
export type PlayRecord = z.infer<typeof PlayRecordSchema>;

export const PlayBatchSchema = z.strictObject({
  records: z.array(PlayRecordSchema).min(1).max(500),
});
export type PlayBatch = z.infer<typeof PlayBatchSchema>;
/** Why the controller refused a play record for good (it is acknowledged all the same). */
export const POP_REFUSAL_REASONS = [
  'too_old',
  'in_future',
  'unknown_release',
  'unknown_content',
  'too_long',
  'board_day_full',
] as const;
export type PopRefusalReason = (typeof POP_REFUSAL_REASONS)[number];
export interface PlayBatchReply {
  /**
   * Ids the board may forget: the records the controller now holds (new or already known) and
   * those it refused for good (listed again in `refused`). A record in neither list (the board
   * sent more than its rate allows) is to be sent again later.
   */
  acknowledged: string[];
  /** Records that can be no play of this board (too old, in the future, unknown content…). */
  refused?: { id: string; reason: PopRefusalReason }[];
}

export const COMMAND_TYPES = ['reload', 'identify', 'blank', 'unblank', 'screenshot'] as const;
export const CommandSchema = z.strictObject({
  id: z.string().max(64),
  type: z.enum(COMMAND_TYPES),
});
export type Command = z.infer<typeof CommandSchema>;

export const CommandResultSchema = z.strictObject({
  id: z.string().max(64),
  ok: z.boolean(),
  /** For a screenshot: a PNG data URL. */
  data: z
    .string()
    .max(2_000_000)
    .regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/)
    .optional(),
  error: z.string().max(500).optional(),
});
export type CommandResult = z.infer<typeof CommandResultSchema>;

export const PairingRequestSchema = z.strictObject({
  protocol: z.literal(PROTOCOL_VERSION),
  screen: z.strictObject({
    width: z.int().min(0).max(100_000),
    height: z.int().min(0).max(100_000),
  }),
});
export type PairingRequest = z.infer<typeof PairingRequestSchema>;
export interface PairingOffer {
  code: string;
  expiresAtMs: number;
  /** The same, relative: the board's clock may be far from the controller's before pairing. */
  expiresInMs: number;
}
export interface PairingComplete {
  token: string;
  boardId: string;
  /** The controller's release key (Ed25519, raw, base64url): bundles must verify with it. */
  publicKey: string;
}

/** Events a player sends on the `/player` namespace. */
export interface PlayerToServerEvents {
  'player:hello': (hello: Hello, ack: (reply: Ack<HelloReply>) => void) => void;
  'time:sync': (sync: TimeSync, ack: (reply: Ack<TimeSyncReply>) => void) => void;
  'player:heartbeat': (beat: Heartbeat, ack: (reply: Ack<null>) => void) => void;
  'player:now-playing': (now: NowPlaying, ack: (reply: Ack<null>) => void) => void;
  'pop:batch': (batch: PlayBatch, ack: (reply: Ack<PlayBatchReply>) => void) => void;
  'command:result': (result: CommandResult, ack: (reply: Ack<null>) => void) => void;
}

/** The same events as the controller must see them: nothing a board sends is trusted. */
export type Untrusted<Events> = {
  [K in keyof Events]: Events[K] extends (payload: never, ack: infer A) => void
    ? (payload: unknown, ack: A) => void
    : never;
};

/** Events the controller sends on the `/player` namespace. */
export interface ServerToPlayerEvents {
  'bundle:update': (bundle: Bundle) => void;
  command: (command: Command) => void;
  'blank:update': (state: BlankAllState) => void;
  'player:revoked': () => void;
}

/** Events on the `/pairing` namespace (a player that has no token yet). */
export interface PairingClientEvents {
  'pairing:request': (request: PairingRequest, ack: (reply: Ack<PairingOffer>) => void) => void;
}
export interface PairingServerEvents {
  'pairing:complete': (complete: PairingComplete, ack: (received: boolean) => void) => void;
}
