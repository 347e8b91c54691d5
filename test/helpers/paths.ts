import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A path inside ../shared beside the repository (CI lays it there too). */
export function sharedPath(relative: string): string {
  const candidates = [join(repoRoot, '..', 'shared'), join(repoRoot, 'shared')];
  const base = candidates.find((c) => existsSync(c)) ?? candidates[0] ?? '';
  return join(base, relative);
}
