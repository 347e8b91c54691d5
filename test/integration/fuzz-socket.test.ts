import fc from 'fast-check';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { GARBAGE_LIMIT } from '../../controller/players/hub.js';
import {
  CommandResultSchema,
  HeartbeatSchema,
  HelloSchema,
  NowPlayingSchema,
  PairingRequestSchema,
  PlayBatchSchema,
  PROTOCOL_VERSION,
  TimeSyncSchema,
  type Ack,
  type PlayBatchReply,
  type PlayRecord,
} from '../../playlists/index.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { hostilePayload, jsonText, snapshotDir, stateBytes } from '../helpers/hostile.js';
import {
  connectSocket,
  pairBoard,
  playerSocket,
  whenConnected,
  type PairedBoard,
} from '../helpers/sim-board.js';

/**
 * Every event a board may send gets at least 1,000 hostile payloads from a paired simulated
 * board. The protocol's own schemas say which payloads are valid: a valid one must be
 * acknowledged `ok`, every other one refused with `bad_payload`, and after GARBAGE_LIMIT
 * refusals the controller drops the connection (the test then reconnects with the same token).
 * Throughout, the controller stays up, state.json does not change, and the proof-of-play files
 * change only by the records the board was told were stored.
 */
/** Fixed so that runs repeat; FUZZ_SEED=<n> explores other inputs (pin what it finds). */
const SEED = Number(process.env.FUZZ_SEED ?? 4242);
const RUNS = 1000;
const BOARD = 'led';
/** A recent instant: the controller refuses plays far from its now. */
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
/** The last millisecond of year 9999: later plays are the subject of a pinned bug below. */
const LAST_4_DIGIT_YEAR_MS = Date.parse('9999-12-31T23:59:59.999Z');
const POP_FILE = /^pop-\d{4}-\d{2}-\d{2}\.ndjson$/;

const plan = {
  format: 'bangtin-plan/1',
  plan: { id: 'fuzz-socket', title: 'Kiểm thử', timeZone: 'Asia/Ho_Chi_Minh' },
  boards: [
    { id: BOARD, name: 'Cửa khẩu', width: 384, height: 128 },
    { id: 'office', name: 'Trụ sở', width: 1920, height: 1080 },
  ],
};

function record(id: string, over: Partial<PlayRecord> = {}): PlayRecord {
  return {
    id,
    boardId: BOARD,
    kind: 'item',
    contentId: 's1',
    startMs: T0,
    endMs: T0 + 10_000,
    releaseVersion: 1,
    ...over,
  };
}

const nowPlaying = { id: 's1', kind: 'item', startedAtMs: T0, bundleVersion: 1 };
const screen = { width: 384, height: 128 };

/** Each event of /player, a valid payload of it, and the schema that judges it. */
const EVENTS: readonly {
  event: string;
  schema: z.ZodType;
  example: Record<string, unknown>;
}[] = [
  {
    event: 'player:hello',
    schema: HelloSchema,
    example: {
      protocol: PROTOCOL_VERSION,
      bundleVersion: null,
      bundleHash: null,
      clientTimeMs: T0,
      screen,
      userAgent: 'sim-board',
    },
  },
  { event: 'time:sync', schema: TimeSyncSchema, example: { clientSendMs: T0 } },
  {
    event: 'player:heartbeat',
    schema: HeartbeatSchema,
    example: {
      nowPlaying,
      bundleVersion: 1,
      uptimeMs: 5000,
      clockOffsetMs: -12,
      screen,
      errors: ['renderer: lost context'],
    },
  },
  { event: 'player:now-playing', schema: NowPlayingSchema, example: nowPlaying },
  {
    event: 'pop:batch',
    schema: PlayBatchSchema,
    example: {
      records: [record('rec-example-1'), record('rec-example-2', { kind: 'announcement' })],
    },
  },
  {
    event: 'command:result',
    schema: CommandResultSchema,
    example: { id: 'cmd-1', ok: true, data: 'data:image/png;base64,iVBORw0KGgo=' },
  },
];

/** What the controller receives: the JSON of the payload (socket.io's encoding), or bytes. */
function onTheWire(payload: unknown): unknown {
  if (payload instanceof Uint8Array) return payload;
  return JSON.parse(jsonText(payload)) as unknown;
}

/** Valid play records of this board, dated anywhere from 1970 to the end of year 9999. */
const validRecords = fc.array(
  fc
    .record({
      id: fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      kind: fc.constantFrom('item' as const, 'announcement' as const),
      contentId: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      startMs: fc.integer({ min: 0, max: LAST_4_DIGIT_YEAR_MS - 86_400_000 }),
      lengthMs: fc.integer({ min: 0, max: 86_400_000 }),
      releaseVersion: fc.integer({ min: 1, max: 2 ** 31 }),
    })
    .map(({ lengthMs, ...r }) => ({ ...r, boardId: BOARD, endMs: r.startMs + lengthMs })),
  { minLength: 1, maxLength: 5 },
);

describe('socket fuzzing: hostile payloads from a paired board', () => {
  let t: TestController;
  let admin: Http;
  let board: PairedBoard;
  let socket: Socket | undefined;
  const opened: Socket[] = [];
  /** Refusals on the current connection. */
  let refusals = 0;

  async function current(): Promise<Socket> {
    if (socket?.connected) return socket;
    socket = await playerSocket(t.url, board.token);
    opened.push(socket);
    refusals = 0;
    return socket;
  }

  /** Sends one payload and returns the ack; follows the controller's garbage rule. */
  async function send(event: string, payload: unknown): Promise<Ack<unknown>> {
    const s = await current();
    const reply = (await s.timeout(10_000).emitWithAck(event, payload)) as Ack<unknown>;
    if (!reply.ok) {
      refusals += 1;
      if (refusals === GARBAGE_LIMIT) {
        // The limit is reached: the controller must hang up now.
        if (s.connected) {
          const reason = await new Promise<string>((resolve) => s.once('disconnect', resolve));
          expect(reason).toBe('io server disconnect');
        }
      } else {
        expect(s.connected).toBe(true);
      }
    }
    return reply;
  }

  async function healthy(): Promise<void> {
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
  }

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
    board = await pairBoard(t.url, admin, BOARD);
  });
  afterEach(() => {
    for (const s of opened.splice(0)) s.disconnect();
    socket = undefined;
  });
  afterAll(async () => {
    await t.stop();
  });

  for (const { event, schema, example } of EVENTS) {
    it(`${event}: ${RUNS} hostile payloads are refused with bad_payload; nothing changes`, async () => {
      const state = await stateBytes(t.dataDir);
      const popDir = path.join(t.dataDir, 'pop');
      const popBefore = await snapshotDir(popDir);
      const storedBefore = new Set((await t.controller.pop.readAll()).map((r) => r.id));
      const accepted = new Map<string, unknown>();
      let refused = 0;
      const payloads =
        event === 'pop:batch'
          ? fc.oneof(
              { weight: 9, arbitrary: hostilePayload(example) },
              { weight: 1, arbitrary: validRecords.map((records) => ({ records })) },
            )
          : hostilePayload(example);
      await fc.assert(
        fc.asyncProperty(payloads, async (payload) => {
          const wire = onTheWire(payload);
          const parsed = schema.safeParse(wire);
          const valid =
            parsed.success &&
            (event !== 'pop:batch' ||
              PlayBatchSchema.parse(wire).records.every(
                (r) => r.boardId === BOARD && r.endMs >= r.startMs,
              ));
          const reply = await send(event, payload);
          if (valid) {
            expect(reply.ok, JSON.stringify(reply)).toBe(true);
            if (event === 'pop:batch') {
              // Stored: what is acknowledged and not refused (a play no board could have made,
              // e.g. years away from now, is refused and acknowledged; pop-admission.ts).
              const value = (reply as { ok: true; value: PlayBatchReply }).value;
              const refusedIds = new Set((value.refused ?? []).map((r) => r.id));
              const acknowledged = new Set(value.acknowledged);
              const seen = new Set<string>();
              for (const r of PlayBatchSchema.parse(wire).records) {
                if (seen.has(r.id)) continue;
                seen.add(r.id);
                expect(acknowledged.has(r.id)).toBe(true);
                if (!refusedIds.has(r.id) && !accepted.has(r.id)) accepted.set(r.id, r);
              }
            }
          } else {
            expect(reply).toEqual({ ok: false, code: 'bad_payload' });
            refused += 1;
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(refused).toBeGreaterThan(RUNS / 2);
      await healthy();
      expect((await stateBytes(t.dataDir)).equals(state)).toBe(true);

      // Proof of play: append-only, and only what was acknowledged as new.
      const popAfter = await snapshotDir(popDir);
      const added = new Map<string, unknown>();
      for (const [file, bytes] of popAfter) {
        expect(file).toMatch(POP_FILE);
        const old = popBefore.get(file) ?? Buffer.alloc(0);
        expect(bytes.subarray(0, old.length).equals(old)).toBe(true);
        for (const line of bytes.subarray(old.length).toString('utf8').split('\n')) {
          if (line.length === 0) continue;
          const stored = JSON.parse(line) as { id: string };
          expect(added.has(stored.id)).toBe(false);
          added.set(stored.id, stored);
        }
      }
      for (const id of storedBefore) accepted.delete(id);
      expect(added).toEqual(accepted);
      const storedAfter = new Set((await t.controller.pop.readAll()).map((r) => r.id));
      for (const id of accepted.keys()) expect(storedAfter.has(id)).toBe(true);
    }, 180_000);
  }

  it(`pairing:request: ${RUNS} hostile payloads are refused with bad_payload; nothing changes`, async () => {
    const state = await stateBytes(t.dataDir);
    let pairing: Socket | undefined;
    let garbage = 0;
    let refused = 0;
    let dropped = 0;
    await fc.assert(
      fc.asyncProperty(
        hostilePayload({ protocol: PROTOCOL_VERSION, screen: { width: 1920, height: 1080 } }),
        async (payload) => {
          const valid = PairingRequestSchema.safeParse(onTheWire(payload)).success;
          if (!pairing?.connected) {
            pairing = connectSocket(t.url, '/pairing');
            opened.push(pairing);
            await whenConnected(pairing);
            garbage = 0;
          }
          const socket = pairing;
          const reply = (await socket
            .timeout(10_000)
            .emitWithAck('pairing:request', payload)) as Ack<unknown>;
          if (valid) {
            // A code, or the per-address limit on codes.
            expect(reply.ok || reply.code === 'rate_limited', JSON.stringify(reply)).toBe(true);
          } else {
            expect(reply).toEqual({ ok: false, code: 'bad_payload' });
            refused += 1;
            garbage += 1;
            if (garbage === GARBAGE_LIMIT) {
              // The limit is reached: the controller must hang up now, as on /player.
              if (socket.connected) {
                const reason = await new Promise<string>((resolve) => {
                  socket.once('disconnect', resolve);
                });
                expect(reason).toBe('io server disconnect');
              }
              dropped += 1;
            } else {
              expect(socket.connected).toBe(true);
            }
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(refused).toBeGreaterThan(RUNS / 2);
    expect(dropped).toBe(Math.floor(refused / GARBAGE_LIMIT));
    await healthy();
    expect((await stateBytes(t.dataDir)).equals(state)).toBe(true);
  }, 180_000);

  it('counts events outside the protocol as garbage, on /player and on /pairing', async () => {
    const socket = await playerSocket(t.url, board.token);
    opened.push(socket);
    const unknown = (await socket.emitWithAck('player:whatever', { a: 1 })) as Ack<unknown>;
    expect(unknown).toEqual({ ok: false, code: 'bad_payload' });
    expect(socket.connected).toBe(true);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    for (let i = 1; i < 10; i += 1) socket.emit(`khong-co-${String(i)}`, i);
    expect(await dropped).toBe('io server disconnect');

    const pairing = connectSocket(t.url, '/pairing');
    opened.push(pairing);
    await whenConnected(pairing);
    const odd = (await pairing.emitWithAck('pairing:whatever', {})) as Ack<unknown>;
    expect(odd).toEqual({ ok: false, code: 'bad_payload' });
    const gone = new Promise<string>((resolve) => pairing.once('disconnect', resolve));
    // Requests without an ack and unknown events alike.
    for (let i = 1; i < 10; i += 1) {
      if (i % 2 === 0) pairing.emit('pairing:request', { protocol: PROTOCOL_VERSION });
      else pairing.emit('pairing:nonsense', i);
    }
    expect(await gone).toBe('io server disconnect');
  });

  it("refuses another board's play records, alone or mixed with its own, and stores none", async () => {
    const before = await snapshotDir(path.join(t.dataDir, 'pop'));
    const foreign = record('rec-foreign-01', { boardId: 'office' });
    const own = record('rec-own-00001');
    for (const records of [[foreign], [own, foreign], [foreign, own]]) {
      expect(await send('pop:batch', { records })).toEqual({ ok: false, code: 'bad_payload' });
    }
    expect(await snapshotDir(path.join(t.dataDir, 'pop'))).toEqual(before);
    const ids = (await t.controller.pop.readAll()).map((r) => r.id);
    expect(ids).not.toContain('rec-foreign-01');
    expect(ids).not.toContain('rec-own-00001');
  });

  it('counts messages without an ack as garbage too, and drops the connection after the limit', async () => {
    const s = await current();
    const dropped = new Promise<string>((resolve) => s.once('disconnect', resolve));
    for (let i = 0; i < GARBAGE_LIMIT; i += 1) {
      // No ack, or the ack in the wrong place: nothing to answer, but it is garbage.
      if (i % 2 === 0) s.emit('player:heartbeat', { uptimeMs: 'x' });
      else s.emit('time:sync', { clientSendMs: 1 }, 'not-an-ack', () => undefined);
    }
    expect(await dropped).toBe('io server disconnect');
    await healthy();
    // The token still works: a well-behaved board reconnects.
    const again = await current();
    const reply = (await again.emitWithAck('time:sync', { clientSendMs: 1 })) as Ack<unknown>;
    expect(reply.ok).toBe(true);
  });

  // Pinned from the fuzzer. With play records dated anywhere the protocol allows (MsSchema: up
  // to 8.64e15 ms), seed 4242 fails on its first run: a batch whose first record starts in year
  // +137844 is acknowledged, then missing from PopStore.readAll(). (Shrinking is no help: the
  // store remembers ids, so a shrunk retry of an acknowledged id passes for another reason.)
  // The case, written out with the first year that has five digits:
  it('pinned: a play record dated after year 9999 is refused, so nothing is acknowledged and lost', async () => {
    const far = record('rec-year-10000', {
      startMs: Date.parse('+010000-01-01T00:00:00Z'),
      endMs: Date.parse('+010000-01-01T00:00:10Z'),
    });
    // It was once acknowledged, written to a file the store could not read back, and lost.
    const reply = await send('pop:batch', { records: [far] });
    expect(reply).toEqual({ ok: false, code: 'bad_payload' });
    const files = [...(await snapshotDir(path.join(t.dataDir, 'pop'))).keys()];
    expect(files.filter((f) => !POP_FILE.test(f))).toEqual([]);
    expect((await t.controller.pop.readAll()).map((r) => r.id)).not.toContain('rec-year-10000');
  });
});
