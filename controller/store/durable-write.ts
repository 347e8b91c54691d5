import { open, rename, rm } from 'node:fs/promises';
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
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temp, target);
    await (await directory).sync();
  } finally {
    await directory.then(
      (handle) => handle.close(),
      () => undefined,
    );
  }
}
