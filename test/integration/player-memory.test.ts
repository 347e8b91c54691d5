// What a connected board costs the controller (M2 of issue #7): thousands stay connected at
// once, so nothing may be kept per connection that is never used again.
import type { IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Socket as EngineSocket } from 'engine.io';
import { Manager } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type Ack } from '../../playlists/index.js';
import { usePublishedController } from '../helpers/published-controller.js';
import {
  connectSocket,
  pairBoard,
  playerSocket,
  sayHello,
  whenConnected,
} from '../helpers/sim-board.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 20 && ref.deref() !== undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
  }
  return ref.deref() === undefined;
}

describe('a connected player', () => {
  const published = usePublishedController();

  it('does not keep the HTTP request that opened its WebSocket', async () => {
    const board = await pairBoard(published.t.url, published.admin, 'led');
    let request: WeakRef<IncomingMessage> | undefined;
    const engine = published.t.controller.hub.io.engine;
    const onConnection = (raw: EngineSocket) => {
      request = new WeakRef(raw.request);
    };
    engine.on('connection', onConnection);
    const socket = await playerSocket(published.t.url, board.token);
    try {
      engine.off('connection', onConnection);
      expect((await sayHello(socket)).boardId).toBe('led');
      if (!request) throw new Error('no engine.io connection seen');
      expect(await collected(request)).toBe(true);
      // The connection still works, and the handshake kept what the logs use.
      const server = [...published.t.controller.hub.io.of('/player').sockets.values()].at(-1);
      expect(server?.handshake.address).toMatch(/127\.0\.0\.1/);
      // ... and nothing else: not the headers, nor the device's token.
      expect(server?.handshake.auth).toEqual({});
      expect(server?.handshake.headers).toEqual({});
      expect(JSON.stringify(server?.handshake)).not.toContain(board.token);
      const reply = (await socket.emitWithAck('time:sync', { clientSendMs: 1 })) as Ack<unknown>;
      expect(reply.ok).toBe(true);
    } finally {
      socket.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('gets listeners shared by every player, not made for it', async () => {
    const a = await playerSocket(
      published.t.url,
      (await pairBoard(published.t.url, published.admin, 'led')).token,
    );
    const b = await playerSocket(
      published.t.url,
      (await pairBoard(published.t.url, published.admin, 'office')).token,
    );
    const [first, second] = [...published.t.controller.hub.io.of('/player').sockets.values()].slice(
      -2,
    );
    if (!first || !second) throw new Error('two players expected');
    expect(first.listenersAny()).toHaveLength(1);
    expect(first.listenersAny()).toEqual(second.listenersAny());
    expect(first.listeners('disconnect')).toEqual(second.listeners('disconnect'));
    for (const event of ['player:hello', 'player:heartbeat', 'time:sync']) {
      expect(first.listeners(event as 'player:hello')).toHaveLength(0);
    }
    // And every event still reaches its handler, with the garbage rule for the rest.
    expect((await sayHello(a)).boardId).toBe('led');
    const unknown = (await b.emitWithAck('player:unknown', {})) as Ack<unknown>;
    expect(unknown).toEqual({ ok: false, code: 'bad_payload' });
    b.emit('time:sync', { clientSendMs: 1 });
    await expect.poll(() => second.data.garbage).toBe(2);
    a.disconnect();
    b.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(published.t.controller.status.get('led')?.connected).toBe(false);
    expect(published.t.controller.status.get('office')?.connected).toBe(false);
  });

  it('is still told of its revocation and dropped, with no room for its device', async () => {
    const board = await pairBoard(published.t.url, published.admin, 'led');
    const other = await pairBoard(published.t.url, published.admin, 'led');
    // The same device twice (a second tab), and another device of the same board.
    const sockets = [
      await playerSocket(published.t.url, board.token),
      await playerSocket(published.t.url, board.token),
    ];
    const kept = await playerSocket(published.t.url, other.token);
    const rooms = [...published.t.controller.hub.io.of('/player').adapter.rooms.keys()];
    expect(rooms.filter((room) => room.startsWith('device:'))).toEqual([]);
    let keptRevoked = false;
    kept.once('player:revoked', () => {
      keptRevoked = true;
    });
    const revoked = sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          socket.once('player:revoked', () => {
            resolve();
          });
        }),
    );
    const dropped = sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          socket.once('disconnect', () => {
            resolve();
          });
        }),
    );
    published.t.controller.hub.disconnectDevices([board.deviceId]);
    await Promise.all([...revoked, ...dropped]);
    expect(keptRevoked).toBe(false);
    expect(kept.connected).toBe(true);
    expect((await sayHello(kept)).boardId).toBe('led');
    kept.disconnect();
  });

  it('leaves a dashboard multiplexed on a player connection unauthenticated, not crashing', async () => {
    const board = await pairBoard(published.t.url, published.admin, 'led');
    // One engine.io connection for both namespaces, the admin's session cookie on its request.
    const manager = new Manager(published.t.url, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: published.admin.cookieHeader() },
    });
    const player = manager.socket('/player', {
      auth: { token: board.token, protocol: PROTOCOL_VERSION },
    });
    try {
      await whenConnected(player);
      expect((await sayHello(player)).boardId).toBe('led');
      // The request went with the player's authentication: the dashboard has no cookie to
      // show, and is refused like any dashboard without one.
      const refused = await whenConnected(manager.socket('/monitor')).then(
        () => 'connected',
        (error: unknown) => (error as Error).message,
      );
      expect(refused).toBe('unauthenticated');
      // The controller is fine: a dashboard on its own connection is let in.
      const dashboard = connectSocket(published.t.url, '/monitor', {
        forceNew: true,
        extraHeaders: { cookie: published.admin.cookieHeader() },
      });
      await whenConnected(dashboard);
      dashboard.disconnect();
    } finally {
      player.disconnect();
      manager.engine.close();
    }
  });
});
