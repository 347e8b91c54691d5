import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  PROTOCOL_VERSION,
  type Ack,
  type Bundle,
  type HelloReply,
  type PairingComplete,
  type PairingOffer,
  type PlayBatchReply,
  type PlayRecord,
} from '../../playlists/index.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { verifyBundle } from '../../player/app/verify.js';
import { approveAndPublish } from '../helpers/approval.js';
import { twoBoardPlan } from '../helpers/two-board-plan.js';

/** A recent instant, for plays the controller accepts (it refuses plays far from its now). */
const RECENT_MS = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

const plan = twoBoardPlan('e2e');

type AnySocket = Socket;

function connect(url: string, namespace: string, options: Record<string, unknown> = {}): AnySocket {
  return io(`${url}${namespace}`, { transports: ['websocket'], reconnection: false, ...options });
}

function once<T>(socket: AnySocket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, resolve));
}

async function connected(socket: AnySocket): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
}

async function refusal(socket: AnySocket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect_error', (error: Error) => {
      resolve(error.message);
    });
    socket.once('connect', () => {
      resolve('connected');
    });
  });
}

describe('players over socket.io', () => {
  let t: TestController;
  let admin: Http;
  const sockets: AnySocket[] = [];
  let releaseKey = '';

  /** Checks a bundle with the player's own verifier and the key the board got at pairing. */
  function signatureValid(bundle: Bundle): Promise<boolean> {
    return verifyBundle(bundle, releaseKey);
  }

  /** Pairs a simulated board and returns its token. */
  async function pairBoard(boardId: string): Promise<string> {
    const pairing = connect(t.url, '/pairing');
    sockets.push(pairing);
    await connected(pairing);
    const reply = (await pairing.emitWithAck('pairing:request', {
      protocol: PROTOCOL_VERSION,
      screen: { width: 384, height: 128 },
    })) as Ack<PairingOffer>;
    if (!reply.ok) throw new Error(reply.code);
    expect(reply.value.code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    const complete = new Promise<PairingComplete>((resolve) => {
      pairing.once('pairing:complete', (value: PairingComplete, ack: (ok: boolean) => void) => {
        ack(true);
        resolve(value);
      });
    });
    // Typed by a technician: lower case, without the dash.
    const typed = reply.value.code.replace('-', '').toLowerCase();
    const claim = await admin.request('POST', '/api/pairings/claim', { code: typed, boardId });
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);
    const { token, publicKey } = await complete;
    releaseKey = publicKey;
    pairing.disconnect();
    // Single use.
    const again = await admin.request('POST', '/api/pairings/claim', { code: typed, boardId });
    expect(again.status).toBe(404);
    return token;
  }

  async function player(
    token: string,
    transports: ('websocket' | 'polling')[] = ['websocket'],
  ): Promise<AnySocket> {
    const socket = connect(t.url, '/player', {
      auth: { token, protocol: PROTOCOL_VERSION },
      transports,
    });
    sockets.push(socket);
    await connected(socket);
    return socket;
  }

  async function hello(socket: AnySocket, held?: Bundle): Promise<HelloReply> {
    const reply = (await socket.emitWithAck('player:hello', {
      protocol: PROTOCOL_VERSION,
      bundleVersion: held?.version ?? null,
      bundleHash: held?.hash ?? null,
      clientTimeMs: Date.now(),
      screen: { width: 384, height: 128 },
    })) as Ack<HelloReply>;
    if (!reply.ok) throw new Error(reply.code);
    return reply.value;
  }

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
    expect((await approveAndPublish(admin)).status).toBe(201);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('pairs with a single-use code, then gets only its own slice; a current bundle is not resent', async () => {
    const token = await pairBoard('led');
    const socket = await player(token);
    const first = await hello(socket);
    expect(first.boardId).toBe('led');
    const bundle = first.bundle;
    if (!bundle) throw new Error('no bundle');
    expect(bundle.boardId).toBe('led');
    expect(bundle.plan.boards.map((b) => b.id)).toEqual(['led']);
    expect(bundle.plan.schedules.map((s) => s.id)).toEqual(['sc-led']);
    expect(bundle.plan.content.map((c) => c.id).sort()).toEqual(['s1', 's2']);
    expect(await signatureValid(bundle)).toBe(true);
    const forged = structuredClone(bundle);
    (forged.plan.content[0] as { text: string }).text = 'GIẢ MẠO';
    expect(await signatureValid(forged)).toBe(false);
    const again = await hello(socket, bundle);
    expect(again.bundle).toBeUndefined();
  });

  it('pushes a publish to the affected boards only', async () => {
    const ledToken = await pairBoard('led');
    const led = await player(ledToken);
    // A second player of the same board over HTTP long-polling gets the text frame, not the
    // WebSocket frame built for the first.
    const ledPolling = await player(ledToken, ['polling']);
    const office = await player(await pairBoard('office'));
    const ledBundle = (await hello(led)).bundle;
    await hello(ledPolling);
    await hello(office);
    let officeGot = 0;
    office.on('bundle:update', () => (officeGot += 1));
    const pushed = once<Bundle>(led, 'bundle:update');
    const pushedPolling = once<Bundle>(ledPolling, 'bundle:update');
    // Only the LED playlist changes.
    const edit = await admin.request('PUT', '/api/plans/e2e/playlists/p-led', {
      name: 'LED',
      items: ['s2', 's1'],
    });
    expect(edit.status).toBe(200);
    expect((await approveAndPublish(admin)).status).toBe(201);
    const bundle = await pushed;
    expect(bundle.version).toBeGreaterThan(ledBundle?.version ?? 0);
    expect(bundle.plan.playlists[0]?.items).toEqual(['s2', 's1']);
    // The pushed frame is encoded by hand (BundleFrameTemplate, wsTextFrame): the same bundle a
    // hello gets, signed, on both transports.
    expect(await signatureValid(bundle)).toBe(true);
    expect(bundle).toEqual((await hello(led)).bundle);
    expect(await pushedPolling).toEqual(bundle);
    // The office heard nothing (its slice did not change); a hello confirms it is current.
    expect(officeGot).toBe(0);
    const officeHello = await hello(office, (await hello(office)).bundle);
    expect(officeHello.bundle).toBeUndefined();
  });

  it('shows heartbeats and what a board plays in the live status', async () => {
    const socket = await player(await pairBoard('led'));
    const beat = (await socket.emitWithAck('player:heartbeat', {
      nowPlaying: { id: 's1', kind: 'item', startedAtMs: 1_893_456_000_000, bundleVersion: 1 },
      bundleVersion: 1,
      uptimeMs: 5000,
      clockOffsetMs: -12,
      screen: { width: 384, height: 128 },
      errors: [],
    })) as Ack<null>;
    expect(beat).toEqual({ ok: true, value: null });
    const status = await admin.request<
      {
        boardId: string;
        connected: boolean;
        nowPlaying: { id: string } | null;
        clockOffsetMs: number;
      }[]
    >('GET', '/api/boards/status');
    const led = status.body.find((s) => s.boardId === 'led');
    expect(led).toMatchObject({ connected: true, nowPlaying: { id: 's1' }, clockOffsetMs: -12 });
    expect(status.body.find((s) => s.boardId === 'office')).toBeDefined();
  });

  it('answers time sync with server times', async () => {
    const socket = await player(await pairBoard('led'));
    const reply = (await socket.emitWithAck('time:sync', { clientSendMs: 1000 })) as Ack<{
      clientSendMs: number;
      serverReceiveMs: number;
      serverSendMs: number;
    }>;
    expect(reply.ok).toBe(true);
    if (reply.ok) {
      expect(reply.value.clientSendMs).toBe(1000);
      expect(Math.abs(reply.value.serverReceiveMs - Date.now())).toBeLessThan(5000);
    }
  });

  it('stores proof of play once per record id, and refuses another board’s records', async () => {
    const socket = await player(await pairBoard('led'));
    const record = (id: string, boardId = 'led'): PlayRecord => ({
      id,
      boardId,
      kind: 'item',
      contentId: 's1',
      startMs: RECENT_MS,
      endMs: RECENT_MS + 10_000,
      releaseVersion: 1,
    });
    const send = async (records: PlayRecord[]) =>
      (await socket.emitWithAck('pop:batch', { records })) as Ack<PlayBatchReply>;
    const first = await send([record('rec-00000001'), record('rec-00000002')]);
    expect(first).toEqual({ ok: true, value: { acknowledged: ['rec-00000001', 'rec-00000002'] } });
    // A resent batch (its ack was lost) and a duplicate inside a batch count once.
    const resent = await send([
      record('rec-00000002'),
      record('rec-00000003'),
      record('rec-00000003'),
    ]);
    expect(resent.ok).toBe(true);
    const foreign = await send([record('rec-00000004', 'office')]);
    expect(foreign).toEqual({ ok: false, code: 'bad_payload' });
    const stored = await t.controller.pop.readAll();
    const ids = stored.map((r) => r.id).filter((id) => id.startsWith('rec-'));
    expect(ids.sort()).toEqual(['rec-00000001', 'rec-00000002', 'rec-00000003']);
    const files = await readdir(path.join(t.dataDir, 'pop'));
    const file = `pop-${new Date(RECENT_MS).toISOString().slice(0, 10)}.ndjson`;
    expect(files).toContain(file);
    const text = await readFile(path.join(t.dataDir, 'pop', file), 'utf8');
    expect(text.trim().split('\n')).toHaveLength(3);
  });

  it('refuses a forged token, a wrong Origin and a revoked token; revocation reaches the player', async () => {
    const forged = connect(t.url, '/player', {
      auth: { token: 'pt_forgedforgedforgedforgedforged', protocol: PROTOCOL_VERSION },
    });
    sockets.push(forged);
    expect(await refusal(forged)).toBe('unknown_token');

    const token = await pairBoard('led');
    const evil = connect(t.url, '/player', {
      auth: { token, protocol: PROTOCOL_VERSION },
      extraHeaders: { origin: 'http://evil.example' },
    });
    sockets.push(evil);
    expect(await refusal(evil)).not.toBe('connected');

    const socket = await player(token);
    const revoked = once<unknown>(socket, 'player:revoked');
    const devices = await admin.request<{ id: string; boardId: string; revokedAt?: string }[]>(
      'GET',
      '/api/devices',
    );
    const live = devices.body.filter((d) => d.boardId === 'led' && d.revokedAt === undefined);
    expect(live.length).toBeGreaterThan(0);
    expect((await admin.request('POST', '/api/boards/led/revoke', {})).status).toBe(200);
    await revoked;
    const retry = connect(t.url, '/player', { auth: { token, protocol: PROTOCOL_VERSION } });
    sockets.push(retry);
    expect(await refusal(retry)).toBe('revoked');
  });

  it('refuses malformed messages with a code and drops a connection that keeps sending garbage', async () => {
    const socket = await player(await pairBoard('office'));
    const bad = (await socket.emitWithAck('player:hello', { protocol: 99 })) as Ack<unknown>;
    expect(bad).toEqual({ ok: false, code: 'bad_payload' });
    const huge = (await socket.emitWithAck('player:heartbeat', {
      nowPlaying: 'x'.repeat(100_000),
    })) as Ack<unknown>;
    expect(huge).toEqual({ ok: false, code: 'bad_payload' });
    const dropped = once<string>(socket, 'disconnect');
    for (let i = 0; i < 10; i += 1)
      socket.emit('time:sync', { __proto__: { x: 1 } }, () => undefined);
    expect(await dropped).toBe('io server disconnect');
  });

  it('drops a connection that sends an oversized message', async () => {
    const socket = await player(await pairBoard('office'));
    const dropped = once<string>(socket, 'disconnect');
    socket.emit('player:heartbeat', { padding: 'x'.repeat(4_000_000) }, () => undefined);
    expect(await dropped).toMatch(/transport close|transport error/);
    expect(t.controller.status.get('office')?.errors ?? []).toEqual([]);
  });

  it('runs remote commands on the board and returns their results', async () => {
    const socket = await player(await pairBoard('office'));
    socket.on('command', (command: { id: string; type: string }) => {
      socket.emit(
        'command:result',
        {
          id: command.id,
          ok: true,
          ...(command.type === 'screenshot' ? { data: 'data:image/png;base64,AAAA' } : {}),
        },
        () => undefined,
      );
    });
    const res = await admin.request<{ results: { ok: boolean; data?: string }[] }>(
      'POST',
      '/api/boards/office/commands',
      { type: 'screenshot' },
    );
    expect(res.status).toBe(200);
    expect(res.body.results.some((r) => r.data === 'data:image/png;base64,AAAA')).toBe(true);
    const bad = await admin.request('POST', '/api/boards/office/commands', { type: 'format-disk' });
    expect(bad.status).toBe(400);
  });

  it('limits pairing requests per client', async () => {
    const socket = connect(t.url, '/pairing');
    sockets.push(socket);
    await connected(socket);
    const codes: string[] = [];
    for (let i = 0; i < 15; i += 1) {
      const reply = (await socket.emitWithAck('pairing:request', {
        protocol: PROTOCOL_VERSION,
        screen: { width: 1, height: 1 },
      })) as Ack<PairingOffer>;
      codes.push(reply.ok ? 'ok' : reply.code);
    }
    expect(codes).toContain('rate_limited');
    // A claim of an unknown code finds nothing.
    const miss = await admin.request('POST', '/api/pairings/claim', {
      code: 'AAAA-AAAA',
      boardId: 'led',
    });
    expect(miss.status).toBe(404);
  });
});

describe('pairing-code guessing', () => {
  it('answers 429 after repeated claims of unknown codes', async () => {
    const t = await startTestController({ claimAttempts: 5 });
    try {
      const admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
      await admin.request('POST', '/api/plans/import', plan);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i += 1) {
        const res = await admin.request('POST', '/api/pairings/claim', {
          code: `AAAA-AA${String(i).padStart(2, '2')}`,
          boardId: 'led',
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429]);
    } finally {
      await t.stop();
    }
  });
});
