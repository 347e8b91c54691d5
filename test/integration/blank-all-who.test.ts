import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secondApprover, SECOND_APPROVER } from '../helpers/approval.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';

describe('GET /api/boards/blank-all', () => {
  let t: TestController;
  let admin: Http;

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('names who blanked every board, to roles that may not list users', async () => {
    const approver = await secondApprover(admin);
    const blanked = await approver.request('POST', '/api/boards/blank-all', {
      confirm: 'BLANK-ALL',
      reason: 'Sự cố',
    });
    expect(blanked.status).toBe(200);
    await admin.request('POST', '/api/users', {
      username: 'nguoixem',
      password: 'nguoi-xem-mat-khau',
      role: 'viewer',
    });
    const viewer = await Http.login(t.url, 'nguoixem', 'nguoi-xem-mat-khau');
    expect((await viewer.request('GET', '/api/users')).status).toBe(403);
    const state = await viewer.request<Record<string, unknown>>('GET', '/api/boards/blank-all');
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({
      blank: true,
      byUsername: SECOND_APPROVER.username,
      reason: 'Sự cố',
      since: expect.any(String) as unknown,
      by: expect.any(String) as unknown,
    });

    await admin.request('POST', '/api/boards/unblank-all', { confirm: 'UNBLANK-ALL' });
    expect((await viewer.request('GET', '/api/boards/blank-all')).body).toEqual({ blank: false });
  });
});
