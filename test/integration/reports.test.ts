import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CSV_HEADER } from '../../controller/monitoring/csv.js';
import type { PlayReport, ReportFigures } from '../../controller/monitoring/reports.js';
import type { Ack, PlayBatchReply, PlayRecord } from '../../playlists/index.js';
import { approveAndPublish } from '../helpers/approval.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { ManualTime } from '../helpers/manual-time.js';
import { pairBoard, playerSocket, type PairedBoard } from '../helpers/sim-board.js';

const fixture = (name: string) => path.resolve('test/fixtures', name);

interface Run {
  boardId: string;
  kind: PlayRecord['kind'];
  contentId: string;
  first: string;
  everySec: number;
  durationSec: number;
  count: number;
}

/** The fixture's runs as the play records the boards would send. */
function expand(runs: readonly Run[]): PlayRecord[] {
  return runs.flatMap((run, r) =>
    Array.from({ length: run.count }, (_, i) => {
      const startMs = Date.parse(run.first) + i * run.everySec * 1000;
      return {
        id: `run${r}-play${String(i).padStart(4, '0')}`,
        boardId: run.boardId,
        kind: run.kind,
        contentId: run.contentId,
        startMs,
        endMs: startMs + run.durationSec * 1000,
        releaseVersion: 1,
      };
    }),
  );
}

const s = (seconds: number) => seconds * 1000;
/** Figures in seconds, as they are worked out by hand below. */
const fig = (plays: number, onAir: number, scheduled: number, shown: number): ReportFigures => ({
  plays,
  onAirMs: s(onAir),
  scheduledMs: s(scheduled),
  shownScheduledMs: s(shown),
  share: scheduled === 0 ? null : shown / scheduled,
});

/*
 * The plan (test/fixtures/report-plan.json), local time +07:00, as the resolver lays it out:
 *
 * cong (tag led), 03-01: [08:00, 09:00) scA loops pA = s1 60 s + s2 30 s (90 s) from 08:00:
 *   3600 / 90 = 40 loops → s1 40 × 60 = 2400 s, s2 40 × 30 = 1200 s.
 *   [09:00, 09:30) scB (priority 1): s3 1800 s.
 *   [09:30, 10:00) scA again, a new regime that starts its loop at 09:30: 1800 / 90 = 20 loops
 *   → s1 1200 s, s2 600 s.
 *   Day: s1 3600, s2 1800, s3 1800 = 7200 s.
 * cong, 03-02: [08:00, 08:30) scA: 20 loops → s1 1200, s2 600; [08:30, 08:45) announcement
 *   tb1 900 s; [08:45, 09:00) scA from 08:45: 10 loops → s1 600, s2 300; [09:00, 09:30) s3
 *   1800; [09:30, 10:00) s1 1200, s2 600.
 *   Day: s1 3000, s2 1500, s3 1800, tb1 900 = 7200 s.
 * cong, 03-03: phase dot-1 is over: idle. tru-so: nothing on 03-01 and 03-02; on 03-03 scC
 *   (phase dot-2) all day: s3 86 400 s.
 *
 * The plays (test/fixtures/report-plays.json):
 * cong 03-01: s1 20 + 20 plays × 60 s = 2400 s; s2 20 + 20 × 30 s = 1200 s (it was dark
 *   08:30-09:00); s3 30 × 60 s = 1800 s. 110 plays, 5400 s.
 * cong 03-02: tb1 1 play of 900 s; s3 31 × 60 s = 1860 s (one minute past 09:30).
 *   32 plays, 2760 s; no s1, no s2.
 * tru-so 03-02: one s3 play 23:59:30 → 00:00:30: it started on 03-02 (1 play there) and was on
 *   air 30 s on 03-02 and 30 s on 03-03.
 * tru-so 03-03: s3 1000 plays × 60 s from 00:00:30 = 60 000 s, + 30 s from the night before
 *   = 60 030 s on air.
 *
 * Shown scheduled time, min(on air, scheduled) per board, content and day:
 * cong 03-01: s1 min(2400, 3600) = 2400, s2 min(1200, 1800) = 1200, s3 1800 → 5400.
 * cong 03-02: s1 0, s2 0, s3 min(1860, 1800) = 1800, tb1 900 → 2700.
 * tru-so 03-02: s3 min(30, 0) = 0. tru-so 03-03: s3 min(60 030, 86 400) = 60 030.
 */
const CONG = {
  s1: fig(40, 2400, 3600 + 3000, 2400),
  s2: fig(40, 1200, 1800 + 1500, 1200),
  s3: fig(30 + 31, 1800 + 1860, 1800 + 1800, 1800 + 1800),
  tb1: fig(1, 900, 900, 900),
  // 40 + 40 + 61 + 1 = 142 plays; 2400 + 1200 + 3660 + 900 = 8160 s; 14 400 s scheduled;
  // 2400 + 1200 + 3600 + 900 = 8100 s shown: 8100 / 14 400 = 56.25 %.
  all: fig(142, 8160, 14_400, 8100),
};
const TRU_SO = {
  // 1 + 1000 plays; 30 + 60 030 = 60 060 s on air; 86 400 scheduled; 0 + 60 030 shown.
  s3: fig(1001, 60_060, 86_400, 60_030),
};
// 142 + 1001 = 1143 plays; 8160 + 60 060 = 68 220 s; 14 400 + 86 400 = 100 800 s scheduled;
// 8100 + 60 030 = 68 130 s shown (67.59 %).
const TOTAL = fig(1143, 68_220, 100_800, 68_130);
const DAYS = [
  // 03-01: cong only. 03-02: cong 32 + tru-so 1 plays, 2760 + 30 s, 7200 s scheduled, 2700 shown.
  { date: '2030-03-01', ...fig(110, 5400, 7200, 5400) },
  { date: '2030-03-02', ...fig(33, 2790, 7200, 2700) },
  { date: '2030-03-03', ...fig(1000, 60_030, 86_400, 60_030) },
];

describe('proof-of-play reports: a fixture plan and fixture plays against figures worked out by hand', () => {
  const time = new ManualTime('2030-03-04T05:00:00Z');
  let t: TestController;
  let admin: Http;
  let records: PlayRecord[];
  const boards = new Map<string, PairedBoard>();
  const sockets: Socket[] = [];

  async function send(batch: PlayRecord[]): Promise<void> {
    const boardId = batch[0]?.boardId ?? '';
    const paired = boards.get(boardId);
    if (!paired) throw new Error(boardId);
    const socket = await playerSocket(t.url, paired.token);
    sockets.push(socket);
    const reply = (await socket.emitWithAck('pop:batch', {
      records: batch,
    })) as Ack<PlayBatchReply>;
    expect(reply).toEqual({ ok: true, value: { acknowledged: batch.map((r) => r.id) } });
    socket.disconnect();
  }

  /** Batches of up to `size` records of one board. */
  function batches(list: readonly PlayRecord[], size: number): PlayRecord[][] {
    const out: PlayRecord[][] = [];
    for (const boardId of ['cong', 'tru-so']) {
      const own = list.filter((r) => r.boardId === boardId);
      for (let i = 0; i < own.length; i += size) out.push(own.slice(i, i + size));
    }
    return out;
  }

  async function report(query: string): Promise<PlayReport> {
    const res = await admin.request<PlayReport>('GET', `/api/reports/plays?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestController(time.controllerOptions());
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    const plan = JSON.parse(await readFile(fixture('report-plan.json'), 'utf8')) as unknown;
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
    expect((await approveAndPublish(admin)).status).toBe(201);
    for (const boardId of ['cong', 'tru-so'])
      boards.set(boardId, await pairBoard(t.url, admin, boardId));
    const { runs } = JSON.parse(await readFile(fixture('report-plays.json'), 'utf8')) as {
      runs: Run[];
    };
    records = expand(runs);
    expect(records).toHaveLength(1143);

    // Half the plays, then the controller restarts (nothing kept in memory survives)...
    const half = batches(records.slice(0, 600), 97);
    for (const batch of half) await send(batch);
    await t.controller.close();
    t = await startTestController({ ...time.controllerOptions(), dataDir: t.dataDir });
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    // ...then every play again (the boards never got some acks), in other batches, some twice.
    const all = batches(records, 250);
    for (const batch of all) await send(batch);
    for (const batch of all.slice(0, 2)) await send([...batch, ...batch.slice(0, 3)]);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t.stop();
  });

  it('adds up plays, time on air and the share of scheduled time shown, per board, content and day', async () => {
    const r = await report('planId=bao-cao&from=2030-03-01&to=2030-03-03');
    expect(r).toMatchObject({
      from: '2030-03-01',
      to: '2030-03-03',
      timeZones: ['Asia/Ho_Chi_Minh'],
      releaseVersion: 1,
      generatedAt: '2030-03-04T05:00:00.000Z',
    });
    expect(r.totals).toEqual(TOTAL);
    expect(r.days).toEqual(DAYS);
    const cong = r.boards.find((b) => b.boardId === 'cong');
    expect(cong).toMatchObject({ name: 'Cổng Ủy ban', place: 'Số 1 đường Lê Lợi', ...CONG.all });
    expect(cong?.contents).toEqual([
      {
        kind: 'announcement',
        contentId: 'tb1',
        contentKind: 'announcement',
        title: 'THÔNG BÁO: HỌP KHẨN LÚC 8 GIỜ 30',
        ...CONG.tb1,
      },
      {
        kind: 'item',
        contentId: 's1',
        contentKind: 'slogan',
        title: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM',
        ...CONG.s1,
      },
      {
        kind: 'item',
        contentId: 's2',
        contentKind: 'slogan',
        title: '=1+1 là công thức? Không: đây là khẩu hiệu',
        ...CONG.s2,
      },
      {
        kind: 'item',
        contentId: 's3',
        contentKind: 'slogan',
        title: 'Khẩu hiệu "Toàn dân", đoàn kết',
        ...CONG.s3,
      },
    ]);
    const truSo = r.boards.find((b) => b.boardId === 'tru-so');
    expect(truSo).toMatchObject({ place: null, ...TRU_SO.s3 });
    expect(truSo?.contents.map((c) => c.contentId)).toEqual(['s3']);
    // Per content over both boards: s3 = 61 + 1001 plays, 3660 + 60 060 s, 3600 + 86 400
    // scheduled, 3600 + 60 030 shown.
    expect(r.contents.find((c) => c.contentId === 's3')).toMatchObject(
      fig(1062, 63_720, 90_000, 63_630),
    );
  });

  it('narrows to a phase, a board, a content and dates; the scheduled time agrees with the timeline API', async () => {
    // Phase dot-2 is 03-03: only tru-so plays (1000 plays, 60 000 s) plus the 30 s that ran
    // past midnight; no play of the night before starts on 03-03.
    const phase = await report('planId=bao-cao&phaseId=dot-2');
    expect([phase.from, phase.to]).toEqual(['2030-03-03', '2030-03-03']);
    expect(phase.totals).toEqual(fig(1000, 60_030, 86_400, 60_030));
    // cong, s1, 03-01: 40 plays × 60 s = 2400 s of 3600 s scheduled: two thirds.
    const one = await report('boardId=cong&contentId=s1&from=2030-03-01&to=2030-03-01');
    expect(one.totals).toEqual(fig(40, 2400, 3600, 2400));
    expect(one.totals.share).toBeCloseTo(2 / 3, 12);
    // The same day's scheduled time, summed from the timeline's segments.
    const timeline = await admin.request<{ start: string; end: string; content?: string }[]>(
      'GET',
      '/api/boards/cong/timeline?from=2030-02-28T17:00:00Z&to=2030-03-01T17:00:00Z',
    );
    const s1Ms = timeline.body
      .filter((seg) => seg.content === 's1')
      .reduce((sum, seg) => sum + Date.parse(seg.end) - Date.parse(seg.start), 0);
    expect(s1Ms).toBe(one.totals.scheduledMs);
  });

  it('exports the report as CSV for a spreadsheet: BOM, RFC 4180 quoting, no formulas, Vietnamese headings', async () => {
    const res = await fetch(
      `${t.url}/api/reports/plays.csv?planId=bao-cao&from=2030-03-01&to=2030-03-03`,
      {
        headers: { cookie: admin.cookieHeader() },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="bao-cao-phat_bao-cao_2030-03-01_2030-03-03.csv"',
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(REPORT_CSV_HEADER.join(','));
    expect(lines.slice(1, -1)).toEqual([
      'cong,Cổng Ủy ban,Số 1 đường Lê Lợi,Thông báo,tb1,THÔNG BÁO: HỌP KHẨN LÚC 8 GIỜ 30,1,900,900,900,100',
      'cong,Cổng Ủy ban,Số 1 đường Lê Lợi,Khẩu hiệu,s1,ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM,40,2400,6600,2400,36.4',
      // A slogan that looks like a formula is text; one with a comma and quotes is quoted.
      "cong,Cổng Ủy ban,Số 1 đường Lê Lợi,Khẩu hiệu,s2,'=1+1 là công thức? Không: đây là khẩu hiệu,40,1200,3300,1200,36.4",
      'cong,Cổng Ủy ban,Số 1 đường Lê Lợi,Khẩu hiệu,s3,"Khẩu hiệu ""Toàn dân"", đoàn kết",61,3660,3600,3600,100',
      'cong,Cổng Ủy ban,Số 1 đường Lê Lợi,Cộng,,,142,8160,14400,8100,56.3',
      'tru-so,Trụ sở,,Khẩu hiệu,s3,"Khẩu hiệu ""Toàn dân"", đoàn kết",1001,60060,86400,60030,69.5',
      'tru-so,Trụ sở,,Cộng,,,1001,60060,86400,60030,69.5',
      'Tổng cộng,,,,,Từ 2030-03-01 đến 2030-03-03,1143,68220,100800,68130,67.6',
    ]);
  });

  it('refuses what it cannot answer with a coded error, and changes nothing', async () => {
    const bad = async (query: string, status: number, code: string) => {
      const res = await admin.request<{ error: { code: string } }>(
        'GET',
        `/api/reports/plays?${query}`,
      );
      expect([res.status, res.body.error.code], query).toEqual([status, code]);
    };
    await bad('from=2030-03-05&to=2030-03-01', 400, 'invalid_request');
    await bad('from=2030-01-01&to=2031-01-02', 400, 'invalid_request');
    await bad('phaseId=dot-1', 400, 'invalid_request');
    await bad('from=2030-02-30', 400, 'invalid_request');
    await bad('planId=khong-co', 404, 'not_found');
    await bad('planId=bao-cao&phaseId=khong-co', 404, 'not_found');
    await bad('boardId=khong-co', 404, 'not_found');
    await bad('planId=bao-cao&phaseId=dot-2&from=2030-03-01&to=2030-03-02', 400, 'invalid_request');
    // Without dates: the last seven local days, today (03-04) included.
    const recent = await report('');
    expect([recent.from, recent.to]).toEqual(['2030-02-26', '2030-03-04']);
    expect(recent.totals.plays).toBe(1143);
  });
});
