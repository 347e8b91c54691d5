import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../controller/audit/entry.js';
import { STATE_VERSION } from '../../controller/state.js';
import { validatePlan, type BlankAllState, type PlanDocument } from '../../playlists/index.js';
import { approveAll, pendingItems, secondApprover, type QueueItem } from '../helpers/approval.js';
import { pairBoard, playerSocket, sayHello } from '../helpers/sim-board.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';

const plan = {
  format: 'bangtin-plan/1',
  plan: { id: 'duyet', title: 'Phê duyệt', timeZone: 'Asia/Ho_Chi_Minh' },
  phases: [{ id: 'dot-1', name: 'Đợt I', from: '2030-01-01', to: '2030-01-10' }],
  boards: [
    { id: 'led-a', name: 'Cửa khẩu A', width: 384, height: 128, tags: ['led'] },
    { id: 'led-b', name: 'Cửa khẩu B', width: 384, height: 128, tags: ['led'], public: true },
  ],
  content: [
    { id: 's1', kind: 'slogan', text: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM' },
    { id: 's2', kind: 'slogan', text: 'MỪNG ĐẢNG, MỪNG XUÂN', durationSec: 20 },
  ],
  playlists: [{ id: 'p1', name: 'Chính', items: ['s1', 's2'] }],
  schedules: [{ id: 'sc1', playlist: 'p1', phase: 'dot-1' }],
  announcements: [],
};

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

interface ReleaseFile {
  version: number;
  hash: string;
  publishedBy: string;
  approvers?: string[];
  plans: PlanDocument[];
  approvals: {
    planId: string;
    kind: string;
    id: string;
    revision: number;
    approvedBy: string;
    authors: string[];
    urgent?: true;
  }[];
  withheld: { planId: string; kind: string; id: string; reason: string }[];
}

interface PlanWithApproval {
  content: { id: string; text: string }[];
  approval: Record<
    string,
    Record<string, { status: string; revision: number; approvedRevision: number | null }>
  >;
}

async function auditEntries(dataDir: string): Promise<AuditEntry[]> {
  const text = await readFile(path.join(dataDir, 'audit', 'audit.ndjson'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as AuditEntry);
}

const refs = (items: QueueItem[]) =>
  items.map(({ kind, id, revision }) => ({ kind, id, revision }));

describe('approval: draft → pending → approved or rejected, and publishing approved state only', () => {
  let t: TestController;
  let admin: Http;
  let editor: Http;
  let lanhdao: Http;
  let phodao: Http;
  const ids: Record<string, string> = {};

  async function user(username: string, role: string): Promise<Http> {
    const password = `${username}-mat-khau-9`;
    const res = await admin.request<{ id: string }>('POST', '/api/users', {
      username,
      password,
      role,
    });
    expect(res.status).toBe(201);
    ids[username] = res.body.id;
    return Http.login(t.url, username, password);
  }

  async function planView(): Promise<PlanWithApproval> {
    return (await admin.request<PlanWithApproval>('GET', '/api/plans/duyet')).body;
  }

  async function release(version: number): Promise<ReleaseFile> {
    const res = await admin.request<ReleaseFile>('GET', `/api/releases/${version}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Runs `act` and returns the audit entries it wrote. */
  async function audited<T>(act: () => Promise<T>): Promise<[T, AuditEntry[]]> {
    const before = (await auditEntries(t.dataDir)).length;
    const result = await act();
    return [result, (await auditEntries(t.dataDir)).slice(before)];
  }

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    ids.admin = (await admin.request<{ user: { id: string } }>('GET', '/api/auth/me')).body.user.id;
    editor = await user('bientap', 'editor');
    lanhdao = await user('lanhdao', 'approver');
    phodao = await user('phodao', 'approver');
  });
  afterAll(async () => {
    await t.stop();
  });

  it('queues what an editor imports, with its author, the pending and the approved version', async () => {
    expect((await editor.request('POST', '/api/plans/import', plan)).status).toBe(201);
    const queue = await pendingItems(phodao, 'duyet');
    expect(queue.map((i) => `${i.kind}/${i.id}`).sort()).toEqual([
      'content/s1',
      'content/s2',
      'playlists/p1',
      'schedules/sc1',
    ]);
    const s1 = queue.find((i) => i.id === 's1');
    expect(s1).toMatchObject({
      planId: 'duyet',
      status: 'pending',
      revision: 1,
      authors: [{ userId: ids.bientap, username: 'bientap' }],
      pending: plan.content[0],
      approved: null,
    });
    // The working copy carries each item's status; the export stays a plain plan file.
    const view = await planView();
    expect(view.approval.content?.s1).toEqual({
      status: 'pending',
      revision: 1,
      approvedRevision: null,
      authors: [ids.bientap],
    });
    const exported = await admin.request('GET', '/api/plans/duyet/export');
    expect(exported.body).toEqual(plan);
    // Phases and boards are technical data: not in the workflow.
    expect(view.approval.phases).toBeUndefined();
    // Re-importing the same plan changes nothing in the workflow.
    expect((await editor.request('POST', '/api/plans/import', plan)).status).toBe(200);
    expect((await pendingItems(phodao, 'duyet')).map((i) => i.revision)).toEqual([1, 1, 1, 1]);
  });

  it('keeps four eyes on every approval; an admin may relax it, and that is audited', async () => {
    const editorTry = await editor.request<ErrorBody>(
      'POST',
      '/api/plans/duyet/approvals/approve',
      {
        items: [{ kind: 'content', id: 's1', revision: 1 }],
      },
    );
    expect(editorTry.status).toBe(403);

    // An approver writes an announcement: they may not approve it themselves.
    const created = await lanhdao.request('POST', '/api/plans/duyet/announcements', {
      id: 'a1',
      text: 'THÔNG BÁO LỊCH TIẾP DÂN',
      from: '2030-01-02T08:00:00+07:00',
      to: '2030-01-02T09:00:00+07:00',
    });
    expect(created.status).toBe(201);
    const a1 = [{ kind: 'announcements', id: 'a1', revision: 1 }];
    const [own, ownEntries] = await audited(() =>
      lanhdao.request<ErrorBody>('POST', '/api/plans/duyet/approvals/approve', { items: a1 }),
    );
    expect(own.status).toBe(403);
    expect(own.body.error.message).toMatch(/four-eyes/);
    expect(own.body.error.details).toEqual([
      {
        path: 'announcements/a1',
        message: 'you changed it: another approver must decide',
        code: 'own_change',
        params: {},
      },
    ]);
    expect(ownEntries).toMatchObject([
      {
        action: 'approval.approve',
        outcome: 'refused',
        actor: { username: 'lanhdao' },
        details: { items: ['announcements/a1@1'], error: 'forbidden' },
      },
    ]);
    expect((await planView()).approval.announcements?.a1?.status).toBe('pending');
    const [other, otherEntries] = await audited(() =>
      phodao.request('POST', '/api/plans/duyet/approvals/approve', { items: a1 }),
    );
    expect(other.status).toBe(200);
    expect(otherEntries).toMatchObject([
      { action: 'approval.approve', outcome: 'ok', actor: { username: 'phodao' } },
    ]);
    expect((await planView()).approval.announcements?.a1?.status).toBe('approved');

    // Only an admin relaxes four-eyes, and the change is audited.
    expect((await lanhdao.request('PATCH', '/api/settings', { fourEyes: false })).status).toBe(403);
    const [relaxed, relaxEntries] = await audited(() =>
      admin.request<{ fourEyes: boolean }>('PATCH', '/api/settings', { fourEyes: false }),
    );
    expect(relaxed.body).toEqual({ fourEyes: false });
    expect(relaxEntries).toMatchObject([
      {
        action: 'settings.update',
        target: 'settings',
        outcome: 'ok',
        actor: { username: 'admin' },
        details: { fourEyes: false },
      },
    ]);
    const edited = await lanhdao.request('PATCH', '/api/plans/duyet/announcements/a1', {
      text: 'THÔNG BÁO LỊCH TIẾP DÂN (SỬA)',
    });
    expect(edited.status).toBe(200);
    const ownAgain = await lanhdao.request('POST', '/api/plans/duyet/approvals/approve', {
      items: [{ kind: 'announcements', id: 'a1', revision: 2 }],
    });
    expect(ownAgain.status).toBe(200);
    expect((await admin.request('PATCH', '/api/settings', { fourEyes: true })).status).toBe(200);
    expect((await editor.request('GET', '/api/settings')).body).toEqual({ fourEyes: true });
  });

  it('leaves out what was never approved, and what refers to it, yet the release validates', async () => {
    // p2 is never approved; sc2, which plays it, is.
    expect(
      (
        await editor.request('POST', '/api/plans/duyet/playlists', {
          id: 'p2',
          name: 'Phụ',
          items: ['s1'],
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await editor.request('POST', '/api/plans/duyet/schedules', {
          id: 'sc2',
          playlist: 'p2',
          phase: 'dot-1',
          priority: 5,
        })
      ).status,
    ).toBe(201);
    const queue = await pendingItems(phodao, 'duyet');
    const approve = queue.filter((i) => ['s1', 'p1', 'sc1', 'sc2'].includes(i.id));
    expect(approve).toHaveLength(4);
    const approved = await phodao.request('POST', '/api/plans/duyet/approvals/approve', {
      items: refs(approve),
    });
    expect(approved.status).toBe(200);

    const published = await admin.request<{ version: number; withheld: unknown[] }>(
      'POST',
      '/api/releases',
      { note: 'Đợt I' },
    );
    expect(published.status).toBe(201);
    expect(published.body.withheld).toEqual(
      expect.arrayContaining([
        { planId: 'duyet', kind: 'content', id: 's2', reason: 'not_approved' },
        { planId: 'duyet', kind: 'playlists', id: 'p2', reason: 'not_approved' },
        { planId: 'duyet', kind: 'schedules', id: 'sc2', reason: 'references_withheld' },
      ]),
    );
    const file = await release(published.body.version);
    const [doc] = file.plans;
    if (!doc) throw new Error('no plan in the release');
    expect(validatePlan(doc).ok).toBe(true);
    expect(doc.content.map((c) => c.id)).toEqual(['s1']);
    // p1 is approved, but s2 is not: the published playlist plays s1 alone.
    expect(doc.playlists).toEqual([{ id: 'p1', name: 'Chính', items: ['s1'] }]);
    expect(doc.schedules.map((s) => s.id)).toEqual(['sc1']);
    expect(doc.announcements.map((a) => a.text)).toEqual(['THÔNG BÁO LỊCH TIẾP DÂN (SỬA)']);
    expect(doc.boards).toEqual(plan.boards);
    // Who approved what, and who published.
    expect(file.publishedBy).toBe(ids.admin);
    expect(file.approvers?.sort()).toEqual([ids.lanhdao, ids.phodao].sort());
    expect(file.approvals).toContainEqual({
      planId: 'duyet',
      kind: 'content',
      id: 's1',
      revision: 1,
      approvedBy: ids.phodao,
      approvedAt: expect.any(String) as unknown,
      authors: [ids.bientap],
    });
    expect(file.approvals.map((a) => `${a.kind}/${a.id}`).sort()).toEqual([
      'announcements/a1',
      'content/s1',
      'playlists/p1',
      'schedules/sc1',
    ]);
    const timeline = await admin.request<{ content?: string }[]>(
      'GET',
      '/api/boards/led-a/timeline?from=2030-01-02T00:00:00Z&to=2030-01-02T00:01:00Z',
    );
    expect(new Set(timeline.body.map((s) => s.content))).toEqual(new Set(['s1']));
  });

  it('returns an edited approved item to pending; publishing still ships the approved version', async () => {
    const edited = await editor.request('PATCH', '/api/plans/duyet/content/s1', {
      text: 'NỘI DUNG CHƯA DUYỆT',
    });
    expect(edited.status).toBe(200);
    expect((await planView()).approval.content?.s1).toMatchObject({
      status: 'pending',
      revision: 2,
      approvedRevision: 1,
    });
    const [s1] = (await pendingItems(phodao, 'duyet')).filter((i) => i.id === 's1');
    expect(s1).toMatchObject({
      revision: 2,
      pending: { text: 'NỘI DUNG CHƯA DUYỆT' },
      approved: {
        revision: 1,
        value: { text: plan.content[0]?.text },
        by: { username: 'phodao' },
      },
    });
    // Approved state did not change: there is nothing to publish.
    const nothing = await admin.request<ErrorBody>('POST', '/api/releases', {});
    expect(nothing.status).toBe(409);
    // Approving s2 changes it; the release holds s1 as approved, not the pending edit.
    const [s2] = (await pendingItems(phodao, 'duyet')).filter((i) => i.id === 's2');
    if (!s2) throw new Error('s2 is not pending');
    await phodao.request('POST', '/api/plans/duyet/approvals/approve', { items: refs([s2]) });
    const published = await admin.request<{ version: number }>('POST', '/api/releases', {});
    expect(published.status).toBe(201);
    const file = await release(published.body.version);
    expect(file.plans[0]?.content).toEqual([plan.content[0], plan.content[1]]);
    expect(JSON.stringify(file)).not.toContain('NỘI DUNG CHƯA DUYỆT');

    // An approval names the revision the approver saw: an edit in between makes it stale.
    await editor.request('PATCH', '/api/plans/duyet/content/s1', { text: 'SỬA LẦN HAI' });
    const stale = await phodao.request<ErrorBody>('POST', '/api/plans/duyet/approvals/approve', {
      items: [{ kind: 'content', id: 's1', revision: 2 }],
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details?.[0]?.message).toMatch(/changed since revision 2: now 3/);
  });

  it('rejects with a reason; the approved version stays published; drafts wait for a submit', async () => {
    const noReason = await phodao.request('POST', '/api/plans/duyet/approvals/reject', {
      items: [{ kind: 'content', id: 's1', revision: 3 }],
      reason: '   ',
    });
    expect(noReason.status).toBe(400);
    const [rejected, entries] = await audited(() =>
      phodao.request('POST', '/api/plans/duyet/approvals/reject', {
        items: [{ kind: 'content', id: 's1', revision: 3 }],
        reason: 'Sai chính tả',
      }),
    );
    expect(rejected.status).toBe(200);
    expect(entries).toMatchObject([
      { action: 'approval.reject', details: { items: ['content/s1@3'], reason: 'Sai chính tả' } },
    ]);
    const queue = await phodao.request<QueueItem[]>(
      'GET',
      '/api/approvals?planId=duyet&status=rejected',
    );
    expect(queue.body).toMatchObject([
      {
        id: 's1',
        status: 'rejected',
        rejection: { revision: 3, reason: 'Sai chính tả', by: { username: 'phodao' } },
        approved: { revision: 1 },
      },
    ]);
    // Rejected: still not something to publish.
    expect((await admin.request('POST', '/api/releases', {})).status).toBe(409);

    // A draft stays out of the queue until it is submitted.
    const draft = await editor.request('POST', '/api/plans/duyet/content?draft=true', {
      id: 's9',
      kind: 'slogan',
      text: 'BẢN NHÁP',
    });
    expect(draft.status).toBe(201);
    expect((await planView()).approval.content?.s9?.status).toBe('draft');
    expect((await pendingItems(phodao, 'duyet')).map((i) => i.id)).not.toContain('s9');
    const tooEarly = await phodao.request('POST', '/api/plans/duyet/approvals/approve', {
      items: [{ kind: 'content', id: 's9', revision: 1 }],
    });
    expect(tooEarly.status).toBe(409);
    const [submitted, submitEntries] = await audited(() =>
      editor.request<{ submitted: unknown[] }>('POST', '/api/plans/duyet/approvals/submit', {}),
    );
    expect(submitted.status).toBe(200);
    // Every draft and rejected item of the plan.
    expect(submitted.body.submitted).toEqual([
      { kind: 'content', id: 's1', revision: 3 },
      { kind: 'content', id: 's9', revision: 1 },
    ]);
    expect(submitEntries).toMatchObject([{ action: 'approval.submit', target: 'plans/duyet' }]);
    expect((await pendingItems(phodao, 'duyet')).map((i) => i.id)).toEqual(
      expect.arrayContaining(['s1', 's9']),
    );
    expect((await editor.request('POST', '/api/plans/duyet/approvals/submit', {})).status).toBe(
      409,
    );
  });

  it('issues an urgent announcement in one audited step: created, approved and published', async () => {
    const before = (await admin.request<{ version: number }[]>('GET', '/api/releases')).body;
    const body = {
      id: 'tbn1',
      text: 'THÔNG BÁO KHẨN: ĐÓNG CỬA KHẨU DO MƯA LŨ',
      to: new Date(Date.now() + 3_600_000).toISOString(),
    };
    expect(
      (await editor.request('POST', '/api/plans/duyet/urgent-announcements', body)).status,
    ).toBe(403);
    const [urgent, entries] = await audited(() =>
      lanhdao.request<{ release: { version: number }; announcement: { from: string } }>(
        'POST',
        '/api/plans/duyet/urgent-announcements',
        body,
      ),
    );
    expect(urgent.status).toBe(201);
    // One entry for the whole step, though it approved and published too.
    expect(entries).toMatchObject([
      {
        action: 'announcement.urgent',
        target: 'plans/duyet/announcements/tbn1',
        actor: { username: 'lanhdao' },
        details: { release: urgent.body.release.version },
      },
    ]);
    expect(urgent.body.release.version).toBe((before[0]?.version ?? 0) + 1);
    const file = await release(urgent.body.release.version);
    expect(file.plans[0]?.announcements.map((a) => a.id)).toContain('tbn1');
    expect(file.approvals).toContainEqual(
      expect.objectContaining({
        kind: 'announcements',
        id: 'tbn1',
        approvedBy: ids.lanhdao,
        authors: [ids.lanhdao],
        urgent: true,
      }),
    );
    // Pending edits elsewhere did not ride along.
    expect(JSON.stringify(file.plans)).not.toContain('SỬA LẦN HAI');
    const timeline = await admin.request<{ kind: string; announcement?: string }[]>(
      'GET',
      `/api/boards/led-b/timeline?from=${encodeURIComponent(urgent.body.announcement.from)}&to=${encodeURIComponent(body.to)}`,
    );
    expect(timeline.body).toEqual([
      expect.objectContaining({ kind: 'announcement', announcement: 'tbn1' }),
    ]);

    // The same id again: refused, and nothing is published.
    const again = await lanhdao.request('POST', '/api/plans/duyet/urgent-announcements', body);
    expect(again.status).toBe(409);
    const after = (await admin.request<{ version: number }[]>('GET', '/api/releases')).body;
    expect(after[0]?.version).toBe(urgent.body.release.version);
  });

  it('ends a playing announcement now and cancels one still to come, each in one audited publish', async () => {
    type Ended = {
      outcome: string;
      announcement: { from: string; to: string } | null;
      release: { version: number };
    };
    const end = (who: Http, id: string, planId = 'duyet') =>
      who.request<Ended & ErrorBody>(
        'POST',
        `/api/plans/${planId}/urgent-announcements/${id}/end`,
        {},
      );
    const latest = async () =>
      (await admin.request<{ version: number }[]>('GET', '/api/releases')).body[0]?.version ?? 0;
    expect((await end(editor, 'tbn1')).status).toBe(403);
    expect((await end(lanhdao, 'khong-co')).status).toBe(404);
    expect((await end(lanhdao, 'tbn1', 'khong-co')).status).toBe(404);

    // tbn1 (the test above) is playing: it ends at the instant of the call.
    const before = await latest();
    const wasTo = (await planView()) as unknown as { announcements: { id: string; to: string }[] };
    const calledAt = Date.now();
    const [ended, entries] = await audited(() => end(lanhdao, 'tbn1'));
    const returnedAt = Date.now();
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(ended.body.outcome).toBe('ended');
    const to = Date.parse(ended.body.announcement?.to ?? '');
    expect(to).toBeGreaterThanOrEqual(calledAt);
    expect(to).toBeLessThanOrEqual(returnedAt);
    expect(ended.body.release.version).toBe(before + 1);
    expect(entries).toMatchObject([
      {
        action: 'announcement.urgent_end',
        target: 'plans/duyet/announcements/tbn1',
        actor: { username: 'lanhdao' },
        details: {
          release: before + 1,
          to: ended.body.announcement?.to,
          wasTo: wasTo.announcements.find((a) => a.id === 'tbn1')?.to,
        },
      },
    ]);
    const file = await release(ended.body.release.version);
    expect(file.plans[0]?.announcements.find((a) => a.id === 'tbn1')?.to).toBe(
      ended.body.announcement?.to,
    );
    expect(file.approvals).toContainEqual(
      expect.objectContaining({ kind: 'announcements', id: 'tbn1', urgent: true }),
    );
    // The board's timeline: the announcement up to that instant, and no longer.
    const from = ended.body.announcement?.from ?? '';
    const timeline = await admin.request<{ start: string; end: string; kind: string }[]>(
      'GET',
      `/api/boards/led-b/timeline?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(to + 60_000).toISOString())}`,
    );
    expect(timeline.body[0]).toMatchObject({
      kind: 'announcement',
      end: new Date(to).toISOString(),
    });
    // After it, what the plan has then: nothing (its phase is in 2030).
    expect(timeline.body[1]).toMatchObject({ kind: 'idle', start: new Date(to).toISOString() });

    // Ended already: refused, nothing published.
    const again = await end(lanhdao, 'tbn1');
    expect(again.status).toBe(409);
    expect(again.body.error.details).toMatchObject([
      {
        path: '$.params.id',
        code: 'announcement_ended',
        params: { to: ended.body.announcement?.to },
      },
    ]);
    expect(await latest()).toBe(before + 1);

    // One still to come is cancelled: gone from the plan and from the release.
    const later = {
      id: 'tbn2',
      text: 'THÔNG BÁO: CẮT ĐIỆN',
      from: new Date(Date.now() + 2 * 3_600_000).toISOString(),
      to: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    };
    expect(
      (await lanhdao.request('POST', '/api/plans/duyet/urgent-announcements', later)).status,
    ).toBe(201);
    const cancelled = await end(phodao, 'tbn2');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ outcome: 'cancelled', announcement: null });
    const cancelledFile = await release(cancelled.body.release.version);
    expect(cancelledFile.plans[0]?.announcements.map((a) => a.id)).not.toContain('tbn2');
    expect(JSON.stringify(await planView())).not.toContain('CẮT ĐIỆN');

    // One with an edit waiting for approval: refused, so the edit is neither shipped unseen
    // nor lost; nothing is published.
    const third = { id: 'tbn3', text: 'THÔNG BÁO BA', to: later.to };
    expect(
      (await lanhdao.request('POST', '/api/plans/duyet/urgent-announcements', third)).status,
    ).toBe(201);
    const edited = await editor.request('PATCH', '/api/plans/duyet/announcements/tbn3', {
      text: 'THÔNG BÁO BA (SỬA)',
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const published = await latest();
    const waiting = await end(lanhdao, 'tbn3');
    expect(waiting.status).toBe(409);
    expect(waiting.body.error.details).toMatchObject([
      { path: '$.params.id', code: 'item_status', params: { status: 'pending' } },
    ]);
    expect(await latest()).toBe(published);
    expect(JSON.stringify(await planView())).toContain('THÔNG BÁO BA (SỬA)');
  });

  it('changes an item on the urgent paths only at the revision they looked at', async () => {
    const { plans } = t.controller;
    const revision = (await planView()).approval.announcements?.tbn3?.revision ?? 0;
    const edit = { by: ids.lanhdao ?? '', land: 'approved', urgent: true } as const;
    const value = { text: 'KHÔNG ĐƯỢC GHI' };
    await expect(
      plans.updateEntity('duyet', 'announcements', 'tbn3', value, 'merge', edit, {
        ifRevision: revision - 1,
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      plans.deleteEntity('duyet', 'announcements', 'tbn3', edit, { ifRevision: revision + 1 }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(JSON.stringify(await planView())).not.toContain('KHÔNG ĐƯỢC GHI');
    expect(JSON.stringify(await planView())).toContain('tbn3');
  });

  it('an urgent announcement raced by other publishes is published by its own call, or not at all', async () => {
    // Two approvers publish at the moment a third issues an urgent announcement. Before, another
    // publish could ship the announcement first; the urgent call then found "nothing changed",
    // answered 409 and deleted what was already live on the boards.
    for (let round = 0; round < 4; round++) {
      const id = `tbn-dua-${String(round)}`;
      // Something approved waits, so that the routine publishes have something to ship.
      const edit = await editor.request('PATCH', '/api/plans/duyet/content/s2', {
        text: `MỪNG ĐẢNG, MỪNG XUÂN ${String(round)}`,
      });
      expect(edit.status).toBe(200);
      const revision = (await planView()).approval.content?.s2?.revision;
      const approve = await phodao.request('POST', '/api/plans/duyet/approvals/approve', {
        items: [{ kind: 'content', id: 's2', revision }],
      });
      expect(approve.status, JSON.stringify(approve.body)).toBe(200);
      const [a, b, urgent] = await Promise.all([
        lanhdao.request('POST', '/api/releases', { note: 'a' }),
        phodao.request('POST', '/api/releases', { note: 'b' }),
        phodao.request<{ release: { version: number } }>(
          'POST',
          '/api/plans/duyet/urgent-announcements',
          { id, text: 'THÔNG BÁO KHẨN', to: new Date(Date.now() + 3_600_000).toISOString() },
        ),
      ]);
      // One of them ships the edit; the other may find nothing left to publish.
      expect([a.status, b.status]).toContain(201);
      expect(urgent.status, JSON.stringify(urgent.body)).toBe(201);
      const file = await release(urgent.body.release.version);
      expect(file.plans[0]?.announcements.map((x) => x.id)).toContain(id);
      expect(file.publishedBy).toBe(ids.phodao);
      // Still in the plan, so it can be ended.
      expect(JSON.stringify(await planView())).toContain(id);
      const ended = await lanhdao.request(
        'POST',
        `/api/plans/duyet/urgent-announcements/${id}/end`,
        {},
      );
      expect(ended.status).toBe(200);
    }
  });
});

describe('blank every board', () => {
  let t: TestController;
  let admin: Http;
  const sockets: Socket[] = [];

  function nextBlank(socket: Socket): Promise<BlankAllState> {
    return new Promise((resolve) => socket.once('blank:update', resolve));
  }

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
    await approveAll(await secondApprover(admin));
    expect((await admin.request('POST', '/api/releases', {})).status).toBe(201);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.stop();
  });

  it('reaches every online board within a second, later boards at hello, and undoes the same way', async () => {
    const tokenA = (await pairBoard(t.url, admin, 'led-a')).token;
    const tokenB = (await pairBoard(t.url, admin, 'led-b')).token;
    const a = await playerSocket(t.url, tokenA);
    const b = await playerSocket(t.url, tokenB);
    sockets.push(a, b);
    expect((await sayHello(a)).blankAll).toBe(false);
    expect((await sayHello(b)).blankAll).toBe(false);

    // Without the confirmation (or with a wrong one) nothing happens, and a technician may not.
    for (const body of [{}, { confirm: 'yes' }, { confirm: 'blank-all' }]) {
      expect((await admin.request('POST', '/api/boards/blank-all', body)).status).toBe(400);
    }
    const password = 'kythuat-mat-khau-9';
    await admin.request('POST', '/api/users', {
      username: 'kythuat',
      password,
      role: 'technician',
    });
    const technician = await Http.login(t.url, 'kythuat', password);
    expect(
      (await technician.request('POST', '/api/boards/blank-all', { confirm: 'BLANK-ALL' })).status,
    ).toBe(403);
    expect((await admin.request<{ blank: boolean }>('GET', '/api/boards/blank-all')).body).toEqual({
      blank: false,
    });

    const approver = await secondApprover(admin);
    const heard = Promise.all([nextBlank(a), nextBlank(b)]);
    const started = Date.now();
    const res = await approver.request<{ blank: boolean; online: number }>(
      'POST',
      '/api/boards/blank-all',
      { confirm: 'BLANK-ALL', reason: 'Sự cố nội dung' },
    );
    expect(await heard).toEqual([{ blank: true }, { blank: true }]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ blank: true, online: 2 });
    const entries = await auditEntries(t.dataDir);
    expect(entries.at(-1)).toMatchObject({
      action: 'board.blank_all',
      target: 'boards',
      outcome: 'ok',
      actor: { username: 'lanh-dao-duyet', role: 'approver' },
      details: { online: 2, reason: 'Sự cố nội dung' },
    });

    // A board that was offline gets it when it says hello; the state survives a restart.
    b.disconnect();
    const late = await playerSocket(t.url, tokenB);
    sockets.push(late);
    expect((await sayHello(late)).blankAll).toBe(true);
    expect(t.controller.store.read().blankAll).toMatchObject({ reason: 'Sự cố nội dung' });
    // The web-portal embed of a public board learns it at its next refresh.
    const embed = await new Http(t.url).request<{ blankAll: boolean }>(
      'GET',
      '/api/public/boards/led-b/bundle',
    );
    expect(embed.body.blankAll).toBe(true);

    const undo = Promise.all([nextBlank(a), nextBlank(late)]);
    const undoStarted = Date.now();
    expect(
      (await approver.request('POST', '/api/boards/unblank-all', { confirm: 'BLANK-ALL' })).status,
    ).toBe(400);
    const undone = await admin.request('POST', '/api/boards/unblank-all', {
      confirm: 'UNBLANK-ALL',
    });
    expect(await undo).toEqual([{ blank: false }, { blank: false }]);
    expect(Date.now() - undoStarted).toBeLessThan(1000);
    expect(undone.status).toBe(200);
    expect((await auditEntries(t.dataDir)).at(-1)).toMatchObject({
      action: 'board.unblank_all',
      actor: { username: 'admin' },
    });
    expect((await sayHello(a)).blankAll).toBe(false);
    const embedAfter = await new Http(t.url).request<{ blankAll: boolean }>(
      'GET',
      '/api/public/boards/led-b/bundle',
    );
    expect(embedAfter.body.blankAll).toBe(false);
  });

  it('keeps blank-all across a controller restart', async () => {
    expect(
      (await admin.request('POST', '/api/boards/blank-all', { confirm: 'BLANK-ALL' })).status,
    ).toBe(200);
    await t.controller.close();
    const restarted = await startTestController({ dataDir: t.dataDir });
    t = restarted;
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    const status = await admin.request<{ blank: boolean; since: string }>(
      'GET',
      '/api/boards/blank-all',
    );
    expect(status.body).toMatchObject({ blank: true, since: expect.any(String) as unknown });
    const token = (await pairBoard(t.url, admin, 'led-a')).token;
    const socket = await playerSocket(t.url, token);
    sockets.push(socket);
    expect((await sayHello(socket)).blankAll).toBe(true);
  });
});

describe('upgrading a state file from version 2', () => {
  it('marks existing items approved by system, so the installation publishes the same thing', async () => {
    // Make release 1 with this build, then turn its state file back into version 2.
    const first = await startTestController();
    const admin = await Http.login(first.url, 'admin', ADMIN_PASSWORD);
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
    await approveAll(await secondApprover(admin));
    const published = await admin.request<{ version: number; hash: string }>(
      'POST',
      '/api/releases',
      {},
    );
    expect(published.status).toBe(201);
    // An edit after the release: the working copy is what an upgraded installation approves.
    await admin.request('PATCH', '/api/plans/duyet/content/s2', { durationSec: 25 });
    await first.controller.close();

    const file = path.join(first.dataDir, 'state.json');
    const current = JSON.parse(await readFile(file, 'utf8')) as {
      schemaVersion: number;
      data: Record<string, unknown> & { releases: Record<string, unknown>[] };
    };
    expect(current.schemaVersion).toBe(STATE_VERSION);
    const v2 = { ...current.data };
    // Version 2 had no approval records, settings or blank-all switch.
    delete v2.approvals;
    delete v2.settings;
    delete v2.blankAll;
    v2.releases = current.data.releases.map(({ approvers: _r, ...meta }) => meta);
    await writeFile(
      file,
      JSON.stringify({ schemaVersion: 2, savedAt: '2026-01-01T00:00:00.000Z', data: v2 }),
    );

    const t = await startTestController({ dataDir: first.dataDir });
    try {
      const again = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
      const stored = JSON.parse(await readFile(file, 'utf8')) as { schemaVersion: number };
      expect(stored.schemaVersion).toBe(STATE_VERSION);
      const view = await again.request<PlanWithApproval>('GET', '/api/plans/duyet');
      for (const kind of ['content', 'playlists', 'schedules']) {
        for (const status of Object.values(view.body.approval[kind] ?? {})) {
          expect(status).toMatchObject({ status: 'approved', approvedRevision: 1 });
        }
      }
      expect(await pendingItems(again)).toEqual([]);
      const queue = await again.request<QueueItem[]>('GET', '/api/approvals?status=approved');
      expect(queue.body.every((i) => i.approved?.by.userId === 'system')).toBe(true);
      expect((await again.request('GET', '/api/settings')).body).toEqual({ fourEyes: true });
      // The release made before the upgrade still loads; publishing ships the working copy.
      expect(
        (await again.request<{ version: number }>('GET', '/api/releases/latest')).body,
      ).toMatchObject({
        version: published.body.version,
      });
      const next = await again.request<{ version: number }>('POST', '/api/releases', {});
      expect(next.status).toBe(201);
      const release = await again.request<ReleaseFile>('GET', `/api/releases/${next.body.version}`);
      const working = await again.request('GET', '/api/plans/duyet/export');
      expect(release.body.plans).toEqual([working.body]);
      expect(release.body.approvers).toEqual(['system']);
    } finally {
      await t.stop();
    }
  });
});

describe('upgrading a state file from version 3', () => {
  it('moves each release’s per-board bundle list out of the index; boards still get their bundles', async () => {
    const first = await startTestController();
    const admin = await Http.login(first.url, 'admin', ADMIN_PASSWORD);
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
    await approveAll(await secondApprover(admin));
    const published = await admin.request<{ version: number }>('POST', '/api/releases', {});
    expect(published.status).toBe(201);
    const { token } = await pairBoard(first.url, admin, 'led-a');
    // The index says how many boards the release holds and how many of their bundles changed.
    const index = await admin.request<Record<string, unknown>[]>('GET', '/api/releases');
    expect(index.body).toEqual([
      expect.objectContaining({ version: published.body.version, boards: 2, changedBoards: 2 }),
    ]);
    await first.controller.close();

    // Version 3 kept, in the state's release index, what the release file keeps: each board's
    // bundle version and slice hash.
    const file = path.join(first.dataDir, 'state.json');
    const current = JSON.parse(await readFile(file, 'utf8')) as {
      data: Record<string, unknown> & { releases: Record<string, unknown>[] };
    };
    const releaseFile = JSON.parse(
      await readFile(
        path.join(
          first.dataDir,
          'releases',
          `${String(published.body.version).padStart(6, '0')}.json`,
        ),
        'utf8',
      ),
    ) as { bundles: Record<string, { version: number; hash: string }> };
    expect(Object.keys(releaseFile.bundles).sort()).toEqual(['led-a', 'led-b']);
    const v3 = {
      ...current.data,
      releases: current.data.releases.map(({ boards: _n, changedBoards: _c, ...meta }) => ({
        ...meta,
        bundles: releaseFile.bundles,
      })),
    };
    await writeFile(
      file,
      JSON.stringify({ schemaVersion: 3, savedAt: '2026-01-01T00:00:00.000Z', data: v3 }),
    );

    const t = await startTestController({ dataDir: first.dataDir });
    const socket = await playerSocket(t.url, token);
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as {
        schemaVersion: number;
        data: { releases: Record<string, unknown>[] };
      };
      expect(stored.schemaVersion).toBe(STATE_VERSION);
      expect(stored.data.releases.length).toBe(1);
      expect(stored.data.releases.every((r) => !('bundles' in r))).toBe(true);
      const again = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
      const list = await again.request<Record<string, unknown>[]>('GET', '/api/releases');
      expect(list.body.map((r) => r.version)).toEqual([published.body.version]);
      expect(list.body.every((r) => !('bundles' in r))).toBe(true);
      expect(list.body[0]).toMatchObject({ boards: 2, changedBoards: 2 });
      // The board still gets its bundle of the release made before the upgrade.
      const hello = await sayHello(socket);
      expect(hello.bundle?.hash).toBe(releaseFile.bundles['led-a']?.hash);
      expect(hello.bundle?.version).toBe(releaseFile.bundles['led-a']?.version);
      const boards = await again.request<{ boardId: string; latestBundleVersion: number | null }[]>(
        'GET',
        '/api/boards/status',
      );
      expect(boards.body.find((b) => b.boardId === 'led-a')?.latestBundleVersion).toBe(
        published.body.version,
      );
    } finally {
      socket.disconnect();
      await t.stop();
    }
  });
});
