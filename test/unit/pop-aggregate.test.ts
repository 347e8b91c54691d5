import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlayRecord } from '../../playlists/index.js';
import {
  BUCKET_MS,
  DayAggregate,
  MAX_COUNTED_PLAY_MS,
  type AggregateRow,
} from '../../controller/telemetry/pop-aggregates.js';
import { PopStore } from '../../controller/telemetry/pop-store.js';
import { idleTimers } from '../helpers/manual-time.js';

const logger = pino({ level: 'silent' });
const at = (iso: string) => Date.parse(iso);

function play(id: string, startIso: string, endIso: string, over: Partial<PlayRecord> = {}) {
  return {
    id,
    boardId: 'led',
    kind: 'item',
    contentId: 's1',
    startMs: at(startIso),
    endMs: at(endIso),
    releaseVersion: 1,
    ...over,
  } satisfies PlayRecord;
}

/** Rows summed per board and content: what a report adds up. */
function totals(rows: readonly AggregateRow[]): Record<string, { plays: number; ms: number }> {
  const out: Record<string, { plays: number; ms: number }> = {};
  for (const r of rows) {
    const key = `${r.boardId}/${r.kind}/${r.contentId}`;
    const t = (out[key] ??= { plays: 0, ms: 0 });
    t.plays += r.plays;
    t.ms += r.ms;
  }
  return out;
}

describe('day aggregates', () => {
  it('counts a play in the quarter hour it started and splits its time on air by quarter', () => {
    const day = new DayAggregate('2030-01-02', 0);
    // 00:10 → 00:25: 5 min in [00:00, 00:15), 10 min in [00:15, 00:30).
    day.add(play('rec-aaaaaaaa', '2030-01-02T00:10:00Z', '2030-01-02T00:25:00Z'));
    // 23:50 → 00:20 the next day: 10 min in bucket 95, 15 min in 96, 5 min in 97.
    day.add(play('rec-bbbbbbbb', '2030-01-02T23:50:00Z', '2030-01-03T00:20:00Z'));
    const rows = [...day.rows(at('2030-01-01T00:00:00Z'), at('2030-01-05T00:00:00Z'))];
    const byStart = rows
      .map((r) => [new Date(r.bucketStartMs).toISOString(), r.plays, r.ms])
      .sort();
    expect(byStart).toEqual([
      ['2030-01-02T00:00:00.000Z', 1, 5 * 60_000],
      ['2030-01-02T00:15:00.000Z', 0, 10 * 60_000],
      ['2030-01-02T23:45:00.000Z', 1, 10 * 60_000],
      ['2030-01-03T00:00:00.000Z', 0, 15 * 60_000],
      ['2030-01-03T00:15:00.000Z', 0, 5 * 60_000],
    ]);
    // The next UTC day sees only the 20 minutes that fell into it, and no play start.
    expect(totals([...day.rows(at('2030-01-03T00:00:00Z'), at('2030-01-04T00:00:00Z'))])).toEqual({
      'led/item/s1': { plays: 0, ms: 20 * 60_000 },
    });
    expect(BUCKET_MS).toBe(15 * 60_000);
  });

  it('counts at most a week of one play on air', () => {
    const day = new DayAggregate('2030-01-02', 0);
    day.add(play('rec-cccccccc', '2030-01-02T00:00:00Z', '2030-03-02T00:00:00Z'));
    expect(totals([...day.rows(0, at('2031-01-01T00:00:00Z'))])).toEqual({
      'led/item/s1': { plays: 1, ms: MAX_COUNTED_PLAY_MS },
    });
  });

  it('round-trips through its file form', () => {
    const day = new DayAggregate('2030-01-02', 1234);
    day.add(play('rec-aaaaaaaa', '2030-01-02T00:10:00Z', '2030-01-02T00:25:00Z'));
    day.add(
      play('rec-dddddddd', '2030-01-02T01:00:00Z', '2030-01-02T01:00:10Z', {
        kind: 'announcement',
        contentId: 'tb1',
      }),
    );
    const again = DayAggregate.fromJSON(JSON.parse(JSON.stringify(day)) as never);
    expect(again.coveredBytes).toBe(1234);
    const sorted = (d: DayAggregate) =>
      [...d.rows(0, Number.MAX_SAFE_INTEGER)].map((r) => JSON.stringify(r)).sort();
    expect(sorted(again)).toEqual(sorted(day));
  });
});

describe('proof-of-play store', () => {
  let dir: string;
  let popDir: string;
  const open = (options = {}) => PopStore.open(popDir, logger, { timers: idleTimers, ...options });
  const allRows = (store: PopStore) => store.rows(0, at('2100-01-01T00:00:00Z'));

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bangtin-pop-'));
    popDir = path.join(dir, 'pop');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Three plays of s1 (10 s each) and one of s2 (20 s) on one board, on 2030-01-02 UTC:
  // s1: 3 plays, 30 000 ms; s2: 1 play, 20 000 ms.
  const batch = [
    play('rec-00000001', '2030-01-02T01:00:00Z', '2030-01-02T01:00:10Z'),
    play('rec-00000002', '2030-01-02T01:00:10Z', '2030-01-02T01:00:30Z', { contentId: 's2' }),
    play('rec-00000003', '2030-01-02T01:00:30Z', '2030-01-02T01:00:40Z'),
    play('rec-00000004', '2030-01-02T01:00:40Z', '2030-01-02T01:00:50Z'),
  ];
  const expected = {
    'led/item/s1': { plays: 3, ms: 30_000 },
    'led/item/s2': { plays: 1, ms: 20_000 },
  };

  it('counts resent records once, before and after a checkpoint', async () => {
    const store = await open();
    expect(await store.append(batch.slice(0, 3))).toEqual(batch.slice(0, 3).map((r) => r.id));
    // The ack of the first batch was lost: it comes again with the next play, twice over.
    expect(await store.append([...batch, batch[3] as PlayRecord])).toHaveLength(5);
    expect(totals(await allRows(store))).toEqual(expected);
    await store.checkpoint();
    expect(totals(await allRows(store))).toEqual(expected);
    await store.append(batch);
    expect(totals(await allRows(store))).toEqual(expected);
    expect(await store.readAll()).toHaveLength(4);
    await store.close();
  });

  it('is exact after a crash: the totals missing from the checkpoint are rebuilt, a torn line is cut', async () => {
    const first = await open();
    await first.append(batch.slice(0, 2));
    await first.checkpoint();
    await first.append(batch.slice(2));
    // A crash: the store is dropped without close (no last checkpoint), and the last write
    // of a batch that was never acknowledged was cut short.
    await appendFile(path.join(popDir, 'pop-2030-01-02.ndjson'), '{"id":"rec-torn0001","boa');
    const second = await open();
    expect(totals(await allRows(second))).toEqual(expected);
    const text = await readFile(path.join(popDir, 'pop-2030-01-02.ndjson'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trim().split('\n')).toHaveLength(4);
    // Everything is resent after the restart: nothing is counted twice.
    await second.append(batch);
    expect(totals(await allRows(second))).toEqual(expected);
    await second.close();
    const third = await open();
    expect(totals(await allRows(third))).toEqual(expected);
    await third.close();
  });

  it('rebuilds damaged totals and a lost id index from the NDJSON files', async () => {
    const first = await open();
    await first.append(batch);
    await first.close();
    const dayDir = path.join(`${popDir}-index`, '2030-01-02');
    await writeFile(path.join(dayDir, 'agg.json'), '{"format":"bangtin-pop-agg/1","day":');
    await rm(path.join(dayDir, 'led.ids'));
    const second = await open();
    expect(totals(await allRows(second))).toEqual(expected);
    await second.append(batch);
    expect(await second.readAll()).toHaveLength(4);
    await second.close();
  });

  it('stays exact when only one board-day filter fits in memory (every check goes to disk)', async () => {
    const store = await open({ cachedPartitions: 1, recentIds: 1 });
    const office = batch.map((r) => ({ ...r, id: r.id.replace('rec', 'off'), boardId: 'office' }));
    const nextDay = batch.map((r) => ({
      ...r,
      id: r.id.replace('rec', 'nxt'),
      startMs: r.startMs + 86_400_000,
      endMs: r.endMs + 86_400_000,
    }));
    for (let round = 0; round < 3; round += 1) {
      await store.append(batch);
      await store.append(office);
      await store.append(nextDay);
    }
    const sums = totals(await allRows(store));
    // led: both days (s1 3 + 3 plays, 60 s; s2 1 + 1, 40 s); office: one day.
    expect(sums).toEqual({
      'led/item/s1': { plays: 6, ms: 60_000 },
      'led/item/s2': { plays: 2, ms: 40_000 },
      'office/item/s1': { plays: 3, ms: 30_000 },
      'office/item/s2': { plays: 1, ms: 20_000 },
    });
    expect(store.figures().cachedPartitions).toBe(1);
    await store.close();
  });

  it('stores an id once even when it comes back under another day, while it is recent', async () => {
    const store = await open();
    await store.append([batch[0] as PlayRecord]);
    const moved = {
      ...(batch[0] as PlayRecord),
      startMs: at('2031-05-05T00:00:00Z'),
      endMs: at('2031-05-05T00:00:10Z'),
    };
    await store.append([moved]);
    expect((await store.readAll()).map((r) => r.id)).toEqual(['rec-00000001']);
    await store.close();
  });

  it('answers rows for a span: what started or ran inside it', async () => {
    const store = await open();
    await store.append(batch);
    // [01:00:00, 01:15:00) holds every play; the quarter before holds none.
    expect(
      totals(await store.rows(at('2030-01-02T01:00:00Z'), at('2030-01-02T01:15:00Z'))),
    ).toEqual(expected);
    expect(await store.rows(at('2030-01-02T00:45:00Z'), at('2030-01-02T01:00:00Z'))).toEqual([]);
    await store.close();
  });

  it('removes whole days before the retention limit, records and totals alike', async () => {
    const store = await open();
    await store.append(batch);
    await store.append([play('rec-00000009', '2030-01-05T00:00:00Z', '2030-01-05T00:00:10Z')]);
    await store.checkpoint();
    expect(await store.removeDaysBefore('2030-01-03')).toEqual(['2030-01-02']);
    expect(await readdir(popDir)).toEqual(['pop-2030-01-05.ndjson']);
    expect(await readdir(`${popDir}-index`)).toEqual(['2030-01-05']);
    expect(totals(await allRows(store))).toEqual({ 'led/item/s1': { plays: 1, ms: 10_000 } });
    await store.close();
  });
});
