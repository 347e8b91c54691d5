import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Http } from '../helpers/controller.js';
import { demoBanners } from '../helpers/demo-banners.js';
import { spawnController, type ControllerProcess } from '../helpers/process.js';

describe('npm start', () => {
  let dataDir: string;
  let proc: ControllerProcess | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'bangtin-start-'));
  });
  afterAll(async () => {
    const pid = proc?.child.pid;
    if (pid !== undefined) {
      process.kill(-pid, 'SIGTERM');
      await proc?.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('builds and serves the API with the demo plans and banners published, and prints a generated admin password once', async () => {
    proc = await spawnController(
      'npm',
      ['start', '--silent'],
      { PORT: '0', HOST: '127.0.0.1', BANGTIN_DATA: dataDir },
      { timeoutMs: 120_000, detached: true },
    );
    const match = /with password: (\S+)/.exec(proc.output());
    expect(match?.[1]).toBeDefined();
    const http = await Http.login(proc.url, 'admin', match?.[1] ?? '');
    const health = await http.request<{ status: string; release: number }>('GET', '/api/health');
    expect(health.body).toMatchObject({ status: 'ok', release: 1 });
    const plans = await http.request<{ plan: { id: string } }[]>('GET', '/api/plans');
    expect(plans.body.map((p) => p.plan.id).sort()).toEqual(['kh-148', 'kh-bqlkkt-kon-tum']);
    const timeline = await http.request<unknown[]>(
      'GET',
      '/api/boards/bo-y/timeline?from=2021-01-26T00:00:00Z&to=2021-01-26T01:00:00Z',
    );
    expect(timeline.status).toBe(200);
    expect(timeline.body.length).toBeGreaterThan(10);
    // The demo banners were uploaded before the plans were published, and are served.
    const banners = await demoBanners();
    const release = await http.request<{ assets: { name: string; sha256: string; url: string }[] }>(
      'GET',
      '/api/releases/1',
    );
    expect(release.body.assets.map((a) => a.name)).toEqual(banners.map((b) => b.name));
    for (const { name, bytes } of banners) {
      const asset = release.body.assets.find((a) => a.name === name);
      expect(asset?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      const file = await fetch(`${proc.url}${asset?.url ?? ''}`);
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    }
    // The browser parts are built and served: the dashboard at / and the player at /player.
    for (const [page, marker] of [
      ['/', '<div id="app"></div>'],
      ['/player', '<main id="board"'],
    ] as const) {
      const res = await fetch(`${proc.url}${page}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(marker);
      const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1] ?? '';
      expect((await fetch(`${proc.url}${script}`)).status).toBe(200);
    }
  }, 180_000);
});
