import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROTOCOL_VERSION,
  type Ack,
  type PairingComplete,
  type PairingOffer,
} from '../../playlists/index.js';
import { AUDIT_GROUPS } from '../../controller/audit/filter.js';
import type { AuditEntry, AuditPage } from '../../controller/audit/entry.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import type { QueueItem } from '../helpers/approval.js';
import { repoRoot } from '../helpers/paths.js';
import { solidPng } from '../helpers/png.js';

const run = promisify(execFile);
const BIN = path.join(repoRoot, 'bin', 'bangtin.js');

async function bangtin(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const plan = {
  format: 'bangtin-plan/1',
  plan: { id: 'audit-day', title: 'Một ngày làm việc', timeZone: 'Asia/Ho_Chi_Minh' },
  phases: [{ id: 'dot-1', name: 'Đợt I', from: '2030-01-01', to: '2030-01-10' }],
  boards: [
    { id: 'led', name: 'Cửa khẩu', width: 384, height: 128, tags: ['led'] },
    { id: 'office', name: 'Trụ sở', width: 1920, height: 1080, tags: ['office'] },
  ],
  content: [
    { id: 's1', kind: 'slogan', text: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM' },
    { id: 's2', kind: 'slogan', text: 'MỪNG ĐẢNG, MỪNG XUÂN', durationSec: 20 },
  ],
  playlists: [{ id: 'p-led', name: 'LED', items: ['s1', 's2'] }],
  schedules: [{ id: 'sc-led', playlist: 'p-led', phase: 'dot-1', boards: { tags: ['led'] } }],
  announcements: [],
};

describe('the audit log over a day of activity', () => {
  let t: TestController;
  let admin: Http;
  const people: Record<string, Http> = {};
  const sockets: Socket[] = [];
  /** Secrets that went over the wire today and must never reach the log. */
  const secrets: string[] = [];

  const auditFile = () => path.join(t.dataDir, 'audit', 'audit.ndjson');

  async function entries(): Promise<AuditEntry[]> {
    const text = await readFile(auditFile(), 'utf8');
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as AuditEntry);
  }

  /** Runs one step and checks that it wrote exactly one entry, with this action. */
  async function step<T>(action: string, act: () => Promise<T>): Promise<[T, AuditEntry]> {
    const before = (await entries()).length;
    const result = await act();
    const added = (await entries()).slice(before);
    expect(added.map((e) => e.action)).toEqual([action]);
    const [entry] = added;
    if (!entry) throw new Error('no entry');
    return [result, entry];
  }

  /** Runs a step that must write nothing. */
  async function quiet<T>(act: () => Promise<T>): Promise<T> {
    const before = (await entries()).length;
    const result = await act();
    expect((await entries()).slice(before)).toEqual([]);
    return result;
  }

  function connect(namespace: string, options: Record<string, unknown> = {}): Socket {
    const socket = io(`${t.url}${namespace}`, {
      transports: ['websocket'],
      reconnection: false,
      ...options,
    });
    sockets.push(socket);
    return socket;
  }

  async function connected(socket: Socket): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
  }

  beforeAll(async () => {
    t = await startTestController();
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.stop();
  });

  it('writes one entry per change, login, pairing, command and publish', async () => {
    // The first start created admin, as the system.
    const [seeded] = await entries();
    expect(seeded).toMatchObject({
      seq: 1,
      action: 'user.create',
      actor: { kind: 'system' },
      outcome: 'ok',
      details: { username: 'admin', role: 'admin' },
    });

    let login: AuditEntry;
    [admin, login] = await step('auth.login', () => Http.login(t.url, 'admin', ADMIN_PASSWORD));
    expect(login).toMatchObject({
      actor: { kind: 'user', username: 'admin', role: 'admin' },
      outcome: 'ok',
      from: { ip: '127.0.0.1' },
    });
    expect(login.target).toMatch(/^users\//);

    for (const [username, role] of [
      ['bientap', 'editor'],
      ['lanhdao', 'approver'],
      ['kythuat', 'technician'],
      ['kiemtoan', 'viewer'],
    ] as const) {
      const password = `${username}-mat-khau-9`;
      secrets.push(password);
      const [res, created] = await step('user.create', () =>
        admin.request('POST', '/api/users', { username, password, role }),
      );
      expect(res.status).toBe(201);
      expect(created).toMatchObject({ details: { username, role }, actor: { username: 'admin' } });
      [people[role]] = await step('auth.login', () => Http.login(t.url, username, password));
    }
    const editor = people.editor ?? admin;
    const approver = people.approver ?? admin;
    const technician = people.technician ?? admin;

    // A failed login, with the name that was tried; the password is not kept.
    secrets.push('doan-mat-khau-sai');
    const [failed, refusedLogin] = await step('auth.login_failed', () =>
      new Http(t.url).request('POST', '/api/auth/login', {
        username: 'bientap',
        password: 'doan-mat-khau-sai',
      }),
    );
    expect(failed.status).toBe(401);
    expect(refusedLogin).toMatchObject({
      actor: { kind: 'anonymous', username: 'bientap' },
      outcome: 'refused',
      details: { error: 'invalid_credentials' },
    });

    const [imported, importEntry] = await step('plan.import', () =>
      editor.request('POST', '/api/plans/import', plan),
    );
    expect(imported.status).toBe(201);
    expect(importEntry).toMatchObject({
      target: 'plans/audit-day',
      actor: { username: 'bientap', role: 'editor' },
      details: { replaced: false },
    });

    // Create, change, replace, delete.
    const [created, createEntry] = await step('content.create', () =>
      editor.request('POST', '/api/plans/audit-day/content', {
        id: 's3',
        kind: 'slogan',
        text: 'TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC',
      }),
    );
    expect(created.status).toBe(201);
    expect(createEntry.target).toBe('plans/audit-day/content/s3');
    const [patched, patchEntry] = await step('content.update', () =>
      editor.request('PATCH', '/api/plans/audit-day/content/s3', { durationSec: 12 }),
    );
    expect(patched.status).toBe(200);
    expect(patchEntry).toMatchObject({
      target: 'plans/audit-day/content/s3',
      details: { fields: ['durationSec'] },
    });
    const [replaced] = await step('playlist.replace', () =>
      editor.request('PUT', '/api/plans/audit-day/playlists/p-led', {
        name: 'LED',
        items: ['s2', 's1', 's3'],
      }),
    );
    expect(replaced.status).toBe(200);
    const [header] = await step('plan.update', () =>
      editor.request('PATCH', '/api/plans/audit-day', { title: 'Một ngày làm việc (sửa)' }),
    );
    expect(header.status).toBe(200);
    const [removedFromPlaylist] = await step('playlist.update', () =>
      editor.request('PATCH', '/api/plans/audit-day/playlists/p-led', { items: ['s2', 's1'] }),
    );
    expect(removedFromPlaylist.status).toBe(200);
    const [deleted] = await step('content.delete', () =>
      editor.request('DELETE', '/api/plans/audit-day/content/s3'),
    );
    expect(deleted.status).toBe(204);

    const png = solidPng(32, 8, [200, 0, 0]);
    const [uploaded, uploadEntry] = await step('asset.upload', () =>
      fetch(`${t.url}/api/assets?name=co-dang.png`, {
        method: 'POST',
        headers: {
          'content-type': 'image/png',
          cookie: editor.cookieHeader(),
          'x-csrf-token': editor.csrfToken ?? '',
        },
        body: png,
      }),
    );
    expect(uploaded.status).toBe(201);
    expect(uploadEntry).toMatchObject({
      target: 'assets/co-dang.png',
      details: { size: png.length },
    });

    // Refused changes: the role's (audited) and the rest (not: they change nothing).
    const [forbidden, refusedPublish] = await step('release.publish', () =>
      editor.request('POST', '/api/releases', {}),
    );
    expect(forbidden.status).toBe(403);
    expect(refusedPublish).toMatchObject({
      outcome: 'refused',
      actor: { username: 'bientap' },
      details: { error: 'forbidden' },
    });
    const [forbiddenUser] = await step('user.delete', () =>
      editor.request('DELETE', `/api/users/${login.target?.slice('users/'.length) ?? ''}`),
    );
    expect(forbiddenUser.status).toBe(403);
    const invalid = await quiet(() =>
      editor.request('POST', '/api/plans/audit-day/content', { id: 's4', kind: 'slogan' }),
    );
    expect(invalid.status).toBe(400);
    const conflict = await quiet(() =>
      editor.request('POST', '/api/plans/audit-day/content', {
        id: 's1',
        kind: 'slogan',
        text: 'x',
      }),
    );
    expect(conflict.status).toBe(409);
    expect((await quiet(() => new Http(t.url).request('POST', '/api/plans', {}))).status).toBe(401);
    expect((await quiet(() => editor.request('GET', '/api/plans'))).status).toBe(200);

    // The approver reads the queue (not audited) and approves what the editor wrote.
    const queue = await quiet(() =>
      approver.request<QueueItem[]>('GET', '/api/approvals?planId=audit-day'),
    );
    expect(queue.body.map((i) => `${i.kind}/${i.id}`).sort()).toEqual([
      'content/s1',
      'content/s2',
      'playlists/p-led',
      'schedules/sc-led',
    ]);
    const [approved, approveEntry] = await step('approval.approve', () =>
      approver.request('POST', '/api/plans/audit-day/approvals/approve', {
        items: queue.body.map(({ kind, id, revision }) => ({ kind, id, revision })),
      }),
    );
    expect(approved.status).toBe(200);
    expect(approveEntry).toMatchObject({
      target: 'plans/audit-day',
      actor: { username: 'lanhdao', role: 'approver' },
      details: { count: 4 },
    });

    const [published, publishEntry] = await step('release.publish', () =>
      approver.request<{ version: number; hash: string }>('POST', '/api/releases', {
        note: 'Đợt I',
      }),
    );
    expect(published.status).toBe(201);
    expect(publishEntry).toMatchObject({
      outcome: 'ok',
      target: `releases/${published.body.version}`,
      actor: { username: 'lanhdao', role: 'approver' },
      details: { hash: published.body.hash, note: 'Đợt I' },
    });

    const [token, tokenEntry] = await step('token.create', () =>
      editor.request<{ token: string }>('POST', '/api/auth/tokens', { name: 'script' }),
    );
    expect(token.status).toBe(201);
    secrets.push(token.body.token);
    expect(tokenEntry.details).toEqual({ name: 'script' });

    // A board is paired by a technician, with a real pairing client.
    const pairing = connect('/pairing');
    await connected(pairing);
    const offer = (await pairing.emitWithAck('pairing:request', {
      protocol: PROTOCOL_VERSION,
      screen: { width: 384, height: 128 },
    })) as Ack<PairingOffer>;
    if (!offer.ok) throw new Error(offer.code);
    const complete = new Promise<PairingComplete>((resolve) => {
      pairing.once('pairing:complete', (value: PairingComplete, ack: (ok: boolean) => void) => {
        ack(true);
        resolve(value);
      });
    });
    const [claim, claimEntry] = await step('pairing.claim', () =>
      technician.request<{ id: string }>('POST', '/api/pairings/claim', {
        code: offer.value.code,
        boardId: 'led',
      }),
    );
    expect(claim.status).toBe(201);
    const { token: deviceToken } = await complete;
    secrets.push(deviceToken, offer.value.code, offer.value.code.replace('-', ''));
    expect(claimEntry).toMatchObject({
      target: 'boards/led',
      actor: { username: 'kythuat', role: 'technician' },
      details: { deviceId: claim.body.id },
    });

    // The board plays and answers a remote command.
    const board = connect('/player', { auth: { token: deviceToken, protocol: PROTOCOL_VERSION } });
    await connected(board);
    board.on('command', (command: { id: string }) => {
      board.emit('command:result', { id: command.id, ok: true }, () => undefined);
    });
    const [command, commandEntry] = await step('command.send', () =>
      technician.request('POST', '/api/boards/led/commands', { type: 'identify' }),
    );
    expect(command.status).toBe(200);
    expect(commandEntry).toMatchObject({
      target: 'boards/led',
      details: { type: 'identify', players: 1, succeeded: 1 },
    });
    const offline = await quiet(() =>
      technician.request('POST', '/api/boards/office/commands', { type: 'identify' }),
    );
    expect(offline.status).toBe(409);

    const revokedEvent = new Promise((resolve) => board.once('player:revoked', resolve));
    const [revoke, revokeEntry] = await step('device.revoke', () =>
      technician.request('POST', '/api/boards/led/revoke', {}),
    );
    expect(revoke.status).toBe(200);
    expect(revokeEntry).toMatchObject({ target: 'boards/led', details: { count: 1 } });
    await revokedEvent;

    const [logout, logoutEntry] = await step('auth.logout', () =>
      editor.request('POST', '/api/auth/logout', {}),
    );
    expect(logout.status).toBe(204);
    expect(logoutEntry.actor).toMatchObject({ username: 'bientap' });

    // Nothing secret was written.
    const text = await readFile(auditFile(), 'utf8');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain(ADMIN_PASSWORD);
    expect(text).not.toMatch(/passwordHash|tokenHash|csrf/i);
  });

  it('serves the log to admins and auditors only, newest first, in pages', async () => {
    const viewer = people.viewer ?? admin;
    const all = await entries();
    const page = await quiet(() => viewer.request<AuditPage>('GET', '/api/audit?limit=5'));
    expect(page.status).toBe(200);
    expect(page.body.entries).toEqual(all.slice(-5).reverse());
    expect(page.body.nextBefore).toBe(all.length - 4);
    const older = await viewer.request<AuditPage>(
      'GET',
      `/api/audit?limit=5&before=${String(page.body.nextBefore)}`,
    );
    expect(older.body.entries.map((e) => e.seq)).toEqual(
      all
        .slice(-10, -5)
        .reverse()
        .map((e) => e.seq),
    );
    const everything = await admin.request<AuditPage>('GET', '/api/audit?limit=500');
    expect(everything.body.entries).toHaveLength(all.length);
    expect(everything.body.nextBefore).toBeNull();

    expect((await (people.editor ?? admin).request('GET', '/api/audit')).status).toBe(401);
    const editorAgain = await Http.login(t.url, 'bientap', 'bientap-mat-khau-9');
    expect((await quiet(() => editorAgain.request('GET', '/api/audit'))).status).toBe(403);
    expect((await new Http(t.url).request('GET', '/api/audit')).status).toBe(401);
    for (const query of ['limit=0', 'limit=abc', 'limit=501', 'before=-1', 'since=1']) {
      expect((await viewer.request('GET', `/api/audit?${query}`)).status, query).toBe(400);
    }

    const doc = await new Http(t.url).request<{
      paths: Record<string, Record<string, { 'x-roles'?: string[]; 'x-audit-action'?: string }>>;
    }>('GET', '/api/openapi.json');
    expect(doc.body.paths['/api/audit']?.get?.['x-roles']).toEqual(['admin', 'viewer']);
    // Every change is documented with its audit action.
    for (const [route, methods] of Object.entries(doc.body.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (method !== 'get')
          expect(operation['x-audit-action'], route).toMatch(/^[a-z_]+\.[a-z_]+$/);
      }
    }
  });

  it('searches the whole log by outcome, action or group and words, in pages', async () => {
    const viewer = people.viewer ?? admin;
    const all = await entries();
    const newestFirst = [...all].reverse();
    const get = async (query: string) => {
      const res = await viewer.request<AuditPage>('GET', `/api/audit?${query}`);
      expect(res.status, query).toBe(200);
      return res.body;
    };
    const seqs = (list: AuditEntry[]) => list.map((e) => e.seq);

    const refused = newestFirst.filter((e) => e.outcome === 'refused');
    expect(refused.length).toBeGreaterThan(2);
    expect(seqs((await get('outcome=refused&limit=500')).entries)).toEqual(seqs(refused));
    // Paged: the second page starts where the first stopped, whatever lay between.
    const first = await get('outcome=refused&limit=2');
    expect(seqs(first.entries)).toEqual(seqs(refused.slice(0, 2)));
    expect(first.nextBefore).toBe(refused[1]?.seq);
    const second = await get(`outcome=refused&limit=2&before=${String(first.nextBefore)}`);
    expect(seqs(second.entries)).toEqual(seqs(refused.slice(2, 4)));

    const auth = newestFirst.filter((e) => e.action.startsWith('auth.'));
    expect(seqs((await get('action=auth&limit=500')).entries)).toEqual(seqs(auth));
    const failed = newestFirst.filter((e) => e.action === 'auth.login_failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(seqs((await get('action=auth.login_failed&limit=500')).entries)).toEqual(seqs(failed));
    expect((await get('action=aut&limit=500')).entries).toEqual([]);

    // Every word, in any case: the editor's changes to this plan.
    const edits = newestFirst.filter(
      (e) =>
        e.action.startsWith('plan.') &&
        e.actor.kind === 'user' &&
        e.actor.username === 'bientap' &&
        e.target === 'plans/audit-day',
    );
    expect(edits.length).toBeGreaterThan(1);
    const found = await get(
      `q=${encodeURIComponent(' BIENTAP  audit-day ')}&action=plan&limit=500`,
    );
    expect(seqs(found.entries)).toEqual(seqs(edits));
    const nothing = await get(`q=${encodeURIComponent('không có ở đâu cả')}`);
    expect(nothing).toMatchObject({ entries: [], nextBefore: null, scanned: all.length });

    for (const query of [
      'outcome=maybe',
      'action=Auth',
      'action=auth.',
      'action=a.b.c',
      `q=${'x'.repeat(201)}`,
    ]) {
      expect((await viewer.request('GET', `/api/audit?${query}`)).status, query).toBe(400);
    }
  });

  it('knows the group of every action it writes', async () => {
    const doc = await new Http(t.url).request<{
      paths: Record<string, Record<string, { 'x-audit-action'?: string }>>;
    }>('GET', '/api/openapi.json');
    const actions = new Set((await entries()).map((e) => e.action));
    for (const methods of Object.values(doc.body.paths)) {
      for (const operation of Object.values(methods)) {
        if (operation['x-audit-action']) actions.add(operation['x-audit-action']);
      }
    }
    // Written by the system, not a route: alerts, a torn line set aside.
    for (const action of ['alert.raise', 'alert.clear', 'audit.recover']) actions.add(action);
    const groups = new Set<string>(AUDIT_GROUPS);
    expect([...actions].filter((a) => !groups.has(a.split('.')[0] ?? ''))).toEqual([]);
    expect(actions.size).toBeGreaterThan(25);
  });

  it('verifies with `bangtin audit verify`, and names the entry that was altered', async () => {
    const all = await entries();
    const ok = await bangtin(['audit', 'verify', '--data', t.dataDir]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`ok: ${all.length} entries, chain intact`);
    // BANGTIN_DATA is the default.
    const viaEnv = await bangtin(['audit', 'verify'], { BANGTIN_DATA: t.dataDir });
    expect(viaEnv.code).toBe(0);

    const help = await bangtin(['audit', 'verify', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: bangtin audit verify');
    expect((await bangtin(['--help'])).stdout).toContain('audit verify');

    // Someone edits who published the release.
    const lines = (await readFile(auditFile(), 'utf8')).split('\n');
    const index = lines.findIndex((line) => line.includes('"action":"release.publish","target"'));
    const target = JSON.parse(lines[index] ?? '') as AuditEntry;
    expect(target.outcome).toBe('ok');
    lines[index] = (lines[index] ?? '').replace('"username":"lanhdao"', '"username":"bientap"');
    await writeFile(auditFile(), lines.join('\n'));
    const broken = await bangtin(['audit', 'verify', '--data', t.dataDir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`broken at seq ${target.seq}:`);
    expect(broken.stdout).toMatch(/hash does not match/);
  });
});
