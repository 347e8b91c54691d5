import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { approveAndPublish, pendingItems, secondApprover } from '../helpers/approval.js';
import { rawRequest } from '../helpers/http.js';
import { solidPng } from '../helpers/png.js';

interface Asset {
  sha256: string;
  name: string;
  width: number;
  height: number;
}

describe('banner files', () => {
  let t: TestController;
  let admin: Http;
  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await t.stop();
  });

  async function upload(name: string, bytes: Buffer, type = 'image/png') {
    const res = await fetch(`${t.url}/api/assets?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: {
        'content-type': type,
        cookie: admin.cookieHeader(),
        'x-csrf-token': admin.csrfToken ?? '',
      },
      body: bytes,
    });
    return { status: res.status, body: (await res.json()) as Asset & { error?: { code: string } } };
  }

  it('stores a PNG by content hash and serves it immutable, with ETag, 304 and Range', async () => {
    const png = solidPng(64, 16, [200, 0, 0]);
    const res = await upload('co-dang.png', png);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'co-dang.png', width: 64, height: 16 });
    const url = `${t.url}/files/sha256/${res.body.sha256}`;
    const full = await fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('cache-control')).toContain('immutable');
    expect(full.headers.get('x-content-type-options')).toBe('nosniff');
    expect(full.headers.get('content-type')).toBe('image/png');
    const etag = full.headers.get('etag');
    expect(etag).toBe(`"${res.body.sha256}"`);
    expect(Buffer.from(await full.arrayBuffer()).equals(png)).toBe(true);
    // (fetch would add cache-control: no-cache to a conditional request.)
    const again = await rawRequest(url, { 'if-none-match': etag ?? '' });
    expect(again.status).toBe(304);
    const part = await rawRequest(url, { range: 'bytes=8-15' });
    expect(part.status).toBe(206);
    expect(part.body.equals(png.subarray(8, 16))).toBe(true);
    expect((await fetch(`${t.url}/files/sha256/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('refuses what is not a PNG, JPEG or WebP image, whatever it is called', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    expect((await upload('x.png', svg, 'image/png')).status).toBe(400);
    const truncated = solidPng(64, 16, [0, 0, 0]).subarray(0, 20);
    expect((await upload('t.png', truncated)).status).toBe(400);
    expect((await upload('../evil.png', solidPng(2, 2, [0, 0, 0]))).status).toBe(400);
    const list = await admin.request<Asset[]>('GET', '/api/assets');
    expect(list.body.map((a) => a.name)).toEqual(['co-dang.png']);
  });

  it('puts the banners a board plays into its bundle; approving a banner without its file is refused', async () => {
    const plan = {
      format: 'bangtin-plan/1',
      plan: { id: 'banners', title: 'Băng rôn', timeZone: 'Asia/Ho_Chi_Minh' },
      phases: [{ id: 'p', name: 'Đợt', from: '2030-01-01', to: '2030-12-31' }],
      boards: [{ id: 'portal', name: 'Cổng TTĐT', width: 1200, height: 200, public: true }],
      content: [
        { id: 'b1', kind: 'banner', asset: 'co-dang.png', fit: 'cover' },
        { id: 'b2', kind: 'banner', asset: 'missing.png' },
      ],
      playlists: [{ id: 'pl', name: 'P', items: ['b1'] }],
      schedules: [{ id: 's', playlist: 'pl', phase: 'p' }],
    };
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
    // An approver cannot have seen an image that was never uploaded.
    const approver = await secondApprover(admin);
    const items = (await pendingItems(approver, 'banners')).map(({ kind, id, revision }) => ({
      kind,
      id,
      revision,
    }));
    const refused = await approver.request<{
      error: { details: { path: string; code: string }[] };
    }>('POST', '/api/plans/banners/approvals/approve', { items });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.map((d) => [d.path, d.code])).toEqual([
      ['content/b2', 'asset_missing'],
    ]);
    expect((await admin.request('DELETE', '/api/plans/banners/content/b2')).status).toBe(204);
    expect((await approveAndPublish(admin)).status).toBe(201);
    // The public embed endpoint hands out the bundle of a public board, without credentials.
    const anon = new Http(t.url);
    const pub = await anon.request<{ bundle: { assets: { name: string; url: string }[] } }>(
      'GET',
      '/api/public/boards/portal/bundle',
    );
    expect(pub.status).toBe(200);
    expect(pub.body.bundle.assets.map((a) => a.name)).toEqual(['co-dang.png']);
    expect(pub.body.bundle.assets[0]?.url).toMatch(/^\/files\/sha256\/[0-9a-f]{64}$/);
  });

  it('serves banner files from a data directory under a dot-folder (~/.local/share/bangtin)', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'bangtin-home-'));
    const dataDir = path.join(home, '.local', 'share', 'bangtin');
    await mkdir(dataDir, { recursive: true });
    const dotted = await startTestController({ dataDir });
    try {
      const http = await Http.login(dotted.url, 'admin', ADMIN_PASSWORD);
      const png = solidPng(8, 8, [0, 0, 200]);
      const res = await fetch(`${dotted.url}/api/assets?name=xanh.png`, {
        method: 'POST',
        headers: {
          'content-type': 'image/png',
          cookie: http.cookieHeader(),
          'x-csrf-token': http.csrfToken ?? '',
        },
        body: png,
      });
      expect(res.status).toBe(201);
      const { sha256 } = (await res.json()) as Asset;
      const served = await fetch(`${dotted.url}/files/sha256/${sha256}`);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    } finally {
      await dotted.stop();
      await rm(home, { recursive: true, force: true });
    }
  });
});
