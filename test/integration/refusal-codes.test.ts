// Every refusal an operator meets in the dashboard carries its reason as a problem code the
// dashboard can say in Vietnamese or English; the English message stays for API clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProblemCode } from '../../playlists/problems.js';
import { approveAll, pendingItems, secondApprover } from '../helpers/approval.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';

const plan = {
  format: 'bangtin-plan/1',
  plan: { id: 'tu-choi', title: 'Từ chối', timeZone: 'Asia/Ho_Chi_Minh' },
  phases: [{ id: 'dot-1', name: 'Đợt I', from: '2030-01-01', to: '2030-01-10' }],
  boards: [{ id: 'led-a', name: 'Cửa khẩu A', width: 384, height: 128 }],
  content: [{ id: 's1', kind: 'slogan', text: 'MỪNG ĐẢNG, MỪNG XUÂN' }],
  playlists: [{ id: 'p1', name: 'Chính', items: ['s1'] }],
  schedules: [{ id: 'sc1', playlist: 'p1', phase: 'dot-1' }],
  announcements: [],
};

interface Refusal {
  error: {
    code: string;
    message: string;
    details?: { path: string; message: string; code?: string; params?: object }[];
  };
}

/** The refusal's status, its top-level code and its problems' codes (each one a known code). */
function refusal(res: { status: number; body: unknown }) {
  const { error } = res.body as Refusal;
  const details = error.details ?? [];
  for (const d of details) expect(isProblemCode(d.code ?? ''), JSON.stringify(d)).toBe(true);
  expect(error.message).toMatch(/[a-z]/);
  return {
    status: res.status,
    code: error.code,
    problems: details.map((d) => ({ code: d.code, params: d.params })),
  };
}

describe('refusals carry problem codes', () => {
  let t: TestController;
  let admin: Http;

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('a user name taken: username_taken', async () => {
    const user = { username: 'bientap', password: 'bientap-password-1', role: 'editor' };
    expect((await admin.request('POST', '/api/users', user)).status).toBe(201);
    expect(refusal(await admin.request('POST', '/api/users', user))).toEqual({
      status: 409,
      code: 'conflict',
      problems: [{ code: 'username_taken', params: { username: 'bientap' } }],
    });
  });

  it('an admin demoting or deleting themselves: own_account', async () => {
    const me = (await admin.request<{ user: { id: string } }>('GET', '/api/auth/me')).body.user.id;
    const demote = await admin.request('PATCH', `/api/users/${me}`, { role: 'viewer' });
    const remove = await admin.request('DELETE', `/api/users/${me}`);
    for (const res of [demote, remove]) {
      expect(refusal(res)).toEqual({
        status: 409,
        code: 'conflict',
        problems: [{ code: 'own_account', params: {} }],
      });
    }
  });

  it('a plan or an item id taken: duplicate_id', async () => {
    const again = await admin.request('POST', '/api/plans', plan.plan);
    expect(refusal(again).problems).toEqual([{ code: 'duplicate_id', params: { id: 'tu-choi' } }]);
    const slogan = await admin.request('POST', '/api/plans/tu-choi/content', plan.content[0]);
    expect(refusal(slogan)).toEqual({
      status: 409,
      code: 'conflict',
      problems: [{ code: 'duplicate_id', params: { id: 's1' } }],
    });
  });

  it('an edit of a revision that is no longer current: stale_revision', async () => {
    const [item] = (await pendingItems(admin, 'tu-choi')).filter((i) => i.id === 's1');
    if (!item) throw new Error('s1 is not pending');
    const stale = await admin.request(
      'PATCH',
      `/api/plans/tu-choi/content/s1?ifRevision=${item.revision + 5}`,
      { text: 'KHÁC' },
    );
    expect(refusal(stale)).toEqual({
      status: 409,
      code: 'conflict',
      problems: [
        { code: 'stale_revision', params: { seen: item.revision + 5, now: item.revision } },
      ],
    });
  });

  it('four-eyes (own_change), an approval of a stale revision (stale_revision), nothing to submit or publish', async () => {
    const [item] = (await pendingItems(admin, 'tu-choi')).filter((i) => i.id === 's1');
    if (!item) throw new Error('s1 is not pending');
    const ref = { kind: item.kind, id: item.id, revision: item.revision };
    const own = await admin.request('POST', '/api/plans/tu-choi/approvals/approve', {
      items: [ref],
    });
    expect(refusal(own)).toEqual({
      status: 403,
      code: 'forbidden',
      problems: [{ code: 'own_change', params: {} }],
    });
    const approver = await secondApprover(admin);
    const stale = await approver.request('POST', '/api/plans/tu-choi/approvals/approve', {
      items: [{ ...ref, revision: item.revision + 1 }],
    });
    expect(refusal(stale)).toEqual({
      status: 409,
      code: 'conflict',
      problems: [
        { code: 'stale_revision', params: { seen: item.revision + 1, now: item.revision } },
      ],
    });
    const submit = await admin.request('POST', '/api/plans/tu-choi/approvals/submit', {});
    expect(refusal(submit)).toEqual({
      status: 409,
      code: 'conflict',
      problems: [{ code: 'nothing_to_submit', params: {} }],
    });
    await approveAll(approver, 'tu-choi');
    const first = await approver.request<{ version: number }>('POST', '/api/releases', {});
    expect(first.status).toBe(201);
    const again = await approver.request('POST', '/api/releases', {});
    expect(refusal(again)).toEqual({
      status: 409,
      code: 'conflict',
      problems: [{ code: 'nothing_to_publish', params: { version: first.body.version } }],
    });
  });

  it('a command or a screenshot for a board with no player online: board_offline', async () => {
    const command = await admin.request('POST', '/api/boards/led-a/commands', {
      type: 'identify',
    });
    const screenshot = await admin.request('POST', '/api/boards/led-a/screenshot');
    for (const res of [command, screenshot]) {
      expect(refusal(res)).toEqual({
        status: 409,
        code: 'conflict',
        problems: [{ code: 'board_offline', params: { board: 'led-a' } }],
      });
    }
  });
});
