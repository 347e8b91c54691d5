import {
  copyFile,
  link,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
} from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { z } from 'zod';
import {
  recycleFile,
  SyncedDirectory,
  syncDirectory,
  writeNewFileSynced,
} from './durable-write.js';
import { isErrno, StoreError } from './errors.js';
import type { Migration, StoreLogger } from './types.js';
import { Utf8Scratch } from './utf8-scratch.js';

export interface DurableJsonAdapterOptions<T> {
  dir: string;
  fileName: string;
  schema: z.ZodType<T>;
  version: number;
  migrations: Readonly<Record<number, Migration>>;
  backups: number;
  logger: StoreLogger;
  /** Epoch milliseconds, for `savedAt` and the names of quarantined files. */
  now: () => number;
}

/** Where the last `read()` found the document. */
export type LoadSource =
  | { kind: 'none' }
  | { kind: 'main'; fromVersion: number }
  | { kind: 'backup'; file: string; fromVersion: number };

type FileLoad<T> =
  | { kind: 'ok'; data: T; fromVersion: number }
  | { kind: 'missing' }
  | { kind: 'invalid'; reason: string };

const envelopeSchema = z.object({
  schemaVersion: z.number().int().nonnegative(),
  savedAt: z.string(),
  data: z.unknown(),
});

/**
 * A lowdb adapter for one versioned JSON document (`{ schemaVersion, savedAt, data }`) that
 * survives crashes: writes go to a temp file that is fsynced and renamed over the target, the
 * previous file is kept as rotating backups, and `read()` falls back to the newest good backup.
 * One process owns the directory at a time.
 */
export class DurableJsonAdapter<T> implements Adapter<T> {
  readonly #o: DurableJsonAdapterOptions<T>;
  readonly #mainPath: string;
  #tempSeq = 0;
  /** Whether the main file holds a good document that the next write must back up. */
  #mainIsGood: boolean | undefined;
  #lastLoad: LoadSource | undefined;
  readonly #directory: SyncedDirectory;
  /** The document's bytes, in memory kept from write to write. */
  readonly #scratch = new Utf8Scratch();

  constructor(options: DurableJsonAdapterOptions<T>) {
    this.#o = options;
    this.#mainPath = path.join(options.dir, options.fileName);
    this.#directory = new SyncedDirectory(options.dir);
  }

  get mainPath(): string {
    return this.#mainPath;
  }

  /** Set by `read()`; the caller rewrites the main file unless it was current. */
  get lastLoad(): LoadSource | undefined {
    return this.#lastLoad;
  }

  backupPath(n: number): string {
    return `${this.#mainPath}.bak.${n}`;
  }

  /**
   * The file of the backup the last write dropped, kept for the next write to be written into.
   * Never read: a crash in the middle of that write leaves it half old, half new, under this
   * name or a temp name, never under a name that holds state.
   */
  get sparePath(): string {
    return `${this.#mainPath}.spare`;
  }

  async read(): Promise<T | null> {
    const { logger, fileName } = this.#o;
    const { backups } = await this.#prepareDir();

    const main = await this.#load(this.#mainPath);
    if (main.kind === 'ok') {
      this.#mainIsGood = true;
      this.#lastLoad = { kind: 'main', fromVersion: main.fromVersion };
      await this.#pruneBackups(backups);
      return main.data;
    }
    this.#mainIsGood = false;
    if (main.kind === 'missing' && backups.length === 0) {
      this.#lastLoad = { kind: 'none' };
      return null;
    }

    const failures = [`${fileName}: ${main.kind === 'invalid' ? main.reason : 'missing'}`];
    logger.warn(
      { file: this.#mainPath, reason: failures[0] },
      'state file unusable, trying backups',
    );
    for (const n of backups) {
      const file = this.backupPath(n);
      const backup = await this.#load(file);
      if (backup.kind !== 'ok') {
        const reason = backup.kind === 'invalid' ? backup.reason : 'missing';
        failures.push(`${path.basename(file)}: ${reason}`);
        logger.warn({ file, reason }, 'backup unusable');
        continue;
      }
      if (main.kind === 'invalid') await this.#quarantineMain();
      logger.warn({ file }, 'state recovered from backup');
      this.#lastLoad = { kind: 'backup', file, fromVersion: backup.fromVersion };
      await this.#pruneBackups(backups);
      return backup.data;
    }
    // Leave every file as it is, so an operator can inspect or repair them.
    throw new StoreError(
      'unrecoverable',
      `No usable state in ${this.#o.dir}; refusing to start empty.\n  ${failures.join('\n  ')}`,
    );
  }

  async write(data: T): Promise<void> {
    await this.writeJson(JSON.stringify(data));
  }

  /**
   * Writes a document already serialized with `JSON.stringify`, so callers serialize once:
   * its text, or flat pieces whose concatenation is its text.
   */
  async writeJson(dataJson: string | readonly string[]): Promise<void> {
    const { dir, fileName, version, now } = this.#o;
    // Compact and spliced, not re-serialized: pretty-printing would double size and cost.
    const savedAt = JSON.stringify(new Date(now()).toISOString());
    this.#tempSeq += 1;
    const temp = path.join(dir, `${fileName}.tmp-${process.pid}-${this.#tempSeq}`);
    this.#mainIsGood ??= await exists(this.#mainPath);
    // The spare file (the backup the last rotation dropped) becomes the temp file: the new
    // document is written over its blocks (recycleFile says why that is faster). With no
    // backups there is no spare.
    const recycled =
      this.#o.backups > 0 ? recycleFile(this.sparePath, temp) : Promise.resolve(undefined);
    // The backups rotate while the new file is written and synced: neither touches the other's
    // files, and both must be done before the rename. A failed write leaves the main file as
    // it was and its link as .bak.1 (one backup fewer of the oldest), never a missing main.
    const rotated = recycled.then(async () => {
      if (this.#mainIsGood === true) await this.#rotateBackups();
    });
    rotated.catch(() => undefined);
    let release: () => void = () => undefined;
    try {
      // Encoded while the temp file is being opened.
      const encode = () => {
        const encoded = this.#scratch.encode([
          `{"schemaVersion":${version},"savedAt":${savedAt},"data":`,
          ...(typeof dataJson === 'string' ? [dataJson] : dataJson),
          '}',
        ]);
        release = encoded.release;
        return encoded.bytes;
      };
      const { closed } = await writeNewFileSynced(temp, encode, recycled).finally(() => {
        release();
      });
      try {
        await rotated;
        await rename(temp, this.#mainPath);
      } finally {
        await closed;
      }
    } catch (err) {
      await rotated.catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
      throw err;
    }
    this.#mainIsGood = true;
    // Makes the rename and the backup links survive a power loss.
    await this.#directory.sync();
  }

  /** Releases the directory descriptor kept for its fsyncs. */
  async close(): Promise<void> {
    await this.#directory.close();
  }

  async #prepareDir(): Promise<{ backups: number[] }> {
    const { dir, fileName, logger } = this.#o;
    const created = await mkdir(dir, { recursive: true });
    if (created !== undefined) await syncDirectory(path.dirname(created));

    const backups: number[] = [];
    for (const name of await readdir(dir)) {
      if (name.startsWith(`${fileName}.tmp-`)) {
        // A temp file is never acknowledged state: it is what a crash left mid-write.
        await rm(path.join(dir, name), { force: true });
        logger.info({ file: name }, 'removed leftover temp file');
      } else if (name.startsWith(`${fileName}.bak.`)) {
        const suffix = name.slice(fileName.length + '.bak.'.length);
        if (/^[1-9]\d*$/.test(suffix)) backups.push(Number(suffix));
      }
    }
    return { backups: backups.sort((a, b) => a - b) };
  }

  /** Drops backups beyond the configured count, e.g. after it was lowered (to none: the spare too). */
  async #pruneBackups(existing: number[]): Promise<void> {
    for (const n of existing) {
      if (n > this.#o.backups) await rm(this.backupPath(n), { force: true });
    }
    if (this.#o.backups === 0) await rm(this.sparePath, { force: true });
  }

  async #load(file: string): Promise<FileLoad<T>> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return { kind: 'missing' };
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return { kind: 'invalid', reason: `not JSON (${errorMessage(err)})` };
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) return { kind: 'invalid', reason: 'not a state envelope' };

    const { schemaVersion } = envelope.data;
    const { version, migrations, schema } = this.#o;
    if (schemaVersion > version) {
      throw new StoreError(
        'newer-version',
        `${file} has schema version ${schemaVersion}, but this build only knows up to ${version}; ` +
          'run a newer build or restore an older file.',
      );
    }
    let doc = envelope.data.data;
    for (let v = schemaVersion + 1; v <= version; v++) {
      const migrate = migrations[v];
      if (migrate === undefined) {
        throw new StoreError('missing-migration', `No migration from version ${v - 1} to ${v}.`);
      }
      try {
        doc = migrate(doc);
      } catch (err) {
        return { kind: 'invalid', reason: `migration to ${v} failed (${errorMessage(err)})` };
      }
    }
    const parsed = schema.safeParse(doc);
    if (!parsed.success) {
      return { kind: 'invalid', reason: `schema: ${z.prettifyError(parsed.error)}` };
    }
    return { kind: 'ok', data: parsed.data, fromVersion: schemaVersion };
  }

  async #quarantineMain(): Promise<void> {
    const stamp = new Date(this.#o.now()).toISOString().replace(/:/g, '-');
    const target = `${this.#mainPath}.corrupt-${stamp}`;
    await rename(this.#mainPath, target);
    this.#o.logger.warn({ file: target }, 'corrupt state file kept for inspection');
  }

  /**
   * Shifts `.bak.k` to `.bak.k+1` and hard-links the current file as `.bak.1`: no data copied.
   * The oldest backup, dropped, becomes the spare if it is a plain file and the name is free
   * (the write took the last spare).
   */
  async #rotateBackups(): Promise<void> {
    const count = this.#o.backups;
    if (count === 0) return;
    const oldest = this.backupPath(count);
    const dropped = await lstat(oldest).catch((err: unknown) => {
      if (!isErrno(err, 'ENOENT')) throw err;
    });
    if (dropped?.isFile() === true && dropped.nlink === 1) {
      // Left for the rotation to replace when the spare's name is taken (say, by a folder).
      await rename(oldest, this.sparePath).catch(() => undefined);
    }
    for (let n = count - 1; n >= 1; n--) {
      await rename(this.backupPath(n), this.backupPath(n + 1)).catch((err: unknown) => {
        if (!isErrno(err, 'ENOENT')) throw err;
      });
    }
    const first = this.backupPath(1);
    if (count === 1) await rm(first, { force: true });
    try {
      await link(this.#mainPath, first);
    } catch (err) {
      // Some filesystems (FAT, some network shares) have no hard links.
      if (!isErrno(err, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP')) throw err;
      await copyFile(this.#mainPath, first);
      await fsyncFile(first);
    }
  }
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
