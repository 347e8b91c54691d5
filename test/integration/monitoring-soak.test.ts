import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compareReport,
  prepareSoak,
  runSoakDay,
  soakPlan,
  type SoakExpectation,
} from '../../scripts/soak-lib.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { idleTimers } from '../helpers/manual-time.js';

// The small brother of `npm run soak` (1,000 boards): 24 boards play a whole day over real
// socket.io connections, holding batches back, losing acks and resending, repeating records,
// one switched off for a slice; the controller checkpoints now and then and restarts at noon.
// What must hold is exactness, not speed: the report equals what the boards played.
const BOARDS = 24;
const DAY = '2030-01-02';
const DAY_START_MS = Date.parse(`${DAY}T00:00:00+07:00`);

describe('a simulated day of proof of play from many boards', () => {
  let nowMs = DAY_START_MS;
  const options = { clock: { now: () => nowMs }, timers: idleTimers };
  let t: TestController;

  afterAll(async () => {
    await t.stop();
  });

  it('counts every play once, across resends and a restart, and the report equals what was played', async () => {
    t = await startTestController(options);
    const plan = soakPlan(BOARDS, DAY);
    const boards = await prepareSoak(t.controller, plan);
    const expected: SoakExpectation = await runSoakDay({
      url: t.url,
      boards,
      plan,
      dayStartMs: DAY_START_MS,
      rounds: 36,
      parallel: 8,
      setClock: (atMs) => {
        nowMs = atMs;
        return Promise.resolve();
      },
      afterRound: async (round) => {
        if (round % 6 === 5) await t.controller.pop.checkpoint();
      },
      crashAfterRound: {
        round: 17,
        restart: async () => {
          await t.controller.close();
          t = await startTestController({ ...options, dataDir: t.dataDir });
          return t.url;
        },
      },
    });
    // 24 boards × 16 h × 60 loops × 3 plays, less one 40-minute slice (40 loops × 3 plays)
    // of boards 0, 11 and 22, switched off then: 69 120 - 360 = 68 760.
    expect(expected.uniqueRecords).toBe(24 * 16 * 60 * 3 - 3 * 40 * 3);
    expect(expected.sentRecords).toBeGreaterThan(expected.uniqueRecords);
    expect(expected.resentBatches).toBeGreaterThan(0);

    const admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    const report = await admin.request<
      Parameters<typeof compareReport>[0] & { totals: { plays: number } }
    >('GET', `/api/reports/plays?from=${DAY}&to=${DAY}`);
    expect(report.status).toBe(200);
    expect(compareReport(report.body, expected)).toEqual([]);
    expect(report.body.totals.plays).toBe(expected.uniqueRecords);

    // The raw records: each play once, in the day files of its UTC start.
    const popDir = path.join(t.dataDir, 'pop');
    let lines = 0;
    for (const file of await readdir(popDir)) {
      lines += (await readFile(path.join(popDir, file), 'utf8'))
        .split('\n')
        .filter((l) => l.length > 0).length;
    }
    expect(lines).toBe(expected.uniqueRecords);
  }, 120_000);
});
