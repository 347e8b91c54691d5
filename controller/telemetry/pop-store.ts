import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PlayRecordSchema, type PlayRecord } from '../../playlists/index.js';
import type { StoreLogger } from '../store/index.js';

const FILE_PATTERN = /^pop-(\d{4}-\d{2}-\d{2})\.ndjson$/;

/**
 * Proof-of-play records: append-only daily NDJSON files (by the UTC day a play started),
 * each record once by its id. A batch is acknowledged only after its lines are fsynced,
 * so a board may forget what was acknowledged and resend the rest without double counting.
 */
export class PopStore {
  private readonly seen = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly logger: StoreLogger,
  ) {}

  static async open(dir: string, logger: StoreLogger): Promise<PopStore> {
    await mkdir(dir, { recursive: true });
    const store = new PopStore(dir, logger);
    await store.loadIds();
    return store;
  }

  private async loadIds(): Promise<void> {
    for (const file of (await readdir(this.dir)).filter((f) => FILE_PATTERN.test(f)).sort()) {
      const text = await readFile(path.join(this.dir, file), 'utf8');
      for (const line of text.split('\n')) {
        if (line.length === 0) continue;
        try {
          const record = PlayRecordSchema.parse(JSON.parse(line));
          this.seen.add(record.id);
        } catch {
          // A torn last line after a crash: its batch was never acknowledged, so it comes again.
          this.logger.warn({ file }, 'skipped an unreadable proof-of-play line');
        }
      }
    }
  }

  /** Stores the records not seen before; resolves with every id now held. */
  append(records: readonly PlayRecord[]): Promise<string[]> {
    const run = this.queue.then(() => this.appendNow(records));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendNow(records: readonly PlayRecord[]): Promise<string[]> {
    const fresh = new Map<string, PlayRecord[]>();
    const batchIds = new Set<string>();
    for (const record of records) {
      if (this.seen.has(record.id) || batchIds.has(record.id)) continue;
      batchIds.add(record.id);
      const day = new Date(record.startMs).toISOString().slice(0, 10);
      const list = fresh.get(day) ?? [];
      list.push(record);
      fresh.set(day, list);
    }
    for (const [day, list] of fresh) {
      const handle = await open(path.join(this.dir, `pop-${day}.ndjson`), 'a');
      try {
        await handle.appendFile(list.map((r) => `${JSON.stringify(r)}\n`).join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const id of batchIds) this.seen.add(id);
    return records.map((r) => r.id);
  }

  /** Every stored record, oldest file first (for tests and reports). */
  async readAll(): Promise<PlayRecord[]> {
    const out: PlayRecord[] = [];
    for (const file of (await readdir(this.dir)).filter((f) => FILE_PATTERN.test(f)).sort()) {
      const text = await readFile(path.join(this.dir, file), 'utf8');
      for (const line of text.split('\n')) {
        if (line.length > 0) out.push(PlayRecordSchema.parse(JSON.parse(line)));
      }
    }
    return out;
  }
}
