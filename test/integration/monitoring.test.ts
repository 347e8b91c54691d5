import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MONITOR_LIVENESS,
  type Alert,
  type AlertKind,
  type BoardHealth,
  type MonitorAck,
  type MonitorSnapshot,
  type Screenshot,
} from '../../controller/monitoring/protocol.js';
import type { AlertWebhookPayload, WebhookAttempt } from '../../controller/monitoring/webhook.js';
import type { Ack, Command, Heartbeat, NowPlaying, PlayBatchReply } from '../../playlists/index.js';
import { approveAndPublish } from '../helpers/approval.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { ManualTime } from '../helpers/manual-time.js';
import { solidPng } from '../helpers/png.js';
import {
  connectSocket,
  pairBoard,
  playerSocket,
  sayHello,
  whenConnected,
} from '../helpers/sim-board.js';

// At T0 the loop [s1 60 s, s2 60 s] is at its start: the phase began at local midnight
// 2030-01-01 (+07:00) = 2029-12-31T17:00Z, and 32 h = 115 200 s is a whole number of 120 s loops.
const T0 = Date.parse('2030-01-02T01:00:00Z');
const WEBHOOK_SECRET = 'webhook-secret-for-tests';

const plan = {
  format: 'bangtin-plan/1',
  plan: { id: 'giam-sat', title: 'Giám sát', timeZone: 'Asia/Ho_Chi_Minh' },
  phases: [{ id: 'dot-1', name: 'Đợt I', from: '2030-01-01', to: '2030-01-10' }],
  boards: [
    { id: 'led', name: 'Cửa khẩu', width: 384, height: 128, tags: ['led'] },
    { id: 'office', name: 'Trụ sở', width: 1920, height: 1080, tags: ['office'] },
  ],
  content: [
    {
      id: 's1',
      kind: 'slogan',
      text: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM',
      durationSec: 60,
    },
    { id: 's2', kind: 'slogan', text: 'MỪNG ĐẢNG, MỪNG XUÂN', durationSec: 60 },
  ],
  playlists: [{ id: 'p', name: 'Chính', items: ['s1', 's2'] }],
  schedules: [{ id: 'sc', playlist: 'p', phase: 'dot-1' }],
  announcements: [],
};

/** A local receiver for the alert webhook; answers with the statuses queued, else 200. */
class HookReceiver {
  readonly server: Server;
  readonly received: { headers: IncomingMessage['headers']; body: string }[] = [];
  readonly statuses: number[] = [];
  private waiters: ((r: { headers: IncomingMessage['headers']; body: string }) => void)[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(entry);
        res.statusCode = this.statuses.shift() ?? 200;
        res.end();
        for (const w of this.waiters.splice(0)) w(entry);
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** The next request whose payload matches. */
  next(match: (p: AlertWebhookPayload) => boolean): Promise<AlertWebhookPayload> {
    return new Promise((resolve) => {
      const check = (entry: { body: string }) => {
        const payload = JSON.parse(entry.body) as AlertWebhookPayload;
        if (match(payload)) resolve(payload);
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }
}

function event<T>(socket: Socket, name: string, match: (value: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const listener = (value: T) => {
      if (!match(value)) return;
      socket.off(name, listener);
      resolve(value);
    };
    socket.on(name, listener);
  });
}

const alertOf = (boardId: string, kind: AlertKind) => (a: Alert) =>
  a.boardId === boardId && a.kind === kind;

describe('remote monitoring: simulated boards, a manual clock, a dashboard socket', () => {
  let hook: HookReceiver;
  let hookUrl: string;
  let time: ManualTime;
  let t: TestController;
  let admin: Http;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    hook = new HookReceiver();
    hookUrl = await hook.listen();
  });
  afterAll(async () => {
    await new Promise((resolve) => hook.server.close(resolve));
  });

  beforeEach(async () => {
    time = new ManualTime(T0);
    t = await startTestController({
      ...time.controllerOptions(),
      monitoring: {
        settings: { screenshotEveryMin: 0 },
        webhook: { url: hookUrl, secret: WEBHOOK_SECRET, backoffMs: 1000, maxAttempts: 3 },
      },
    });
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
    expect((await approveAndPublish(admin)).status).toBe(201);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await t.stop();
  });

  function dashboard(headers: Record<string, string>, auth?: object): Socket {
    // Its own connection, as a browser page has: not multiplexed on a board's.
    const socket = connectSocket(t.url, '/monitor', {
      forceNew: true,
      extraHeaders: headers,
      ...(auth === undefined ? {} : { auth }),
    });
    sockets.push(socket);
    return socket;
  }

  /** A dashboard logged in as admin, and the snapshot it got. */
  async function adminDashboard(): Promise<{ socket: Socket; snapshot: MonitorSnapshot }> {
    const socket = dashboard({ cookie: admin.cookieHeader() });
    const snapshot = event<MonitorSnapshot>(socket, 'monitor:snapshot', () => true);
    await whenConnected(socket);
    return { socket, snapshot: await snapshot };
  }

  /** A paired, connected board that said hello; its bundle version. */
  async function board(boardId: string): Promise<{ socket: Socket; bundleVersion: number }> {
    const paired = await pairBoard(t.url, admin, boardId);
    const socket = await playerSocket(t.url, paired.token);
    sockets.push(socket);
    const hello = await sayHello(socket);
    const version = hello.bundle?.version;
    if (version === undefined) throw new Error('no bundle');
    return { socket, bundleVersion: version };
  }

  const showing = (id: string, bundleVersion: number, kind: NowPlaying['kind'] = 'item') => ({
    id,
    kind,
    startedAtMs: time.now(),
    bundleVersion,
  });

  async function heartbeat(socket: Socket, over: Partial<Heartbeat> & { bundleVersion: number }) {
    const beat: Heartbeat = {
      nowPlaying: over.nowPlaying ?? showing('s1', over.bundleVersion),
      uptimeMs: 1000,
      clockOffsetMs: 0,
      screen: { width: 384, height: 128 },
      errors: [],
      ...over,
    };
    expect(await socket.emitWithAck('player:heartbeat', beat)).toEqual({ ok: true, value: null });
  }

  async function health(boardId: string): Promise<BoardHealth> {
    const res = await admin.request<BoardHealth[]>('GET', '/api/monitor/boards');
    const found = res.body.find((b) => b.boardId === boardId);
    if (!found) throw new Error(`no ${boardId}`);
    return found;
  }

  it('lets in dashboards with a session cookie or a bearer token, of any role; refuses the rest', async () => {
    const refused = async (socket: Socket) =>
      new Promise<string>((resolve) => {
        socket.once('connect_error', (e: Error) => {
          resolve(e.message);
        });
        socket.once('connect', () => {
          resolve('connected');
        });
      });
    expect(await refused(dashboard({}))).toBe('unauthenticated');
    expect(await refused(dashboard({ cookie: 'bangtin_session=forged-session-value' }))).toBe(
      'unauthenticated',
    );
    expect(await refused(dashboard({}, { token: 'bt_not-a-real-token-at-all' }))).toBe(
      'unauthenticated',
    );
    expect(await refused(dashboard({}, { token: 5 }))).toBe('bad_payload');
    expect(
      await refused(dashboard({ cookie: admin.cookieHeader(), origin: 'http://evil.example' })),
    ).not.toBe('connected');

    // A viewer (auditor) watches with a session; a script with a bearer token.
    expect(
      (
        await admin.request('POST', '/api/users', {
          username: 'kiem-tra',
          password: 'kiem-tra-mat-khau-1',
          role: 'viewer',
        })
      ).status,
    ).toBe(201);
    const viewer = await Http.login(t.url, 'kiem-tra', 'kiem-tra-mat-khau-1');
    const viewerSocket = dashboard({ cookie: viewer.cookieHeader() });
    const first = event<MonitorSnapshot>(viewerSocket, 'monitor:snapshot', () => true);
    await whenConnected(viewerSocket);
    const snapshot = await first;
    expect(snapshot.boards.map((b) => [b.boardId, b.state])).toEqual([
      ['led', 'unpaired'],
      ['office', 'unpaired'],
    ]);
    expect(snapshot.settings).toMatchObject({ offlineAfterSec: 90, webhook: { configured: true } });
    const token = await viewer.request<{ token: string }>('POST', '/api/auth/tokens', {
      name: 'man-hinh',
    });
    const scripted = dashboard({}, { token: token.body.token });
    await whenConnected(scripted);
    const again = (await scripted.emitWithAck(
      'monitor:snapshot',
      {},
    )) as MonitorAck<MonitorSnapshot>;
    expect(again.ok).toBe(true);
    expect(await scripted.emitWithAck('monitor:snapshot', { junk: 1 })).toEqual({
      ok: false,
      code: 'bad_payload',
    });
    // The dashboards' liveness check (MONITOR_LIVENESS) is answered with the controller's time.
    expect(await scripted.emitWithAck('monitor:ping', {})).toEqual({
      ok: true,
      value: { at: new Date(time.now()).toISOString() },
    });
    expect(await scripted.emitWithAck('monitor:ping', { junk: 1 })).toEqual({
      ok: false,
      code: 'bad_payload',
    });

    // Logging out ends the watch at the next check (at most a minute later).
    const dropped = new Promise<string>((resolve) => viewerSocket.once('disconnect', resolve));
    expect((await viewer.request('POST', '/api/auth/logout')).status).toBe(204);
    time.advance(60_000);
    expect(await dropped).toBe('io server disconnect');
    expect(scripted.connected).toBe(true);
  });

  it('broadcasts board status only while a dashboard is connected', async () => {
    const monitorNs = t.controller.hub.io.of('/monitor');
    const emit = vi.spyOn(monitorNs, 'emit');
    const led = await board('led');
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion });
    // Nobody watches: nothing is encoded for nobody.
    expect(emit).not.toHaveBeenCalled();

    const { socket: dash } = await adminDashboard();
    const status = event<BoardHealth>(dash, 'board:status', (b) => b.boardId === 'led');
    time.advance(1000);
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion });
    expect((await status).lastSeenAt).toBe(new Date(time.now()).toISOString());
    expect(emit).toHaveBeenCalledWith('board:status', expect.objectContaining({ boardId: 'led' }));
    emit.mockRestore();
  });

  it('closes a dashboard connection that has been silent past MONITOR_LIVENESS, not one that pings', async () => {
    const u = await startTestController({
      ...time.controllerOptions(),
      silentCloseMs: { dashboards: MONITOR_LIVENESS.silentCloseMs },
    });
    const sockets: Socket[] = [];
    try {
      const cookie = (await Http.login(u.url, 'admin', ADMIN_PASSWORD)).cookieHeader();
      for (let i = 0; i < 2; i++) {
        const socket = connectSocket(u.url, '/monitor', {
          forceNew: true,
          extraHeaders: { cookie },
        });
        sockets.push(socket);
        await whenConnected(socket);
      }
      const [pinging, silent] = sockets as [Socket, Socket];
      const dropped = new Promise<string>((resolve) => silent.once('disconnect', resolve));
      // The check runs once a minute: at 60 s both were heard from within the 90 s.
      time.advance(60_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(silent.connected).toBe(true);
      expect(await pinging.emitWithAck('monitor:ping', {})).toMatchObject({ ok: true });
      // At 120 s the silent one has said nothing for 120 s; the other for 60 s.
      time.advance(60_000);
      expect(await dropped).toBe('io server disconnect');
      expect(pinging.connected).toBe(true);
      expect(await pinging.emitWithAck('monitor:ping', {})).toMatchObject({ ok: true });
    } finally {
      for (const socket of sockets) socket.close();
      await u.stop();
    }
  });

  it('turns a silent board offline exactly at the threshold, tells the dashboard, audits it and calls the webhook', async () => {
    const { socket: dash } = await adminDashboard();
    const led = await board('led');
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion });
    expect(await health('led')).toMatchObject({ state: 'online', connected: true, alerts: [] });

    // Heard from at T0; offline at T0 + 90 s, not a millisecond before.
    time.advance(89_999);
    expect(await health('led')).toMatchObject({ state: 'online', alerts: [] });
    const raised = event<Alert>(dash, 'alert:raised', alertOf('led', 'offline'));
    const turnedRed = event<BoardHealth>(
      dash,
      'board:status',
      (b) => b.boardId === 'led' && b.state === 'offline',
    );
    const hooked = hook.next(
      (p) => p.type === 'alert.raised' && p.alert.boardId === 'led' && p.alert.kind === 'offline',
    );
    time.advance(1);
    const alert = await raised;
    expect(alert).toMatchObject({
      boardName: 'Cửa khẩu',
      since: new Date(T0).toISOString(),
      raisedAt: new Date(T0 + 90_000).toISOString(),
      values: { lastSeenAt: new Date(T0).toISOString() },
    });
    expect((await turnedRed).alerts).toEqual(['offline']);
    const payload = await hooked;
    expect(payload.alert).toEqual(alert);
    const request = hook.received.find((r) => r.body.includes(alert.id));
    expect(request?.headers['content-type']).toBe('application/json');
    const mac = createHmac('sha256', WEBHOOK_SECRET)
      .update(request?.body ?? '')
      .digest('hex');
    expect(request?.headers['x-bangtin-signature']).toBe(`sha256=${mac}`);

    // The board speaks again: the alert clears, everywhere.
    const cleared = event<Alert>(dash, 'alert:cleared', alertOf('led', 'offline'));
    const clearedHook = hook.next((p) => p.type === 'alert.cleared' && p.alert.id === alert.id);
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion });
    expect((await cleared).clearedAt).toBe(new Date(T0 + 90_000).toISOString());
    await clearedHook;
    const audit = await admin.request<{
      entries: { action: string; target?: string; details?: Record<string, unknown> }[];
    }>('GET', '/api/audit?limit=50');
    const entries = audit.body.entries.filter((e) => e.target === 'boards/led');
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['alert.raise', 'alert.clear']),
    );
    expect(entries.find((e) => e.action === 'alert.raise')?.details).toMatchObject({
      kind: 'offline',
    });
    const alerts = await admin.request<{ active: Alert[]; recent: Alert[] }>(
      'GET',
      '/api/monitor/alerts',
    );
    expect(alerts.body.active.filter((a) => a.boardId === 'led')).toEqual([]);
    expect(
      alerts.body.recent.filter((a) => a.id === alert.id).map((a) => a.clearedAt !== null),
    ).toEqual([true, false]);
  });

  it('gives boards that have not reconnected since a restart the threshold before calling them offline', async () => {
    const { socket: dash } = await adminDashboard();
    // Paired, never connected since this controller started.
    await pairBoard(t.url, admin, 'office');
    expect(await health('office')).toMatchObject({
      state: 'offline',
      lastSeenAt: null,
      alerts: [],
    });
    const raised = event<Alert>(dash, 'alert:raised', alertOf('office', 'offline'));
    time.advance(90_000);
    expect((await raised).values).toEqual({ lastSeenAt: null });
  });

  it('follows pairing and revocation at once, the plans unchanged: a revoked board is unpaired and never offline', async () => {
    expect(await health('office')).toMatchObject({ state: 'unpaired' });
    const paired = await pairBoard(t.url, admin, 'office');
    expect(await health('office')).toMatchObject({ state: 'offline' });
    const revoked = await admin.request('POST', `/api/devices/${paired.deviceId}/revoke`, {});
    expect(revoked.status).toBe(200);
    expect(await health('office')).toMatchObject({ state: 'unpaired', alerts: [] });
    // Past the offline threshold: no alert for a board no device is paired with.
    time.advance(90_000);
    expect(await health('office')).toMatchObject({ state: 'unpaired', alerts: [] });
  });

  it('calls a board stale when it still holds an older bundle past the threshold after a publish', async () => {
    const { socket: dash } = await adminDashboard();
    const led = await board('led');
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion });
    const edit = await admin.request('PUT', '/api/plans/giam-sat/playlists/p', {
      name: 'Chính',
      items: ['s2', 's1'],
    });
    expect(edit.status).toBe(200);
    const published = await approveAndPublish<{ version: number }>(admin);
    expect(published.status).toBe(201);
    const latest = published.body.version;
    expect(latest).toBeGreaterThan(led.bundleVersion);
    // The board ignores the push and keeps beating with its old bundle every 30 s.
    for (let i = 0; i < 3; i += 1) {
      time.advance(30_000);
      await heartbeat(led.socket, { bundleVersion: led.bundleVersion });
    }
    // 90 s after the publish: stale, but not yet past the 120 s threshold.
    expect(await health('led')).toMatchObject({
      state: 'online',
      bundle: { held: led.bundleVersion, latest, stale: true },
      alerts: [],
    });
    const raised = event<Alert>(dash, 'alert:raised', alertOf('led', 'stale'));
    time.advance(30_000);
    expect((await raised).values).toEqual({ held: led.bundleVersion, latest });
    // While stale, what it shows is the stale alert's business, not a wrong-content alert.
    expect((await health('led')).alerts).toEqual(['stale']);
    const cleared = event<Alert>(dash, 'alert:cleared', alertOf('led', 'stale'));
    await heartbeat(led.socket, { bundleVersion: latest, nowPlaying: showing('s2', latest) });
    await cleared;
  });

  it('reports wrong content that lasts past the threshold, with a grace at item boundaries; a blanked board is not wrong', async () => {
    const { socket: dash } = await adminDashboard();
    const led = await board('led');
    const v = led.bundleVersion;
    const report = async (id: string, kind: NowPlaying['kind'] = 'item') => {
      expect(await led.socket.emitWithAck('player:now-playing', showing(id, v, kind))).toEqual({
        ok: true,
        value: null,
      });
    };
    // Loop from T0: s1 [0 s, 60 s), s2 [60 s, 120 s). At +30 s only s1 is right.
    time.advance(30_000);
    await report('s1');
    expect(await health('led')).toMatchObject({
      expected: { kind: 'item', id: 's1' },
      wrongContent: false,
    });
    // s2 two seconds early, and s1 two seconds late, are within the 5 s grace.
    time.advance(28_000);
    await report('s2');
    expect((await health('led')).wrongContent).toBe(false);
    time.advance(4_000);
    await report('s1');
    expect((await health('led')).wrongContent).toBe(false);
    // A technician blanked it: shown as such, not wrong.
    await report('', 'blank');
    expect(await health('led')).toMatchObject({ blanked: true, wrongContent: false, alerts: [] });

    // Something the plan never shows, from +62 s on.
    await report('c-cu');
    const started = time.now();
    expect(await health('led')).toMatchObject({
      wrongContent: true,
      wrongContentSince: new Date(started).toISOString(),
      showing: { kind: 'item', id: 'c-cu' },
      expected: { kind: 'item', id: 's2' },
      alerts: [],
    });
    const raised = event<Alert>(dash, 'alert:raised', alertOf('led', 'wrong_content'));
    time.advance(30_000);
    await heartbeat(led.socket, { bundleVersion: v, nowPlaying: showing('c-cu', v) });
    time.advance(29_999);
    expect((await health('led')).alerts).toEqual([]);
    time.advance(1);
    const alert = await raised;
    expect(alert.since).toBe(new Date(started).toISOString());
    expect(alert.values).toEqual({ showing: 'item:c-cu', expected: 'item:s2' });
    // At +122 s s1 plays again; the board shows it and the alert clears.
    const cleared = event<Alert>(dash, 'alert:cleared', alertOf('led', 'wrong_content'));
    await report('s1');
    await cleared;
  });

  it('raises a clock-skew alert past 60 s and clears it when the clock is set right', async () => {
    const { socket: dash } = await adminDashboard();
    const led = await board('led');
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion, clockOffsetMs: 59_000 });
    expect(await health('led')).toMatchObject({ clockOffsetMs: 59_000, clockSkew: false });
    const raised = event<Alert>(dash, 'alert:raised', alertOf('led', 'clock_skew'));
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion, clockOffsetMs: -61_000 });
    expect((await raised).values).toEqual({ clockOffsetMs: -61_000 });
    const cleared = event<Alert>(dash, 'alert:cleared', alertOf('led', 'clock_skew'));
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion, clockOffsetMs: 120 });
    await cleared;
  });

  it('retries the webhook with backoff when the receiver fails, never blocking anything else', async () => {
    const led = await board('led');
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion });
    const webhook = t.controller.monitoring.webhook;
    if (!webhook) throw new Error('no webhook');
    const attempts: WebhookAttempt[] = [];
    const nextAttempt = () =>
      new Promise<WebhookAttempt>((resolve) => {
        const off = webhook.onAttempt((a) => {
          attempts.push(a);
          off();
          resolve(a);
        });
      });
    hook.statuses.push(500, 503);
    const first = nextAttempt();
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion, clockOffsetMs: 90_000 });
    expect(await first).toMatchObject({
      attempt: 1,
      status: 500,
      delivered: false,
      retryInMs: 1000,
    });
    // The controller answers meanwhile.
    expect((await admin.request('GET', '/api/monitor/alerts')).status).toBe(200);
    const second = nextAttempt();
    time.advance(1000);
    expect(await second).toMatchObject({ attempt: 2, status: 503, retryInMs: 2000 });
    const third = nextAttempt();
    time.advance(1999);
    expect(attempts).toHaveLength(2);
    time.advance(1);
    expect(await third).toMatchObject({
      attempt: 3,
      status: 200,
      delivered: true,
      retryInMs: null,
    });
    const bodies = hook.received.slice(-3).map((r) => JSON.parse(r.body) as AlertWebhookPayload);
    expect(new Set(bodies.map((b) => b.alert.id)).size).toBe(1);
    expect(bodies[0]).toMatchObject({
      type: 'alert.raised',
      alert: { kind: 'clock_skew', boardId: 'led' },
    });
  });

  it('takes a screenshot on demand, shrinks it, keeps it and pushes it to dashboards', async () => {
    const { socket: dash } = await adminDashboard();
    const led = await board('led');
    led.socket.on('command', (command: Command) => {
      const png = solidPng(640, 200, [200, 30, 30]).toString('base64');
      void led.socket.emitWithAck('command:result', {
        id: command.id,
        ok: true,
        data: `data:image/png;base64,${png}`,
      });
    });
    const pushed = event<Screenshot>(dash, 'board:screenshot', (s) => s.boardId === 'led');
    const taken = await admin.request<Screenshot>('POST', '/api/boards/led/screenshot');
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({
      boardId: 'led',
      width: 320,
      height: 100,
      takenAt: new Date(T0).toISOString(),
    });
    expect(taken.body.dataUrl).toMatch(/^data:image\/png;base64,/);
    expect((await pushed).dataUrl).toBe(taken.body.dataUrl);
    const stored = await admin.request<{ screenshot: Screenshot | null }>(
      'GET',
      '/api/boards/led/screenshot',
    );
    expect(stored.body.screenshot?.dataUrl).toBe(taken.body.dataUrl);
    expect((await health('led')).screenshot).toMatchObject({ width: 320, height: 100 });
    expect(
      (await admin.request<{ screenshot: null }>('GET', '/api/boards/office/screenshot')).body,
    ).toEqual({
      boardId: 'office',
      screenshot: null,
    });
    const offline = await admin.request<{ error: { code: string } }>(
      'POST',
      '/api/boards/office/screenshot',
    );
    expect(offline.status).toBe(409);
  });

  it('changes thresholds through the API (admins only), and applies them at once', async () => {
    const viewer = await admin.request('POST', '/api/users', {
      username: 'xem',
      password: 'xem-mat-khau-12',
      role: 'viewer',
    });
    expect(viewer.status).toBe(201);
    const viewerHttp = await Http.login(t.url, 'xem', 'xem-mat-khau-12');
    expect(
      (await viewerHttp.request('PATCH', '/api/monitor/settings', { offlineAfterSec: 45 })).status,
    ).toBe(403);
    expect(
      (await admin.request('PATCH', '/api/monitor/settings', { offlineAfterSec: 5 })).status,
    ).toBe(400);
    // Shorter than a heartbeat interval and a margin: a healthy board would flap.
    expect(
      (await admin.request('PATCH', '/api/monitor/settings', { offlineAfterSec: 30 })).status,
    ).toBe(400);
    const led = await board('led');
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion });
    const changed = await admin.request('PATCH', '/api/monitor/settings', { offlineAfterSec: 45 });
    expect(changed.body).toMatchObject({ offlineAfterSec: 45, staleAfterSec: 120 });
    time.advance(45_000);
    expect(await health('led')).toMatchObject({ state: 'offline', alerts: ['offline'] });
  });

  it('keeps when boards were last seen and the active alerts across a restart, without raising them again', async () => {
    const led = await board('led');
    await heartbeat(led.socket, { bundleVersion: led.bundleVersion });
    time.advance(90_000);
    expect((await health('led')).alerts).toEqual(['offline']);
    const alertsBefore = await admin.request<{ active: Alert[] }>('GET', '/api/monitor/alerts');
    await t.controller.close();
    const raisedAgain: Alert[] = [];
    t = await startTestController({ ...time.controllerOptions(), dataDir: t.dataDir });
    t.controller.monitoring.monitor.listen({ raised: (a) => raisedAgain.push(a) });
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    // The board is still offline, last seen at T0; its alert stands, as it was.
    expect(await health('led')).toMatchObject({
      state: 'offline',
      lastSeenAt: new Date(T0).toISOString(),
      alerts: ['offline'],
    });
    const alertsAfter = await admin.request<{ active: Alert[] }>('GET', '/api/monitor/alerts');
    expect(alertsAfter.body.active).toEqual(alertsBefore.body.active);
    time.advance(120_000);
    expect(raisedAgain).toEqual([]);
  });

  it('removes proof of play past the retention period: when the setting changes, and every day', async () => {
    const led = await board('led');
    const day = (iso: string, id: string) => ({
      id,
      boardId: 'led',
      kind: 'item' as const,
      contentId: 's1',
      startMs: Date.parse(iso),
      endMs: Date.parse(iso) + 60_000,
      releaseVersion: 1,
    });
    const records = [
      day('2029-12-29T10:00:00Z', 'rec-cu-00001'),
      day('2029-12-31T10:00:00Z', 'rec-cu-00002'),
      day('2030-01-02T00:30:00Z', 'rec-moi-0001'),
    ];
    expect((await led.socket.emitWithAck('pop:batch', { records })) as Ack<unknown>).toMatchObject({
      ok: true,
    });
    const days = async () => (await t.controller.pop.readAll()).map((r) => r.id);
    // Keep 2 days: on 2030-01-02 (UTC) everything before 2029-12-31 goes at once.
    expect(
      (await admin.request('PATCH', '/api/monitor/settings', { popRetentionDays: 2 })).status,
    ).toBe(200);
    expect(await t.controller.monitoring.lastRetention).toEqual(['2029-12-29']);
    expect(await days()).toEqual(['rec-cu-00002', 'rec-moi-0001']);
    // A day later the daily job removes 2029-12-31.
    time.advance(86_400_000);
    expect(await t.controller.monitoring.lastRetention).toEqual(['2029-12-31']);
    expect(await days()).toEqual(['rec-moi-0001']);
  });

  it('screenshots every online board at the configured period', async () => {
    const { socket: dash } = await adminDashboard();
    const led = await board('led');
    led.socket.on('command', (command: Command) => {
      const png = solidPng(96, 32, [0, 120, 0]).toString('base64');
      void led.socket.emitWithAck('command:result', {
        id: command.id,
        ok: command.type === 'screenshot',
        data: `data:image/png;base64,${png}`,
      });
    });
    expect(
      (await admin.request('PATCH', '/api/monitor/settings', { screenshotEveryMin: 5 })).status,
    ).toBe(200);
    const pushed = event<Screenshot>(dash, 'board:screenshot', (shot) => shot.boardId === 'led');
    time.advance(5 * 60_000);
    expect(await pushed).toMatchObject({
      width: 96,
      height: 32,
      takenAt: new Date(T0 + 300_000).toISOString(),
    });
  });

  it('acknowledges resent proof-of-play batches and counts each record once', async () => {
    const led = await board('led');
    const record = (n: number) => ({
      id: `rec-lan-${String(n).padStart(4, '0')}`,
      boardId: 'led',
      kind: 'item' as const,
      contentId: n % 2 === 0 ? 's1' : 's2',
      startMs: T0 + n * 60_000,
      endMs: T0 + (n + 1) * 60_000,
      releaseVersion: 1,
    });
    const send = async (socket: Socket, ns: number[]) =>
      (await socket.emitWithAck('pop:batch', { records: ns.map(record) })) as Ack<PlayBatchReply>;
    expect(await send(led.socket, [0, 1, 2])).toEqual({
      ok: true,
      value: { acknowledged: ['rec-lan-0000', 'rec-lan-0001', 'rec-lan-0002'] },
    });
    // The ack was lost: after reconnecting the board resends them with the next ones.
    led.socket.disconnect();
    const again = await send(led.socket.connect(), [0, 1, 2, 3]);
    expect(again.ok).toBe(true);
    const res = await admin.request<{ totals: { plays: number; onAirMs: number } }>(
      'GET',
      '/api/reports/plays?boardId=led&from=2030-01-02&to=2030-01-02',
    );
    // Four plays of 60 s each.
    expect(res.body.totals).toMatchObject({ plays: 4, onAirMs: 240_000 });
  });
});
