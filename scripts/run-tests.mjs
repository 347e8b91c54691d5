#!/usr/bin/env node
// Runs every check and test suite the way CI does, and ends with one line "N passed, N failed"
// totalling all of them. Static checks count as one test each.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = join(root, '.tmp', 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);

let passed = 0;
let failed = 0;
const summary = [];
const failures = [];

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: result.status === 0, seconds };
}

function check(label, command, args) {
  const { ok, seconds } = run(label, command, args);
  if (ok) passed += 1;
  else failed += 1;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${label} (${seconds}s)`);
}

function vitest(label, tz, files) {
  const out = join(reports, `vitest-${label.replace(/\W+/g, '-')}.json`);
  const { ok, seconds } = run(
    label,
    bin('vitest'),
    ['run', ...files, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    { TZ: tz },
  );
  let p = 0;
  let f = 0;
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    p = report.numPassedTests ?? 0;
    f = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
    for (const suite of report.testResults ?? []) {
      const file = suite.name.replace(`${root}/`, '');
      const failedTests = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
      for (const t of failedTests) failures.push(`${label}: ${file} › ${t.fullName}`);
      if (suite.status === 'failed' && failedTests.length === 0) {
        failures.push(`${label}: ${file} (${firstLine(suite.message)})`);
      }
    }
  }
  if (!ok && f === 0) f = 1;
  passed += p;
  failed += f;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${label}: ${p} passed, ${f} failed (${seconds}s)`);
}

function firstLine(text) {
  return String(text ?? '')
    .split('\n')[0]
    .slice(0, 200);
}

function playwrightFailures(suites, titles = []) {
  for (const suite of suites ?? []) {
    const path = suite.title ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      const bad = (spec.tests ?? []).some((t) => t.status === 'unexpected');
      if (bad) failures.push(`browser: ${[...path, spec.title].join(' › ')}`);
    }
    playwrightFailures(suite.suites, path);
  }
}

function playwright() {
  const dir = join(root, 'test', 'e2e');
  if (!existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith('.spec.ts'))) return;
  const out = join(reports, 'playwright.json');
  const { ok, seconds } = run('browser tests (Playwright, Chromium)', bin('playwright'), ['test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: out,
  });
  let p = 0;
  let f = 0;
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const stats = report.stats ?? {};
    playwrightFailures(report.suites);
    p = (stats.expected ?? 0) + (stats.flaky ?? 0);
    f = stats.unexpected ?? 0;
  }
  if (!ok && f === 0) f = 1;
  passed += p;
  failed += f;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} browser tests: ${p} passed, ${f} failed (${seconds}s)`);
}

check('build (tsc + vite)', 'npm', ['run', '--silent', 'build']);
check('type check', 'npm', ['run', '--silent', 'typecheck']);
check('lint (typescript-eslint)', bin('eslint'), ['.']);
check('format (prettier)', bin('prettier'), ['--check', '.']);
vitest('unit + integration, TZ=UTC', 'UTC', ['test/unit', 'test/dashboard', 'test/integration']);
vitest('unit + integration, TZ=America/New_York', 'America/New_York', [
  'test/unit',
  'test/dashboard',
  'test/integration',
]);
playwright();

console.log('\n=== summary ===');
for (const line of summary) console.log(line);
if (failures.length > 0) {
  console.log('\nfailed:');
  for (const line of failures) console.log(`  ${line}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
