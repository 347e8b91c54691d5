import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A request to a bench child process and its answer, matched by id. */
interface Envelope {
  id: number;
  body: unknown;
  error?: string;
}

/** A child process that answers requests sent over IPC. */
export interface Child {
  readonly process: ChildProcess;
  request<T>(body: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to exit, and kills it if it does not within a few seconds. */
  stop(): Promise<void>;
  /** Kills it at once (a crash, as far as its peers can tell). */
  kill(): Promise<void>;
}

const benchDir = path.resolve(import.meta.dirname, '..');
// `npm run bench` runs the bench compiled (as production runs the controller); tsx runs it as is.
const compiled = import.meta.url.endsWith('.js');

/** The repository root: the first folder above this file that holds a package.json. */
export function repoRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('no package.json above the bench');
    dir = parent;
  }
  return dir;
}

/**
 * Starts `bench/<script>` in its own Node process (TypeScript through tsx), with GC exposed
 * so memory figures can be taken after a full collection.
 */
export function startChild(script: string, options: { execArgv?: string[] } = {}): Child {
  // BENCH_PROFILE_DIR=<dir>: every child writes a CPU profile there when it exits.
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const profile =
    profileDir === undefined || profileDir === ''
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`];
  // BENCH_NODE_FLAGS="--trace-gc …": more Node/V8 flags for every child, to diagnose.
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
  const file = compiled ? script.replace(/\.ts$/, '.js') : script;
  const child = fork(path.join(benchDir, file), [], {
    execArgv: [
      ...(compiled ? [] : ['--import', 'tsx']),
      '--expose-gc',
      ...profile,
      ...flags,
      ...(options.execArgv ?? []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let next = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  child.on('message', (message: Envelope) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.body);
  });
  child.once('exit', (code, signal) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`${script} exited (${String(code ?? signal)})`));
    }
    pending.clear();
  });
  return {
    process: child,
    request<T>(body: unknown, timeoutMs = 300_000): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${script}: no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ id, body } satisfies Envelope);
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ id: 0, body: { type: 'exit' } } satisfies Envelope);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** In a child: answers each request with `handle`; `{ type: 'exit' }` ends the process. */
export function serveRequests(handle: (body: unknown) => Promise<unknown>): void {
  process.on('message', (message: Envelope) => {
    const body = message.body as { type?: unknown };
    if (message.id === 0 && body.type === 'exit') {
      process.exit(0);
    }
    handle(message.body).then(
      (reply) => process.send?.({ id: message.id, body: reply } satisfies Envelope),
      (error: unknown) =>
        process.send?.({
          id: message.id,
          body: null,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies Envelope),
    );
  });
}
