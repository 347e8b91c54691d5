import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** A data directory that holds an installation's data but no state file to go with it. */
export class OrphanedDataError extends Error {
  constructor(
    readonly dataDir: string,
    readonly found: readonly string[],
  ) {
    super(
      `${dataDir} holds ${found.join(', ')} but no ${STATE_FILE} nor any backup of it: ` +
        'refusing to start as a new installation, which would overwrite them. Restore ' +
        `${STATE_FILE} (or a ${STATE_FILE}.bak.N) into it, or move the directory aside to start afresh.`,
    );
    this.name = 'OrphanedDataError';
  }
}

const STATE_FILE = 'state.json';

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function nonEmptyFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Refuses a data directory whose state file and backups are all gone while what the state
 * indexes is still there (releases, the audit log, the release signing key). Starting such a
 * directory as a fresh install would create a new admin, seed the demo, overwrite release 1 and
 * forget every paired board: an operator who lost `state.json` must restore it, not lose the rest.
 */
export async function assertStateOrEmpty(dataDir: string): Promise<void> {
  const names = await entries(dataDir);
  if (names.some((n) => n === STATE_FILE || n.startsWith(`${STATE_FILE}.bak.`))) return;
  const found: string[] = [];
  const releases = (await entries(path.join(dataDir, 'releases'))).filter((n) =>
    n.endsWith('.json'),
  );
  if (releases.length > 0) found.push(`${String(releases.length)} release file(s)`);
  if (await nonEmptyFile(path.join(dataDir, 'audit', 'audit.ndjson'))) found.push('an audit log');
  if ((await entries(path.join(dataDir, 'keys'))).length > 0) found.push('a release signing key');
  if (found.length > 0) throw new OrphanedDataError(dataDir, found);
}
