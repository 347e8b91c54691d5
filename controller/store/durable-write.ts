import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** fsyncs a directory so that a rename inside it survives a power cut. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes all the bytes in as few calls as the system takes (writeFile splits into 512 KB
 * chunks, a thread-pool round trip each).
 */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
    offset += bytesWritten;
  }
}

/**
 * Writes a whole file so that after a crash it holds either the old or the new content:
 * temp file in the same directory, fsync, rename over the target, fsync the directory.
 */
export async function writeFileDurably(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${Date.now()}`);
  // The directory is opened while the file is written, so its fsync follows the rename at once
  // (one round trip fewer than opening it afterwards; the two fsyncs themselves are the cost).
  const directory = open(dir, 'r');
  // Its failure is reported below; it must not count as unhandled in the meantime.
  directory.catch(() => undefined);
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await writeAll(handle, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    // The data is on disk; the descriptor can close while the rename is made.
    const closed = handle.close();
    closed.catch(() => undefined);
    await rename(temp, target);
    await (await directory).sync();
    await closed;
  } finally {
    await directory.then(
      (handle) => handle.close(),
      () => undefined,
    );
  }
}
