import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_VERSION } from '../../controller/state.js';
import type { PlanDocument } from '../../playlists/index.js';
import { approveAll, secondApprover, type QueueItem } from '../helpers/approval.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { solidPng } from '../helpers/png.js';

/** An approver must approve exactly what they saw: the image behind a banner, the revision. */

const plan = {
  format: 'bangtin-plan/1',
  plan: { id: 'anh', title: 'Ảnh băng rôn', timeZone: 'Asia/Ho_Chi_Minh' },
  phases: [{ id: 'dot-1', name: 'Đợt I', from: '2030-01-01', to: '2030-01-10' }],
  boards: [{ id: 'led-a', name: 'Cửa khẩu A', width: 384, height: 128 }],
  content: [
    { id: 's1', kind: 'slogan', text: 'MỪNG ĐẢNG, MỪNG XUÂN' },
    { id: 'b1', kind: 'banner', asset: 'co-dang.png' },
    { id: 'b2', kind: 'banner', asset: 'co-dang.png', durationSec: 5 },
  ],
  playlists: [{ id: 'p1', name: 'Chính', items: ['s1', 'b1', 'b2'] }],
  schedules: [{ id: 'sc1', playlist: 'p1', phase: 'dot-1' }],
  announcements: [],
};

interface AssetRef {
  sha256: string;
  name: string;
}

type Entry = QueueItem & {
  pendingAsset?: AssetRef | null;
  approved: (QueueItem['approved'] & { asset?: AssetRef | null }) | null;
};

interface ReleaseFile {
  version: number;
  plans: PlanDocument[];
  assets: { name: string; sha256: string; url: string }[];
  approvals: { kind: string; id: string; revision: number }[];
  withheld: { kind: string; id: string; reason: string }[];
}

async function upload(http: Http, name: string, bytes: Buffer) {
  const res = await fetch(`${http.baseUrl}/api/assets?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: {
      'content-type': 'image/png',
      cookie: http.cookieHeader(),
      'x-csrf-token': http.csrfToken ?? '',
    },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as AssetRef };
}

/** The sha256 of the file a published banner shows. */
function publishedImage(release: ReleaseFile, contentId: string): string | undefined {
  const banner = release.plans[0]?.content.find((c) => c.id === contentId);
  if (banner?.kind !== 'banner') return undefined;
  return release.assets.find((a) => a.name === banner.asset)?.sha256;
}

describe('approval integrity', () => {
  let t: TestController;
  let admin: Http;
  let editor: Http;
  let approver: Http;
  let editorId = '';

  async function latest(): Promise<ReleaseFile> {
    const v = await admin.request<{ version: number }>('GET', '/api/releases/latest');
    return (await admin.request<ReleaseFile>('GET', `/api/releases/${v.body.version}`)).body;
  }

  async function queue(planId: string): Promise<Entry[]> {
    return (await approver.request<Entry[]>('GET', `/api/approvals?planId=${planId}`)).body;
  }

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    const made = await admin.request<{ id: string }>('POST', '/api/users', {
      username: 'bientap',
      password: 'bientap-mat-khau-9',
      role: 'editor',
    });
    editorId = made.body.id;
    editor = await Http.login(t.url, 'bientap', 'bientap-mat-khau-9');
    approver = await secondApprover(admin);
  });
  afterAll(async () => {
    await t.stop();
  });

  describe('a banner’s image replaced after approval', () => {
    const red = solidPng(300, 100, [200, 0, 0]);
    const hostile = solidPng(300, 100, [0, 0, 0]);
    let redSha = '';
    let hostileSha = '';

    it('is not published until an approver approves the new image; the old one stays on air', async () => {
      const first = await upload(editor, 'co-dang.png', red);
      expect(first.status).toBe(201);
      redSha = first.body.sha256;
      expect((await editor.request('POST', '/api/plans/import', plan)).status).toBe(201);
      await approveAll(approver, 'anh');
      expect((await admin.request('POST', '/api/releases', {})).status).toBe(201);
      expect(publishedImage(await latest(), 'b1')).toBe(redSha);

      // The editor replaces the bytes behind the name.
      const swapped = await upload(editor, 'co-dang.png', hostile);
      expect(swapped.status).toBe(201);
      hostileSha = swapped.body.sha256;
      expect(hostileSha).not.toBe(redSha);

      // Both banners that use the name are up for approval again, authored by the uploader.
      const waiting = (await queue('anh')).filter((e) => e.kind === 'content');
      expect(waiting.map((e) => e.id).sort()).toEqual(['b1', 'b2']);
      for (const entry of waiting) {
        expect(entry.status).toBe('pending');
        expect(entry.revision).toBe(2);
        expect(entry.authors.map((a) => a.userId)).toEqual([editorId]);
        // The approver sees both images: the one on air and the new one.
        expect(entry.approved?.asset?.sha256).toBe(redSha);
        expect(entry.pendingAsset?.sha256).toBe(hostileSha);
      }
      const status = await admin.request<{
        approval: { content: Record<string, { status: string; approvedRevision: number }> };
      }>('GET', '/api/plans/anh');
      expect(status.body.approval.content.b1).toMatchObject({
        status: 'pending',
        approvedRevision: 1,
      });

      // A publish now (for any reason) still ships the approved image, which is still served.
      const publish = await admin.request('POST', '/api/releases', { note: 'routine' });
      expect(publish.status).toBe(201);
      const release = await latest();
      expect(publishedImage(release, 'b1')).toBe(redSha);
      expect(publishedImage(release, 'b2')).toBe(redSha);
      expect(release.assets.map((a) => a.sha256)).not.toContain(hostileSha);
      const old = await fetch(`${t.url}/files/sha256/${redSha}`);
      expect(old.status).toBe(200);
      expect(Buffer.from(await old.arrayBuffer()).equals(red)).toBe(true);
      // The new image can be previewed.
      expect((await fetch(`${t.url}/files/sha256/${hostileSha}`)).status).toBe(200);
      // The list of assets names each file once: the one a name means now.
      const list = await admin.request<AssetRef[]>('GET', '/api/assets');
      expect(list.body.filter((a) => a.name === 'co-dang.png').map((a) => a.sha256)).toEqual([
        hostileSha,
      ]);
    });

    it('an approval of the revision seen before the swap is refused', async () => {
      const stale = await approver.request<{
        error: { code: string; details?: { code: string }[] };
      }>('POST', '/api/plans/anh/approvals/approve', {
        items: [{ kind: 'content', id: 'b1', revision: 1 }],
      });
      expect(stale.status).toBe(409);
      expect(stale.body.error.details?.map((d) => d.code)).toEqual(['stale_revision']);
    });

    it('once approved, the new image is published; re-uploading the same bytes changes nothing', async () => {
      const ok = await approver.request('POST', '/api/plans/anh/approvals/approve', {
        items: [{ kind: 'content', id: 'b1', revision: 2 }],
      });
      expect(ok.status).toBe(200);
      expect((await admin.request('POST', '/api/releases', {})).status).toBe(201);
      const release = await latest();
      // b1 shows the image its approver saw, b2 still the one approved before.
      expect(publishedImage(release, 'b1')).toBe(hostileSha);
      expect(publishedImage(release, 'b2')).toBe(redSha);
      expect(release.approvals).toContainEqual(
        expect.objectContaining({ kind: 'content', id: 'b1', revision: 2 }),
      );

      expect((await upload(editor, 'co-dang.png', hostile)).status).toBe(201);
      const b1 = (await queue('anh')).find((e) => e.id === 'b1');
      expect(b1).toBeUndefined();
    });
  });

  describe('deleting and recreating an item', () => {
    const announcement = (text: string) => ({
      id: 'tb-aba',
      text,
      from: '2030-01-02T09:00:00+07:00',
      to: '2030-01-02T10:00:00+07:00',
      boards: { all: true },
    });
    const P = '/api/plans/anh/announcements';

    it('never repeats a revision, so an approval of what was deleted cannot approve its replacement', async () => {
      expect((await editor.request('POST', P, announcement('Chúc mừng năm mới'))).status).toBe(201);
      const seen = (await queue('anh')).find((e) => e.id === 'tb-aba');
      expect(seen?.revision).toBe(1);
      expect((await editor.request('DELETE', `${P}/tb-aba`)).status).toBe(204);
      expect((await editor.request('POST', P, announcement('NỘI DUNG CHƯA DUYỆT'))).status).toBe(
        201,
      );
      const now = (await queue('anh')).find((e) => e.id === 'tb-aba');
      expect(now?.revision).toBe(2);
      const res = await approver.request<{ error: { code: string } }>(
        'POST',
        '/api/plans/anh/approvals/approve',
        { items: [{ kind: 'announcements', id: 'tb-aba', revision: 1 }] },
      );
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
    });

    it('also across deleting and re-importing the whole plan, and across a restart', async () => {
      const exported = (await admin.request<PlanDocument>('GET', '/api/plans/anh/export')).body;
      const before = (await queue('anh')).find((e) => e.id === 'tb-aba');
      expect(before?.revision).toBe(2);
      expect((await editor.request('DELETE', '/api/plans/anh')).status).toBe(204);
      // A restart in between: the last revisions are kept in the state.
      await t.controller.close();
      t = await startTestController({ dataDir: t.dataDir });
      admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
      editor = await Http.login(t.url, 'bientap', 'bientap-mat-khau-9');
      approver = await secondApprover(admin);
      const changed = {
        ...exported,
        announcements: [announcement('MỘT NỘI DUNG KHÁC')],
      };
      expect((await editor.request('POST', '/api/plans/import', changed)).status).toBe(201);
      const after = await queue('anh');
      expect(after.find((e) => e.id === 'tb-aba')?.revision).toBe(3);
      expect(after.find((e) => e.id === 'b1')?.revision).toBeGreaterThan(2);
      const res = await approver.request('POST', '/api/plans/anh/approvals/approve', {
        items: [{ kind: 'announcements', id: 'tb-aba', revision: 2 }],
      });
      expect(res.status).toBe(409);
    });
  });
});

describe('upgrading a state file from version 4', () => {
  it('pins each approved banner to the image it publishes now', async () => {
    const first = await startTestController();
    const admin = await Http.login(first.url, 'admin', ADMIN_PASSWORD);
    const red = solidPng(300, 100, [200, 0, 0]);
    const sha = (await upload(admin, 'co-dang.png', red)).body.sha256;
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
    await approveAll(await secondApprover(admin));
    expect((await admin.request('POST', '/api/releases', {})).status).toBe(201);
    await first.controller.close();

    const file = path.join(first.dataDir, 'state.json');
    const current = JSON.parse(await readFile(file, 'utf8')) as {
      schemaVersion: number;
      data: Record<string, unknown> & {
        approvals: { approved?: Record<string, unknown> }[];
        assets: Record<string, unknown>[];
      };
    };
    expect(current.schemaVersion).toBe(STATE_VERSION);
    // Version 4 had no pinned images, no replaced assets and no kept revisions.
    const v4 = {
      ...current.data,
      approvals: current.data.approvals.map((r) => {
        if (!r.approved) return r;
        const { asset: _a, ...approved } = r.approved;
        return { ...r, approved };
      }),
      assets: current.data.assets.filter((a) => a.replacedAt === undefined),
    } as Record<string, unknown>;
    delete v4.lastRevisions;
    await writeFile(
      file,
      JSON.stringify({ schemaVersion: 4, savedAt: '2026-01-01T00:00:00.000Z', data: v4 }),
    );

    const t = await startTestController({ dataDir: first.dataDir });
    try {
      const again = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
      const stored = JSON.parse(await readFile(file, 'utf8')) as { schemaVersion: number };
      expect(stored.schemaVersion).toBe(STATE_VERSION);
      const approved = await again.request<Entry[]>('GET', '/api/approvals?status=approved');
      const b1 = approved.body.find((e) => e.id === 'b1');
      expect(b1?.approved?.asset?.sha256).toBe(sha);
      // A replaced image after the upgrade does not reach the boards unapproved.
      expect((await upload(again, 'co-dang.png', solidPng(300, 100, [0, 0, 0]))).status).toBe(201);
      expect((await again.request('POST', '/api/releases', {})).status).toBe(201);
      const v = (await again.request<{ version: number }>('GET', '/api/releases/latest')).body;
      const release = (await again.request<ReleaseFile>('GET', `/api/releases/${v.version}`)).body;
      expect(publishedImage(release, 'b1')).toBe(sha);
    } finally {
      await t.stop();
    }
  });
});
