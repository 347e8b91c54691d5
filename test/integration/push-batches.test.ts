// A publish that changes many boards pushes their bundles a batch per turn of the event loop
// (PlayerHub.pushBundles): the first batch at once, the rest after publish() returns, and every
// connected player gets the new bundle. Real controller, real socket.io players.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { sha256Hex } from '../../controller/auth/secrets.js';
import { canonicalJson, PROTOCOL_VERSION, type Bundle } from '../../playlists/index.js';
import { startTestController, type TestController } from '../helpers/controller.js';
import { buildPlan, validated } from '../helpers/plan-builder.js';
import { connectSocket, sayHello, whenConnected } from '../helpers/sim-board.js';

const BOARDS = 520; // two full batches of 250 and a part of a third
const boardId = (i: number) => `b-${String(i).padStart(3, '0')}`;
const token = (i: number) => `pt_push-batches-test-board-${String(i).padStart(3, '0')}`;

let round = 1;
function plan() {
  const doc = buildPlan({
    boards: Array.from({ length: BOARDS }, (_, i) => ({
      id: boardId(i),
      name: `Bảng ${i}`,
      tags: ['led'],
      width: 384,
      height: 128,
    })),
    content: [{ id: 'round', kind: 'slogan', text: `Lần ${round}`, durationSec: 10 }],
    playlists: [{ id: 'R', name: 'Vòng', items: ['round'] }],
    schedules: [{ id: 'all', playlist: 'R', phase: 'dot-1', boards: { tags: ['led'] } }],
  });
  // No banner: its asset would have to be uploaded first.
  doc.content = (doc.content ?? []).filter((c) => c.kind !== 'banner');
  doc.playlists = (doc.playlists ?? []).filter((p) => p.id !== 'B');
  return validated(doc);
}

describe('bundle push in batches', () => {
  let t: TestController;
  const players: Socket[] = [];

  beforeAll(async () => {
    t = await startTestController({
      publishSource: { select: () => ({ plans: [plan()], approvals: [], withheld: [] }) },
    });
    const pairedAt = new Date().toISOString();
    await t.controller.store.update((draft) => {
      for (let i = 0; i < BOARDS; i++) {
        draft.devices.push({
          id: `dev-${i}`,
          boardId: boardId(i),
          tokenHash: sha256Hex(token(i)),
          pairedAt,
          pairedBy: 'test',
        });
      }
    });
    await t.controller.releases.publish('test');
    for (let i = 0; i < BOARDS; i += 40) {
      await Promise.all(
        Array.from({ length: Math.min(40, BOARDS - i) }, async (_, k) => {
          const socket = connectSocket(t.url, '/player', {
            auth: { token: token(i + k), protocol: PROTOCOL_VERSION },
          });
          players[i + k] = socket;
          await whenConnected(socket);
          const hello = await sayHello(socket);
          if (hello.bundle?.releaseVersion !== 1) throw new Error(`board ${i + k} has no bundle`);
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    for (const socket of players) socket.close();
    await t.stop();
  });

  it('writes the first batch at once, the rest after publish() returns, and reaches every board', async () => {
    const received = players.map(
      (socket) => new Promise<Bundle>((resolve) => socket.once('bundle:update', resolve)),
    );
    const pushBundle = vi.spyOn(t.controller.hub, 'pushBundle');
    // The bookkeeping of a publish waits for this: it must come after the last push.
    const delivered: { version: number; pushed: number }[] = [];
    const off = t.controller.events.on('release:delivered', (event) => {
      delivered.push({ version: event.version, pushed: pushBundle.mock.calls.length });
    });
    round = 2;

    await t.controller.releases.publish('test');
    expect(pushBundle).toHaveBeenCalledTimes(250);
    expect(delivered).toEqual([]);
    await t.controller.hub.pushed();
    expect(pushBundle).toHaveBeenCalledTimes(BOARDS);
    expect(delivered).toEqual([{ version: 2, pushed: BOARDS }]);
    off();

    const bundles = await Promise.all(received);
    expect(new Set(bundles.map((b) => b.boardId)).size).toBe(BOARDS);
    for (const bundle of bundles) {
      expect(bundle.releaseVersion).toBe(2);
      expect(bundle.plan.content.find((c) => c.id === 'round')).toMatchObject({ text: 'Lần 2' });
      // Byte for byte the bundle the controller signed for that board: the frames' memory is
      // reused from frame to frame (FrameArena), never while one is still being written.
      expect(canonicalJson(bundle)).toBe(
        canonicalJson(t.controller.releases.bundle(bundle.boardId)),
      );
    }
    pushBundle.mockRestore();
  }, 60_000);

  it('keeps pushing to the others when one board of a later batch fails', async () => {
    const failing = boardId(300);
    const received = players.map(
      (socket) =>
        new Promise<Bundle | 'none'>((resolve) => {
          socket.once('bundle:update', resolve);
          setTimeout(() => {
            resolve('none');
          }, 5_000);
        }),
    );
    const hub = t.controller.hub;
    const original = hub.pushBundle.bind(hub);
    const pushBundle = vi.spyOn(hub, 'pushBundle').mockImplementation((id) => {
      if (id === failing) throw new Error('injected failure');
      original(id);
    });
    let delivered = 0;
    const off = t.controller.events.on('release:delivered', () => {
      delivered += 1;
    });
    round = 3;

    await t.controller.releases.publish('test');
    await hub.pushed();
    off();
    expect(delivered).toBe(1);

    const bundles = await Promise.all(received);
    expect(bundles[300]).toBe('none');
    const others = bundles.filter((b) => b !== 'none');
    expect(others).toHaveLength(BOARDS - 1);
    for (const bundle of others) {
      // The frames of release 3: none made from what a push of release 2 kept (its templates).
      expect(bundle.releaseVersion).toBe(3);
      expect(canonicalJson(bundle)).toBe(
        canonicalJson(t.controller.releases.bundle(bundle.boardId)),
      );
    }
    pushBundle.mockRestore();
  }, 60_000);

  it('installs and pushes nothing when the release file cannot be written', async () => {
    // The tree is built while the file is written: a failed write must leave the release
    // before it current, the new one in no index, and no board sent anything.
    const before = t.controller.releases.current();
    if (!before) throw new Error('no release');
    const version = before.meta.version + 1;
    // A directory where the release file would go: the rename over it fails.
    const blocked = path.join(t.dataDir, 'releases', `${String(version).padStart(6, '0')}.json`);
    await mkdir(path.join(blocked, 'in-the-way'), { recursive: true });
    const pushBundle = vi.spyOn(t.controller.hub, 'pushBundle');
    round = 4;
    await expect(t.controller.releases.publish('test')).rejects.toThrow();
    await t.controller.hub.pushed();
    expect(pushBundle).not.toHaveBeenCalled();
    expect(t.controller.releases.current()).toBe(before);
    expect(t.controller.store.read().releases.map((r) => r.version)).not.toContain(version);
    // With the way cleared, the same publish goes through.
    await rm(blocked, { recursive: true });
    expect((await t.controller.releases.publish('test')).version).toBe(version);
    await t.controller.hub.pushed();
    expect(pushBundle).toHaveBeenCalledTimes(BOARDS);
    pushBundle.mockRestore();
  }, 60_000);

  it('writes the frames straight to the WebSockets, after anything engine.io holds', async () => {
    const io = t.controller.hub.io.of('/player');
    const conns = [...io.sockets.values()].map((socket) => socket.conn);
    expect(conns).toHaveLength(BOARDS);
    // engine.io makes a packet of each message written through it: none of the bundles'.
    let packets = 0;
    const count = (packet: { type: string }) => {
      if (packet.type === 'message') packets += 1;
    };
    for (const conn of conns) conn.on('packetCreate', count);
    // The release before's bundles may still be on their way.
    const version = (t.controller.releases.current()?.meta.version ?? 0) + 1;
    const received = players.map(
      (socket) =>
        new Promise<Bundle>((resolve) => {
          const take = (bundle: Bundle) => {
            if (bundle.releaseVersion !== version) return;
            socket.off('bundle:update', take);
            resolve(bundle);
          };
          socket.on('bundle:update', take);
        }),
    );
    round = 5;
    await t.controller.releases.publish('test');
    await t.controller.hub.pushed();
    const bundles = await Promise.all(received);
    for (const conn of conns) conn.off('packetCreate', count);
    expect(packets).toBe(0);
    for (const bundle of bundles) {
      expect(canonicalJson(bundle)).toBe(
        canonicalJson(t.controller.releases.bundle(bundle.boardId)),
      );
    }

    // Two commands to one board: the second waits in engine.io's buffer while the first is
    // written. A push to that board right then goes after both.
    const board = [...io.sockets.values()].find((socket) => socket.data.boardId === boardId(0));
    const player = players[0];
    if (!board || !player) throw new Error('no board 0');
    const order: string[] = [];
    const heard = new Promise<void>((resolve) => {
      player.onAny((event: string) => {
        order.push(event);
        if (order.length === 3) resolve();
      });
    });
    board.emit('command', { id: 'eins', type: 'identify' });
    board.emit('command', { id: 'zwei', type: 'identify' });
    t.controller.hub.pushBundle(boardId(0));
    await heard;
    expect(order).toEqual(['command', 'command', 'bundle:update']);
    player.offAny();
  }, 60_000);
});
