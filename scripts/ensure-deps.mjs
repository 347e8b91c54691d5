#!/usr/bin/env node
// Installs what a fresh clone is missing, using only Node's standard library (nothing else is
// installed yet when this runs). `--browser` also makes sure a Chromium is present for the
// browser tests, installing Debian's package when it may (root, apt-get available).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

function run(command, args) {
  console.error(`> ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

const stale = !existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs;
if (stale) {
  console.error('bangtin: installing dependencies (npm ci)...');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

if (process.argv.includes('--browser')) {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      console.error(
        'bangtin: no Chromium found; install Debian\'s "chromium" package or set CHROMIUM_PATH',
      );
      process.exit(1);
    }
    console.error("bangtin: installing Debian's chromium for the browser tests...");
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-dejavu-core']);
  }
}
