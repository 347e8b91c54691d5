import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileDurably } from '../store/durable-write.js';
import type { StoreLogger } from '../store/index.js';
import {
  MonitorSettingsPatchSchema,
  type MonitorSettings,
  type MonitorSettingsPatch,
} from './protocol.js';

/** The thresholds of issue #6 and the periods the README documents. */
export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = {
  offlineAfterSec: 90,
  staleAfterSec: 120,
  wrongContentAfterSec: 60,
  contentGraceSec: 5,
  clockSkewSec: 60,
  screenshotEveryMin: 15,
  popRetentionDays: 400,
};

const FORMAT = 'bangtin-monitor-settings/1';
const FileSchema = z.strictObject({
  format: z.literal(FORMAT),
  overrides: MonitorSettingsPatchSchema,
});

/**
 * The monitoring settings: defaults from the environment, overridden by what an admin set
 * through the API (`<data>/monitoring/settings.json`, written durably). Telemetry settings
 * live beside the telemetry, not in the configuration document.
 */
export class MonitorSettingsStore {
  private overrides: MonitorSettingsPatch;
  /** The defaults with the overrides, made when they change (the monitor reads them for each heartbeat). */
  private merged: Readonly<MonitorSettings>;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(settings: MonitorSettings) => void>();

  private constructor(
    private readonly file: string,
    private readonly defaults: MonitorSettings,
    overrides: MonitorSettingsPatch,
  ) {
    this.overrides = overrides;
    this.merged = Object.freeze({ ...defaults, ...overrides });
  }

  static async open(
    dir: string,
    defaults: MonitorSettings,
    logger: StoreLogger,
  ): Promise<MonitorSettingsStore> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'settings.json');
    let overrides: MonitorSettingsPatch = {};
    try {
      const parsed = FileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (parsed.success) overrides = parsed.data.overrides;
      else logger.error({ file }, 'unreadable monitoring settings; using the defaults');
    } catch {
      // No overrides yet.
    }
    return new MonitorSettingsStore(file, defaults, overrides);
  }

  get current(): Readonly<MonitorSettings> {
    return this.merged;
  }

  onChange(listener: (settings: MonitorSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores the changed settings durably, then applies them. */
  update(patch: MonitorSettingsPatch): Promise<MonitorSettings> {
    const run = this.queue.then(async () => {
      const overrides = { ...this.overrides, ...patch };
      await writeFileDurably(this.file, JSON.stringify({ format: FORMAT, overrides }, null, 2));
      this.overrides = overrides;
      this.merged = Object.freeze({ ...this.defaults, ...overrides });
      const settings = this.current;
      for (const listener of this.listeners) listener(settings);
      return settings;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
