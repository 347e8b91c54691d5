// `npm run soak`: 1,000 simulated boards play a whole day against a real controller (in a
// child process), with held-back, resent and repeated batches; then the proof-of-play report
// is compared with what the boards played, record by record, and the controller's memory
// (after a full GC) is printed from before the first play to after the last.
//
//   npm run soak -- [--boards 1000] [--rounds 36] [--crash] [--keep]
//
// --crash kills the controller with SIGKILL after round 18 and starts it again on the same
// data: the figures must still be exact. --keep leaves the data directory for inspection.
import { fork, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { compareReport, runSoakDay, soakPlan, type SoakBoard } from './soak-lib.js';

interface Memory {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  pop: { cachedPartitions: number; bloomBytes: number; recentIds: number; dirtyDays: number };
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive integer`);
  return value;
};
const BOARDS = option('boards', 1000);
const ROUNDS = option('rounds', 36);
const DAY = '2030-01-02';
const DAY_START_MS = Date.parse(`${DAY}T00:00:00+07:00`);
const here = path.dirname(fileURLToPath(import.meta.url));
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** The controller process and a request/answer channel to it. */
class Child {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  readonly ready: Promise<{ url: string; memory: Memory }>;
  readonly process: ChildProcess;

  constructor(dataDir: string, startMs: number) {
    this.process = fork(
      path.join(here, 'soak-controller.ts'),
      [dataDir, new Date(startMs).toISOString()],
      {
        execArgv: [
          '--expose-gc',
          '--max-old-space-size=4096',
          ...(process.env.SOAK_CPU_PROF === undefined
            ? []
            : ['--cpu-prof', `--cpu-prof-dir=${process.env.SOAK_CPU_PROF}`]),
          '--import',
          'tsx',
        ],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    this.ready = new Promise((resolve, reject) => {
      this.process.once('exit', (code) => {
        reject(new Error(`the controller exited (${code})`));
      });
      this.process.on('message', (raw) => {
        const message = raw as {
          type?: string;
          id?: number;
          value?: unknown;
          error?: string;
          url?: string;
          memory?: Memory;
        };
        if (message.type === 'ready') {
          resolve({ url: message.url ?? '', memory: message.memory as Memory });
          return;
        }
        const waiter = message.id === undefined ? undefined : this.waiting.get(message.id);
        if (!waiter || message.id === undefined) return;
        this.waiting.delete(message.id);
        if (message.error !== undefined) waiter.reject(new Error(message.error));
        else waiter.resolve(message.value);
      });
    });
  }

  ask<T>(request: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, {
        resolve: (v) => {
          resolve(v as T);
        },
        reject,
      });
      this.process.send({ id, ...request });
    });
  }

  kill(): Promise<void> {
    return new Promise((resolve) => {
      this.process.removeAllListeners('exit');
      this.process.once('exit', () => {
        resolve();
      });
      this.process.kill('SIGKILL');
    });
  }
}

async function countLines(dir: string): Promise<number> {
  let lines = 0;
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.ndjson'))) {
    for await (const line of createInterface({ input: createReadStream(path.join(dir, file)) })) {
      if (line.length > 0) lines += 1;
    }
  }
  return lines;
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'soak-admin-password' }),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status}`);
  return (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'bangtin-soak-'));
const started = Date.now();
let child = new Child(dataDir, DAY_START_MS);
let { url } = await child.ready;
console.log(
  `bangtin soak: ${BOARDS} boards, one simulated day (${DAY}, Asia/Ho_Chi_Minh) in ${ROUNDS} rounds; data in ${dataDir}`,
);
const { boards } = await child.ask<{ boards: SoakBoard[] }>({
  type: 'prepare',
  boards: BOARDS,
  day: DAY,
});
console.log(
  `published and paired ${boards.length} boards in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

const samples: { label: string; memory: Memory }[] = [];
samples.push({
  label: 'before the first play',
  memory: await child.ask<Memory>({ type: 'memory' }),
});
const dayStarted = Date.now();
const run = { crashed: false };
const expected = await runSoakDay({
  url,
  boards,
  plan: soakPlan(BOARDS, DAY),
  dayStartMs: DAY_START_MS,
  rounds: ROUNDS,
  setClock: (atMs) => child.ask({ type: 'clock', atMs }),
  afterRound: async (round) => {
    const memory = await child.ask<Memory>({ type: 'memory' });
    samples.push({ label: `after round ${round + 1}`, memory });
    process.stdout.write(
      `\r  round ${String(round + 1).padStart(2)}/${ROUNDS}  heap ${mb(memory.heapUsed)}  rss ${mb(memory.rss)}  ${((Date.now() - dayStarted) / 1000).toFixed(0)} s `,
    );
  },
  ...(flag('crash')
    ? {
        crashAfterRound: {
          round: Math.floor(ROUNDS / 2) - 1,
          restart: async () => {
            await child.kill();
            run.crashed = true;
            const at = DAY_START_MS + (Math.floor(ROUNDS / 2) * 86_400_000) / ROUNDS;
            child = new Child(dataDir, at);
            const ready = await child.ready;
            samples.push({ label: 'after SIGKILL and restart', memory: ready.memory });
            url = ready.url;
            return url;
          },
        },
      }
    : {}),
});
const daySeconds = (Date.now() - dayStarted) / 1000;
process.stdout.write('\n');

const cookie = await login(url);
const reportStarted = Date.now();
const res = await fetch(`${url}/api/reports/plays?from=${DAY}&to=${DAY}`, { headers: { cookie } });
const report = (await res.json()) as Parameters<typeof compareReport>[0] & {
  totals: { plays: number; onAirMs: number; scheduledMs: number; share: number | null };
};
const reportMs = Date.now() - reportStarted;
const problems = res.status === 200 ? compareReport(report, expected) : [`report: ${res.status}`];
const lines = await countLines(path.join(dataDir, 'pop'));
samples.push({ label: 'after the report', memory: await child.ask<Memory>({ type: 'memory' }) });
await child.ask({ type: 'stop' });

const first = samples.find((s) => s.label === 'after round 1')?.memory;
const last = samples.at(-1)?.memory;
const peak = samples.reduce(
  (max, s) => (s.memory.heapUsed > max.heapUsed ? s.memory : max),
  samples[0]?.memory as Memory,
);
const peakRss = Math.max(...samples.map((s) => s.memory.rss));
console.log('');
console.log('records');
console.log(`  plays recorded by the boards   ${expected.uniqueRecords.toLocaleString('en')}`);
console.log(
  `  records sent (with resends)    ${expected.sentRecords.toLocaleString('en')} in ${expected.batches.toLocaleString('en')} batches (${expected.resentBatches} resent after a lost ack)`,
);
console.log(`  lines in the NDJSON files      ${lines.toLocaleString('en')}`);
console.log(
  `  ingest                         ${daySeconds.toFixed(1)} s, ${Math.round(expected.sentRecords / daySeconds).toLocaleString('en')} records/s${run.crashed ? ' (one SIGKILL and restart included)' : ''}`,
);
console.log('report');
console.log(
  `  boards exact                   ${report.boards.length - new Set(problems.map((p) => p.split(' ')[0])).size}/${BOARDS}`,
);
console.log(
  `  plays ${report.totals.plays.toLocaleString('en')}, on air ${Math.round(report.totals.onAirMs / 1000).toLocaleString('en')} s, scheduled ${Math.round(report.totals.scheduledMs / 1000).toLocaleString('en')} s, share ${((report.totals.share ?? 0) * 100).toFixed(2)} %`,
);
console.log(`  built in                       ${reportMs} ms`);
console.log('controller memory (after a full GC)');
for (const s of samples.filter(
  (x) =>
    [
      'before the first play',
      'after round 1',
      'after SIGKILL and restart',
      'after the report',
    ].includes(x.label) ||
    x.label === `after round ${ROUNDS}` ||
    x.label === `after round ${Math.floor(ROUNDS / 2)}`,
)) {
  console.log(
    `  ${s.label.padEnd(28)} heap ${mb(s.memory.heapUsed).padStart(9)}   external ${mb(s.memory.external).padStart(8)}   rss ${mb(s.memory.rss).padStart(9)}   bloom ${mb(s.memory.pop.bloomBytes)} in ${s.memory.pop.cachedPartitions} board-days, ${s.memory.pop.recentIds} recent ids`,
  );
}
console.log(
  `  peak heap ${mb(peak.heapUsed)}, peak rss ${mb(peakRss)}; heap after round 1 ${first ? mb(first.heapUsed) : '?'}, at the end ${last ? mb(last.heapUsed) : '?'}`,
);
if (!flag('keep')) await rm(dataDir, { recursive: true, force: true });
if (problems.length > 0 || lines !== expected.uniqueRecords) {
  console.log('NOT EXACT:');
  for (const p of problems.slice(0, 20)) console.log(`  ${p}`);
  if (lines !== expected.uniqueRecords)
    console.log(`  ${lines} lines stored for ${expected.uniqueRecords} plays`);
  process.exit(1);
}
console.log(
  'exact: every play counted once; aggregates equal what the boards played and what the timeline scheduled',
);
