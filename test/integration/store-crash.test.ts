import { spawn, type ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openJsonFileStore } from '../../controller/store/json-file-store.js';
import type { StoreLogger } from '../../controller/store/types.js';
import { burstSchema, burstVersion, type BurstDoc } from '../fixtures/store-burst.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const acksBeforeKill = 100;

let dir: string;
let child: ChildProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bangtin-store-crash-'));
});

afterEach(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill();
  child = undefined;
  await rm(dir, { recursive: true, force: true });
});

/**
 * When to SIGKILL the burst child once it has acknowledged `acksBeforeKill` updates: right on
 * that ack, or on the next change in the store directory, which lands inside the next durable
 * write (typically while its temp file is being synced).
 */
type KillPoint = 'on-ack' | 'mid-write';

/** Runs the burst child until it is killed and resolves with every ack it sent. */
function burstUntilKilled(killPoint: KillPoint): Promise<number[]> {
  const burst = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/store-burst.ts', dir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = burst;
  const watcher = watch(dir);
  return new Promise<number[]>((resolve, reject) => {
    const acks: number[] = [];
    let partial = '';
    let stderr = '';
    let killed = false;
    const kill = () => {
      if (killed || acks.length < acksBeforeKill) return;
      killed = true;
      burst.kill('SIGKILL');
    };
    burst.stdout.setEncoding('utf8');
    burst.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) acks.push(Number(line));
      if (killPoint === 'on-ack') kill();
    });
    if (killPoint === 'mid-write') watcher.on('change', kill);
    burst.stderr.setEncoding('utf8');
    burst.stderr.on('data', (chunk: string) => (stderr += chunk));
    burst.on('error', reject);
    watcher.on('error', reject);
    // 'close' rather than 'exit': acks already in the pipe when the kill lands still count.
    burst.on('close', (code, signal) => {
      if (!killed || signal !== 'SIGKILL') {
        reject(new Error(`burst child ended early (code ${code}, ${signal}):\n${stderr}`));
      } else {
        resolve(acks);
      }
    });
  }).finally(() => {
    watcher.close();
  });
}

function recordingLogger(problems: object[]): StoreLogger {
  return { info() {}, warn: (obj) => problems.push(obj), error: (obj) => problems.push(obj) };
}

it('keeps every acknowledged update when the writer is SIGKILLed mid-burst, 3 times over', async () => {
  const allAcks: number[] = [];
  const killPoints: KillPoint[] = ['on-ack', 'mid-write', 'mid-write'];
  for (const killPoint of killPoints) {
    const acks = await burstUntilKilled(killPoint);
    expect(acks.length).toBeGreaterThanOrEqual(acksBeforeKill);
    allAcks.push(...acks);

    const problems: object[] = [];
    const store = await openJsonFileStore<BurstDoc>({
      dir,
      schema: burstSchema,
      version: burstVersion,
      migrations: {},
      initial: () => ({ seqs: [], padding: '' }),
      logger: recordingLogger(problems),
    });
    const { seqs } = store.read();
    await store.close();

    // Loaded from the main file, with no fallback, and with nothing missing or out of order.
    expect(problems).toEqual([]);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i));
    const stored = new Set(seqs);
    expect(allAcks.filter((seq) => !stored.has(seq))).toEqual([]);
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  }
});
