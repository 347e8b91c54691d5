import {
  link,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import fc from 'fast-check';
import { StoreError } from '../../controller/store/errors.js';
import {
  openJsonFileStore,
  type JsonFileStoreOptions,
} from '../../controller/store/json-file-store.js';
import type { StateStore, StoreLogger } from '../../controller/store/types.js';

const docSchema = z.object({ items: z.array(z.string()), extra: z.unknown().optional() });
type Doc = z.infer<typeof docSchema>;

const savedAtMs = Date.UTC(2025, 0, 2, 3, 4, 5);

interface LogEntry {
  level: 'info' | 'warn' | 'error';
  obj: object;
  msg: string | undefined;
}

function captureLogger(): StoreLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (obj, msg) => entries.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => entries.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => entries.push({ level: 'error', obj, msg }),
  };
}

let dir: string;
let opened: StateStore<Doc>[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bangtin-store-'));
  opened = [];
});

afterEach(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await rm(dir, { recursive: true, force: true });
});

async function openStore(overrides: Partial<JsonFileStoreOptions<Doc>> = {}) {
  const store = await openJsonFileStore<Doc>({
    dir,
    schema: docSchema,
    version: 1,
    migrations: {},
    initial: () => ({ items: [] }),
    now: () => savedAtMs,
    ...overrides,
  });
  opened.push(store);
  return store;
}

const mainFile = () => path.join(dir, 'state.json');
const backupFile = (n: number) => path.join(dir, `state.json.bak.${n}`);
const spareFile = () => path.join(dir, 'state.json.spare');

async function readEnvelope(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'));
}

async function readItems(file: string): Promise<unknown> {
  const envelope = (await readEnvelope(file)) as { data: { items: unknown } };
  return envelope.data.items;
}

async function writeEnvelope(file: string, schemaVersion: number, data: unknown): Promise<void> {
  await writeFile(
    file,
    JSON.stringify({ schemaVersion, savedAt: '2024-01-01T00:00:00.000Z', data }),
  );
}

/** Opens a store, applies one update per item, and closes it: backups then hold earlier states. */
async function seed(items: string[], overrides: Partial<JsonFileStoreOptions<Doc>> = {}) {
  const store = await openStore(overrides);
  for (const item of items) await store.update((draft) => void draft.items.push(item));
  await store.close();
}

describe('openJsonFileStore', () => {
  it('starts from initial() and writes it when no file exists', async () => {
    const store = await openStore({ logger: pino({ level: 'silent' }) });

    expect(store.read()).toEqual({ items: [] });
    expect(await readEnvelope(mainFile())).toEqual({
      schemaVersion: 1,
      savedAt: '2025-01-02T03:04:05.000Z',
      data: { items: [] },
    });
  });

  it('resolves an update only after the file on disk holds the new state', async () => {
    const store = await openStore();

    const pending = store.update((draft) => {
      draft.items.push('a');
      return 'done';
    });
    expect(store.read().items).toEqual([]);
    const onDiskAtResolve = await pending.then(async (value) => ({
      value,
      items: await readItems(mainFile()),
    }));

    expect(onDiskAtResolve).toEqual({ value: 'done', items: ['a'] });
    expect(store.read()).toEqual({ items: ['a'] });
    await store.close();
    expect((await openStore()).read()).toEqual({ items: ['a'] });
  });

  it('hands mutate a private copy, so the committed state is untouched while it runs', async () => {
    const store = await openStore();
    const before = store.read();

    await store.update(async (draft) => {
      draft.items.push('x');
      await Promise.resolve();
      expect(store.read().items).toEqual([]);
    });

    expect(before.items).toEqual([]);
    expect(store.read().items).toEqual(['x']);
  });

  it('runs 200 concurrent updates one after another, in call order, across awaits', async () => {
    const store = await openStore();

    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.update(async (draft) => {
          const seen = draft.items.length;
          // A read-modify-write that spans an await must not interleave with another update.
          if (i % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
          draft.items.push(`${i}:${seen}`);
          return i;
        }),
      ),
    );

    const expected = Array.from({ length: 200 }, (_, i) => `${i}:${i}`);
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(store.read().items).toEqual(expected);
    expect(await readItems(mainFile())).toEqual(expected);
  });

  it('changes nothing when mutate throws, and later updates still work', async () => {
    const store = await openStore();
    await store.update((draft) => void draft.items.push('a'));
    const bytesBefore = await readFile(mainFile(), 'utf8');

    const boom = new Error('boom');
    await expect(
      store.update((draft) => {
        draft.items.push('lost');
        throw boom;
      }),
    ).rejects.toBe(boom);
    await expect(
      store.update(async () => {
        await Promise.resolve();
        throw boom;
      }),
    ).rejects.toBe(boom);

    expect(store.read()).toEqual({ items: ['a'] });
    expect(await readFile(mainFile(), 'utf8')).toBe(bytesBefore);
    await store.update((draft) => void draft.items.push('b'));
    expect(await readItems(mainFile())).toEqual(['a', 'b']);
  });

  it('rejects a result the schema refuses, changes nothing, and keeps the queue going', async () => {
    const store = await openStore();
    await store.update((draft) => void draft.items.push('a'));
    const bytesBefore = await readFile(mainFile(), 'utf8');

    const invalid = store.update((draft) => {
      (draft.items as unknown[]).push(42);
    });
    const next = store.update((draft) => draft.items.length);

    const error: unknown = await invalid.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('invalid-state');
    expect(await readFile(mainFile(), 'utf8')).toBe(bytesBefore);
    expect(await next).toBe(1);
    expect(store.read()).toEqual({ items: ['a'] });
  });

  it('changes nothing when the state cannot be written', async () => {
    const store = await openStore();

    // The schema accepts it; JSON.stringify does not.
    await expect(store.update((draft) => void (draft.extra = 1n))).rejects.toThrow(TypeError);

    expect(store.read()).toEqual({ items: [] });
    expect(await readdir(dir)).toEqual(['state.json']);
    await store.update((draft) => void draft.items.push('ok'));
    expect(await readItems(mainFile())).toEqual(['ok']);
  });

  it('changes nothing visible when the disk write fails midway, and leaves no temp file', async () => {
    await seed(['a'], { backups: 2 });
    // A non-empty directory where the rotation must rename .bak.1 to makes that step fail
    // after the temp file has been written and synced.
    await mkdir(backupFile(2));
    await writeFile(path.join(backupFile(2), 'x'), '');
    const logger = captureLogger();
    const store = await openStore({ backups: 2, logger });

    await expect(store.update((draft) => void draft.items.push('b'))).rejects.toThrow();

    expect(store.read()).toEqual({ items: ['a'] });
    expect(await readItems(mainFile())).toEqual(['a']);
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(logger.entries.filter((entry) => entry.level === 'error')).toHaveLength(1);
    await rm(backupFile(2), { recursive: true });
    await store.update((draft) => void draft.items.push('c'));
    expect(await readItems(mainFile())).toEqual(['a', 'c']);
  });

  it('writes documents that grow and shrink, in any script, byte for byte', async () => {
    const store = await openStore();
    // Sizes around the buffer the store keeps between writes, in 1-, 2-, 3- and 4-byte UTF-8.
    const texts = [
      'a',
      'Đ'.repeat(700),
      'ệ'.repeat(5000),
      'x',
      '🇻🇳'.repeat(30_000),
      'ổ'.repeat(80_001),
    ];
    for (const text of texts) {
      await store.update((draft) => {
        draft.items = [text];
      });
      expect(await readItems(mainFile())).toEqual([text]);
    }
  });

  it('keeps one descriptor of its directory for the fsyncs while open, and none after close', async () => {
    const descriptorsOfDir = async () => {
      const fds = await readdir('/proc/self/fd');
      const targets = await Promise.all(
        fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
      );
      return targets.filter((target) => target === dir).length;
    };
    const store = await openStore();
    await store.update((draft) => void draft.items.push('a'));
    await store.update((draft) => void draft.items.push('b'));
    expect(await descriptorsOfDir()).toBe(1);

    await store.close();
    expect(await descriptorsOfDir()).toBe(0);
  });

  it('rejects updates after close, and close waits for queued updates', async () => {
    const store = await openStore();

    const queued = store.update((draft) => void draft.items.push('queued'));
    await store.close();

    expect(await readItems(mainFile())).toEqual(['queued']);
    await queued;
    await expect(store.update(() => undefined)).rejects.toMatchObject({ code: 'closed' });
  });

  describe('migrations', () => {
    it('runs them in order from an old version and stores the result at the new version', async () => {
      await writeEnvelope(mainFile(), 1, { names: ['a'] });
      const calls: number[] = [];

      const store = await openStore({
        version: 3,
        migrations: {
          2: (doc) => {
            calls.push(2);
            return { list: (doc as { names: string[] }).names };
          },
          3: (doc) => {
            calls.push(3);
            return { items: [...(doc as { list: string[] }).list, 'migrated'] };
          },
        },
      });

      expect(calls).toEqual([2, 3]);
      expect(store.read()).toEqual({ items: ['a', 'migrated'] });
      expect(await readEnvelope(mainFile())).toMatchObject({ schemaVersion: 3 });
      // The pre-migration file stays available as the newest backup.
      expect(await readEnvelope(backupFile(1))).toMatchObject({
        schemaVersion: 1,
        data: { names: ['a'] },
      });
    });

    it('refuses a file written by a newer version and leaves it alone', async () => {
      await writeEnvelope(mainFile(), 4, { items: [] });
      const bytesBefore = await readFile(mainFile(), 'utf8');

      await expect(openStore({ version: 3 })).rejects.toMatchObject({
        code: 'newer-version',
        message: expect.stringContaining('schema version 4') as unknown,
      });
      expect(await readFile(mainFile(), 'utf8')).toBe(bytesBefore);
      expect(await readdir(dir)).toEqual(['state.json']);
    });

    it('refuses to start when a migration step is missing', async () => {
      await writeEnvelope(mainFile(), 1, { items: [] });

      await expect(
        openStore({ version: 3, migrations: { 3: (doc) => doc } }),
      ).rejects.toMatchObject({ code: 'missing-migration' });
    });
  });

  describe('recovery', () => {
    const corruptions = [
      ['truncated JSON', (text: string) => text.slice(0, Math.floor(text.length / 2))],
      [
        'valid JSON that fails the schema',
        () => JSON.stringify({ schemaVersion: 1, savedAt: '', data: { items: [1] } }),
      ],
      ['valid JSON that is not an envelope', () => JSON.stringify({ items: ['x'] })],
      ['an empty file', () => ''],
    ] as const;

    it.each(corruptions)('falls back to .bak.1 when the main file is %s', async (_, corrupt) => {
      await seed(['a', 'b']);
      const corruptText = corrupt(await readFile(mainFile(), 'utf8'));
      await writeFile(mainFile(), corruptText);
      const logger = captureLogger();

      const store = await openStore({ logger });

      expect(store.read()).toEqual({ items: ['a'] });
      expect(await readItems(mainFile())).toEqual(['a']);
      const names = await readdir(dir);
      const kept = names.filter((name) => name.startsWith('state.json.corrupt-'));
      expect(kept).toEqual(['state.json.corrupt-2025-01-02T03-04-05.000Z']);
      expect(await readFile(path.join(dir, kept[0] ?? ''), 'utf8')).toBe(corruptText);
      expect(logger.entries.some((entry) => entry.level === 'warn')).toBe(true);
      // The recovered state is the base for further updates.
      await store.update((draft) => void draft.items.push('c'));
      expect(await readItems(mainFile())).toEqual(['a', 'c']);
    });

    it('never reads the spare, even a whole good document in it', async () => {
      await seed(['a', 'b', 'c'], { backups: 1 });
      // What a crash could leave: the spare mid-rewrite, here whole and newer than .bak.1.
      await writeEnvelope(spareFile(), 1, { items: ['a', 'b', 'c', 'd'] });
      await writeFile(mainFile(), '{"schemaVersion":1,');

      const store = await openStore({ backups: 1 });
      expect(store.read()).toEqual({ items: ['a', 'b'] });
      await store.close();

      await writeEnvelope(spareFile(), 1, { items: ['a', 'b', 'c', 'd'] });
      await writeFile(backupFile(1), 'garbage');
      await writeFile(mainFile(), 'garbage');
      await expect(openStore({ backups: 1 })).rejects.toMatchObject({ code: 'unrecoverable' });
    });

    it('skips a bad .bak.1 and uses .bak.2', async () => {
      await seed(['a', 'b']);
      await writeFile(mainFile(), '{"schemaVersion":1,');
      await writeFile(backupFile(1), 'garbage');

      const store = await openStore();

      expect(store.read()).toEqual({ items: [] });
      expect(await readItems(mainFile())).toEqual([]);
    });

    it('uses the backups rather than starting empty when the main file is missing', async () => {
      await seed(['a', 'b']);
      await rm(mainFile());

      const store = await openStore();

      expect(store.read()).toEqual({ items: ['a'] });
      expect(await readItems(mainFile())).toEqual(['a']);
    });

    it('throws when every file is bad, and leaves them all in place', async () => {
      await seed(['a', 'b']);
      await writeFile(mainFile(), '{"schemaVersion":1,');
      await writeFile(backupFile(1), 'garbage');
      await writeFile(backupFile(2), JSON.stringify({ schemaVersion: 1, data: {} }));
      const namesBefore = (await readdir(dir)).sort();

      const error: unknown = await openStore().catch((err: unknown) => err);

      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('unrecoverable');
      expect((error as StoreError).message).toMatch(/state\.json\.bak\.2/);
      expect((await readdir(dir)).sort()).toEqual(namesBefore);
      expect(await readFile(mainFile(), 'utf8')).toBe('{"schemaVersion":1,');
    });

    it('throws when the only file is corrupt', async () => {
      await writeFile(mainFile(), 'not json');

      await expect(openStore()).rejects.toMatchObject({ code: 'unrecoverable' });
    });
  });

  describe('files', () => {
    it('removes temp files left by a crash', async () => {
      await seed(['a']);
      const leftovers = [`state.json.tmp-999999-1`, `state.json.tmp-${process.pid}-7`];
      for (const name of leftovers) await writeFile(path.join(dir, name), '{"half":');

      const store = await openStore();

      expect(store.read()).toEqual({ items: ['a'] });
      const names = await readdir(dir);
      expect(names.filter((name) => name.includes('.tmp-'))).toEqual([]);
    });

    it('starts from initial() when only a temp file exists (the first write never finished)', async () => {
      await writeFile(path.join(dir, 'state.json.tmp-999999-1'), '{"half":');

      const store = await openStore();

      expect(store.read()).toEqual({ items: [] });
      expect((await readdir(dir)).sort()).toEqual(['state.json']);
    });

    it('rotates backups, newest first, capped at N, by linking rather than copying', async () => {
      await seed(['1', '2', '3', '4', '5'], { backups: 3 });
      const store = await openStore({ backups: 3 });
      const mainInode = (await stat(mainFile())).ino;

      await store.update((draft) => void draft.items.push('6'));

      expect((await readdir(dir)).sort()).toEqual([
        'state.json',
        'state.json.bak.1',
        'state.json.bak.2',
        'state.json.bak.3',
        'state.json.spare',
      ]);
      expect(await readItems(mainFile())).toEqual(['1', '2', '3', '4', '5', '6']);
      expect(await readItems(backupFile(1))).toEqual(['1', '2', '3', '4', '5']);
      expect(await readItems(backupFile(2))).toEqual(['1', '2', '3', '4']);
      expect(await readItems(backupFile(3))).toEqual(['1', '2', '3']);
      expect((await stat(backupFile(1))).ino).toBe(mainInode);
    });

    it('writes each state over the blocks of the backup the write before dropped', async () => {
      await seed(['1', '2', '3', '4'], { backups: 3 });
      const store = await openStore({ backups: 3 });
      const before = await Promise.all(
        [mainFile(), backupFile(1), backupFile(2), backupFile(3)].map((f) => stat(f)),
      );
      // Held open, the spare stays the same file (and its inode number taken) whatever
      // becomes of its name.
      const spare = await open(spareFile(), 'r');
      try {
        await store.update((draft) => void draft.items.push('5'));

        // The spare became the new main file: no new file, no block allocation.
        const main = await stat(mainFile());
        expect(main.ino).toBe((await spare.stat()).ino);
        expect(main.nlink).toBe(1);
        expect(await spare.readFile('utf8')).toBe(await readFile(mainFile(), 'utf8'));
      } finally {
        await spare.close();
      }
      expect(await readItems(mainFile())).toEqual(['1', '2', '3', '4', '5']);
      expect(await readItems(backupFile(3))).toEqual(['1', '2']);
      // Each backup moved down one, and the dropped one is the next spare.
      const after = await Promise.all(
        [backupFile(1), backupFile(2), backupFile(3), spareFile()].map((f) => stat(f)),
      );
      expect(after.map((s) => s.ino)).toEqual(before.map((s) => s.ino));
    });

    it('shortens a recycled file that was longer than the new document', async () => {
      await seed(['a'.repeat(5000), 'b', 'c'], { backups: 1 });
      const store = await openStore({ backups: 1 });
      expect((await stat(spareFile())).size).toBeGreaterThan(5000);

      await store.update((draft) => {
        draft.items = ['d'];
      });

      expect(await readItems(mainFile())).toEqual(['d']);
      expect(await readItems(backupFile(1))).toEqual(['a'.repeat(5000), 'b', 'c']);
    });

    it('never writes through a spare that is a symbolic link or has another name', async () => {
      await seed(['1', '2', '3'], { backups: 2 });
      const outside = path.join(dir, 'outside.txt');
      await writeFile(outside, 'not the store’s');
      await rm(spareFile());
      await symlink(outside, spareFile());
      const store = await openStore({ backups: 2 });

      await store.update((draft) => void draft.items.push('4'));

      expect(await readFile(outside, 'utf8')).toBe('not the store’s');
      expect(await readItems(mainFile())).toEqual(['1', '2', '3', '4']);

      // A hard link made by hand to the spare: that name keeps its content.
      const other = path.join(dir, 'kept-by-hand.json');
      await link(spareFile(), other);
      const kept = await readFile(other, 'utf8');

      await store.update((draft) => void draft.items.push('5'));

      expect(await readFile(other, 'utf8')).toBe(kept);
      expect(await readItems(mainFile())).toEqual(['1', '2', '3', '4', '5']);
      expect(await readItems(backupFile(1))).toEqual(['1', '2', '3', '4']);
    });

    it('keeps a single backup when N is 1 and none (nor a spare) when N is 0', async () => {
      await seed(['a', 'b'], { backups: 1 });
      expect((await readdir(dir)).sort()).toEqual([
        'state.json',
        'state.json.bak.1',
        'state.json.spare',
      ]);
      expect(await readItems(backupFile(1))).toEqual(['a']);

      await seed(['c'], { backups: 0 });
      expect((await readdir(dir)).sort()).toEqual(['state.json']);
    });

    it('drops backups beyond N when N was lowered', async () => {
      await seed(['1', '2', '3', '4', '5'], { backups: 5 });
      expect(await readdir(dir)).toHaveLength(6);

      await openStore({ backups: 2 });

      expect((await readdir(dir)).sort()).toEqual([
        'state.json',
        'state.json.bak.1',
        'state.json.bak.2',
      ]);
    });
  });
});

describe('updates field by field', () => {
  const fieldsSchema = z.strictObject({
    plans: z.array(z.strictObject({ id: z.string(), boards: z.array(z.string()) })),
    releases: z.array(z.int().positive()),
    note: z.string(),
  });
  type Fields = z.infer<typeof fieldsSchema>;
  const initial = (): Fields => ({
    plans: [{ id: 'huyen-1', boards: ['b1', 'b2'] }],
    releases: [],
    note: 'Kế hoạch',
  });

  async function openFields(schema: z.ZodType<Fields> = fieldsSchema, at = dir) {
    const store = await openJsonFileStore<Fields>({
      dir: at,
      schema,
      version: 1,
      migrations: {},
      initial,
      now: () => savedAtMs,
    });
    opened.push(store as unknown as StateStore<Doc>);
    return store;
  }

  async function dataOnDisk(at = dir): Promise<unknown> {
    return ((await readEnvelope(path.join(at, 'state.json'))) as { data: unknown }).data;
  }

  it('keeps the committed value of every field an update does not change', async () => {
    const store = await openFields();
    const before = store.read();

    await store.update((draft) => void draft.releases.push(1));
    // Read, not changed: still the committed value.
    await store.update((draft) => draft.plans.length);

    const after = store.read();
    expect(after.releases).toEqual([1]);
    expect(after.plans).toBe(before.plans);
    expect(after.note).toBe(before.note);
    expect(await dataOnDisk()).toEqual(after);
    await store.close();
    expect((await openFields()).read()).toEqual(after);
  });

  it('validates a field changed in place and names the whole path of what is wrong', async () => {
    const store = await openFields();
    const bytesBefore = await readFile(mainFile(), 'utf8');

    const error: unknown = await store
      .update((draft) => {
        (draft.plans[0]?.boards as unknown[]).push(7);
      })
      .catch((err: unknown) => err);

    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('invalid-state');
    expect((error as StoreError).message).toContain('plans[0].boards[2]');
    expect(await readFile(mainFile(), 'utf8')).toBe(bytesBefore);
    expect(store.read()).toEqual(initial());
  });

  it('sees a field deleted and set again, and refuses one deleted or added', async () => {
    const store = await openFields();

    await store.update((draft) => {
      const plans = draft.plans;
      delete (draft as Partial<Fields>).plans;
      draft.plans = [...plans, { id: 'huyen-2', boards: [] }];
    });
    expect(store.read().plans.map((p) => p.id)).toEqual(['huyen-1', 'huyen-2']);

    const removed = store.update((draft) => {
      delete (draft as Partial<Fields>).note;
    });
    await expect(removed).rejects.toMatchObject({ code: 'invalid-state' });
    const added = store.update((draft) => void ((draft as Record<string, unknown>).extra = 1));
    await expect(added).rejects.toMatchObject({ code: 'invalid-state' });
    expect(Object.keys(store.read()).sort()).toEqual(['note', 'plans', 'releases']);
    expect(await dataOnDisk()).toEqual(store.read());
  });

  it('checks a refinement across fields on every update', async () => {
    // Field by field, an update of `releases` alone would never meet this check.
    const refined = fieldsSchema.refine((s) => s.releases.length <= s.plans.length, {
      message: 'more releases than plans',
    });
    const store = await openFields(refined);
    await store.update((draft) => void draft.releases.push(1));

    const error: unknown = await store
      .update((draft) => void draft.releases.push(2))
      .catch((err: unknown) => err);

    expect((error as StoreError).message).toContain('more releases than plans');
    expect(store.read().releases).toEqual([1]);
  });

  it('commits what validating the whole document would, for any sequence of updates', async () => {
    const board = fc.stringMatching(/^[a-zđươ0-9]{1,6}$/);
    const step = fc.oneof(
      fc.record({ kind: fc.constant('release' as const), n: fc.integer({ min: -1, max: 9 }) }),
      fc.record({ kind: fc.constant('board' as const), plan: fc.nat(3), id: board }),
      fc.record({ kind: fc.constant('plan' as const), id: board }),
      fc.record({ kind: fc.constant('note' as const), text: fc.string({ maxLength: 8 }) }),
      fc.record({ kind: fc.constant('read' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
        const at = await mkdtemp(path.join(dir, 'run-'));
        const store = await openFields(fieldsSchema, at);
        let expected = initial();
        for (const s of steps) {
          const apply = (draft: Fields) => {
            if (s.kind === 'release') draft.releases.push(s.n);
            else if (s.kind === 'board') draft.plans[s.plan]?.boards.push(s.id);
            else if (s.kind === 'plan') draft.plans = [...draft.plans, { id: s.id, boards: [] }];
            else if (s.kind === 'note') draft.note = s.text.normalize('NFC');
            else expect(draft.plans.length).toBeGreaterThan(0);
          };
          // The reference: a deep copy changed and validated as a whole.
          const copy = structuredClone(expected);
          apply(copy);
          const whole = fieldsSchema.safeParse(copy);
          const outcome = await store.update(apply).then(
            () => true,
            () => false,
          );
          expect(outcome).toBe(whole.success);
          if (whole.success) expected = whole.data;
          expect(store.read()).toEqual(expected);
        }
        expect(await dataOnDisk(at)).toEqual(expected);
        await store.close();
      }),
      { numRuns: 40 },
    );
  });
});
