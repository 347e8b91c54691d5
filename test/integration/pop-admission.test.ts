import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, PlayBatchReply, PlayRecord } from '../../playlists/index.js';
import { approveAndPublish } from '../helpers/approval.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { pairBoard, playerSocket, sayHello } from '../helpers/sim-board.js';
import { twoBoardPlan } from '../helpers/two-board-plan.js';

const plan = twoBoardPlan('pop');

/** The controller judges what boards report as played before storing it (pop-admission.ts). */
describe('proof of play from a board is judged, not trusted', () => {
  let t: TestController;
  let admin: Http;
  const sockets: Socket[] = [];

  async function board(boardId: string): Promise<Socket> {
    const paired = await pairBoard(t.url, admin, boardId);
    const socket = await playerSocket(t.url, paired.token);
    sockets.push(socket);
    await sayHello(socket);
    return socket;
  }

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
    expect((await approveAndPublish(admin)).status).toBe(201);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.stop();
  });

  it('judges proof of play: false records are refused (and acknowledged), nothing of them is stored', async () => {
    const socket = await board('led');
    const popDir = path.join(t.dataDir, 'pop');
    const filesBefore = await readdir(popDir);
    const indexBefore = await readdir(`${popDir}-index`);
    const nowMs = Date.now();
    let n = 0;
    const record = (fields: Partial<PlayRecord>): PlayRecord => {
      n += 1;
      return {
        id: `judge-${String(n).padStart(6, '0')}`,
        boardId: 'led',
        kind: 'item',
        contentId: 's1',
        startMs: nowMs - 3_600_000,
        endMs: nowMs - 3_600_000 + 10_000,
        releaseVersion: 1,
        ...fields,
      };
    };
    const honest = [
      record({}),
      // s2 runs 20 s on this board; a play recorded offline three days ago.
      record({
        contentId: 's2',
        startMs: nowMs - 3 * 86_400_000,
        endMs: nowMs - 3 * 86_400_000 + 20_000,
      }),
      // A play cut short, and one ending a little after the controller's now (clock error).
      record({ endMs: nowMs - 3_600_000 + 1 }),
      record({ startMs: nowMs + 50_000, endMs: nowMs + 60_000 }),
    ];
    const DAY = 86_400_000;
    const day = nowMs - 2 * 3_600_000;
    const absurd = [
      // Longer than the item can run (s1: 10 s), a year long.
      record({ startMs: nowMs - 20 * DAY, endMs: nowMs - 10 * DAY }),
      record({ startMs: day, endMs: day + 11_000 + 2_001 }),
      // Content this board never plays (s1 is not in the office's playlists), and none at all.
      record({ contentId: 'no-such-content' }),
      record({ kind: 'announcement', contentId: 's1' }),
      // A release that does not exist.
      record({ releaseVersion: 999_999 }),
      // Years 9999 and 1970, and far in the past or the future.
      record({ startMs: 253_402_300_799_000, endMs: 253_402_300_799_999 }),
      record({ startMs: 0, endMs: 1 }),
      record({ startMs: nowMs - 60 * DAY, endMs: nowMs - 60 * DAY + 1 }),
      record({ startMs: nowMs + DAY, endMs: nowMs + DAY + 1 }),
    ];
    // 300 plays spread over 300 days: one file and one index folder a day, once.
    // (Those that fall near today, which a board could have played, are left out.)
    const spread = Array.from({ length: 300 }, (_, i) => DAY * (20_000 + i * 97))
      .filter((startMs) => Math.abs(startMs - nowMs) > 40 * DAY)
      .map((startMs) => record({ startMs, endMs: startMs + 1 }));
    const reply = (await socket.emitWithAck('pop:batch', {
      records: [...honest, ...absurd, ...spread],
    })) as Ack<PlayBatchReply>;
    if (!reply.ok) throw new Error(reply.code);
    // Everything is acknowledged: the board forgets the refused records instead of resending them.
    expect(reply.value.acknowledged.sort()).toEqual(
      [...honest, ...absurd, ...spread].map((r) => r.id).sort(),
    );
    const refused = new Map((reply.value.refused ?? []).map((r) => [r.id, r.reason]));
    expect([...refused.keys()].sort()).toEqual([...absurd, ...spread].map((r) => r.id).sort());
    expect(absurd.map((r) => refused.get(r.id))).toEqual([
      'too_long',
      'too_long',
      'unknown_content',
      'unknown_content',
      'unknown_release',
      'in_future',
      'too_old',
      'too_old',
      'in_future',
    ]);
    const stored = (await t.controller.pop.readAll()).filter((r) => r.id.startsWith('judge-'));
    expect(stored.map((r) => r.id).sort()).toEqual(honest.map((r) => r.id).sort());
    // At most the two days of the honest plays gained a file.
    const filesAfter = await readdir(popDir);
    expect(filesAfter.filter((f) => !filesBefore.includes(f)).length).toBeLessThanOrEqual(2);
    const indexAfter = await readdir(`${popDir}-index`);
    expect(indexAfter.filter((f) => !indexBefore.includes(f)).length).toBeLessThanOrEqual(2);

    // A board cannot report more than a day's time on air for one day (25 h with the
    // slack), however it splits it: 5,000 overlapping 20-s plays claim almost 28 h.
    const office = await board('office');
    const dayStart = Math.floor((nowMs - 2 * DAY) / DAY) * DAY;
    const tiled = (day: number, from: number, count: number): PlayRecord[] =>
      Array.from({ length: count }, (_, k) => {
        const i = from + k;
        return {
          id: `tiled-${String(day)}-${String(i).padStart(6, '0')}`,
          boardId: 'office',
          kind: 'item' as const,
          contentId: 's2',
          startMs: day + (i % 60) * 1000,
          endMs: day + (i % 60) * 1000 + 20_000,
          releaseVersion: 1,
        };
      });
    const reasons: string[] = [];
    for (let b = 0; b < 10; b += 1) {
      const records = tiled(dayStart, b * 500, 500);
      const r = (await office.emitWithAck('pop:batch', { records })) as Ack<PlayBatchReply>;
      if (!r.ok) throw new Error(r.code);
      expect(r.value.acknowledged).toHaveLength(500);
      reasons.push(...(r.value.refused ?? []).map((x) => x.reason));
    }
    expect(reasons).toEqual(Array.from({ length: 500 }, () => 'board_day_full'));
    // 20,000 records at once is a board's burst (5,000 sent above): more are neither stored
    // nor refused, but left unacknowledged for the board to send again later (its rate).
    for (let k = 1; k <= 30; k += 1) {
      const records = tiled(dayStart - k * DAY, 0, 500);
      const r = (await office.emitWithAck('pop:batch', { records })) as Ack<PlayBatchReply>;
      if (!r.ok) throw new Error(r.code);
      expect(r.value.acknowledged).toHaveLength(500);
    }
    const later = (await office.emitWithAck('pop:batch', {
      records: tiled(dayStart - 31 * DAY, 0, 500),
    })) as Ack<PlayBatchReply>;
    if (!later.ok) throw new Error(later.code);
    expect(later.value.refused ?? []).toEqual([]);
    expect(later.value.acknowledged.length).toBeLessThan(50);
    const first = tiled(dayStart, 0, 1)[0] as PlayRecord;
    // The s1 play the office never shows is refused.
    const wrong = (await office.emitWithAck('pop:batch', {
      records: [{ ...first, id: 'tiled-wrong-1', contentId: 's1', endMs: first.startMs + 5_000 }],
    })) as Ack<PlayBatchReply>;
    expect(wrong).toEqual({
      ok: true,
      value: {
        acknowledged: ['tiled-wrong-1'],
        refused: [{ id: 'tiled-wrong-1', reason: 'unknown_content' }],
      },
    });
  });
});
