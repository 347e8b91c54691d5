import { constants } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isErrno } from './errors.js';
import { Utf8Scratch } from './utf8-scratch.js';

/** fsyncs a directory so that a rename inside it survives a power cut. */
export async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync, and NTFS journals renames itself.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A directory kept open for its fsyncs, for an owner that renames into it on every write (the
 * state store): each sync then costs the fsync alone, not an open and a close around it.
 * `close()` when done; a failed sync drops the descriptor and the next one opens it again.
 */
export class SyncedDirectory {
  readonly path: string;
  #handle: Promise<FileHandle> | undefined;

  constructor(dir: string) {
    this.path = dir;
  }

  async sync(): Promise<void> {
    if (process.platform === 'win32') return;
    const handle = (this.#handle ??= open(this.path, 'r'));
    try {
      await (await handle).sync();
    } catch (error) {
      if (this.#handle === handle) this.#handle = undefined;
      await handle.then(
        (opened) => opened.close(),
        () => undefined,
      );
      throw error;
    }
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) await (await handle).close();
  }
}

/**
 * Writes all the bytes in as few calls as the system takes. `FileHandle.writeFile` splits into
 * 512 KB chunks, a thread-pool round trip each, and given a string it is several times slower
 * again on Node 20 (about 11 ms against 3 ms for 1 MB): callers pass bytes.
 */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
    offset += bytesWritten;
  }
}

/** A file open for writing, and the length of what it held. */
export interface OpenedFile {
  readonly handle: FileHandle;
  readonly size: number;
}

/**
 * Creates `file` (`wx`: never over an existing one), writes the bytes and flushes them
 * (fdatasync: the data and what reading it back needs, such as the size). `bytes` may be a
 * function, called while the file is being created on the thread pool. Resolves once the bytes
 * are on disk, with the descriptor's close still under way: the caller's rename need not wait
 * for it, and awaits `closed` after. On failure the file is removed.
 *
 * `recycled` is a file already at `file` (from recycleFile) to write over instead, if it
 * resolves to one; otherwise the file is created.
 */
export async function writeNewFileSynced(
  file: string,
  bytes: Uint8Array | (() => Uint8Array),
  recycled?: Promise<OpenedFile | undefined>,
): Promise<{ closed: Promise<void> }> {
  const opening =
    recycled === undefined ? createFile(file) : recycled.then((taken) => taken ?? createFile(file));
  return writeSynced(file, opening, bytes);
}

async function createFile(file: string): Promise<OpenedFile> {
  return { handle: await open(file, 'wx', 0o600), size: 0 };
}

/**
 * Opens `from`, a file whose content is no longer wanted (the state store's oldest backup),
 * and renames it to `to`, for writeNewFileSynced to write over. Its blocks are allocated
 * already, so the new bytes go over them in place and the fdatasync flushes the data alone: a
 * new file's block allocation costs one journal commit more (on ext4 about a quarter of a 1 MB
 * write). Only a regular file with a single link is taken (a symbolic link is not followed, and
 * another name of the same file would change with it); for anything else, or nothing, `from`
 * is left as it is and the result is undefined.
 */
export async function recycleFile(from: string, to: string): Promise<OpenedFile | undefined> {
  let handle: FileHandle;
  try {
    // O_NOFOLLOW: ELOOP on a symbolic link (Windows has no such flag).
    const noFollow = process.platform === 'win32' ? 0 : constants.O_NOFOLLOW;
    handle = await open(from, constants.O_RDWR | noFollow);
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ELOOP', 'EISDIR', 'EACCES', 'EPERM')) return undefined;
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (stats.isFile() && stats.nlink === 1) {
      await rename(from, to);
      return { handle, size: stats.size };
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  await handle.close();
  return undefined;
}

async function writeSynced(
  file: string,
  opening: Promise<OpenedFile>,
  bytes: Uint8Array | (() => Uint8Array),
): Promise<{ closed: Promise<void> }> {
  let data: Uint8Array;
  try {
    data = typeof bytes === 'function' ? bytes() : bytes;
  } catch (error) {
    await opening.then(
      async ({ handle }) => {
        await handle.close();
        await rm(file, { force: true });
      },
      () => undefined,
    );
    throw error;
  }
  const { handle, size } = await opening;
  try {
    await writeAll(handle, data);
    // A recycled file may have been longer.
    if (size > data.length) await handle.truncate(data.length);
    await handle.datasync();
  } catch (error) {
    await handle.close();
    await rm(file, { force: true });
    throw error;
  }
  const closed = handle.close();
  // Awaited by the caller; it must not count as unhandled in the meantime.
  closed.catch(() => undefined);
  return { closed };
}

/**
 * Writes a whole file so that after a crash it holds either the old or the new content:
 * temp file in the same directory, fsync, rename over the target, fsync the directory.
 * `directory` is the target's directory kept open by its owner, if it has one. Text may come as
 * pieces whose concatenation is the file's text.
 */
export async function writeFileDurably(
  target: string,
  data: string | readonly string[] | Uint8Array,
  directory?: SyncedDirectory,
): Promise<void> {
  const dir = path.dirname(target);
  if (directory !== undefined && path.resolve(directory.path) !== path.resolve(dir)) {
    throw new RangeError(`${target} is not in ${directory.path}`);
  }
  const temp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${tempSeq()}`);
  let release: () => void = () => undefined;
  const encode = (): Uint8Array => {
    if (data instanceof Uint8Array) return data;
    const encoded = textScratch.encode(typeof data === 'string' ? [data] : data);
    release = encoded.release;
    return encoded.bytes;
  };
  const { closed } = await writeNewFileSynced(temp, encode).finally(() => {
    release();
  });
  try {
    await rename(temp, target);
  } catch (error) {
    await closed;
    await rm(temp, { force: true });
    throw error;
  }
  await closed;
  await (directory === undefined ? syncDirectory(dir) : directory.sync());
}

/** Text files (release files, monitoring state) are encoded in memory kept between writes. */
const textScratch = new Utf8Scratch();

let seq = 0;
/** Unique within the process even for two writes in one millisecond. */
function tempSeq(): string {
  seq += 1;
  return `${Date.now()}-${seq}`;
}
