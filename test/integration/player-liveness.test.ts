// A board must notice a connection that died without closing (a cut cable, a NAT that forgot
// it) by its heartbeat going unanswered, and reconnect: engine.io's own ping is rare
// (PLAYER_LIVENESS), so it cannot be what brings a board back in time.
import { describe, expect, it } from 'vitest';
import { PlayerConnection } from '../../player/app/connection.js';
import {
  PLAYER_LIVENESS,
  PROTOCOL_VERSION,
  type Ack,
  type Heartbeat,
  type PairingOffer,
} from '../../playlists/index.js';
import { usePublishedController } from '../helpers/published-controller.js';
import { LinkProxy } from '../helpers/link-proxy.js';
import {
  connectSocket,
  pairBoard,
  playerSocket,
  sayHello,
  whenConnected,
} from '../helpers/sim-board.js';

const beat: Heartbeat = {
  nowPlaying: { id: '', kind: 'idle', startedAtMs: Date.now(), bundleVersion: null },
  bundleVersion: null,
  uptimeMs: 1_000,
  clockOffsetMs: 0,
  screen: { width: 384, height: 128 },
  errors: [],
};

/** A promise and the callback that resolves it. */
function signal(): { wait: Promise<void>; fire: () => void } {
  let fire: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return {
    wait,
    fire: () => {
      fire();
    },
  };
}

describe('player liveness', () => {
  const published = usePublishedController();

  it('the ping is rarer than the heartbeat, and a dead link is found well before it', () => {
    expect(PLAYER_LIVENESS.pingIntervalMs).toBeGreaterThan(PLAYER_LIVENESS.heartbeatMs);
    expect(PLAYER_LIVENESS.heartbeatMs + PLAYER_LIVENESS.ackTimeoutMs).toBeLessThan(
      PLAYER_LIVENESS.pingIntervalMs + PLAYER_LIVENESS.pingTimeoutMs,
    );
  });

  it('a heartbeat unanswered in time drops the silent link, and the player reconnects', async () => {
    const board = await pairBoard(published.t.url, published.admin, 'led');
    const proxy = await LinkProxy.start(published.t.url);
    let connects = 0;
    let disconnects = 0;
    const first = signal();
    const lost = signal();
    const second = signal();
    const connection = new PlayerConnection(
      board.token,
      {
        onConnected: () => {
          connects += 1;
          (connects === 1 ? first : second).fire();
        },
        onDisconnected: () => {
          disconnects += 1;
          lost.fire();
        },
        onBundle: () => undefined,
        onCommand: () => undefined,
        onBlankAll: () => undefined,
        onRevoked: () => undefined,
      },
      { url: `${proxy.url}/player`, ackTimeoutMs: 1_500 },
    );
    try {
      await first.wait;
      // A live link: the heartbeat is answered, nothing is dropped.
      await connection.heartbeat(beat);
      expect(disconnects).toBe(0);

      proxy.blackhole();
      const startedMs = Date.now();
      await expect(connection.heartbeat(beat)).rejects.toThrow(/timed out/);
      await lost.wait;
      await second.wait;
      // Reconnected through a new link, long before engine.io's ping would have noticed.
      expect(Date.now() - startedMs).toBeLessThan(
        PLAYER_LIVENESS.pingIntervalMs + PLAYER_LIVENESS.pingTimeoutMs,
      );
      expect(connection.connected).toBe(true);
      await connection.heartbeat(beat);
      expect(connects).toBe(2);
      expect(disconnects).toBe(1);
    } finally {
      connection.close();
      await proxy.close();
    }
  });

  it('a refused heartbeat is not taken for a dead link', async () => {
    const board = await pairBoard(published.t.url, published.admin, 'office');
    let disconnects = 0;
    const up = signal();
    const connection = new PlayerConnection(
      board.token,
      {
        onConnected: up.fire,
        onDisconnected: () => {
          disconnects += 1;
        },
        onBundle: () => undefined,
        onCommand: () => undefined,
        onBlankAll: () => undefined,
        onRevoked: () => undefined,
      },
      { url: `${published.t.url}/player` },
    );
    try {
      await up.wait;
      const bad = { ...beat, uptimeMs: -1 };
      await expect(connection.heartbeat(bad)).rejects.toThrow('bad_payload');
      expect(connection.connected).toBe(true);
      expect(disconnects).toBe(0);
    } finally {
      connection.close();
    }
  });
});

describe('silent boards', () => {
  const silentCloseMs = 1_500;
  const published = usePublishedController({ silentCloseMs: { players: silentCloseMs } });

  it('the invariants: the controller frees a silent board well before engine.io would', () => {
    expect(PLAYER_LIVENESS.silentCloseMs).toBeGreaterThanOrEqual(
      2 * PLAYER_LIVENESS.heartbeatMs + PLAYER_LIVENESS.ackTimeoutMs,
    );
    expect(PLAYER_LIVENESS.silentCloseMs).toBeLessThan(
      PLAYER_LIVENESS.pingIntervalMs + PLAYER_LIVENESS.pingTimeoutMs,
    );
  });

  it('closes the connection of a board it does not hear from, and keeps one that beats', async () => {
    const quiet = await pairBoard(published.t.url, published.admin, 'led');
    const beating = await pairBoard(published.t.url, published.admin, 'office');
    const quietSocket = await playerSocket(published.t.url, quiet.token);
    const beatingSocket = await playerSocket(published.t.url, beating.token);
    try {
      await sayHello(quietSocket);
      await sayHello(beatingSocket);
      const closed = new Promise<{ reason: string; afterMs: number }>((resolve) => {
        const startedMs = Date.now();
        quietSocket.once('disconnect', (reason) => {
          resolve({ reason, afterMs: Date.now() - startedMs });
        });
      });
      const beats = setInterval(() => {
        void beatingSocket.emitWithAck('player:heartbeat', beat);
      }, 300);
      try {
        const { reason, afterMs } = await closed;
        // The server's doing, after the silence (checked every third of it).
        expect(reason).toBe('io server disconnect');
        expect(afterMs).toBeGreaterThan(silentCloseMs - 500);
        expect(afterMs).toBeLessThan(silentCloseMs * 3);
        // Another whole period: the beating board is still connected and answered.
        await new Promise((resolve) => setTimeout(resolve, silentCloseMs + 700));
        expect(beatingSocket.connected).toBe(true);
        const reply = (await beatingSocket.emitWithAck('player:heartbeat', beat)) as {
          ok: boolean;
        };
        expect(reply.ok).toBe(true);
      } finally {
        clearInterval(beats);
      }
      const status = published.t.controller.status;
      expect(status.get('led')?.connected).toBe(false);
      expect(status.get('office')?.connected).toBe(true);
    } finally {
      quietSocket.close();
      beatingSocket.close();
    }
  });

  it('closes a pairing connection that never asks for a code, and keeps one waiting with a code', async () => {
    const idle = connectSocket(published.t.url, '/pairing');
    const waiting = connectSocket(published.t.url, '/pairing');
    try {
      await whenConnected(idle);
      await whenConnected(waiting);
      const offer = (await waiting.emitWithAck('pairing:request', {
        protocol: PROTOCOL_VERSION,
        screen: { width: 384, height: 128 },
      })) as Ack<PairingOffer>;
      expect(offer.ok).toBe(true);
      const reason = await new Promise<string>((resolve) => {
        idle.once('disconnect', resolve);
      });
      expect(reason).toBe('io server disconnect');
      // Its code lives ten minutes: the waiting board keeps its connection meanwhile.
      await new Promise((resolve) => setTimeout(resolve, silentCloseMs + 700));
      expect(waiting.connected).toBe(true);
    } finally {
      idle.close();
      waiting.close();
    }
  });
});
