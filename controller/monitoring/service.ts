import path from 'node:path';
import type { AuditSink } from '../audit/log.js';
import type { AuthService } from '../auth/service.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { PlayerHub } from '../players/hub.js';
import type { ReleaseService } from '../releases/service.js';
import type { AppState } from '../state.js';
import type { StateStore, StoreLogger } from '../store/index.js';
import { DAY_MS, utcDay } from '../telemetry/pop-aggregates.js';
import type { PopStore } from '../telemetry/pop-store.js';
import type { BoardStatusBook } from '../telemetry/status.js';
import { every, type Timers } from '../telemetry/timers.js';
import { Monitor } from './monitor.js';
import { MonitorNamespace, type SocketServer } from './namespace.js';
import {
  MONITOR_LIVENESS,
  type MonitorSettings,
  type MonitorSettingsView,
  type MonitorSnapshot,
  type Screenshot,
} from './protocol.js';
import { buildPlayReport, type ReportOutcome, type ReportQuery } from './reports.js';
import { ScreenshotStore } from './screenshots.js';
import { DEFAULT_MONITOR_SETTINGS, MonitorSettingsStore } from './settings.js';
import { AlertWebhook } from './webhook.js';

/** Monitoring settings from the environment (README, "Configuration"). */
export interface MonitoringOptions {
  /** Defaults for the thresholds; an admin may override them through the API. */
  settings?: Partial<MonitorSettings>;
  webhook?: {
    url: string;
    secret?: string | undefined;
    timeoutMs?: number;
    maxAttempts?: number;
    backoffMs?: number;
  };
}

export interface MonitoringDeps {
  dataDir: string;
  /** The socket.io server the players' namespaces live on. */
  io: SocketServer;
  hub: PlayerHub;
  auth: AuthService;
  clock: Clock;
  timers: Timers;
  logger: StoreLogger;
  status: BoardStatusBook;
  releases: ReleaseService;
  store: StateStore<AppState>;
  events: EventBus;
  audit: AuditSink;
  pop: PopStore;
  sessionCookie: string;
  version: string;
  options: MonitoringOptions;
  /** A dashboard's connection silent this long is closed (default MONITOR_LIVENESS). */
  dashboardSilentCloseMs?: number | undefined;
}

export type CaptureOutcome =
  | { ok: true; screenshot: Screenshot }
  | { ok: false; code: 'offline' | 'failed'; message: string; reason: string };

/**
 * Remote monitoring and proof-of-play reports (issue #6), wired together: live status and
 * alerts (Monitor), dashboards (the `/monitor` namespace), the alert webhook, screenshots
 * (on demand and every few minutes), reports, and the daily proof-of-play retention job.
 */
export class Monitoring {
  private screenshotJob: { cancel(): void } | undefined;
  /** The latest run of the retention job (tests and tools await it). */
  lastRetention: Promise<string[]> = Promise.resolve([]);
  private capturing = false;
  private readonly stop: (() => void)[] = [];

  private constructor(
    private readonly deps: MonitoringDeps,
    readonly settings: MonitorSettingsStore,
    readonly screenshots: ScreenshotStore,
    readonly webhook: AlertWebhook | undefined,
    readonly monitor: Monitor,
    readonly namespace: MonitorNamespace,
  ) {}

  static async start(deps: MonitoringDeps): Promise<Monitoring> {
    const dir = path.join(deps.dataDir, 'monitoring');
    const settings = await MonitorSettingsStore.open(
      dir,
      { ...DEFAULT_MONITOR_SETTINGS, ...deps.options.settings },
      deps.logger,
    );
    const screenshots = await ScreenshotStore.open(path.join(dir, 'screenshots'), deps.logger);
    const hook = deps.options.webhook;
    const webhook =
      hook === undefined
        ? undefined
        : new AlertWebhook({
            ...hook,
            timers: deps.timers,
            logger: deps.logger,
            userAgent: `bangtin/${deps.version}`,
          });
    const monitor = await Monitor.open({ ...deps, settings, screenshots, webhook, dir });
    let snapshot: () => MonitorSnapshot = () => {
      throw new Error('not started');
    };
    const namespace = new MonitorNamespace({
      io: deps.io,
      auth: deps.auth,
      monitor,
      snapshot: () => snapshot(),
      timers: deps.timers,
      logger: deps.logger,
      sessionCookie: deps.sessionCookie,
      now: () => deps.clock.now(),
      silentCloseMs: deps.dashboardSilentCloseMs ?? MONITOR_LIVENESS.silentCloseMs,
    });
    const monitoring = new Monitoring(deps, settings, screenshots, webhook, monitor, namespace);
    snapshot = () => monitoring.snapshot();
    monitoring.armScreenshots();
    let retentionDays = settings.current.popRetentionDays;
    monitoring.stop.push(
      settings.onChange((changed) => {
        monitoring.armScreenshots();
        if (changed.popRetentionDays !== retentionDays) {
          retentionDays = changed.popRetentionDays;
          monitoring.lastRetention = monitoring.applyRetention();
        }
      }),
    );
    const retention = every(deps.timers, DAY_MS, () => {
      monitoring.lastRetention = monitoring.applyRetention();
    });
    monitoring.stop.push(() => {
      retention.cancel();
    });
    monitoring.lastRetention = monitoring.applyRetention();
    return monitoring;
  }

  settingsView(): MonitorSettingsView {
    return { ...this.settings.current, webhook: { configured: this.webhook !== undefined } };
  }

  snapshot(): MonitorSnapshot {
    return {
      at: new Date(this.deps.clock.now()).toISOString(),
      boards: this.monitor.boards(),
      alerts: this.monitor.activeAlerts(),
      settings: this.settingsView(),
    };
  }

  /** Asks the board's players for a screenshot and keeps the first good one. */
  async captureScreenshot(boardId: string): Promise<CaptureOutcome> {
    const results = await this.deps.hub.command(boardId, 'screenshot');
    if (results.length === 0) {
      const message = `no player of "${boardId}" is online`;
      return { ok: false, code: 'offline', message, reason: message };
    }
    for (const result of results) {
      if (!result.ok || result.data === undefined) continue;
      const saved = await this.screenshots.save(boardId, result.data, this.deps.clock.now());
      if (saved) {
        this.monitor.screenshotTaken(saved);
        return { ok: true, screenshot: saved };
      }
    }
    const reason = results.find((r) => r.error !== undefined)?.error ?? 'no usable image';
    return {
      ok: false,
      code: 'failed',
      message: `the player sent no screenshot: ${reason}`,
      reason,
    };
  }

  private armScreenshots(): void {
    this.screenshotJob?.cancel();
    this.screenshotJob = undefined;
    const minutes = this.settings.current.screenshotEveryMin;
    if (minutes === 0) return;
    this.screenshotJob = every(this.deps.timers, minutes * 60_000, () => {
      void this.captureAll();
    });
  }

  /** A screenshot of every connected board, two at a time; a round still running is not doubled. */
  async captureAll(): Promise<number> {
    if (this.capturing) return 0;
    this.capturing = true;
    try {
      const online = this.monitor
        .boards()
        .filter((b) => b.connected)
        .map((b) => b.boardId);
      let taken = 0;
      let next = 0;
      const worker = async () => {
        while (next < online.length) {
          const boardId = online[next] as string;
          next += 1;
          const outcome = await this.captureScreenshot(boardId).catch((error: unknown) => {
            this.deps.logger.warn({ err: error, boardId }, 'periodic screenshot failed');
            return undefined;
          });
          if (outcome?.ok === true) taken += 1;
        }
      };
      await Promise.all([worker(), worker()]);
      return taken;
    } finally {
      this.capturing = false;
    }
  }

  /** Removes proof-of-play days older than the retention setting (UTC days). */
  async applyRetention(): Promise<string[]> {
    const days = this.settings.current.popRetentionDays;
    const keepFrom = utcDay(this.deps.clock.now() - days * DAY_MS);
    try {
      const removed = await this.deps.pop.removeDaysBefore(keepFrom);
      if (removed.length > 0) {
        this.deps.logger.info({ removed, keepFrom }, 'proof-of-play days past retention removed');
      }
      return removed;
    } catch (error) {
      this.deps.logger.error({ err: error }, 'proof-of-play retention failed');
      return [];
    }
  }

  /** A report from the latest release and the proof-of-play totals. */
  async report(query: ReportQuery): Promise<ReportOutcome | undefined> {
    const release = this.deps.releases.current();
    if (!release) return undefined;
    return buildPlayReport(query, {
      releaseVersion: release.meta.version,
      plans: release.plans,
      compiled: release.compiled,
      resolver: (boardId) => this.deps.releases.resolver(boardId),
      visitRows: (fromMs, toMs, boards, visit) =>
        this.deps.pop.visitRows(fromMs, toMs, boards, visit),
      nowMs: this.deps.clock.now(),
    });
  }

  async close(): Promise<void> {
    for (const off of this.stop) off();
    this.screenshotJob?.cancel();
    this.namespace.close();
    this.webhook?.close();
    await this.monitor.close();
  }
}
