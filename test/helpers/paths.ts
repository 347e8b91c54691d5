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

/**
 * Where the browser tests save the screenshots a person looks at: `.tmp/screenshots`, or the
 * committed `docs/screenshots` when `BANGTIN_DOC_SCREENSHOTS=1` (to refresh the README's
 * pictures), so a test run leaves the working tree as it was.
 */
export const screenshotDir =
  process.env.BANGTIN_DOC_SCREENSHOTS === '1'
    ? join(repoRoot, 'docs', 'screenshots')
    : join(repoRoot, '.tmp', 'screenshots');
