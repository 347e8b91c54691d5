import path from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { DurableJsonAdapter } from './durable-json-adapter.js';
import { StoreError } from './errors.js';
import {
  commitFields,
  documentParts,
  fieldSchemas,
  keyedState,
  lazyDraft,
  materialize,
  type KeyedState,
} from './keyed-draft.js';
import type { Migration, StateStore, StoreLogger } from './types.js';

export interface JsonFileStoreOptions<T> {
  dir: string;
  /** Default `state.json`. */
  fileName?: string;
  /** Must describe plain JSON: the committed state is what a reload from disk would give. */
  schema: z.ZodType<T>;
  /** The schema version this build writes. */
  version: number;
  /** `migrations[n]` upgrades a document from version n-1 to n. */
  migrations: Readonly<Record<number, Migration>>;
  /** The state of a fresh install, used only when no state file exists at all. */
  initial: () => T;
  /** How many previous versions to keep as `<fileName>.bak.1..N`. Default 5. */
  backups?: number;
  logger?: StoreLogger;
  /** Epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

const silentLogger: StoreLogger = { info() {}, warn() {}, error() {} };

/**
 * Opens (or creates) the JSON state file in `options.dir`, migrating and validating it, or
 * recovering from the newest good backup. Rejects rather than start empty if files exist but
 * none is usable.
 */
export async function openJsonFileStore<T>(
  options: JsonFileStoreOptions<T>,
): Promise<StateStore<T>> {
  const fileName = options.fileName ?? 'state.json';
  const backups = options.backups ?? 5;
  const logger = options.logger ?? silentLogger;
  const { schema, version } = options;
  if (path.basename(fileName) !== fileName) throw new RangeError(`fileName: ${fileName}`);
  if (!Number.isSafeInteger(backups) || backups < 0) throw new RangeError(`backups: ${backups}`);
  if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`version: ${version}`);

  const adapter = new DurableJsonAdapter<T>({
    dir: options.dir,
    fileName,
    schema,
    version,
    migrations: options.migrations,
    backups,
    logger,
    now: options.now ?? Date.now,
  });
  const db = new Low<T>(adapter, parseOrThrow(schema, options.initial(), 'initial()'));
  await db.read();

  const source = adapter.lastLoad ?? { kind: 'none' };
  logger.info({ file: adapter.mainPath, loadedFrom: source, version }, 'state loaded');
  // The committed state with each field's JSON: an update parses only the fields it uses,
  // which is what a reload from disk would give them (keyed-draft.ts).
  const schemas = fieldSchemas(schema);
  let committed: KeyedState<T> = keyedState(db.data);
  // Persist a fresh, migrated or recovered document now, so the main file is current and good.
  if (source.kind !== 'main' || source.fromVersion !== version) {
    await adapter.writeJson(documentParts(committed));
  }

  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function apply<R>(mutate: (draft: T) => R | Promise<R>): Promise<R> {
    const draft = lazyDraft(committed);
    const result = await mutate(draft.draft);
    const next =
      (schemas && commitFields(committed, draft, schemas)) ??
      keyedState(parseOrThrow(schema, materialize(draft), 'updated state'));
    try {
      await adapter.writeJson(documentParts(next));
    } catch (err) {
      logger.error({ err, file: adapter.mainPath }, 'state write failed');
      throw err;
    }
    // Visible only once durable: a reader never sees state that a crash could take back.
    db.data = next.value;
    committed = next;
    return result;
  }

  return {
    loadedFrom: source,
    read: () => db.data,
    update<R>(mutate: (draft: T) => R | Promise<R>): Promise<R> {
      if (closed) return Promise.reject(new StoreError('closed', 'The state store is closed.'));
      const run = tail.then(() => apply(mutate));
      // The queue waits for each update but must not stop at a failed one.
      tail = run.catch(() => undefined);
      return run;
    },
    async close(): Promise<void> {
      closed = true;
      await tail;
      await adapter.close();
    },
  };
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new StoreError('invalid-state', `${what} is invalid: ${z.prettifyError(parsed.error)}`, {
    cause: parsed.error,
  });
}
