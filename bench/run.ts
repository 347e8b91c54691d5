// `npm run bench`: every benchmark of issue #7, each figure beside its baseline measured in
// the same run, printed as a table and written to bench/results.json.
//
//   npm run bench                 the full run (about 25 minutes on 2 cores)
//   BENCH_QUICK=1 npm run bench   a short smoke run, written to .tmp/bench/results.json
//   npm run bench -- M4 M5        only some benchmarks (also written to .tmp/bench); M1, M3 and
//                                 M7 run together (with M2's memory figures but not its 5-minute
//                                 CPU window), `-- M2` alone runs the idle fleet only
//   BENCH_PROFILE_DIR=.tmp/prof   CPU profiles of every child process, for `node --cpu-prof`
//   BENCH_M1_ROUNDS=10            M1's publishes per size (100; fewer for a profile), written
//                                 to .tmp/bench
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runFleet } from './fleet/run-fleet.js';
import { repoRoot, startChild } from './lib/child.js';
import {
  formatTable,
  ResultsSchema,
  type Machine,
  type Metric,
  type Results,
} from './lib/results.js';

const root = repoRoot();
const quick = process.env.BENCH_QUICK === '1';
const m1Rounds = roundsOf(process.env.BENCH_M1_ROUNDS);

/** BENCH_M1_ROUNDS: a whole number of publishes per size, 1 to 1,000, or unset. */
function roundsOf(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const rounds = Number(value);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1000) {
    throw new Error(`BENCH_M1_ROUNDS must be a whole number from 1 to 1000, not ${value}`);
  }
  return rounds;
}
const only = process.argv.slice(2).map((a) => a.toUpperCase());
const scratch = path.join(root, '.tmp', 'bench');

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function openFilesLimit(): number | null {
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? null : Number(out);
  } catch {
    return null;
  }
}

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
  } catch {
    return null;
  }
}

/** Runs `bench/<script>` in its own process and returns the metrics it answers. */
async function inChild(script: string, request: object): Promise<Metric[]> {
  const child = startChild(script);
  try {
    return await child.request<Metric[]>(request, 1_200_000);
  } finally {
    await child.stop();
  }
}

const groups: { ids: string[]; title: string; run: () => Promise<Metric[]> }[] = [
  {
    ids: ['M4'],
    title: 'resolver',
    run: () => inChild('resolver.ts', { quick }),
  },
  {
    ids: ['M5'],
    title: 'durable store write',
    run: () => inChild('durable.ts', { quick, dir: scratch }),
  },
  {
    ids: ['M1', 'M2', 'M3', 'M7'],
    title: 'fleet: fan-out, idle memory, restart storm, downloads',
    // Not under .tmp: express's sendFile answers 404 for any path with a dot-folder in it.
    run: () =>
      runFleet({
        quick,
        ...(m1Rounds === undefined ? {} : { rounds: m1Rounds }),
        onlyM2: only.length > 0 && only.every((id) => id === 'M2'),
        skipM2Cpu: only.length > 0 && !only.includes('M2'),
        dir: path.join(os.tmpdir(), `bangtin-bench-${process.pid}`),
        publishesCsv: path.join(scratch, 'm1-publishes.csv'),
        log,
      }),
  },
  {
    ids: ['M6'],
    title: 'marquee rendering in Chromium',
    run: () => inChild('render.ts', { quick }),
  },
];

async function main(): Promise<void> {
  const startedAt = new Date();
  const load = os.loadavg();
  const metrics: Metric[] = [];
  const chosen = groups.filter((g) => only.length === 0 || g.ids.some((id) => only.includes(id)));
  for (const group of chosen) {
    log(`${group.ids.join(' ')}: ${group.title}`);
    const started = Date.now();
    metrics.push(...(await group.run()));
    log(`${group.ids.join(' ')} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  metrics.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const machine: Machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    openFilesLimit: openFilesLimit(),
    loadAverageAtStart: load[0] ?? 0,
    loadAverageAtEnd: os.loadavg()[0] ?? 0,
    startedAt: startedAt.toISOString(),
    durationSec: Math.round((Date.now() - startedAt.getTime()) / 1000),
    quick,
    commit: commit(),
  };
  const results: Results = ResultsSchema.parse({ machine, metrics });
  const full = !quick && only.length === 0 && m1Rounds === undefined;
  const file = full ? path.join(root, 'bench', 'results.json') : path.join(scratch, 'results.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${formatTable(metrics)}\n\n`);
  const missed = metrics.filter((m) => m.pass === false);
  for (const m of missed) process.stdout.write(`MISS ${m.id}: ${m.note ?? m.name}\n`);
  log(
    `wrote ${path.relative(root, file)} (${metrics.length} figures, ${missed.length} targets missed, load average ${load[0]?.toFixed(1) ?? '?'} → ${machine.loadAverageAtEnd.toFixed(1)})`,
  );
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
