// M5: the durable state store's write (controller/store/durable-json-adapter.ts, the lowdb
// adapter: temp file written and fsynced while the backups rotate, rename over state.json,
// directory fsync) beside its baseline, a plain write + fsync + rename of the same bytes, at
// 1 MB and 10 MB. `M5.file` is the same for writeFileDurably (assets, screenshots, releases),
// without a target. Runs in its own process; the writes are interleaved so all see the same
// disk and load.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DurableJsonAdapter } from '../controller/store/durable-json-adapter.js';
import { SyncedDirectory, writeFileDurably } from '../controller/store/durable-write.js';
import { serveRequests } from './lib/child.js';
import { metric, type Metric } from './lib/results.js';
import { monotonicMs, summarize } from './lib/stats.js';

async function plainWrite(target: string, data: Uint8Array): Promise<void> {
  const temp = `${target}.plain-tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
}

async function timed(run: () => Promise<void>): Promise<number> {
  const startedMs = monotonicMs();
  await run();
  return monotonicMs() - startedMs;
}

const silent = { info() {}, warn() {}, error() {} };

export async function runDurable(options: { quick: boolean; dir: string }): Promise<Metric[]> {
  const root = path.join(options.dir, 'durable');
  await rm(root, { recursive: true, force: true });
  const metrics: Metric[] = [];
  for (const megabytes of [1, 10]) {
    const dir = path.join(root, `${megabytes}mb`);
    const fileDir = path.join(dir, 'file');
    await mkdir(fileDir, { recursive: true });
    const reps = options.quick ? 4 : megabytes === 1 ? 60 : 20;
    // A JSON document, as the state is; random so no layer can compress it away.
    const dataJson = JSON.stringify(
      randomBytes((megabytes * 1024 * 1024) / 2 - 64).toString('hex'),
    );
    // The store's own envelope is what it writes; the baselines write as many bytes.
    const store = new DurableJsonAdapter<string>({
      dir,
      fileName: 'state.json',
      schema: z.string(),
      version: 1,
      migrations: {},
      backups: 5,
      logger: silent,
      now: Date.now,
    });
    const bytes = Buffer.from(
      `{"schemaVersion":1,"savedAt":"${new Date().toISOString()}","data":${dataJson}}`,
    );
    const directory = new SyncedDirectory(fileDir);
    const runs = {
      store: () => store.writeJson(dataJson),
      plain: () => plainWrite(path.join(dir, 'plain.json'), bytes),
      file: () => writeFileDurably(path.join(fileDir, 'file.json'), bytes, directory),
      filePlain: () => plainWrite(path.join(fileDir, 'plain.json'), bytes),
    };
    const times: Record<keyof typeof runs, number[]> = {
      store: [],
      plain: [],
      file: [],
      filePlain: [],
    };
    const order = Object.keys(runs) as (keyof typeof runs)[];
    // Warm-up: enough writes that the store has all its backups to rotate.
    for (let i = 0; i < 6; i++) for (const key of order) await runs[key]();
    for (let i = 0; i < reps; i++) {
      // Rotate which goes first, so none always follows the same one.
      for (let k = 0; k < order.length; k++) {
        const key = order[(i + k) % order.length] as keyof typeof runs;
        times[key].push(await timed(runs[key]));
      }
    }
    await directory.close();
    await store.close();
    const s = summarize(times.store);
    const p = summarize(times.plain);
    const f = summarize(times.file);
    const fp = summarize(times.filePlain);
    metrics.push(
      metric({
        id: `M5.p50.${megabytes}mb`,
        name: `durable store write ${megabytes} MB (state file, 5 backups), median`,
        value: s.p50,
        baseline: p.p50,
        unit: 'ms',
        n: reps,
        target: { ratioAtMost: 1.2 },
      }),
      metric({
        id: `M5.p99.${megabytes}mb`,
        name: `durable store write ${megabytes} MB (state file, 5 backups), p99`,
        value: s.p99,
        baseline: p.p99,
        unit: 'ms',
        n: reps,
      }),
      metric({
        id: `M5.file.p50.${megabytes}mb`,
        name: `writeFileDurably ${megabytes} MB (assets, releases), median`,
        value: f.p50,
        baseline: fp.p50,
        unit: 'ms',
        n: reps,
      }),
    );
  }
  await rm(root, { recursive: true, force: true });
  return metrics;
}

serveRequests(async (body) => {
  const request = body as { quick: boolean; dir: string };
  return runDurable(request);
});
