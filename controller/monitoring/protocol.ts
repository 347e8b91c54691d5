// The monitoring contract shared by the controller and the dashboard: the JSON of
// `/api/monitor/*` and the `/monitor` socket.io namespace. It imports zod only, so browser code
// can import it too.
import { z } from 'zod';

/** The conditions that raise an alert. */
export const ALERT_KINDS = ['offline', 'stale', 'wrong_content', 'clock_skew'] as const;
export const AlertKindSchema = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKindSchema>;

/** online: heard from within the offline threshold; offline: not; unpaired: no live device. */
export const BOARD_STATES = ['online', 'offline', 'unpaired'] as const;
export type BoardState = (typeof BOARD_STATES)[number];

/** Why the monitor refused a connection or a message. */
export const MONITOR_REFUSAL = {
  badPayload: 'bad_payload',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
} as const;
export type MonitorRefusalCode = (typeof MONITOR_REFUSAL)[keyof typeof MONITOR_REFUSAL];

export type MonitorAck<T> = { ok: true; value: T } | { ok: false; code: MonitorRefusalCode };

/** What a board shows, or should show: a content or announcement id, empty when idle or blank. */
export interface ShownItem {
  kind: 'item' | 'announcement' | 'idle' | 'blank';
  id: string;
}

/** One board as the dashboard's grid shows it. Instants are ISO-8601 UTC. */
export interface BoardHealth {
  boardId: string;
  name: string;
  /** The plan the board belongs to (working copies), or null. */
  planId: string | null;
  state: BoardState;
  /** A player of the board holds a socket open right now. */
  connected: boolean;
  /** Players of the board connected now. */
  players: number;
  lastSeenAt: string | null;
  bundle: {
    /** The bundle version the board last reported holding. */
    held: number | null;
    /** The version of the board's bundle in the latest release. */
    latest: number | null;
    stale: boolean;
    staleSince: string | null;
  };
  /** What the board last reported showing, and since when (by its corrected clock). */
  showing: (ShownItem & { since: string }) | null;
  /** What the latest release (or blank-all) says it must show now; null when nothing is published for it. */
  expected: ShownItem | null;
  wrongContent: boolean;
  wrongContentSince: string | null;
  /** Blanked by a technician's command (not blank-all): shown, but not an alert. */
  blanked: boolean;
  /**
   * How far the board's own clock is from the controller machine's (its player's correction,
   * server minus board, less a demonstration clock's shift: boardClockSkewMs), ms.
   */
  clockOffsetMs: number | null;
  clockSkew: boolean;
  errors: string[];
  screen: { width: number; height: number } | null;
  uptimeMs: number | null;
  screenshot: ScreenshotInfo | null;
  /** The alerts active for the board. */
  alerts: AlertKind[];
}

/** A stored low-resolution screenshot of a board. */
export interface ScreenshotInfo {
  takenAt: string;
  width: number;
  height: number;
  bytes: number;
}

/** A screenshot with its image: a PNG data URL of at most 320×320 pixels. */
export interface Screenshot extends ScreenshotInfo {
  boardId: string;
  dataUrl: string;
}

/** An alert: raised when its condition has held past its threshold, cleared when it ends. */
export interface Alert {
  /** `<kind>:<boardId>:<raised at ms>`: unique per occurrence. */
  id: string;
  kind: AlertKind;
  boardId: string;
  boardName: string;
  raisedAt: string;
  /** When the condition began (before the threshold passed). */
  since: string;
  clearedAt: string | null;
  /** The figures behind it: lastSeenAt; held/latest; showing/expected; clockOffsetMs. */
  values: Record<string, string | number | null>;
}

/** Thresholds and periods; seconds, minutes and days as their names say. */
export const MonitorSettingsSchema = z.strictObject({
  /**
   * A board not heard from for this long is offline. Heartbeats come every 30 s, so anything
   * shorter than 40 s would flip a healthy idle board between offline and online.
   */
  offlineAfterSec: z.int().min(40).max(86_400),
  /** A board still holding an older bundle this long after it could have the latest is stale. */
  staleAfterSec: z.int().min(10).max(86_400),
  /** A board showing something other than the plan for this long shows wrong content. */
  wrongContentAfterSec: z.int().min(0).max(86_400),
  /** A reported item also counts as right within this many seconds of an item boundary. */
  contentGraceSec: z.int().min(0).max(600),
  /** A board whose clock is off by more than this is skewed. */
  clockSkewSec: z.int().min(1).max(86_400),
  /** Screenshot every online board this often; 0: only on demand. */
  screenshotEveryMin: z.int().min(0).max(1440),
  /** Keep proof-of-play records and totals for this many days. */
  popRetentionDays: z.int().min(1).max(36_500),
});
export type MonitorSettings = z.infer<typeof MonitorSettingsSchema>;

/** `PATCH /api/monitor/settings`: any of the settings. */
export const MonitorSettingsPatchSchema = MonitorSettingsSchema.partial();
export type MonitorSettingsPatch = z.infer<typeof MonitorSettingsPatchSchema>;

/** The settings as the API shows them: the webhook only says whether one is set. */
export interface MonitorSettingsView extends MonitorSettings {
  webhook: { configured: boolean };
}

/** Everything a dashboard needs to draw the grid from scratch. */
export interface MonitorSnapshot {
  at: string;
  boards: BoardHealth[];
  alerts: Alert[];
  settings: MonitorSettingsView;
}

/** The handshake of a `/monitor` socket: the session cookie is read from the headers, or a bearer token given here. */
export const MonitorAuthSchema = z.strictObject({ token: z.string().min(10).max(200).optional() });

/** `monitor:snapshot` takes no arguments. */
export const SnapshotRequestSchema = z.strictObject({}).optional();
export const PingRequestSchema = z.strictObject({}).optional();

/**
 * How a dashboard finds that its link died: it pings every `pingEveryMs` and drops the
 * connection when an answer takes longer than `ackTimeoutMs`, so within 40 s; socket.io then
 * reconnects. The controller closes a dashboard's connection silent for `silentCloseMs` (at its
 * next credential check, once a minute). engine.io's own ping is rare (players'
 * PLAYER_LIVENESS) and would take five and a half minutes.
 */
export const MONITOR_LIVENESS = {
  pingEveryMs: 30_000,
  ackTimeoutMs: 10_000,
  silentCloseMs: 90_000,
} as const;

/** Events the controller sends on `/monitor`. */
export interface MonitorServerEvents {
  /** Sent once on connection. */
  'monitor:snapshot': (snapshot: MonitorSnapshot) => void;
  /** A board's status changed (a heartbeat, a report, a threshold passed). */
  'board:status': (board: BoardHealth) => void;
  'alert:raised': (alert: Alert) => void;
  'alert:cleared': (alert: Alert) => void;
  /** A new screenshot of a board. */
  'board:screenshot': (screenshot: Screenshot) => void;
}

/** Events a dashboard sends on `/monitor`. */
export interface MonitorClientEvents {
  /** Asks for a fresh snapshot. */
  'monitor:snapshot': (request: object, ack: (reply: MonitorAck<MonitorSnapshot>) => void) => void;
  /** A liveness check (MONITOR_LIVENESS); answered with the controller's time. */
  'monitor:ping': (request: object, ack: (reply: MonitorAck<{ at: string }>) => void) => void;
}
