import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './paths.js';

/** A controller running in its own process, as `npm start` runs it. */
export interface ControllerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts `command args` and resolves once it prints "ready at <url>". */
export function spawnController(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { timeoutMs?: number; detached?: boolean } = {},
): Promise<ControllerProcess> {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`controller did not start in time:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready at (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`controller exited (${String(code)}) before it was ready:\n${output}`));
    });
  });
}

/** Starts the controller from source in a child process (tsx), on port 0. */
export function spawnSourceController(dataDir: string, env: Record<string, string> = {}) {
  return spawnController(process.execPath, ['--import', 'tsx', 'controller/main.ts'], {
    HOST: '127.0.0.1',
    PORT: '0',
    BANGTIN_DATA: dataDir,
    ...env,
  });
}
