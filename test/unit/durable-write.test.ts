import { link, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  recycleFile,
  SyncedDirectory,
  writeFileDurably,
  writeNewFileSynced,
} from '../../controller/store/durable-write.js';
import { Utf8Scratch } from '../../controller/store/utf8-scratch.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bangtin-durable-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileDurably', () => {
  it('replaces the target with text or bytes and leaves no temp file', async () => {
    const target = path.join(dir, 'a.json');
    await writeFile(target, 'old');

    await writeFileDurably(target, 'Đợt I — chào mừng');
    expect(await readFile(target, 'utf8')).toBe('Đợt I — chào mừng');
    const bytes = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251;
    await writeFileDurably(target, bytes);
    expect((await readFile(target)).equals(bytes)).toBe(true);
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('syncs through a kept directory, and refuses one that is not the target’s', async () => {
    const directory = new SyncedDirectory(dir);
    try {
      await writeFileDurably(path.join(dir, 'a'), 'one', directory);
      await writeFileDurably(path.join(dir, 'b'), 'two', directory);
      expect((await readdir(dir)).sort()).toEqual(['a', 'b']);

      await mkdir(path.join(dir, 'sub'));
      await expect(writeFileDurably(path.join(dir, 'sub', 'c'), 'x', directory)).rejects.toThrow(
        RangeError,
      );
      expect(await readdir(path.join(dir, 'sub'))).toEqual([]);
    } finally {
      await directory.close();
    }
  });

  it('removes its temp file when the rename fails, and leaves the target alone', async () => {
    // A non-empty directory cannot be renamed over.
    const target = path.join(dir, 'busy');
    await mkdir(target);
    await writeFile(path.join(target, 'keep'), 'k');

    await expect(writeFileDurably(target, 'new')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['busy']);
    expect(await readdir(target)).toEqual(['keep']);
  });
});

describe('writeFileDurably with text in pieces', () => {
  it('writes the concatenation, through shorter and longer files, while another write runs', async () => {
    const target = path.join(dir, 'release.json');
    const texts = [
      ['{"a":', '"Đợt I — chào mừng 🇻🇳"', '}'],
      ['x'.repeat(100_000), 'ư'.repeat(50_000), '𝄞'.repeat(10_000)],
      ['{}'],
      ['', 'ạ', ''],
    ];
    for (const parts of texts) {
      const other = path.join(dir, 'other.json');
      // Two writes at once: the second cannot have the kept memory the first is writing from.
      await Promise.all([
        writeFileDurably(target, parts),
        writeFileDurably(other, ['khác: ', ...parts]),
      ]);
      expect(await readFile(target, 'utf8')).toBe(parts.join(''));
      expect(await readFile(other, 'utf8')).toBe(`khác: ${parts.join('')}`);
    }
  });
});

describe('Utf8Scratch', () => {
  it('encodes pieces into kept memory, and a second use at once into memory of its own', () => {
    const scratch = new Utf8Scratch();
    const first = scratch.encode(['Kon Tum ', 'ơ'.repeat(3000), ' 😀']);
    expect(first.bytes.toString('utf8')).toBe(`Kon Tum ${'ơ'.repeat(3000)} 😀`);
    const kept = first.bytes.buffer;

    const during = scratch.encode(['đang dùng']);
    expect(during.bytes.toString('utf8')).toBe('đang dùng');
    expect(during.bytes.buffer).not.toBe(kept);
    during.release();

    first.release();
    const again = scratch.encode(['lại']);
    expect(again.bytes.buffer).toBe(kept);
    expect(again.bytes.toString('utf8')).toBe('lại');
    again.release();
    // Characters of every UTF-8 length across the end of the kept memory.
    for (const char of ['a', 'ư', 'ệ', '𝄞']) {
      const parts = [char.repeat(scratch.capacity), char];
      const grown = scratch.encode(parts);
      expect(grown.bytes.toString('utf8')).toBe(parts.join(''));
      grown.release();
    }
  });
});

describe('writeNewFileSynced', () => {
  it('never writes over an existing file', async () => {
    const file = path.join(dir, 'f');
    await writeFile(file, 'first');

    await expect(writeNewFileSynced(file, Buffer.from('second'))).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(await readFile(file, 'utf8')).toBe('first');
  });
});

describe('recycleFile', () => {
  it('takes a file of its own under the new name, for writeNewFileSynced to write over', async () => {
    const from = path.join(dir, 'old');
    const to = path.join(dir, 'new');
    await writeFile(from, 'a longer old content');

    const taken = recycleFile(from, to);
    const { closed } = await writeNewFileSynced(to, () => Buffer.from('short'), taken);
    await closed;

    expect(await readFile(to, 'utf8')).toBe('short');
    expect(await readdir(dir)).toEqual(['new']);
  });

  it('leaves alone what is not a regular file with one name, and the write creates a file', async () => {
    const target = path.join(dir, 'target');
    await writeFile(target, 'mine');
    await symlink(target, path.join(dir, 'symlink'));
    await link(target, path.join(dir, 'hardlink'));
    await mkdir(path.join(dir, 'folder'));
    for (const name of ['symlink', 'hardlink', 'folder', 'missing']) {
      const to = path.join(dir, `to-${name}`);
      const taken = recycleFile(path.join(dir, name), to);
      expect(await taken).toBeUndefined();
      const { closed } = await writeNewFileSynced(to, Buffer.from(name), taken);
      await closed;
      expect(await readFile(to, 'utf8')).toBe(name);
    }
    expect(await readFile(target, 'utf8')).toBe('mine');
    expect((await readdir(dir)).sort()).toEqual(
      [
        'folder',
        'hardlink',
        'symlink',
        'target',
        'to-folder',
        'to-hardlink',
        'to-missing',
        'to-symlink',
      ].sort(),
    );
  });
});

describe('SyncedDirectory', () => {
  it('reports a directory that is gone, and works again once it is back', async () => {
    const sub = path.join(dir, 'sub');
    const directory = new SyncedDirectory(sub);
    await expect(directory.sync()).rejects.toMatchObject({ code: 'ENOENT' });

    await mkdir(sub);
    await directory.sync();
    await directory.close();
    await directory.close();
  });
});
