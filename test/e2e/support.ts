import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { approveAll, approveAndPublish, secondApprover } from '../helpers/approval.js';
import { Http } from '../helpers/http.js';
import { repoRoot } from '../helpers/paths.js';
import { spawnSourceController, type ControllerProcess } from '../helpers/process.js';

export const ADMIN_PASSWORD = 'e2e-admin-password';

export interface Segment {
  start: string;
  end: string;
  kind: string;
  content?: string;
  announcement?: string;
}

/** The player is served from the Vite build; build it once if a run starts without one. */
export function ensureWebBuild(): void {
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'player', 'index.html'))) {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
  }
}

/** A real controller process for one test, with its own data directory. */
export class E2eController {
  proc: ControllerProcess | undefined;
  admin!: Http;

  private constructor(
    readonly dataDir: string,
    private clockIso: string | undefined,
    private readonly env: Record<string, string>,
  ) {}

  /** `env`: more settings for the controller, e.g. `BANGTIN_OFFLINE_AFTER_S` for a quick test. */
  static async start(
    options: { clock?: string; env?: Record<string, string> } = {},
  ): Promise<E2eController> {
    ensureWebBuild();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bangtin-e2e-'));
    const controller = new E2eController(dataDir, options.clock, options.env ?? {});
    await controller.launch('0');
    return controller;
  }

  get url(): string {
    if (!this.proc) throw new Error('controller not running');
    return this.proc.url;
  }

  private async launch(port: string): Promise<void> {
    this.proc = await spawnSourceController(this.dataDir, {
      PORT: port,
      BANGTIN_SEED_DEMO: '0',
      BANGTIN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...(this.clockIso === undefined ? {} : { BANGTIN_CLOCK: this.clockIso }),
      ...this.env,
    });
    this.admin = await Http.login(this.proc.url, 'admin', ADMIN_PASSWORD);
  }

  /** Kills the process without warning (a power cut at the controller). */
  async kill(): Promise<void> {
    this.proc?.child.kill('SIGKILL');
    await this.proc?.exited;
  }

  /**
   * Starts again on the same port and data, as after a reboot; `clock`: the instant its clock
   * starts from then (time went on while it was down), else the same as before.
   */
  async restart(clock?: string): Promise<void> {
    if (clock !== undefined) this.clockIso = clock;
    const port = new URL(this.url).port;
    await this.launch(port);
  }

  async stop(): Promise<void> {
    this.proc?.child.kill('SIGTERM');
    await this.proc?.exited;
    await rm(this.dataDir, { recursive: true, force: true });
  }

  async importAndPublish(plan: unknown): Promise<void> {
    const imported = await this.admin.request('POST', '/api/plans/import', plan);
    expect([200, 201]).toContain(imported.status);
    await this.publish();
  }

  /** A second approver approves every pending change. */
  async approvePending(): Promise<void> {
    await approveAll(await secondApprover(this.admin));
  }

  /** A second approver approves every pending change, then the admin publishes. */
  async publish(): Promise<void> {
    const published = await approveAndPublish(this.admin);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
  }

  async serverNow(): Promise<number> {
    const health = await this.admin.request<{ time: string }>('GET', '/api/health');
    return Date.parse(health.body.time);
  }

  async timeline(boardId: string, fromMs: number, toMs: number): Promise<Segment[]> {
    const query = new URLSearchParams({
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
    });
    const res = await this.admin.request<Segment[]>(
      'GET',
      `/api/boards/${boardId}/timeline?${query.toString()}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  }
}

/** Opens /player, reads the pairing code it shows and claims it for a board. */
export async function pairPlayer(
  page: Page,
  controller: E2eController,
  boardId: string,
): Promise<void> {
  await claimPlayer(page, controller, boardId);
  await expect(page.locator('html')).toHaveAttribute('data-state', 'playing', { timeout: 20_000 });
}

/** Opens the player, and claims its pairing code for `boardId`; does not wait for content. */
export async function claimPlayer(
  page: Page,
  controller: E2eController,
  boardId: string,
): Promise<void> {
  await page.goto(`${controller.url}/player`);
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-pairing-code', /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  const code = (await html.getAttribute('data-pairing-code')) ?? '';
  const claim = await controller.admin.request('POST', '/api/pairings/claim', {
    code: code.toLowerCase(),
    boardId,
  });
  expect(claim.status, JSON.stringify(claim.body)).toBe(201);
}

/**
 * A man in the middle of a page's socket.io connection: every message from the controller that
 * `when` picks and that carries the slogan "MỪNG ĐẢNG, MỪNG XUÂN" reaches the page with it
 * rewritten; `tampered` counts them.
 */
export async function tamperSocket(
  page: Page,
  when: (message: string) => boolean,
): Promise<{ tampered: number }> {
  const counts = { tampered: 0 };
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      server.send(message);
    });
    server.onMessage((message) => {
      if (typeof message === 'string' && message.includes(SLOGAN) && when(message)) {
        counts.tampered += 1;
        ws.send(message.replace(SLOGAN, 'NỘI DUNG GIẢ MẠO'));
        return;
      }
      ws.send(message);
    });
  });
  return counts;
}

const SLOGAN = 'MỪNG ĐẢNG, MỪNG XUÂN';

/** What the player shows and its corrected time, read in one turn of its event loop. */
export async function playerNow(
  page: Page,
): Promise<{ atMs: number; nowPlaying: string; bundle: string }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    return {
      atMs: Date.now() + Number(root.dataset.clockOffset ?? '0'),
      nowPlaying: root.dataset.nowPlaying ?? '',
      bundle: root.dataset.bundleVersion ?? '',
    };
  });
}

/** The id the timeline says plays at an instant. */
export function expectedAt(segments: readonly Segment[], atMs: number): string {
  const segment = segments.find((s) => Date.parse(s.start) <= atMs && atMs < Date.parse(s.end));
  if (!segment) throw new Error(`no segment at ${new Date(atMs).toISOString()}`);
  return segment.content ?? segment.announcement ?? '';
}

/** A play record as the player keeps it and the controller stores it. */
export interface Play {
  id: string;
  contentId: string;
  startMs: number;
  endMs: number;
}

/** The plays the player still holds (not yet acknowledged by the controller). */
export async function heldPlays(page: Page): Promise<Play[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('bangtin-player');
      req.onsuccess = () => {
        resolve(req.result);
      };
      req.onerror = () => {
        reject(new Error('no player database'));
      };
    });
    return new Promise<Play[]>((resolve) => {
      const req = db.transaction('pop').objectStore('pop').getAll();
      req.onsuccess = () => {
        resolve(req.result as Play[]);
      };
    });
  });
}

/** Ids of the plays the player still holds (not yet acknowledged). */
export async function pendingPlayIds(page: Page): Promise<string[]> {
  return (await heldPlays(page)).map((p) => p.id);
}

/** Every play record the controller stored, duplicates included. */
export async function storedPlays(dataDir: string): Promise<Play[]> {
  const dir = path.join(dataDir, 'pop');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) =>
    n.endsWith('.ndjson'),
  );
  const texts = await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
  return texts
    .join('')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Play);
}

/** Ids of every play record the controller stored, duplicates included. */
export async function storedPlayIds(dataDir: string): Promise<string[]> {
  return (await storedPlays(dataDir)).map((p) => p.id);
}

/**
 * Collects what a page reports as broken: uncaught errors, Content-Security-Policy violations
 * and failed loads (the browser's console shows each as an error: a favicon's 404 was one).
 */
export function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`http ${response.status()}: ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`csp: ${message.text()}`);
    }
  });
  return problems;
}
