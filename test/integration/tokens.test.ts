import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';

interface AuditEntry {
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

/** API tokens end with the credentials of their user, and admins can see and revoke them. */
describe('API tokens: revoked with the password, and by admins', () => {
  let t: TestController;
  let admin: Http;
  let counter = 0;

  /** A new user of `role`, logged in, with one API token; its id, session and bearer client. */
  async function userWithToken(role = 'editor') {
    counter += 1;
    const username = `user${counter}`;
    const password = `${username}-password-1`;
    const made = await admin.request<{ id: string }>('POST', '/api/users', {
      username,
      password,
      role,
    });
    expect(made.status).toBe(201);
    const session = await Http.login(t.url, username, password);
    const token = await session.request<{ id: string; token: string }>('POST', '/api/auth/tokens', {
      name: 'script',
    });
    expect(token.status).toBe(201);
    const bearer = new Http(t.url);
    bearer.bearer = token.body.token;
    expect((await bearer.request('GET', '/api/auth/me')).status).toBe(200);
    return { id: made.body.id, username, password, session, bearer, tokenId: token.body.id };
  }

  async function lastAudit(action: string): Promise<AuditEntry | undefined> {
    const res = await admin.request<{ entries: AuditEntry[] } | AuditEntry[]>(
      'GET',
      `/api/audit?limit=50`,
    );
    const entries = Array.isArray(res.body) ? res.body : res.body.entries;
    return entries.find((e) => e.action === action);
  }

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await t.stop();
  });

  it("an admin's password reset ends the user's sessions and revokes their tokens (audited)", async () => {
    const u = await userWithToken();
    const reset = await admin.request('PATCH', `/api/users/${u.id}`, {
      password: 'New-Secret-999-xyz',
    });
    expect(reset.status).toBe(200);
    expect((await u.session.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await u.bearer.request('GET', '/api/auth/me')).status).toBe(401);
    expect(
      (
        await u.bearer.request('POST', '/api/plans', {
          id: 'after-reset',
          title: 'Sau khi đặt lại',
          timeZone: 'Asia/Ho_Chi_Minh',
        })
      ).status,
    ).toBe(401);
    const listed = await admin.request<unknown[]>('GET', `/api/users/${u.id}/tokens`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([]);
    const entry = await lastAudit('user.update');
    expect(entry?.details).toMatchObject({ revokedTokens: 1, endedSessions: 1 });
  });

  it("the user's own password change revokes their tokens too", async () => {
    const u = await userWithToken();
    const changed = await u.session.request('POST', '/api/auth/password', {
      currentPassword: u.password,
      newPassword: 'Another-Secret-777',
    });
    expect(changed.status).toBe(204);
    expect((await u.bearer.request('GET', '/api/auth/me')).status).toBe(401);
    const entry = await lastAudit('auth.password_change');
    expect(entry?.details).toMatchObject({ revokedTokens: 1 });
  });

  it('disabling a user revokes their tokens for good: enabling again does not bring them back', async () => {
    const u = await userWithToken();
    expect((await admin.request('PATCH', `/api/users/${u.id}`, { disabled: true })).status).toBe(
      200,
    );
    expect((await u.bearer.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await admin.request('PATCH', `/api/users/${u.id}`, { disabled: false })).status).toBe(
      200,
    );
    expect((await u.bearer.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await admin.request<unknown[]>('GET', `/api/users/${u.id}/tokens`)).body).toEqual([]);
  });

  it('deleting a user revokes their tokens', async () => {
    const u = await userWithToken();
    expect((await admin.request('DELETE', `/api/users/${u.id}`)).status).toBe(204);
    expect((await u.bearer.request('GET', '/api/auth/me')).status).toBe(401);
  });

  it("an admin lists and revokes another user's token, audited; other users' tokens stay", async () => {
    const u = await userWithToken();
    const other = await userWithToken('viewer');
    const listed = await admin.request<{ id: string; name: string; createdAt: string }[]>(
      'GET',
      `/api/users/${u.id}/tokens`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      { id: u.tokenId, name: 'script', createdAt: expect.any(String) as string },
    ]);
    // A token is revoked through its own user only.
    expect(
      (await admin.request('DELETE', `/api/users/${other.id}/tokens/${u.tokenId}`)).status,
    ).toBe(404);
    expect((await admin.request('DELETE', `/api/users/${u.id}/tokens/${u.tokenId}`)).status).toBe(
      204,
    );
    expect((await u.bearer.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await u.session.request('GET', '/api/auth/me')).status).toBe(200);
    expect((await other.bearer.request('GET', '/api/auth/me')).status).toBe(200);
    const entry = await lastAudit('token.delete');
    expect(entry?.target).toBe(`users/${u.id}/tokens/${u.tokenId}`);
    expect((await admin.request('DELETE', `/api/users/${u.id}/tokens/${u.tokenId}`)).status).toBe(
      404,
    );
    expect((await admin.request('GET', '/api/users/u-nobody/tokens')).status).toBe(404);
    // Only admins: the user itself cannot use the admin route.
    expect((await u.session.request('GET', `/api/users/${u.id}/tokens`)).status).toBe(403);
  });
});
