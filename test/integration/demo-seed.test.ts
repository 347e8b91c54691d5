import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFirstStart } from '../../controller/seed.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { demoBanners } from '../helpers/demo-banners.js';
import { repoRoot } from '../helpers/paths.js';

interface Asset {
  name: string;
  sha256: string;
  size: number;
  width: number;
  height: number;
  uploadedAt: string;
  uploadedBy: string;
}
interface BundleAsset {
  name: string;
  sha256: string;
  url: string;
}
interface Content {
  id: string;
  kind: string;
  asset?: string;
}
interface PlanFile {
  plan: { id: string };
  content: Content[];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function demoPlan(file: string): Promise<PlanFile> {
  return readFile(path.join(repoRoot, 'assets/demo', file), 'utf8').then(
    (text) => JSON.parse(text) as PlanFile,
  );
}

describe('first start with the demo plans', () => {
  let dataDir: string;
  let t: TestController | undefined;
  let admin: Http;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'bangtin-demo-'));
    t = await startTestController({ demo: true, dataDir });
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await t?.controller.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uploads every banner the demo plans name, once, as the system', async () => {
    const files = await demoBanners();
    expect(files.length).toBeGreaterThanOrEqual(3);
    const named = new Set<string>();
    for (const file of ['kon-tum-kkt.json', 'dak-lak-148.json']) {
      for (const c of (await demoPlan(file)).content) {
        if (c.kind === 'banner' && c.asset !== undefined) named.add(c.asset);
      }
    }
    // Every committed file is used, and every file used is committed.
    expect([...named].sort()).toEqual(files.map((f) => f.name));
    const assets = await admin.request<Asset[]>('GET', '/api/assets');
    expect(assets.body.map((a) => a.name).sort()).toEqual(files.map((f) => f.name));
    for (const { name, bytes } of files) {
      expect(assets.body.find((a) => a.name === name)).toMatchObject({
        sha256: sha256(bytes),
        size: bytes.length,
        uploadedBy: 'system',
      });
    }
    const audit = await admin.request<{ entries: { action: string; target: string }[] }>(
      'GET',
      '/api/audit?action=asset.upload&limit=100',
    );
    expect(audit.body.entries.map((e) => e.target).sort()).toEqual(
      files.map((f) => `assets/${f.name}`),
    );
  });

  it('publishes the banners in release 1 and serves each board its bytes', async () => {
    const release = await admin.request<{
      version: number;
      assets: BundleAsset[];
      plans: { plan: { id: string }; content: Content[] }[];
      withheld?: unknown[];
    }>('GET', '/api/releases/1');
    expect(release.body.version).toBe(1);
    expect(release.body.withheld ?? []).toEqual([]);
    const files = await demoBanners();
    expect(release.body.assets.map((a) => a.name)).toEqual(files.map((f) => f.name));
    // The banners themselves were published (approved by the system), not withheld.
    const published = release.body.plans.flatMap((p) =>
      p.content.filter((c) => c.kind === 'banner').map((c) => c.id),
    );
    expect(published).toEqual(expect.arrayContaining(['kt-b-dh-xiii', 'dl-b-dh-xvii']));
    for (const { name, bytes } of files) {
      const asset = release.body.assets.find((a) => a.name === name);
      expect(asset?.url).toBe(`/files/sha256/${sha256(bytes)}`);
      const res = await fetch(`${t?.url ?? ''}${asset?.url ?? ''}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

  it('gives the web-portal slot its banner in its bundle and its timeline', async () => {
    // The Đắk Lắk portal during the XVII provincial congress (13–15/10/2020, priority 5).
    const pub = await fetch(`${t?.url ?? ''}/api/public/boards/dl-cong-ttdt/bundle`);
    expect(pub.status).toBe(200);
    const { bundle } = (await pub.json()) as {
      bundle: { assets: BundleAsset[]; plan: { content: Content[] } };
    };
    expect(bundle.assets.map((a) => a.name)).toContain('chao-mung-dh-xvii-dak-lak-1200x200.png');
    const timeline = await admin.request<{ content?: string; schedule?: string }[]>(
      'GET',
      '/api/boards/dl-cong-ttdt/timeline?from=2020-10-14T00:00:00Z&to=2020-10-14T00:10:00Z',
    );
    expect(timeline.body).toContainEqual(
      expect.objectContaining({
        content: 'dl-b-dh-xvii',
        schedule: 'dl-sc-dh-xvii-cong-ttdt-banner',
      }),
    );
    // The LED boards of the same plan get no banner.
    const led = await admin.request<{ content?: string }[]>(
      'GET',
      '/api/boards/dl-bmt-quang-truong/timeline?from=2020-10-14T01:00:00Z&to=2020-10-14T01:30:00Z',
    );
    expect(led.body.length).toBeGreaterThan(1);
    expect(led.body.filter((s) => s.content?.startsWith('dl-b-') === true)).toEqual([]);
  });

  it('uploads nothing again on a restart', async () => {
    const before = await admin.request<Asset[]>('GET', '/api/assets');
    await t?.controller.close();
    t = await startTestController({ demo: true, dataDir });
    const again = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    expect((await again.request<Asset[]>('GET', '/api/assets')).body).toEqual(before.body);
    const audit = await again.request<{ entries: unknown[] }>(
      'GET',
      '/api/audit?action=asset.upload&limit=100',
    );
    expect(audit.body.entries).toHaveLength(before.body.length);
    const health = await again.request<{ release: number }>('GET', '/api/health');
    expect(health.body.release).toBe(1);
  });
});

describe('first start with a demo banner missing', () => {
  let t: TestController;
  let demoDir: string;
  beforeAll(async () => {
    t = await startTestController();
    demoDir = await mkdtemp(path.join(tmpdir(), 'bangtin-demo-dir-'));
    await cp(path.join(repoRoot, 'assets/demo'), demoDir, { recursive: true });
    await rm(path.join(demoDir, 'banners', 'chao-mung-dh-xvii-dak-lak-1200x200.png'));
  });
  afterAll(async () => {
    await t.stop();
    await rm(demoDir, { recursive: true, force: true });
  });

  it('logs which file is missing, skips that plan and seeds the other', async () => {
    const errors: { obj: object; msg: string | undefined }[] = [];
    const warnings: unknown[] = [];
    await seedFirstStart(t.controller, {
      adminPassword: ADMIN_PASSWORD,
      demoDir,
      logger: {
        info: () => undefined,
        warn: (obj: object) => warnings.push(obj),
        error: (obj: object, msg?: string) => errors.push({ obj, msg }),
      },
    });
    expect(warnings).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toContain('dak-lak-148.json');
    expect(errors[0]?.msg).toContain('chao-mung-dh-xvii-dak-lak-1200x200.png');
    expect(errors[0]?.msg).toContain('ENOENT');
    const admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    const plans = await admin.request<{ plan: { id: string } }[]>('GET', '/api/plans');
    expect(plans.body.map((p) => p.plan.id)).toEqual(['kh-bqlkkt-kon-tum']);
    const health = await admin.request<{ release: number }>('GET', '/api/health');
    expect(health.body.release).toBe(1);
    // Only the Kon Tum plan's banners were stored: the skipped plan left none behind.
    const kontum = new Set(
      (await demoPlan('kon-tum-kkt.json')).content.flatMap((c) =>
        c.kind === 'banner' && c.asset !== undefined ? [c.asset] : [],
      ),
    );
    const assets = await admin.request<Asset[]>('GET', '/api/assets');
    expect(assets.body.map((a) => a.name).sort()).toEqual([...kontum].sort());
  });
});
