// M5: the durable store write (controller/store/durable-write.ts: temp file, fsync, rename,
// directory fsync) beside its baseline, a plain write + fsync + rename, at 1 MB and 10 MB.
// Runs in its own process; the two are interleaved so both see the same disk and load.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileDurably } from '../controller/store/durable-write.js';
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

export async function runDurable(options: { quick: boolean; dir: string }): Promise<Metric[]> {
  const dir = path.join(options.dir, 'durable');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const metrics: Metric[] = [];
  for (const megabytes of [1, 10]) {
    const reps = options.quick ? 4 : megabytes === 1 ? 40 : 16;
    // JSON-like text, as the state file is; random so no layer can compress it away.
    const data = Buffer.from(randomBytes((megabytes * 1024 * 1024) / 2).toString('hex'));
    const durable: number[] = [];
    const plain: number[] = [];
    // One warm-up each, then alternate which goes first.
    await writeFileDurably(path.join(dir, 'durable.json'), data);
    await plainWrite(path.join(dir, 'plain.json'), data);
    for (let i = 0; i < reps; i++) {
      const d = () => writeFileDurably(path.join(dir, 'durable.json'), data);
      const p = () => plainWrite(path.join(dir, 'plain.json'), data);
      if (i % 2 === 0) {
        durable.push(await timed(d));
        plain.push(await timed(p));
      } else {
        plain.push(await timed(p));
        durable.push(await timed(d));
      }
    }
    const d = summarize(durable);
    const p = summarize(plain);
    metrics.push(
      metric({
        id: `M5.p50.${megabytes}mb`,
        name: `durable store write ${megabytes} MB, median`,
        value: d.p50,
        baseline: p.p50,
        unit: 'ms',
        n: reps,
        target: { ratioAtMost: 1.2 },
      }),
      metric({
        id: `M5.p99.${megabytes}mb`,
        name: `durable store write ${megabytes} MB, p99`,
        value: d.p99,
        baseline: p.p99,
        unit: 'ms',
        n: reps,
      }),
    );
  }
  await rm(dir, { recursive: true, force: true });
  return metrics;
}

serveRequests(async (body) => {
  const request = body as { quick: boolean; dir: string };
  return runDurable(request);
});
