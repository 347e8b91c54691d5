// The bench's simulated players speak the socket.io wire protocol over a `ws` client
// (bench/fleet/wire.ts) instead of socket.io-client, so that the load generator costs what the
// raw `ws` baseline's does. Checked here against socket.io's own encoder and decoder, against
// socket.io's server (pings, reconnection) and against the real controller, so a benchmark
// measures what real players would get.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { heartbeatOf, resolverOf, showing } from '../../bench/fleet/common.js';
import {
  connectPacket,
  decodeWire,
  eventPacket,
  playerClient,
  WireSocket,
  type WireHandlers,
  type WireOptions,
} from '../../bench/fleet/wire.js';
import { PROTOCOL_VERSION, type Ack, type Bundle, type HelloReply } from '../../playlists/index.js';
import { approveAndPublish } from '../helpers/approval.js';
import { usePublishedController } from '../helpers/published-controller.js';
import { pairBoard } from '../helpers/sim-board.js';

/** What socket.io's server writes for a packet: an engine.io message (`4`) holding it. */
function written(packet: Packet): string {
  const [text] = new Encoder().encode(packet) as string[];
  return `4${text ?? ''}`;
}

/** What socket.io's server reads from a frame the wire client wrote. */
function read(frame: string): Packet {
  expect(frame.startsWith('4')).toBe(true);
  const decoder = new Decoder();
  let decoded: Packet | undefined;
  decoder.on('decoded', (packet: Packet) => {
    decoded = packet;
  });
  decoder.add(frame.slice(1));
  if (!decoded) throw new Error(`not decoded: ${frame}`);
  return decoded;
}

describe('the wire codec, against socket.io-parser', () => {
  it("decodes what socket.io's server writes on a namespace", () => {
    const bundle = { hash: 'ab', version: 3, text: 'Chào mừng, "Đợt I"' };
    expect(
      decodeWire(
        written({ type: PacketType.EVENT, nsp: '/player', data: ['bundle:update', bundle] }),
        '/player',
      ),
    ).toEqual({ kind: 'event', name: 'bundle:update', args: [bundle] });
    expect(
      decodeWire(
        written({ type: PacketType.ACK, nsp: '/player', id: 127, data: [{ ok: true }] }),
        '/player',
      ),
    ).toEqual({ kind: 'ack', id: 127, args: [{ ok: true }] });
    expect(
      decodeWire(
        written({ type: PacketType.CONNECT, nsp: '/player', data: { sid: 'x' } }),
        '/player',
      ),
    ).toEqual({ kind: 'connect' });
    expect(
      decodeWire(
        written({ type: PacketType.CONNECT_ERROR, nsp: '/player', data: { message: 'revoked' } }),
        '/player',
      ),
    ).toEqual({ kind: 'connect_error', message: 'revoked' });
    expect(decodeWire(written({ type: PacketType.DISCONNECT, nsp: '/player' }), '/player')).toEqual(
      { kind: 'disconnect' },
    );
  });

  it('tells engine.io packets apart, and ignores other namespaces', () => {
    expect(
      decodeWire('0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}', '/player'),
    ).toEqual({
      kind: 'open',
      pingIntervalMs: 25_000,
      pingTimeoutMs: 20_000,
    });
    expect(decodeWire('2', '/player')).toEqual({ kind: 'ping' });
    expect(decodeWire('1', '/player')).toEqual({ kind: 'close' });
    expect(decodeWire('6', '/player')).toEqual({ kind: 'other' });
    const onPairing = written({ type: PacketType.EVENT, nsp: '/pairing', data: ['x', 1] });
    expect(decodeWire(onPairing, '/player')).toEqual({ kind: 'other' });
    // A namespace that only starts like this one is another one.
    const longer = written({ type: PacketType.EVENT, nsp: '/players', data: ['x', 1] });
    expect(decodeWire(longer, '/player')).toEqual({ kind: 'other' });
    const root = written({ type: PacketType.EVENT, nsp: '/', data: ['x', 1] });
    expect(decodeWire(root, '/')).toEqual({ kind: 'event', name: 'x', args: [1] });
  });

  it('writes what socket.io reads: connect with auth, events with and without an ack id', () => {
    const auth = { token: 'pt_x', protocol: PROTOCOL_VERSION };
    expect(read(connectPacket('/player', auth))).toEqual({
      type: PacketType.CONNECT,
      nsp: '/player',
      data: auth,
    });
    expect(read(eventPacket('/player', 12, ['player:hello', { a: 'Đợt' }]))).toEqual({
      type: PacketType.EVENT,
      nsp: '/player',
      id: 12,
      data: ['player:hello', { a: 'Đợt' }],
    });
    expect(read(eventPacket('/', undefined, ['x', null]))).toEqual({
      type: PacketType.EVENT,
      nsp: '/',
      data: ['x', null],
    });
  });

  it('BENCH_PLAYER_CLIENT: wire by default, socket.io-client on request, nothing else', () => {
    expect(playerClient(undefined)).toBe('wire');
    expect(playerClient('')).toBe('wire');
    expect(playerClient('socket.io-client')).toBe('socket.io-client');
    expect(() => playerClient('socketio')).toThrow(/BENCH_PLAYER_CLIENT/);
  });
});

/** A wire socket whose events are recorded, with promises for the next of each. */
function recorded(
  options: Omit<WireOptions, 'reconnectionDelay' | 'reconnectionDelayMax' | 'randomizationFactor'>,
) {
  const log: string[] = [];
  /** Checks of pending when()s: each resolves its promise and answers true once it is met. */
  const waiters = new Set<() => boolean>();
  const events: { name: string; args: unknown[] }[] = [];
  const note = (entry: string) => {
    log.push(entry);
    for (const met of [...waiters]) if (met()) waiters.delete(met);
  };
  const handlers: WireHandlers = {
    onConnect: () => {
      note('connect');
    },
    onConnectError: (message) => {
      note(`connect_error ${message}`);
    },
    onEvent: (name, args) => {
      events.push({ name, args });
      note(`event ${name}`);
    },
    onDisconnect: () => {
      note('disconnect');
    },
  };
  const socket = new WireSocket(
    { ...options, reconnectionDelay: 50, reconnectionDelayMax: 200, randomizationFactor: 0.5 },
    handlers,
  );
  /** Resolves at the `count`th entry `entry` in the log (counting those already there). */
  const when = (entry: string, count = 1) =>
    new Promise<void>((resolve) => {
      const met = () => {
        if (log.filter((e) => e === entry).length < count) return false;
        resolve();
        return true;
      };
      if (!met()) waiters.add(met);
    });
  const ack = <T>(name: string, payload: unknown) =>
    new Promise<T>((resolve) => {
      socket.emit(name, payload, ([reply]) => {
        resolve(reply as T);
      });
    });
  return { socket, log, events, when, ack };
}

describe('a wire player against socket.io itself', () => {
  let http: HttpServer;
  let io: Server;
  let url = '';
  const sockets: WireSocket[] = [];
  /** Websockets engine.io has accepted. */
  let links = 0;

  beforeAll(async () => {
    http = createServer();
    io = new Server(http, { pingInterval: 40, pingTimeout: 40, perMessageDeflate: false });
    io.engine.on('connection', () => {
      links++;
    });
    io.of('/player').use((socket, next) => {
      const auth = socket.handshake.auth as { token?: unknown };
      if (auth.token === 'good') next();
      else next(new Error('unknown_token'));
    });
    io.of('/player').on('connection', (socket) => {
      socket.on('echo', (value: unknown, ack: (reply: unknown) => void) => {
        ack({ echoed: value });
      });
      socket.on('drop-link', () => {
        socket.conn.close();
      });
      socket.on('close-namespace', () => {
        socket.disconnect();
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${String((http.address() as AddressInfo).port)}`;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(async () => {
    await io.close();
  });

  /** A wire player with `token`, closed after the test; resolves once its namespace is connected. */
  async function connected(token = 'good') {
    const board = recorded({ url, namespace: '/player', auth: () => ({ token }) });
    sockets.push(board.socket);
    await board.when('connect');
    return board;
  }

  it('answers pings: the link outlives many ping periods; acks come back', async () => {
    const board = await connected();
    // 10 ping periods of 80 ms: a client that did not answer would be closed in the first.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(board.log).toEqual(['connect']);
    expect(board.socket.connected).toBe(true);
    expect(await board.ack('echo', 'Đợt II')).toEqual({ echoed: 'Đợt II' });
  });

  it('comes back after the link drops (after a backoff) and connects the namespace again', async () => {
    const board = await connected();
    board.socket.emit('drop-link', null);
    await board.when('connect', 2);
    expect(board.log).toEqual(['connect', 'disconnect', 'connect']);
  });

  it('disconnect() then connect() at once: one new link, the old one closing does not open another', async () => {
    const board = await connected();
    board.socket.disconnect();
    board.socket.connect();
    await board.when('connect', 2);
    // Longer than the backoff's longest wait: a second link would have connected by then.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(board.log).toEqual(['connect', 'disconnect', 'connect']);
    expect(io.of('/player').sockets.size).toBe(1);
  });

  it('disconnect() while waiting to come back after a lost link: it stays away', async () => {
    const board = await connected();
    board.socket.emit('drop-link', null);
    await board.when('disconnect');
    const linksBefore = links;
    board.socket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(board.log).toEqual(['connect', 'disconnect']);
    // Not even a websocket: the attempt the backoff had planned is called off.
    expect(links).toBe(linksBefore);
  });

  it('stays away after the server closes its namespace, and after a refusal', async () => {
    const board = await connected();
    board.socket.emit('close-namespace', null);
    await board.when('disconnect');
    const refused = recorded({ url, namespace: '/player', auth: () => ({ token: 'bad' }) });
    sockets.push(refused.socket);
    await refused.when('connect_error unknown_token');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(board.log).toEqual(['connect', 'disconnect']);
    expect(refused.log).toEqual(['connect_error unknown_token']);
  });
});

describe('a wire player against the controller', () => {
  const published = usePublishedController();
  const sockets: WireSocket[] = [];
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });

  it('pairs, says hello, gets its bundle and each publish; its heartbeats are acknowledged', async () => {
    const { t, admin } = published;
    const { token } = await pairBoard(t.url, admin, 'led');
    const board = recorded({
      url: t.url,
      namespace: '/player',
      auth: () => ({ token, protocol: PROTOCOL_VERSION }),
    });
    sockets.push(board.socket);
    await board.when('connect');
    const hello = await board.ack<Ack<HelloReply>>('player:hello', {
      protocol: PROTOCOL_VERSION,
      bundleVersion: null,
      bundleHash: null,
      clientTimeMs: Date.now(),
      screen: { width: 384, height: 128 },
    });
    if (!hello.ok) throw new Error(hello.code);
    const held = hello.value.bundle;
    expect(held?.boardId).toBe('led');

    const edit = await admin.request('PUT', '/api/plans/e2e/playlists/p1', {
      name: 'LED',
      items: ['s2', 's1'],
    });
    expect(edit.status).toBe(200);
    expect((await approveAndPublish(admin)).status).toBe(201);
    await board.when('event bundle:update');
    const pushed = board.events.find((e) => e.name === 'bundle:update')?.args[0] as Bundle;
    expect(pushed.boardId).toBe('led');
    expect(pushed.version).toBeGreaterThan(held?.version ?? 0);
    expect(pushed.hash).not.toBe(held?.hash);

    // What the fleet's boards send: what their own resolver says the bundle shows now (here
    // idle since before the plan's first phase, whose start is -Infinity: sent as the player
    // sends it, not as null).
    const beat = await board.ack<Ack<null>>(
      'player:heartbeat',
      heartbeatOf(pushed.version, 1_000, showing(resolverOf(pushed), Date.now())),
    );
    expect(beat).toEqual({ ok: true, value: null });
    const status = await admin.request<{ boardId: string; bundleVersion: number | null }[]>(
      'GET',
      '/api/boards/status',
    );
    expect(status.body.find((b) => b.boardId === 'led')?.bundleVersion).toBe(pushed.version);
  });

  it('a token the controller does not know is refused once, not retried', async () => {
    const { t } = published;
    const board = recorded({
      url: t.url,
      namespace: '/player',
      auth: () => ({ token: 'pt_unknownunknownunknownunknown', protocol: PROTOCOL_VERSION }),
    });
    sockets.push(board.socket);
    await board.when('connect_error unknown_token');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(board.log).toEqual(['connect_error unknown_token']);
  });
});
