import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PlayRecordSchema, type PlayRecord } from '../../playlists/index.js';
import { syncDirectory, writeFileDurably } from '../store/durable-write.js';
import type { StoreLogger } from '../store/index.js';
import { BloomFilter } from './bloom.js';
import {
  AggregateFileSchema,
  DAY_MS,
  DayAggregate,
  MAX_COUNTED_PLAY_MS,
  utcDay,
  type AggregateRow,
} from './pop-aggregates.js';
import { every, realTimers, type Timers } from './timers.js';

const FILE_PATTERN = /^pop-(\d{4}-\d{2}-\d{2})\.ndjson$/;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const AGGREGATE_FILE = 'agg.json';
const IDS_SUFFIX = '.ids';
// 8 KiB per board and day; with 7 probes under 1 in 200 new ids needs a look at the disk
// even at 5,760 plays a day (one every 15 s, around the clock).
const BLOOM_LOG2_BITS = 16;
const BLOOM_HASHES = 7;
const IO_PARALLEL = 8;

/** How a PopStore is tuned; the defaults suit a controller with up to a few thousand boards. */
export interface PopStoreOptions {
  /** Aggregates and the id index (default: `<dir>-index` beside the NDJSON directory). */
  indexDir?: string;
  timers?: Timers;
  /** How often the day totals are written to disk (they are exact without it; this bounds replay). */
  checkpointEveryMs?: number;
  /** Ids of the latest records held in memory whatever their day. */
  recentIds?: number;
  /** Board-days whose Bloom filter is held in memory. */
  cachedPartitions?: number;
}

interface Pending {
  records: readonly PlayRecord[];
  resolve: (ids: string[]) => void;
  reject: (error: unknown) => void;
}

/** The ids of one board on one UTC day: a Bloom filter in memory, the exact list on disk. */
interface Partition {
  bloom: BloomFilter;
}

/** Memory figures, for the soak and for operators. */
export interface PopStoreFigures {
  cachedPartitions: number;
  bloomBytes: number;
  recentIds: number;
  dirtyDays: number;
}

async function runLimited<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IO_PARALLEL, items.length) }, worker));
}

async function fileSize(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Proof-of-play records: append-only daily NDJSON files `pop-YYYY-MM-DD.ndjson` (by the UTC
 * day a play started), each record once by its id. A batch is acknowledged only after its
 * lines are fsynced, so a board may forget what was acknowledged and resend the rest without
 * double counting.
 *
 * Beside them (`<dir>-index/<day>/`) live derived files: the ids of each board's plays that
 * day (`<board>.ids`), and the day's totals per board, content and quarter hour (`agg.json`)
 * with the number of NDJSON bytes they include. Memory stays flat however many plays arrive:
 * a resent record is the same record, so it falls on the same board and day, and a fixed-size
 * Bloom filter per board-day answers "certainly new" for almost every id; only a "maybe"
 * reads that board-day's id file. Totals gathered since the last checkpoint are the only
 * other state; after a crash they are rebuilt from the NDJSON bytes the checkpoint lacks.
 */
export class PopStore {
  private readonly partitions = new Map<string, Partition>();
  /** Ids whose line in an id file could not be written, by board-day: checked from memory. */
  private readonly unindexed = new Map<string, Set<string>>();
  /** The coveredBytes of each day's totals file. */
  private readonly covered = new Map<string, number>();
  private readonly recent = new Set<string>();
  private readonly recentRing: (string | undefined)[] = [];
  private recentNext = 0;
  /** Day totals not yet merged into their file, with the coveredBytes of that file beneath. */
  private readonly dirty = new Map<string, { aggregate: DayAggregate; baseCovered: number }>();
  private readonly sizes = new Map<string, number>();
  private readonly unsynced = new Set<string>();
  private readonly knownDayDirs = new Set<string>();
  private pending: Pending[] = [];
  private commitQueued = false;
  private chain: Promise<unknown> = Promise.resolve();
  private checkpointTimer: { cancel(): void } | undefined;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly indexDir: string,
    private readonly logger: StoreLogger,
    private readonly options: Required<Omit<PopStoreOptions, 'indexDir' | 'timers'>>,
  ) {}

  static async open(
    dir: string,
    logger: StoreLogger,
    options: PopStoreOptions = {},
  ): Promise<PopStore> {
    const indexDir = options.indexDir ?? `${dir}-index`;
    await mkdir(dir, { recursive: true });
    await mkdir(indexDir, { recursive: true });
    const store = new PopStore(dir, indexDir, logger, {
      checkpointEveryMs: options.checkpointEveryMs ?? 30_000,
      recentIds: options.recentIds ?? 20_000,
      cachedPartitions: options.cachedPartitions ?? 4096,
    });
    await store.recover();
    store.checkpointTimer = every(
      options.timers ?? realTimers,
      store.options.checkpointEveryMs,
      () => {
        store.checkpoint().catch((error: unknown) => {
          logger.error({ err: error }, 'proof-of-play checkpoint failed');
        });
      },
    );
    return store;
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const result = this.chain.then(run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private ndjsonPath(day: string): string {
    return path.join(this.dir, `pop-${day}.ndjson`);
  }

  private dayDir(day: string): string {
    return path.join(this.indexDir, day);
  }

  private idsPath(day: string, boardId: string): string {
    return path.join(this.dayDir(day), `${boardId}${IDS_SUFFIX}`);
  }

  private async days(): Promise<string[]> {
    const out: string[] = [];
    for (const file of await readdir(this.dir)) {
      const m = FILE_PATTERN.exec(file);
      if (m?.[1] !== undefined) out.push(m[1]);
    }
    return out.sort();
  }

  // --- start-up ---

  /** Brings every day's totals and id files up to the end of its NDJSON file. */
  private async recover(): Promise<void> {
    for (const day of await this.days()) {
      const file = this.ndjsonPath(day);
      const size = await this.cutTornTail(file);
      this.sizes.set(day, size);
      const aggregate = await this.readAggregate(day);
      const covered = aggregate && aggregate.coveredBytes <= size ? aggregate : undefined;
      this.covered.set(day, size);
      if (covered && covered.coveredBytes === size) continue;
      if (!covered) {
        // Nothing trustworthy to build on: the day's derived files are rebuilt from its NDJSON.
        await rm(this.dayDir(day), { recursive: true, force: true });
      }
      const base = covered ?? new DayAggregate(day, 0);
      const replayed = await this.replay(day, base.coveredBytes, size);
      base.merge(replayed);
      base.coveredBytes = size;
      await this.syncIds(day);
      await this.writeAggregate(base);
      this.logger.warn(
        { day, fromByte: covered?.coveredBytes ?? 0, toByte: size },
        'proof-of-play totals rebuilt from the NDJSON file',
      );
    }
  }

  /** A last line without its newline was cut short by a crash; its batch was never acknowledged. */
  private async cutTornTail(file: string): Promise<number> {
    const handle = await open(file, 'r+');
    try {
      const size = (await handle.stat()).size;
      let end = size;
      const chunk = Buffer.alloc(64 * 1024);
      while (end > 0) {
        const start = Math.max(0, end - chunk.length);
        const { bytesRead } = await handle.read(chunk, 0, end - start, start);
        const index = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
        if (index >= 0) {
          end = start + index + 1;
          break;
        }
        end = start;
      }
      if (end < size) {
        this.logger.warn(
          { file, bytes: size - end },
          'cut a torn last proof-of-play line (its batch was never acknowledged)',
        );
        await handle.truncate(end);
        await handle.sync();
      }
      return end;
    } finally {
      await handle.close();
    }
  }

  /** Reads the records in bytes [fromByte, toByte) of a day file into totals and id files. */
  private async replay(day: string, fromByte: number, toByte: number): Promise<DayAggregate> {
    const aggregate = new DayAggregate(day, toByte);
    if (toByte <= fromByte) return aggregate;
    const lines = createInterface({
      input: createReadStream(this.ndjsonPath(day), { start: fromByte, end: toByte - 1 }),
      crlfDelay: Infinity,
    });
    let ids = new Map<string, string[]>();
    let held = 0;
    const flush = async () => {
      await this.appendIds(day, ids);
      ids = new Map();
      held = 0;
    };
    for await (const line of lines) {
      if (line.length === 0) continue;
      const record = this.parseLine(line, day);
      if (!record) continue;
      aggregate.add(record);
      const list = ids.get(record.boardId) ?? [];
      list.push(record.id);
      ids.set(record.boardId, list);
      held += 1;
      if (held >= 50_000) await flush();
    }
    await flush();
    return aggregate;
  }

  private parseLine(line: string, day: string): PlayRecord | undefined {
    try {
      return PlayRecordSchema.parse(JSON.parse(line));
    } catch {
      this.logger.warn({ day }, 'skipped an unreadable proof-of-play line');
      return undefined;
    }
  }

  private async readAggregate(day: string): Promise<DayAggregate | undefined> {
    let text: string;
    try {
      text = await readFile(path.join(this.dayDir(day), AGGREGATE_FILE), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = AggregateFileSchema.parse(JSON.parse(text));
      return parsed.day === day ? DayAggregate.fromJSON(parsed) : undefined;
    } catch {
      this.logger.error({ day }, 'unreadable proof-of-play totals; rebuilding them');
      return undefined;
    }
  }

  private async writeAggregate(aggregate: DayAggregate): Promise<void> {
    await this.ensureDayDir(aggregate.day);
    await writeFileDurably(
      path.join(this.dayDir(aggregate.day), AGGREGATE_FILE),
      JSON.stringify(aggregate),
    );
  }

  private async ensureDayDir(day: string): Promise<void> {
    if (this.knownDayDirs.has(day)) return;
    await mkdir(this.dayDir(day), { recursive: true });
    this.knownDayDirs.add(day);
  }

  // --- writing ---

  /** Stores the records not seen before; resolves with every id of the batch (all now held). */
  append(records: readonly PlayRecord[]): Promise<string[]> {
    if (this.closed) return Promise.reject(new Error('the proof-of-play store is closed'));
    return new Promise<string[]>((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      if (this.commitQueued) return;
      this.commitQueued = true;
      // Batches that arrive while one commit runs share the next one: one fsync per file.
      void this.serial(async () => {
        this.commitQueued = false;
        await this.commit(this.pending.splice(0));
      });
    });
  }

  private async commit(group: Pending[]): Promise<void> {
    try {
      const fresh = await this.selectNew(group);
      for (const [day, list] of fresh) {
        await this.writeDay(day, list);
        await this.index(day, list);
      }
    } catch (error) {
      for (const request of group) request.reject(error);
      return;
    }
    for (const request of group) request.resolve(request.records.map((r) => r.id));
  }

  /** The records of a group never stored before, by day, in arrival order. */
  private async selectNew(group: readonly Pending[]): Promise<Map<string, PlayRecord[]>> {
    const fresh = new Map<string, PlayRecord[]>();
    const taken = new Set<string>();
    const exact = new Map<string, Set<string>>();
    let lastKey = '';
    let lastPartition: Partition | undefined;
    for (const request of group) {
      for (const record of request.records) {
        if (taken.has(record.id) || this.recent.has(record.id)) continue;
        const day = utcDay(record.startMs);
        const key = `${day}/${record.boardId}`;
        if (key !== lastKey || !lastPartition) {
          lastPartition = await this.partition(day, record.boardId);
          lastKey = key;
        }
        if (lastPartition.bloom.mightHave(record.id)) {
          let ids = exact.get(key);
          if (!ids) {
            ids = await this.readIds(day, record.boardId);
            for (const id of this.unindexed.get(key) ?? []) ids.add(id);
            exact.set(key, ids);
          }
          if (ids.has(record.id)) continue;
        }
        taken.add(record.id);
        const list = fresh.get(day) ?? [];
        list.push(record);
        fresh.set(day, list);
      }
    }
    return fresh;
  }

  private async partition(day: string, boardId: string): Promise<Partition> {
    const key = `${day}/${boardId}`;
    const hit = this.partitions.get(key);
    if (hit) {
      // Most recently used last.
      this.partitions.delete(key);
      this.partitions.set(key, hit);
      return hit;
    }
    const bloom = new BloomFilter(BLOOM_LOG2_BITS, BLOOM_HASHES);
    for (const id of await this.readIds(day, boardId)) bloom.add(id);
    const partition: Partition = { bloom };
    this.partitions.set(key, partition);
    while (this.partitions.size > this.options.cachedPartitions) {
      const oldest = this.partitions.keys().next().value;
      if (oldest === undefined) break;
      this.partitions.delete(oldest);
    }
    return partition;
  }

  private async readIds(day: string, boardId: string): Promise<Set<string>> {
    try {
      const text = await readFile(this.idsPath(day, boardId), 'utf8');
      return new Set(text.split('\n').filter((id) => id.length > 0));
    } catch {
      return new Set();
    }
  }

  private async writeDay(day: string, list: readonly PlayRecord[]): Promise<void> {
    const file = this.ndjsonPath(day);
    const text = list.map((r) => `${JSON.stringify(r)}\n`).join('');
    const known = this.sizes.get(day);
    const before = known ?? (await fileSize(file)) ?? 0;
    const handle = await open(file, 'a');
    try {
      try {
        await handle.appendFile(text);
        await handle.sync();
      } catch (error) {
        // Never leave half a line for the next batch to be glued to.
        await handle.truncate(before).catch(() => undefined);
        throw error;
      }
    } finally {
      await handle.close();
    }
    if (known === undefined) await syncDirectory(this.dir);
    this.sizes.set(day, before + Buffer.byteLength(text));
  }

  /** After the records are durable: the id index, the recent ids and the day's totals. */
  private async index(day: string, list: readonly PlayRecord[]): Promise<void> {
    const byBoard = new Map<string, string[]>();
    for (const record of list) {
      const ids = byBoard.get(record.boardId) ?? [];
      ids.push(record.id);
      byBoard.set(record.boardId, ids);
      this.remember(record.id);
    }
    for (const [boardId, ids] of byBoard) {
      const partition = await this.partition(day, boardId);
      for (const id of ids) partition.bloom.add(id);
    }
    await this.appendIds(day, byBoard);
    let entry = this.dirty.get(day);
    if (!entry) {
      const base = this.covered.get(day) ?? 0;
      entry = { aggregate: new DayAggregate(day, base), baseCovered: base };
      this.dirty.set(day, entry);
    }
    for (const record of list) entry.aggregate.add(record);
    entry.aggregate.coveredBytes = this.sizes.get(day) ?? 0;
  }

  private async appendIds(day: string, byBoard: ReadonlyMap<string, string[]>): Promise<void> {
    if (byBoard.size === 0) return;
    await this.ensureDayDir(day);
    await runLimited([...byBoard], async ([boardId, ids]) => {
      const file = this.idsPath(day, boardId);
      try {
        await appendFile(file, `${ids.join('\n')}\n`);
        this.unsynced.add(file);
      } catch (error) {
        this.logger.error({ err: error, file }, 'could not index proof-of-play ids');
        const key = `${day}/${boardId}`;
        const held = this.unindexed.get(key) ?? new Set<string>();
        for (const id of ids) held.add(id);
        this.unindexed.set(key, held);
      }
    });
  }

  /** Keeps the latest ids in a ring: a Set evicted from its front slows to a crawl in V8. */
  private remember(id: string): void {
    if (this.recent.has(id)) return;
    const oldest = this.recentRing[this.recentNext];
    if (oldest !== undefined) this.recent.delete(oldest);
    this.recentRing[this.recentNext] = id;
    this.recentNext = (this.recentNext + 1) % this.options.recentIds;
    this.recent.add(id);
  }

  // --- checkpoints ---

  /** Merges the totals gathered since the last checkpoint into their day files. */
  checkpoint(): Promise<void> {
    return this.serial(() => this.checkpointNow());
  }

  private async checkpointNow(): Promise<void> {
    const days = [...this.dirty.keys()];
    await runLimited(days, async (day) => {
      const entry = this.dirty.get(day);
      if (!entry) return;
      // The totals claim these ids: they must be on disk before the totals are.
      await this.syncIds(day);
      const onDisk = (await this.readAggregate(day)) ?? new DayAggregate(day, 0);
      if (onDisk.coveredBytes !== entry.baseCovered) {
        throw new Error(`proof-of-play totals of ${day} changed under the checkpoint`);
      }
      onDisk.merge(entry.aggregate);
      onDisk.coveredBytes = entry.aggregate.coveredBytes;
      await this.writeAggregate(onDisk);
      this.covered.set(day, onDisk.coveredBytes);
      this.dirty.delete(day);
    });
  }

  private async syncIds(day: string): Promise<void> {
    const prefix = `${this.dayDir(day)}${path.sep}`;
    const files = [...this.unsynced].filter((f) => f.startsWith(prefix));
    await runLimited(files, async (file) => {
      await syncFile(file);
      this.unsynced.delete(file);
    });
    if (files.length > 0) await syncDirectory(this.dayDir(day));
  }

  // --- reading ---

  /**
   * Visits the totals whose quarter hour starts in [fromMs, toMs), for some boards or all, one
   * day file at a time. Exact at any moment: what is on disk plus what arrived since, each
   * counted once.
   */
  async visitRows(
    fromMs: number,
    toMs: number,
    boards: ReadonlySet<string> | undefined,
    visit: (row: AggregateRow) => void,
  ): Promise<void> {
    // A play is counted from the day it started, for at most MAX_COUNTED_PLAY_MS.
    const firstDay = utcDay(Math.max(0, fromMs - MAX_COUNTED_PLAY_MS - DAY_MS));
    const lastDay = utcDay(Math.min(toMs, 253_402_300_799_999));
    const days = (await this.days()).filter((d) => d >= firstDay && d <= lastDay);
    // Taken before the files are read: a checkpoint in between shows as a larger coveredBytes.
    const pending = new Map(
      days.flatMap((d) => {
        const entry = this.dirty.get(d);
        return entry
          ? [[d, { aggregate: entry.aggregate.clone(), baseCovered: entry.baseCovered }] as const]
          : [];
      }),
    );
    for (const day of days) {
      const onDisk = await this.readAggregate(day);
      const entry = pending.get(day);
      if (onDisk) for (const row of onDisk.rows(fromMs, toMs, boards)) visit(row);
      if (entry && (onDisk?.coveredBytes ?? 0) === entry.baseCovered) {
        for (const row of entry.aggregate.rows(fromMs, toMs, boards)) visit(row);
      }
    }
  }

  /** The same rows, collected. */
  async rows(fromMs: number, toMs: number, boards?: ReadonlySet<string>): Promise<AggregateRow[]> {
    const out: AggregateRow[] = [];
    await this.visitRows(fromMs, toMs, boards, (row) => out.push(row));
    return out;
  }

  /** Every stored record, oldest file first (for tests and tools; reports use `rows`). */
  async readAll(): Promise<PlayRecord[]> {
    const out: PlayRecord[] = [];
    for (const day of await this.days()) {
      const text = await readFile(this.ndjsonPath(day), 'utf8');
      for (const line of text.split('\n')) {
        if (line.length > 0) out.push(PlayRecordSchema.parse(JSON.parse(line)));
      }
    }
    return out;
  }

  figures(): PopStoreFigures {
    let bloomBytes = 0;
    for (const p of this.partitions.values()) bloomBytes += p.bloom.byteLength;
    return {
      cachedPartitions: this.partitions.size,
      bloomBytes,
      recentIds: this.recent.size,
      dirtyDays: this.dirty.size,
    };
  }

  // --- retention ---

  /** Removes the records, ids and totals of UTC days before `keepFromDay` (YYYY-MM-DD). */
  removeDaysBefore(keepFromDay: string): Promise<string[]> {
    return this.serial(async () => {
      const removed = new Set<string>();
      for (const day of await this.days()) {
        if (day >= keepFromDay) continue;
        await rm(this.ndjsonPath(day), { force: true });
        removed.add(day);
      }
      for (const day of await readdir(this.indexDir)) {
        if (!DAY_PATTERN.test(day) || day >= keepFromDay) continue;
        await rm(this.dayDir(day), { recursive: true, force: true });
        removed.add(day);
      }
      if (removed.size === 0) return [];
      await syncDirectory(this.dir);
      for (const day of removed) {
        this.dirty.delete(day);
        this.sizes.delete(day);
        this.covered.delete(day);
        this.knownDayDirs.delete(day);
        for (const key of [...this.partitions.keys()]) {
          if (key.startsWith(`${day}/`)) this.partitions.delete(key);
        }
        for (const key of [...this.unindexed.keys()]) {
          if (key.startsWith(`${day}/`)) this.unindexed.delete(key);
        }
        for (const file of [...this.unsynced]) {
          if (file.startsWith(`${this.dayDir(day)}${path.sep}`)) this.unsynced.delete(file);
        }
      }
      return [...removed].sort();
    });
  }

  /** Waits for pending batches, writes a last checkpoint and stops the timer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.checkpointTimer?.cancel();
    await this.checkpoint();
  }
}
