import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { approveAndPublish } from '../helpers/approval.js';
import { fastPlan } from '../helpers/plan-builder.js';
import { uploadDemoBanners } from '../helpers/demo-banners.js';
import { rawRequest } from '../helpers/http.js';

const demoPlan = JSON.parse(readFileSync('assets/demo/kon-tum-kkt.json', 'utf8')) as {
  plan: { id: string };
  content: { id: string }[];
};

interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: { path: string; message: string; code: string; params: object }[];
  };
}

describe('controller HTTP API', () => {
  let t: TestController;
  let admin: Http;

  async function stateBytes(): Promise<string> {
    return readFile(path.join(t.dataDir, 'state.json'), 'utf8');
  }

  async function makeUser(username: string, role: string): Promise<Http> {
    const password = `${username}-password-1`;
    const res = await admin.request('POST', '/api/users', { username, password, role });
    expect(res.status).toBe(201);
    return Http.login(t.url, username, password);
  }

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('serves health and the OpenAPI document without credentials', async () => {
    const anon = new Http(t.url);
    const health = await anon.request<{ status: string }>('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    const doc = await anon.request<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/api/openapi.json',
    );
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/plans/import',
        '/api/plans/{planId}/export',
        '/api/releases',
        '/api/releases/latest',
        '/api/boards/{id}/timeline',
        '/api/plans/{planId}/schedules/{id}',
      ]),
    );
  });

  it('logs in with an httpOnly SameSite=Strict cookie and refuses a wrong password', async () => {
    const anon = new Http(t.url);
    const bad = await anon.request<ErrorBody>('POST', '/api/auth/login', {
      username: 'admin',
      password: 'wrong-password',
    });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('invalid_credentials');
    const good = await anon.request<{ user: { username: string }; csrfToken: string }>(
      'POST',
      '/api/auth/login',
      { username: 'admin', password: ADMIN_PASSWORD },
    );
    expect(good.status).toBe(200);
    expect(good.body.user.username).toBe('admin');
    const cookie = good.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    // A lifetime (12 h) rather than a date from the controller's clock, which may be simulated.
    expect(cookie).toMatch(/Max-Age=4319[0-9];|Max-Age=43200;/);
    expect(JSON.stringify(good.body)).not.toContain('passwordHash');
    const me = await anon.request<{ user: { role: string } }>('GET', '/api/auth/me');
    expect(me.body.user.role).toBe('admin');
  });

  it('tells a page whether it is logged in, and which routes its role may call', async () => {
    const anon = new Http(t.url);
    const nobody = await anon.request<{ authenticated: boolean }>('GET', '/api/auth/session');
    expect(nobody.status).toBe(200);
    expect(nobody.body).toEqual({ authenticated: false });
    const viewer = await makeUser('session-viewer', 'viewer');
    const seen = await viewer.request<{ authenticated: boolean; allowed: string[] }>(
      'GET',
      '/api/auth/session',
    );
    expect(seen.body.authenticated).toBe(true);
    expect(seen.body.allowed).toContain('GET /api/plans');
    expect(seen.body.allowed).not.toContain('POST /api/plans/import');
    expect(seen.body.allowed).not.toContain('POST /api/releases');
    const me = await admin.request<{ allowed: string[] }>('GET', '/api/auth/me');
    expect(me.body.allowed).toContain('POST /api/plans/import');
    expect(me.body.allowed).toContain('POST /api/users');
    // Public routes need no role, so they are not part of what a role is allowed.
    expect(me.body.allowed).not.toContain('GET /api/health');
  });

  it('answers 401 without credentials and with a forged bearer token', async () => {
    const anon = new Http(t.url);
    expect((await anon.request('GET', '/api/plans')).status).toBe(401);
    anon.bearer = 'bt_forgedforgedforgedforged';
    const res = await anon.request<ErrorBody>('GET', '/api/plans');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('refuses a cookie-authenticated change without the CSRF token, and changes nothing', async () => {
    const before = await stateBytes();
    const token = admin.csrfToken;
    admin.csrfToken = undefined;
    const res = await admin.request<ErrorBody>('POST', '/api/plans', {
      id: 'csrf-plan',
      title: 'x',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    admin.csrfToken = token;
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
    expect(await stateBytes()).toBe(before);
  });

  it('gives API tokens with the role of their maker; no CSRF on bearer calls', async () => {
    const created = await admin.request<{ token: string; id: string }>('POST', '/api/auth/tokens', {
      name: 'cli',
    });
    expect(created.status).toBe(201);
    const script = new Http(t.url);
    script.bearer = created.body.token;
    const res = await script.request('POST', '/api/plans', {
      id: 'token-plan',
      title: 'Qua token',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect(res.status).toBe(201);
    expect((await admin.request('DELETE', `/api/auth/tokens/${created.body.id}`)).status).toBe(204);
    expect((await script.request('GET', '/api/plans')).status).toBe(401);
    expect((await admin.request('DELETE', '/api/plans/token-plan')).status).toBe(204);
  });

  it("changes a plan's header by PATCH; an optional field sent empty is removed, the id stays", async () => {
    const created = await admin.request('POST', '/api/plans', {
      id: 'header-plan',
      code: '12-KH/UBND',
      title: 'Kế hoạch',
      issuer: 'UBND tỉnh',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect(created.status).toBe(201);
    const patched = await admin.request('PATCH', '/api/plans/header-plan', {
      title: 'Kế hoạch (sửa)',
      code: '',
      note: 'Ghi chú',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({
      id: 'header-plan',
      title: 'Kế hoạch (sửa)',
      issuer: 'UBND tỉnh',
      timeZone: 'Asia/Ho_Chi_Minh',
      note: 'Ghi chú',
    });
    const renamed = await admin.request<ErrorBody>('PATCH', '/api/plans/header-plan', {
      id: 'other',
    });
    expect(renamed.status).toBe(400);
    expect((await admin.request('DELETE', '/api/plans/header-plan')).status).toBe(204);
  });

  it('imports a plan all or nothing, and exports it back unchanged', async () => {
    const res = await admin.request<{ replaced: boolean }>('POST', '/api/plans/import', demoPlan);
    expect(res.status).toBe(201);
    const exported = await admin.request('GET', `/api/plans/${demoPlan.plan.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain('attachment');
    expect(exported.body).toEqual(demoPlan);
    const again = await admin.request<{ replaced: boolean }>('POST', '/api/plans/import', demoPlan);
    expect(again.status).toBe(200);
    expect(again.body.replaced).toBe(true);
  });

  it('rejects a broken import with every problem listed, and changes nothing', async () => {
    const before = await stateBytes();
    const broken = structuredClone(demoPlan) as unknown as Record<string, unknown> & {
      plan: Record<string, unknown>;
      phases: Record<string, unknown>[];
      schedules: Record<string, unknown>[];
    };
    broken.plan.timeZone = 'Asia/Hanoi_Nowhere';
    const phase = broken.phases[0];
    if (phase) phase.to = '2019-02-30';
    const schedule = broken.schedules[0];
    if (schedule) {
      schedule.playlist = 'no-such-playlist';
      schedule.colour = 'red';
    }
    const res = await admin.request<ErrorBody>('POST', '/api/plans/import', broken);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_plan');
    const paths = (res.body.error.details ?? []).map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '$.plan.timeZone',
        '$.phases[0].to',
        '$.schedules[0].playlist',
        '$.schedules[0].colour',
      ]),
    );
    expect(await stateBytes()).toBe(before);
  });

  it('creates, reads, updates and deletes every kind of entity, re-validating the plan', async () => {
    const planId = 'crud-plan';
    expect(
      (
        await admin.request('POST', '/api/plans', {
          id: planId,
          title: 'Kế hoạch thử',
          timeZone: 'Asia/Ho_Chi_Minh',
        })
      ).status,
    ).toBe(201);
    const base = `/api/plans/${planId}`;
    const created = [
      ['phases', { id: 'dot-1', name: 'Đợt I', from: '2026-01-01', to: '2026-12-31' }],
      ['boards', { id: 'crud-board', name: 'Bảng', width: 384, height: 128, tags: ['led'] }],
      ['content', { id: 's1', kind: 'slogan', text: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM' }],
      ['playlists', { id: 'p1', name: 'Chính', items: ['s1'] }],
      ['schedules', { id: 'sc1', playlist: 'p1', phase: 'dot-1' }],
      [
        'announcements',
        {
          id: 'a1',
          text: 'THÔNG BÁO',
          from: '2026-06-01T08:00:00+07:00',
          to: '2026-06-01T09:00:00+07:00',
        },
      ],
    ] as const;
    for (const [kind, value] of created) {
      const res = await admin.request('POST', `${base}/${kind}`, value);
      expect(res.status, `${kind}: ${JSON.stringify(res.body)}`).toBe(201);
      expect((await admin.request('GET', `${base}/${kind}/${value.id}`)).body).toMatchObject(value);
    }
    const patched = await admin.request<{ text: string; durationSec: number }>(
      'PATCH',
      `${base}/content/s1`,
      { durationSec: 12 },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.durationSec).toBe(12);
    const put = await admin.request('PUT', `${base}/playlists/p1`, {
      name: 'Chính (sửa)',
      items: [{ content: 's1', durationSec: 5 }],
    });
    expect(put.status).toBe(200);
    // Deleting content a playlist still plays is refused with the reference that breaks.
    const refused = await admin.request<ErrorBody>('DELETE', `${base}/content/s1`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details?.[0]).toEqual({
      path: '$.playlists[0].items[0].content',
      message: 'unknown content "s1"',
      code: 'unknown_ref',
      params: { kind: 'content', id: 's1' },
    });
    expect((await admin.request('DELETE', `${base}/announcements/a1`)).status).toBe(204);
    expect((await admin.request('GET', `${base}/announcements/a1`)).status).toBe(404);
    expect((await admin.request('DELETE', base)).status).toBe(204);
  });

  it('answers 403 to a role that may not do something, and changes nothing', async () => {
    const viewer = await makeUser('viewer1', 'viewer');
    const before = await stateBytes();
    const res = await viewer.request<ErrorBody>('POST', '/api/plans/import', demoPlan);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await viewer.request('POST', '/api/releases', {})).status).toBe(403);
    expect((await viewer.request('GET', '/api/users')).status).toBe(403);
    expect((await viewer.request('GET', '/api/plans')).status).toBe(200);
    expect(await stateBytes()).toBe(before);
  });

  describe('bad input gets a 400 listing every problem, and changes nothing', () => {
    const cases: [string, string, string, unknown, string?][] = [
      ['malformed JSON', 'POST', '/api/plans', '{"id": "x",', 'invalid_json'],
      ['wrong types', 'POST', '/api/plans', { id: 5, title: [], timeZone: true }],
      ['unknown fields', 'POST', '/api/plans', { id: 'x', title: 't', timeZone: 'UTC', extra: 1 }],
      [
        '__proto__ key',
        'POST',
        '/api/plans',
        '{"id":"x","title":"t","timeZone":"UTC","__proto__":{"admin":true}}',
      ],
      [
        '__proto__ key in a change of fields',
        'PATCH',
        `/api/plans/${demoPlan.plan.id}/content/${demoPlan.content[0]?.id ?? ''}`,
        '{"__proto__":{"text":"x"}}',
      ],
      [
        '__proto__ key deep in a body',
        'PUT',
        `/api/plans/${demoPlan.plan.id}/playlists/x`,
        '{"name":"n","items":[{"content":"c","__proto__":{}}]}',
      ],
      ['id with a slash', 'GET', '/api/plans/a%2Fb', undefined],
      // (Not in a path: every HTTP client, this test's fetch too, resolves a `..` segment.)
      ['id .. in a body', 'POST', '/api/plans', { id: '..', title: 't', timeZone: 'UTC' }],
      ['id with a character outside [A-Za-z0-9._-]', 'GET', '/api/plans/a!b', undefined],
      ['id with .. in a body', 'POST', '/api/plans', { id: '../x', title: 't', timeZone: 'UTC' }],
      ['unknown time zone', 'POST', '/api/plans', { id: 'x', title: 't', timeZone: 'Mars/Base' }],
      [
        'impossible date',
        'POST',
        `/api/plans/${demoPlan.plan.id}/phases`,
        { id: 'bad', name: 'x', from: '2021-02-29', to: '2021-13-01' },
      ],
      [
        'timeline span reversed',
        'GET',
        '/api/boards/bo-y/timeline?from=2021-01-02T00:00:00Z&to=2021-01-01T00:00:00Z',
        undefined,
      ],
      ['timeline without dates', 'GET', '/api/boards/bo-y/timeline?from=yesterday', undefined],
    ];
    for (const [name, method, url, body, code] of cases) {
      it(name, async () => {
        const before = await stateBytes();
        const res = await admin.request<ErrorBody>(method, url, body);
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.error.code).toBe(code ?? res.body.error.code);
        expect(typeof res.body.error.message).toBe('string');
        if (code === undefined) expect(res.body.error.details?.length).toBeGreaterThan(0);
        expect(await stateBytes()).toBe(before);
      });
    }

    it('refuses .. as an id even when the client does not normalize the path', async () => {
      // fetch would collapse the dot segment, so this request goes out byte for byte.
      const res = await rawRequest(`${t.url}/api/plans/%2E%2E/export`, {
        cookie: admin.cookieHeader(),
      });
      const status = res.status;
      const body = res.body.toString();
      expect(status, body).toBe(400);
      expect((JSON.parse(body) as ErrorBody).error.details?.[0]?.path).toBe('$.params.planId');
    });

    it('reports a bad date once, as itself, not again as a span that does not hold', async () => {
      for (const url of [
        '/api/reports/plays?from=bad&to=2021-01-01',
        '/api/reports/plays?from=2021-02-30&to=2021-03-01',
        '/api/boards/bo-y/timeline?from=yesterday&to=2021-01-01T00:00:00Z',
        '/api/boards/bo-y/timeline?from=2021-02-30T00:00:00Z&to=2021-03-01T00:00:00Z',
      ]) {
        const res = await admin.request<ErrorBody>('GET', url);
        expect(res.status, url).toBe(400);
        expect(
          res.body.error.details?.map((d) => d.path),
          url,
        ).toEqual(['$.query.from']);
      }
    });

    it('says a body sent as a form or text must be JSON', async () => {
      for (const [type, body] of [
        ['application/x-www-form-urlencoded', 'username=admin&password=x'],
        ['text/plain; charset=utf-8', '{"username":"admin","password":"x"}'],
      ] as const) {
        const res = await fetch(`${t.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
        const answer = (await res.json()) as ErrorBody;
        expect(res.status, type).toBe(400);
        expect(answer.error.message, type).toMatch(/Content-Type: application\/json/);
        expect(answer.error.details, type).toEqual([
          {
            path: '$.body',
            message: `sent as ${type.split(';')[0] ?? ''}, not application/json`,
            code: 'body_not_json',
            params: { type: type.split(';')[0] },
          },
        ]);
      }
    });

    it('refuses a weak password at the field that held it', async () => {
      const weak = 'aaaaaaaaaaaaaaaa';
      const own = await admin.request<ErrorBody>('POST', '/api/auth/password', {
        currentPassword: ADMIN_PASSWORD,
        newPassword: weak,
      });
      expect(own.status, JSON.stringify(own.body)).toBe(400);
      expect(own.body.error.details?.map((d) => d.path)).toEqual(['$.body.newPassword']);
      const created = await admin.request<ErrorBody>('POST', '/api/users', {
        username: 'yeu',
        password: weak,
        role: 'viewer',
      });
      expect(created.status).toBe(400);
      expect(created.body.error.details?.map((d) => d.path)).toEqual(['$.body.password']);
    });

    it('lists every problem of a body with several', async () => {
      const res = await admin.request<ErrorBody>('POST', `/api/plans/${demoPlan.plan.id}/phases`, {
        id: 'a/b',
        name: 7,
        from: '2021-02-29',
        to: '2021-13-01',
        colour: 'red',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details?.map((d) => d.path).sort()).toEqual([
        '$.body.colour',
        '$.body.from',
        '$.body.id',
        '$.body.name',
        '$.body.to',
      ]);
      // Each with the code and params a client says in its own language.
      expect(
        res.body.error.details
          ?.map((d) => [d.path, d.code, d.params] as const)
          .sort(([a], [b]) => a.localeCompare(b)),
      ).toEqual([
        ['$.body.colour', 'unknown_field', { field: 'colour' }],
        ['$.body.from', 'not_a_date', {}],
        ['$.body.id', 'invalid_format', { format: 'id' }],
        ['$.body.name', 'invalid_type', { expected: 'string' }],
        ['$.body.to', 'not_a_date', {}],
      ]);
    });

    it('refuses an oversized body with 413', async () => {
      const before = await stateBytes();
      const res = await admin.request<ErrorBody>('POST', '/api/plans/import', {
        ...demoPlan,
        padding: 'x'.repeat(6 * 1024 * 1024),
      });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(await stateBytes()).toBe(before);
    });
  });

  it('publishes numbered releases with a content hash; the timeline reads the latest', async () => {
    // The demo plan's banners name files that must be uploaded before it can be published.
    await uploadDemoBanners(admin);
    await admin.request('POST', '/api/plans/import', demoPlan);
    const first = await approveAndPublish(admin, { note: 'Đợt đầu' });
    expect(first.status).toBe(201);
    expect(first.body.hash).toMatch(/^[0-9a-f]{64}$/);
    const nothing = await admin.request<ErrorBody>('POST', '/api/releases', {});
    expect(nothing.status).toBe(409);
    const latest = await admin.request<{ version: number; plans: unknown[]; assets: unknown[] }>(
      'GET',
      '/api/releases/latest',
    );
    expect(latest.body.version).toBe(first.body.version);
    // The same plans and banner files as the release file.
    const file = await admin.request<{ plans: unknown[]; assets: { sha256: string }[] }>(
      'GET',
      `/api/releases/${String(first.body.version)}`,
    );
    expect(latest.body.plans).toEqual(file.body.plans);
    expect(latest.body.assets).toEqual(file.body.assets);
    expect(file.body.assets.length).toBeGreaterThan(0);

    const url = '/api/boards/bo-y/timeline?from=2021-01-25T00:00:00Z&to=2021-01-25T00:05:00Z';
    const before = await admin.request<{ content?: string }[]>('GET', url);
    expect(before.status).toBe(200);
    // An edit is invisible to the timeline until it is published.
    const planId = demoPlan.plan.id;
    await admin.request('POST', `/api/plans/${planId}/announcements`, {
      id: 'tb-test',
      text: 'THÔNG BÁO KIỂM TRA',
      from: '2021-01-25T00:01:00Z',
      to: '2021-01-25T00:02:00Z',
    });
    expect((await admin.request('GET', url)).body).toEqual(before.body);
    const second = await approveAndPublish(admin);
    expect(second.body.version).toBe(first.body.version + 1);
    const after = await admin.request<{ kind: string; start: string; end: string }[]>('GET', url);
    expect(after.body).toContainEqual(
      expect.objectContaining({
        kind: 'announcement',
        start: '2021-01-25T00:01:00.000Z',
        end: '2021-01-25T00:02:00.000Z',
      }),
    );
    expect(
      (
        await admin.request(
          'GET',
          '/api/boards/nope/timeline?from=2021-01-25T00:00:00Z&to=2021-01-25T00:05:00Z',
        )
      ).status,
    ).toBe(404);
  });

  it('refuses a timeline too large to answer before building it, and keeps serving', async () => {
    // Two 1 ms slogans: a day is 86.4 million segments.
    const fast = fastPlan();
    expect((await admin.request('POST', '/api/plans/import', fast)).status).toBe(201);
    expect((await approveAndPublish(admin)).status).toBe(201);
    const res = await admin.request<ErrorBody>(
      'GET',
      '/api/boards/nhanh/timeline?from=2026-03-28T00:00:00Z&to=2026-03-29T00:00:00Z',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('timeline_too_large');
    expect(res.body.error.message).toMatch(/more than 200000 segments/);
    expect((await admin.request('GET', '/api/health')).status).toBe(200);
    // A span within the limit is answered, to the millisecond.
    const small = await admin.request<{ content?: string }[]>(
      'GET',
      '/api/boards/nhanh/timeline?from=2026-03-28T03:00:00Z&to=2026-03-28T03:00:00.004Z',
    );
    expect(small.body.map((s) => s.content)).toEqual(['nhanh-1', 'nhanh-2', 'nhanh-1', 'nhanh-2']);
  });
});

describe('login rate limit', () => {
  it('answers 429 after repeated failed logins for one user, while others still log in', async () => {
    const t = await startTestController({ loginAttempts: 5 });
    try {
      const anon = new Http(t.url);
      const statuses: number[] = [];
      const waits: number[] = [];
      for (let i = 0; i < 7; i += 1) {
        const started = performance.now();
        const res = await anon.request('POST', '/api/auth/login', {
          username: 'admin',
          password: `guess-${i}`,
        });
        waits.push(performance.now() - started);
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      // Backoff before the limit: the fifth failure is held back at least (5 - 3) × 500 ms.
      expect(waits[4]).toBeGreaterThanOrEqual(1000);
      const blocked = await anon.request<ErrorBody>('POST', '/api/auth/login', {
        username: 'admin',
        password: ADMIN_PASSWORD,
      });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe('too_many_requests');
    } finally {
      await t.stop();
    }
  });
});
