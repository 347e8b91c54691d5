import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type Ack, type HelloReply } from '../../playlists/index.js';
import {
  exampleRequest,
  fillPath,
  readOperations,
  realParams,
  SEED_IDS,
  seedApi,
  type Operation,
  type SeedIds,
} from '../helpers/api-examples.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import {
  errorBodyOf,
  errorBodyProblem,
  fuzzAgent,
  sendRaw,
  stateBytes,
  type RawResponse,
} from '../helpers/hostile.js';
import { pairBoard, playerSocket } from '../helpers/sim-board.js';

const ROLES = ['admin', 'editor', 'approver', 'technician', 'viewer'] as const;
type Role = (typeof ROLES)[number];

/** Who calls, and the headers that say so. */
interface Caller {
  name: string;
  /** `anonymous`: no credentials; `role`: a live user; `stranger`: a bearer the API must not know. */
  kind: 'anonymous' | 'role' | 'stranger';
  role?: Role;
  headers(): Record<string, string>;
}

/** What the route table must answer a caller: a refusal, or (for the probe) access. */
type Verdict = { refuse: 401 | 403 } | 'allowed';

function verdict(op: Operation, caller: Caller): Verdict {
  // A bearer the operator API does not know is refused everywhere, public routes included:
  // a player's device token is no operator credential.
  if (caller.kind === 'stranger') return { refuse: 401 };
  if (op.roles === 'public') return 'allowed';
  if (caller.kind === 'anonymous' || caller.role === undefined) return { refuse: 401 };
  return op.roles.includes(caller.role) ? 'allowed' : { refuse: 403 };
}

const sessionHeaders = (http: Http) => () => ({
  cookie: http.cookieHeader(),
  'x-csrf-token': http.csrfToken ?? '',
});
const bearerHeaders = (token: string) => () => ({ authorization: `Bearer ${token}` });

describe('authorization matrix: every documented route × every kind of caller', () => {
  let t: TestController;
  let admin: Http;
  let operations: Operation[];
  let ids: SeedIds;
  const callers: Caller[] = [];
  const sessions = new Map<Role, Http>();
  const agent = fuzzAgent(4);

  async function send(op: Operation, caller: Caller, params: Record<string, string>) {
    const example = exampleRequest(op);
    const path = fillPath(op.path, params) + (example.query ? `?${example.query}` : '');
    return sendRaw(
      t.url,
      {
        method: op.method,
        path,
        headers: {
          ...caller.headers(),
          ...(example.contentType === undefined ? {} : { 'content-type': example.contentType }),
        },
        ...(example.body === undefined ? {} : { body: example.body }),
      },
      agent,
    );
  }

  /** Sends a request and checks it was refused as `status` with nothing changed; returns why not. */
  async function refusedProblem(
    status: number,
    codes: readonly string[],
    run: () => Promise<RawResponse>,
  ): Promise<string | undefined> {
    const before = await stateBytes(t.dataDir);
    const res = await run();
    const after = await stateBytes(t.dataDir);
    const problems: string[] = [];
    if (res.status !== status) problems.push(`answered ${res.status}, not ${status}`);
    const shape = errorBodyProblem(res);
    if (shape !== undefined) problems.push(shape);
    else if (!codes.includes(errorBodyOf(res).error.code)) {
      problems.push(`code ${errorBodyOf(res).error.code}, not ${codes.join(' or ')}`);
    }
    if (!before.equals(after)) problems.push('state.json changed');
    return problems.length === 0 ? undefined : `${problems.join('; ')}: ${res.text.slice(0, 200)}`;
  }

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    await seedApi(t, admin);
    operations = await readOperations(t.url);
    sessions.set('admin', admin);
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const password = `${role}-password-1`;
      const made = await admin.request('POST', '/api/users', { username: role, password, role });
      expect(made.status).toBe(201);
      sessions.set(role, await Http.login(t.url, role, password));
    }
    const users = await admin.request<{ id: string; username: string }[]>('GET', '/api/users');
    const userId = users.body.find((u) => u.username === 'viewer')?.id ?? '';

    // A technician's API token (bearer, no CSRF), and an admin's token that was revoked.
    const technician = sessions.get('technician');
    if (!technician) throw new Error('no technician');
    const token = await technician.request<{ id: string; token: string }>(
      'POST',
      '/api/auth/tokens',
      { name: 'script' },
    );
    expect(token.status).toBe(201);
    const dead = await admin.request<{ id: string; token: string }>('POST', '/api/auth/tokens', {
      name: 'old',
    });
    expect((await admin.request('DELETE', `/api/auth/tokens/${dead.body.id}`)).status).toBe(204);

    // Two paired boards: one stays live, the other is revoked.
    const live = await pairBoard(t.url, admin, 'led');
    const revoked = await pairBoard(t.url, admin, 'office');
    expect((await admin.request('POST', `/api/devices/${revoked.deviceId}/revoke`)).status).toBe(
      200,
    );
    // The live token really is live: the board is let in and says hello.
    const socket = await playerSocket(t.url, live.token);
    const hello = (await socket.emitWithAck('player:hello', {
      protocol: PROTOCOL_VERSION,
      bundleVersion: null,
      bundleHash: null,
      clientTimeMs: Date.now(),
      screen: { width: 384, height: 128 },
    })) as Ack<HelloReply>;
    expect(hello.ok).toBe(true);
    socket.disconnect();

    ids = { ...SEED_IDS, userId, tokenId: token.body.id, deviceId: live.deviceId };
    callers.push({ name: 'anonymous', kind: 'anonymous', headers: () => ({}) });
    for (const role of ROLES) {
      const http = sessions.get(role);
      if (!http) throw new Error(role);
      callers.push({
        name: `${role} (session)`,
        kind: 'role',
        role,
        headers: sessionHeaders(http),
      });
    }
    callers.push(
      {
        name: 'technician (bearer token)',
        kind: 'role',
        role: 'technician',
        headers: bearerHeaders(token.body.token),
      },
      { name: 'revoked API token', kind: 'stranger', headers: bearerHeaders(dead.body.token) },
      { name: 'revoked player token', kind: 'stranger', headers: bearerHeaders(revoked.token) },
      { name: 'live player token', kind: 'stranger', headers: bearerHeaders(live.token) },
    );
  });
  afterAll(async () => {
    agent.destroy();
    await t.stop();
  });

  it('reads a route table that covers the API', () => {
    const keys = operations.map((op) => op.key);
    expect(keys.length).toBeGreaterThanOrEqual(60);
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /api/plans/import',
        'DELETE /api/plans/{planId}/content/{id}',
        'POST /api/releases',
        'POST /api/pairings/claim',
        'POST /api/assets',
        'GET /api/audit',
      ]),
    );
    // Every parameterised path has real ids to fill in, and an admin may call every route.
    for (const op of operations) {
      expect(() => realParams(op.path, ids)).not.toThrow();
      if (op.roles !== 'public') expect(op.roles, op.key).toContain('admin');
    }
  });

  const CALLER_NAMES = [
    'anonymous',
    ...ROLES.map((r) => `${r} (session)`),
    'technician (bearer token)',
    'revoked API token',
    'revoked player token',
    'live player token',
  ];

  // The admin is let in everywhere (checked above), so it has no forbidden cell to try.
  for (const name of CALLER_NAMES.filter((n) => !n.startsWith('admin'))) {
    it(`${name}: every forbidden route answers 401/403 with the error body and changes nothing`, async () => {
      const caller = callers.find((c) => c.name === name);
      if (!caller) throw new Error(name);
      const failures: string[] = [];
      let refusedCount = 0;
      for (const op of operations) {
        const v = verdict(op, caller);
        if (v === 'allowed') continue;
        refusedCount += 1;
        const code = v.refuse === 401 ? 'unauthenticated' : 'forbidden';
        const problem = await refusedProblem(v.refuse, [code], () =>
          send(op, caller, realParams(op.path, ids)),
        );
        if (problem !== undefined) failures.push(`${op.key}: ${problem}`);
      }
      expect(failures).toEqual([]);
      expect(refusedCount).toBeGreaterThan(0);
    });
  }

  for (const name of CALLER_NAMES.filter((n) => n === 'anonymous' || n.includes('('))) {
    it(`${name}: every route x-roles lets in is let in (a read answers 200, an invalid change 400)`, async () => {
      const caller = callers.find((c) => c.name === name);
      if (!caller) throw new Error(name);
      const failures: string[] = [];
      for (const op of operations) {
        if (verdict(op, caller) !== 'allowed') continue;
        // Ending the session would log this caller out of the tests that follow.
        if (op.key === 'POST /api/auth/logout') continue;
        const params = realParams(op.path, ids);
        if (op.method === 'GET') {
          const res = await send(op, caller, params);
          if (res.status !== 200)
            failures.push(`${op.key}: ${res.status} ${res.text.slice(0, 200)}`);
          continue;
        }
        // A change that passes the access check and then fails validation: a 400, nothing changed.
        const last = op.pathParams.at(-1);
        const invalid = last === undefined ? params : { ...params, [last]: 'a!b' };
        // An import is checked by the plan validator, whose refusal is `invalid_plan`.
        const problem = await refusedProblem(400, ['invalid_request', 'invalid_plan'], () => {
          const body = op.key === 'POST /api/assets' ? undefined : '{"__probe__":true}';
          return sendRaw(
            t.url,
            {
              method: op.method,
              path: fillPath(op.path, invalid),
              headers: { ...caller.headers(), 'content-type': 'application/json' },
              ...(body === undefined ? {} : { body }),
            },
            agent,
          );
        });
        if (problem !== undefined) failures.push(`${op.key}: ${problem}`);
      }
      expect(failures).toEqual([]);
    });
  }

  it('a cookie session without x-csrf-token is refused on every unsafe route, and nothing changes', async () => {
    const failures: string[] = [];
    const unsafe = operations.filter((op) => op.method !== 'GET');
    expect(unsafe.length).toBeGreaterThan(30);
    for (const role of ['admin', 'technician'] as const) {
      const http = sessions.get(role);
      if (!http) throw new Error(role);
      const noCsrf: Caller = {
        name: `${role} without CSRF`,
        kind: 'role',
        role,
        headers: () => ({ cookie: http.cookieHeader() }),
      };
      for (const op of unsafe) {
        const problem = await refusedProblem(403, ['csrf_failed'], () =>
          send(op, noCsrf, realParams(op.path, ids)),
        );
        if (problem !== undefined) failures.push(`${role} ${op.key}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("a cookie session with another session's CSRF token is refused on every unsafe route", async () => {
    const editor = sessions.get('editor');
    if (!editor) throw new Error('editor');
    const crossed: Caller = {
      name: 'admin cookie, editor CSRF',
      kind: 'role',
      role: 'admin',
      headers: () => ({ cookie: admin.cookieHeader(), 'x-csrf-token': editor.csrfToken ?? '' }),
    };
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.method !== 'GET')) {
      const problem = await refusedProblem(403, ['csrf_failed'], () =>
        send(op, crossed, realParams(op.path, ids)),
      );
      if (problem !== undefined) failures.push(`${op.key}: ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  // Last: it changes the state. It shows the requests above were well formed, so their
  // 401/403 answers were not 400s in disguise.
  it('the example requests are valid: sent by a caller who may, none is refused as malformed', async () => {
    const adminCaller = callers.find((c) => c.name === 'admin (session)');
    // Four-eyes: the admin imported the plan, so another approver decides on its items.
    const approverCaller = callers.find((c) => c.name === 'approver (session)');
    if (!adminCaller || !approverCaller) throw new Error('callers');
    const failures: string[] = [];
    const checked = operations.filter((op) => {
      const example = exampleRequest(op);
      return example.body !== undefined || example.query !== '';
    });
    expect(checked.length).toBeGreaterThan(25);
    for (const op of checked) {
      const decides = /\/approvals\/(approve|reject)$/.test(op.path);
      const res = await send(op, decides ? approverCaller : adminCaller, realParams(op.path, ids));
      if (res.status === 400 || res.status === 401 || res.status === 403 || res.status >= 500) {
        // A wrong current password is a 401 by design, not a malformed request.
        const code = res.status === 401 ? errorBodyOf(res).error.code : '';
        if (code !== 'invalid_credentials') failures.push(`${op.key}: ${res.status} ${res.text}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
