import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Board } from '../../playlists/index.js';
import { LOCAL_ORIGIN, SYSTEM_ACTOR, type AuditSink } from '../audit/log.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { ReleaseService } from '../releases/service.js';
import type { AppState } from '../state.js';
import { writeFileDurably } from '../store/durable-write.js';
import type { StateStore, StoreLogger } from '../store/index.js';
import { unknownStatus, type BoardStatus, type BoardStatusBook } from '../telemetry/status.js';
import { every, type Timers } from '../telemetry/timers.js';
import { describeItem, expectedAt, judgeReport } from './health.js';
import {
  ALERT_KINDS,
  AlertKindSchema,
  type Alert,
  type AlertKind,
  type BoardHealth,
  type MonitorSettings,
  type Screenshot,
  type ShownItem,
} from './protocol.js';
import type { MonitorSettingsStore } from './settings.js';
import type { ScreenshotStore } from './screenshots.js';
import type { AlertWebhookPayload, AlertWebhook } from './webhook.js';

/** Sweeps (re-evaluating every board) are at least this far apart. */
const MIN_SWEEP_SPACING_MS = 1_000;
/** Safety sweep and state save period. */
const HOUSEKEEPING_MS = 30_000;
/** Alerts (raised and cleared) kept for `GET /api/monitor/alerts`. */
const HISTORY_LIMIT = 500;

const STATE_FORMAT = 'bangtin-monitor-state/1';
const AlertSchema = z.strictObject({
  id: z.string().max(200),
  kind: AlertKindSchema,
  boardId: z.string().max(64),
  boardName: z.string().max(200),
  raisedAt: z.string(),
  since: z.string(),
  clearedAt: z.string().nullable(),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});
const StateFileSchema = z.strictObject({
  format: z.literal(STATE_FORMAT),
  lastSeen: z.record(z.string(), z.number()),
  alerts: z.array(AlertSchema),
});

/** What the monitor tells the dashboards, the audit log and the webhook. */
export interface MonitorListener {
  status?(board: BoardHealth): void;
  /**
   * Whether `status` would be heard now (the dashboards' namespace: whether one is open);
   * while no listener wants it, board status is not built at all.
   */
  wantsStatus?(): boolean;
  raised?(alert: Alert): void;
  cleared?(alert: Alert): void;
  screenshot?(screenshot: Screenshot): void;
}

/** What a board's alerts are judged by (BoardHealth has it too, with what dashboards show). */
interface Conditions {
  raw: BoardStatus;
  state: BoardHealth['state'];
  online: boolean;
  latest: number | null;
  stale: boolean;
  wrongContent: boolean;
  clockSkew: boolean;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

interface Tracker {
  staleSinceMs: number | null;
  wrongSinceMs: number | null;
  wrong: { showing: ShownItem; expected: ShownItem | null } | null;
  blanked: boolean;
  active: Map<AlertKind, Alert>;
  /** The JSON of the health last sent, so only changes are sent. */
  sent: string;
}

/** A board of a plan, with what each of its heartbeats reads at hand. */
interface BoardEntry {
  readonly board: Board;
  readonly planId: string;
  /** The board's tracker (the same as in `trackers`, which also keeps boards of no plan). */
  readonly tracker: Tracker;
  /** Whether a device not revoked is paired with the board (kept with the devices). */
  paired: boolean;
}

/**
 * How far a board's own clock is from the machine's, as the correction its player applies
 * (server − board, `clockOffsetMs` of its heartbeats) less the controller's own shift from the
 * machine's clock: under a demonstration clock (BANGTIN_CLOCK) every player corrects by the
 * demonstration's shift, and a board whose clock is right is not skewed.
 */
export function boardClockSkewMs(clockOffsetMs: number | null, clock: Clock): number | null {
  return clockOffsetMs === null ? null : clockOffsetMs - (clock.shiftMs ?? 0);
}

export interface MonitorDeps {
  clock: Clock;
  timers: Timers;
  logger: StoreLogger;
  status: BoardStatusBook;
  releases: ReleaseService;
  store: StateStore<AppState>;
  events: EventBus;
  settings: MonitorSettingsStore;
  audit: AuditSink;
  webhook: AlertWebhook | undefined;
  screenshots: ScreenshotStore;
  /** Where `state.json` (last seen, active alerts) is kept across restarts. */
  dir: string;
}

/**
 * Live board status and alerts. It listens to the status book (heartbeats, reports,
 * connections) and the domain events (publishes, blank-all), keeps one timer at the next
 * instant a threshold can pass by time alone, and reports every change to its listeners.
 * It never sees a socket: the `/monitor` namespace is one listener, the audit log and the
 * webhook are others.
 */
export class Monitor {
  private readonly trackers = new Map<string, Tracker>();
  private readonly history: Alert[] = [];
  private readonly listeners = new Set<MonitorListener>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly bootMs: number;
  private cachedPlans: AppState['plans'] | undefined;
  private cachedDevices: AppState['devices'] | undefined;
  private boardsById = new Map<string, BoardEntry>();
  private paired = new Set<string>();
  private deadline: { atMs: number; timer: { cancel(): void } } | undefined;
  private lastSweepMs = Number.NEGATIVE_INFINITY;
  private housekeeping: { cancel(): void } | undefined;
  private dirty = false;
  private closed = false;

  private constructor(private readonly deps: MonitorDeps) {
    this.bootMs = deps.clock.now();
  }

  static async open(deps: MonitorDeps): Promise<Monitor> {
    await mkdir(deps.dir, { recursive: true });
    const monitor = new Monitor(deps);
    await monitor.restore();
    monitor.unsubscribe.push(
      deps.status.onChange((boardId, change) => {
        monitor.onStatus(boardId, change === 'heartbeat' || change === 'now-playing');
      }),
      // Once the publish's bundles are out: judging 10,000 boards first would hold them up.
      deps.events.on('release:delivered', () => {
        monitor.sweep();
      }),
      deps.events.on('blank:changed', () => {
        monitor.sweep();
      }),
      deps.settings.onChange(() => {
        monitor.sweep();
      }),
    );
    monitor.housekeeping = every(deps.timers, HOUSEKEEPING_MS, () => {
      monitor.sweep();
      void monitor.save();
    });
    monitor.sweep();
    return monitor;
  }

  private get settings(): MonitorSettings {
    return this.deps.settings.current;
  }

  // --- persistence across restarts ---

  private get stateFile(): string {
    return path.join(this.deps.dir, 'state.json');
  }

  private async restore(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.stateFile, 'utf8');
    } catch {
      return;
    }
    const parsed = StateFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      this.deps.logger.error(
        { file: this.stateFile },
        'unreadable monitoring state; starting afresh',
      );
      return;
    }
    for (const [boardId, ms] of Object.entries(parsed.data.lastSeen)) {
      this.deps.status.restoreLastSeen(boardId, ms);
    }
    // Alerts raised before the restart stay raised (and are not sent again) until they clear.
    for (const alert of parsed.data.alerts) {
      this.tracker(alert.boardId).active.set(alert.kind, alert);
    }
  }

  /** Writes when a board was last seen and the active alerts. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const lastSeen: Record<string, number> = {};
    for (const s of this.deps.status.all())
      if (s.lastSeenMs !== null) lastSeen[s.boardId] = s.lastSeenMs;
    try {
      await writeFileDurably(
        this.stateFile,
        JSON.stringify({ format: STATE_FORMAT, lastSeen, alerts: this.activeAlerts() }),
      );
    } catch (error) {
      this.dirty = true;
      this.deps.logger.error({ err: error }, 'could not save the monitoring state');
    }
  }

  // --- what boards there are ---

  private refreshBoards(): void {
    const { plans, devices } = this.deps.store.read();
    // The store keeps the value of a field an update did not change: most updates (sessions,
    // releases, settings) leave both as they were.
    const devicesChanged = devices !== this.cachedDevices;
    if (devicesChanged) {
      this.cachedDevices = devices;
      this.paired = new Set(devices.filter((d) => d.revokedAt === undefined).map((d) => d.boardId));
    }
    if (plans !== this.cachedPlans) {
      this.cachedPlans = plans;
      this.boardsById = new Map();
      for (const p of plans) {
        for (const board of p.boards) {
          this.boardsById.set(board.id, {
            board,
            planId: p.plan.id,
            tracker: this.tracker(board.id),
            paired: this.paired.has(board.id),
          });
        }
      }
    } else if (devicesChanged) {
      for (const entry of this.boardsById.values()) entry.paired = this.paired.has(entry.board.id);
    }
  }

  private tracker(boardId: string): Tracker {
    let t = this.trackers.get(boardId);
    if (!t) {
      t = {
        staleSinceMs: null,
        wrongSinceMs: null,
        wrong: null,
        blanked: false,
        active: new Map(),
        sent: '',
      };
      this.trackers.set(boardId, t);
    }
    return t;
  }

  // --- evaluation ---

  private onStatus(boardId: string, reported: boolean): void {
    if (this.closed) return;
    this.dirty = true;
    this.refreshBoards();
    const now = this.deps.clock.now();
    const entry = this.boardsById.get(boardId);
    if (reported) this.judge(boardId, entry?.tracker ?? this.tracker(boardId), now);
    // A board of no plan has no alerts, hence no deadline.
    if (!entry) return;
    this.evaluateEntry(entry, now);
    const next = this.nextDeadline(entry);
    if (next !== undefined && (this.deadline === undefined || next < this.deadline.atMs)) {
      this.arm(next);
    }
  }

  /** Compares what a board just reported with what it may rightly show now. */
  private judge(boardId: string, t: Tracker, now: number): void {
    const showing = this.deps.status.get(boardId)?.nowPlaying;
    if (!showing) return;
    const blankAll = this.deps.store.read().blankAll !== null;
    const resolver = this.deps.releases.resolver(boardId);
    const verdict = judgeReport(
      showing,
      resolver,
      now,
      this.settings.contentGraceSec * 1000,
      blankAll,
    );
    t.blanked = verdict === 'blanked';
    if (verdict === 'wrong') {
      t.wrongSinceMs ??= now;
      t.wrong = {
        showing: { kind: showing.kind, id: showing.id },
        expected: expectedAt(resolver, now, blankAll),
      };
    } else {
      t.wrongSinceMs = null;
      t.wrong = null;
    }
  }

  /** Re-evaluates every board (time passed, a publish, new settings). */
  sweep(): void {
    if (this.closed) return;
    this.refreshBoards();
    const now = this.deps.clock.now();
    this.lastSweepMs = now;
    for (const entry of this.boardsById.values()) this.evaluateEntry(entry, now);
    // Boards that left every plan: their alerts end.
    for (const [boardId, t] of this.trackers) {
      if (this.boardsById.has(boardId)) continue;
      for (const alert of [...t.active.values()]) this.clear(t, alert, now);
    }
    let next: number | undefined;
    for (const entry of this.boardsById.values()) {
      const d = this.nextDeadline(entry);
      if (d !== undefined && (next === undefined || d < next)) next = d;
    }
    if (next === undefined) {
      this.deadline?.timer.cancel();
      this.deadline = undefined;
    } else {
      this.arm(next);
    }
  }

  private arm(atMs: number): void {
    const at = Math.max(atMs, this.lastSweepMs + MIN_SWEEP_SPACING_MS);
    if (this.deadline?.atMs === at) return;
    this.deadline?.timer.cancel();
    const timer = this.deps.timers.after(at - this.deps.clock.now(), () => {
      this.deadline = undefined;
      this.sweep();
    });
    this.deadline = { atMs: at, timer };
  }

  /** The instant one of the board's pending conditions passes its threshold by time alone. */
  private nextDeadline(entry: BoardEntry): number | undefined {
    const t = entry.tracker;
    const s = this.settings;
    // Runs for each heartbeat of every board: no array for the candidates.
    let next = Number.POSITIVE_INFINITY;
    if (entry.paired && !t.active.has('offline')) {
      next = Math.min(
        next,
        this.offlineReferenceMs(this.deps.status.get(entry.board.id)) + s.offlineAfterSec * 1000,
      );
    }
    if (t.staleSinceMs !== null && !t.active.has('stale')) {
      next = Math.min(next, t.staleSinceMs + s.staleAfterSec * 1000);
    }
    if (t.wrongSinceMs !== null && !t.active.has('wrong_content')) {
      next = Math.min(next, t.wrongSinceMs + s.wrongContentAfterSec * 1000);
    }
    return next === Number.POSITIVE_INFINITY ? undefined : next;
  }

  /** Boards get the offline threshold to come back after the controller itself started. */
  private offlineReferenceMs(raw: BoardStatus | undefined): number {
    return Math.max(raw?.lastSeenMs ?? Number.NEGATIVE_INFINITY, this.bootMs);
  }

  /** Whether a listener wants board status now (each one says, or it always does). */
  private get statusWanted(): boolean {
    for (const l of this.listeners) if (l.status && (l.wantsStatus?.() ?? true)) return true;
    return false;
  }

  private evaluate(boardId: string, now: number): void {
    const entry = this.boardsById.get(boardId);
    if (entry) this.evaluateEntry(entry, now);
  }

  private evaluateEntry(entry: BoardEntry, now: number): void {
    const t = entry.tracker;
    const c = this.conditions(entry, now);
    // An alert is raised once its condition has held past its threshold, and stands for as
    // long as the condition holds (so a restart does not clear and raise it again). Nothing is
    // allocated unless one is raised or cleared: this runs for each heartbeat of every board.
    for (const kind of ALERT_KINDS) {
      const active = t.active.get(kind);
      const wanted = this.alertHolds(kind, t, c, now, active !== undefined);
      if (wanted && !active) {
        const { since, values } = this.alertFacts(kind, t, c, now);
        this.raise(t, entry, kind, since, values, now);
      } else if (!wanted && active) {
        this.clear(t, active, now);
      }
    }
    // The rest is for dashboards: with none open (most of the time), nothing is built. What
    // was last sent is forgotten, so the next status after one opens is sent.
    if (!this.statusWanted) {
      t.sent = '';
      return;
    }
    const health = this.health(entry, now, c);
    const json = JSON.stringify(health);
    if (json !== t.sent) {
      t.sent = json;
      for (const l of this.listeners) l.status?.(health);
    }
  }

  /** Whether an alert's condition holds, and past its threshold or already raised. */
  private alertHolds(
    kind: AlertKind,
    t: Tracker,
    c: Conditions,
    now: number,
    raised: boolean,
  ): boolean {
    const s = this.settings;
    switch (kind) {
      case 'offline':
        return (
          c.state === 'offline' &&
          (raised || now - this.offlineReferenceMs(c.raw) >= s.offlineAfterSec * 1000)
        );
      case 'stale':
        return (
          c.online &&
          c.stale &&
          (raised || (t.staleSinceMs !== null && now - t.staleSinceMs >= s.staleAfterSec * 1000))
        );
      case 'wrong_content':
        return (
          c.wrongContent &&
          (raised ||
            (t.wrongSinceMs !== null && now - t.wrongSinceMs >= s.wrongContentAfterSec * 1000))
        );
      case 'clock_skew':
        return c.clockSkew;
    }
  }

  /** Since when an alert's condition holds, and the values it is raised with. */
  private alertFacts(
    kind: AlertKind,
    t: Tracker,
    c: Conditions,
    now: number,
  ): { since: number; values: Alert['values'] } {
    const { raw } = c;
    switch (kind) {
      case 'offline':
        return {
          since: raw.lastSeenMs ?? this.bootMs,
          values: { lastSeenAt: iso(raw.lastSeenMs) },
        };
      case 'stale':
        return {
          since: t.staleSinceMs ?? now,
          values: { held: raw.bundleVersion, latest: c.latest },
        };
      case 'wrong_content':
        return {
          since: t.wrongSinceMs ?? now,
          values: {
            showing: describeItem(t.wrong?.showing ?? null),
            expected: describeItem(t.wrong?.expected ?? null),
          },
        };
      case 'clock_skew':
        return {
          since: now,
          values: { clockOffsetMs: boardClockSkewMs(raw.clockOffsetMs, this.deps.clock) },
        };
    }
  }

  private raise(
    t: Tracker,
    entry: BoardEntry,
    kind: AlertKind,
    sinceMs: number,
    values: Alert['values'],
    now: number,
  ): void {
    const alert: Alert = {
      id: `${kind}:${entry.board.id}:${now}`,
      kind,
      boardId: entry.board.id,
      boardName: entry.board.name,
      raisedAt: new Date(now).toISOString(),
      since: new Date(sinceMs).toISOString(),
      clearedAt: null,
      values,
    };
    t.active.set(kind, alert);
    this.report('raised', alert);
  }

  private clear(t: Tracker, active: Alert, now: number): void {
    t.active.delete(active.kind);
    this.report('cleared', { ...active, clearedAt: new Date(now).toISOString() });
  }

  private report(what: 'raised' | 'cleared', alert: Alert): void {
    this.dirty = true;
    this.history.push(alert);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    this.deps.logger.warn({ alert }, `alert ${what}`);
    const payload: AlertWebhookPayload = {
      type: what === 'raised' ? 'alert.raised' : 'alert.cleared',
      sentAt: new Date(this.deps.clock.now()).toISOString(),
      alert,
    };
    // In the audit log first: an alert seen on a dashboard or by the webhook is already there.
    this.deps.audit
      .append({
        actor: SYSTEM_ACTOR,
        action: what === 'raised' ? 'alert.raise' : 'alert.clear',
        target: `boards/${alert.boardId}`,
        outcome: 'ok',
        details: { kind: alert.kind, since: alert.since, ...alert.values },
        from: LOCAL_ORIGIN,
      })
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'could not audit an alert');
      })
      .finally(() => {
        for (const l of this.listeners) l[what]?.(alert);
        this.deps.webhook?.send(payload);
      });
  }

  /** What the alerts are judged by; it also moves the board's stale and wrong-content clocks. */
  private conditions(entry: BoardEntry, now: number): Conditions {
    const boardId = entry.board.id;
    const t = entry.tracker;
    const s = this.settings;
    const raw = this.deps.status.get(boardId) ?? unknownStatus(boardId);
    const heard = raw.lastSeenMs !== null && now - raw.lastSeenMs < s.offlineAfterSec * 1000;
    const state = !entry.paired && !raw.connected ? 'unpaired' : heard ? 'online' : 'offline';
    const latest = this.deps.releases.current()?.bundles[boardId]?.version ?? null;
    const online = state === 'online';
    const stale = online && latest !== null && raw.bundleVersion !== latest;
    if (stale) t.staleSinceMs ??= now;
    else t.staleSinceMs = null;
    if (!online) {
      // Offline boards show nothing we can judge.
      t.wrongSinceMs = null;
      t.wrong = null;
    }
    const skewMs = boardClockSkewMs(raw.clockOffsetMs, this.deps.clock);
    const clockSkew = online && skewMs !== null && Math.abs(skewMs) > s.clockSkewSec * 1000;
    return {
      raw,
      state,
      online,
      latest,
      stale,
      wrongContent: online && !stale && t.wrongSinceMs !== null,
      clockSkew,
    };
  }

  private health(
    entry: BoardEntry,
    now: number,
    c: Conditions = this.conditions(entry, now),
  ): BoardHealth {
    const { board, planId, tracker: t } = entry;
    const boardId = board.id;
    const { raw, online, stale } = c;
    const blankAll = this.deps.store.read().blankAll !== null;
    return {
      boardId,
      name: board.name,
      planId,
      state: c.state,
      connected: raw.connected,
      players: raw.connections,
      lastSeenAt: iso(raw.lastSeenMs),
      bundle: { held: raw.bundleVersion, latest: c.latest, stale, staleSince: iso(t.staleSinceMs) },
      showing: raw.nowPlaying
        ? {
            kind: raw.nowPlaying.kind,
            id: raw.nowPlaying.id,
            since: new Date(raw.nowPlaying.startedAtMs).toISOString(),
          }
        : null,
      expected: expectedAt(this.deps.releases.resolver(boardId), now, blankAll),
      wrongContent: c.wrongContent,
      wrongContentSince: online && !stale ? iso(t.wrongSinceMs) : null,
      blanked: online && t.blanked,
      clockOffsetMs: boardClockSkewMs(raw.clockOffsetMs, this.deps.clock),
      clockSkew: c.clockSkew,
      errors: raw.errors,
      screen: raw.screen,
      uptimeMs: raw.uptimeMs,
      screenshot: this.deps.screenshots.info(boardId),
      alerts: ALERT_KINDS.filter((k) => t.active.has(k)),
    };
  }

  // --- reading ---

  /** Every board of every plan, as the grid shows it now. */
  boards(): BoardHealth[] {
    this.refreshBoards();
    const now = this.deps.clock.now();
    return [...this.boardsById.values()].map((entry) => this.health(entry, now));
  }

  board(boardId: string): BoardHealth | undefined {
    this.refreshBoards();
    const entry = this.boardsById.get(boardId);
    return entry ? this.health(entry, this.deps.clock.now()) : undefined;
  }

  activeAlerts(): Alert[] {
    return [...this.trackers.values()].flatMap((t) => [...t.active.values()]);
  }

  /** Alerts raised and cleared lately, newest first. */
  recentAlerts(): Alert[] {
    return [...this.history].reverse();
  }

  /** A new screenshot: the grid's thumbnail changes. */
  screenshotTaken(screenshot: Screenshot): void {
    for (const l of this.listeners) l.screenshot?.(screenshot);
    this.refreshBoards();
    this.evaluate(screenshot.boardId, this.deps.clock.now());
  }

  listen(listener: MonitorListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const off of this.unsubscribe) off();
    this.housekeeping?.cancel();
    this.deadline?.timer.cancel();
    this.dirty = true;
    await this.save();
  }
}
