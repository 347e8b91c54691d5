// A simulated day of proof of play from many boards, shared by `npm run soak` (1,000 boards,
// the controller in a child process so its memory is measured alone) and the smaller
// integration test `test/integration/monitoring-soak.test.ts` (exactness, not timing).
import { io, type Socket } from 'socket.io-client';
import {
  BoardResolver,
  compilePlan,
  PROTOCOL_VERSION,
  validatePlan,
  type Ack,
  type PlanDocument,
  type PlayBatchReply,
  type PlayRecord,
} from '../playlists/index.js';
import type { Controller } from '../controller/app.js';
import { SYSTEM_ID } from '../controller/state.js';

/** Local 06:00–22:00 every day: three slogans of 10, 20 and 30 s, a 60 s loop. */
export function soakPlan(boardCount: number, day: string): PlanDocument {
  const result = validatePlan({
    format: 'bangtin-plan/1',
    plan: { id: 'soak', title: 'Thử tải một ngày', timeZone: 'Asia/Ho_Chi_Minh' },
    phases: [{ id: 'ngay', name: 'Một ngày', from: day, to: day }],
    boards: Array.from({ length: boardCount }, (_, i) => ({
      id: boardId(i),
      name: `Bảng ${i + 1}`,
      width: 384,
      height: 128,
    })),
    content: [
      {
        id: 's1',
        kind: 'slogan',
        text: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM',
        durationSec: 10,
      },
      { id: 's2', kind: 'slogan', text: 'MỪNG ĐẢNG, MỪNG XUÂN', durationSec: 20 },
      { id: 's3', kind: 'slogan', text: 'TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC', durationSec: 30 },
    ],
    playlists: [{ id: 'p', name: 'Chính', items: ['s1', 's2', 's3'] }],
    schedules: [
      { id: 'sc', playlist: 'p', phase: 'ngay', hours: [{ from: '06:00', to: '22:00' }] },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.plan;
}

export function boardId(index: number): string {
  return `b${String(index + 1).padStart(4, '0')}`;
}

/** A board as the soak drives it. */
export interface SoakBoard {
  boardId: string;
  token: string;
}

export interface SoakOptions {
  url: string;
  boards: readonly SoakBoard[];
  plan: PlanDocument;
  /** Local midnight of the simulated day, epoch ms. */
  dayStartMs: number;
  /** The day is sent in this many rounds (each a slice of the day). */
  rounds: number;
  /** Sets the controller's clock (to the end of each round before its plays are sent). */
  setClock(atMs: number): Promise<void>;
  /** Called after each round, e.g. to sample the controller's memory. */
  afterRound?(round: number): Promise<void>;
  /** Called once, after this round's plays are acknowledged: e.g. to crash and restart the controller; returns the new URL. */
  crashAfterRound?: { round: number; restart(): Promise<string> };
  /** Batches in flight at once. */
  parallel?: number;
  log?(line: string): void;
}

/** What the controller must report: counted once, however often it was sent. */
export interface SoakExpectation {
  /** boardId → `kind:content` → plays and milliseconds on air. */
  onAir: Map<string, Map<string, { plays: number; ms: number }>>;
  /** boardId → `kind:content` → scheduled milliseconds (the resolver's timeline). */
  scheduled: Map<string, Map<string, number>>;
  uniqueRecords: number;
  sentRecords: number;
  batches: number;
  resentBatches: number;
}

function add<K>(
  map: Map<K, Map<string, { plays: number; ms: number }>>,
  k: K,
  key: string,
  ms: number,
) {
  let inner = map.get(k);
  if (!inner) {
    inner = new Map();
    map.set(k, inner);
  }
  const t = inner.get(key) ?? { plays: 0, ms: 0 };
  t.plays += 1;
  t.ms += ms;
  inner.set(key, t);
}

/** The plays a board makes in [fromMs, toMs), as its player would record them. */
function playsOf(resolver: BoardResolver, fromMs: number, toMs: number): PlayRecord[] {
  return resolver
    .timeline(fromMs, toMs)
    .filter((s) => s.kind === 'item')
    .map((s) => ({
      id: `${resolver.board.id}-${s.startMs}-${s.content ?? ''}`,
      boardId: resolver.board.id,
      kind: 'item' as const,
      contentId: s.content ?? '',
      startMs: s.startMs,
      endMs: s.endMs,
      releaseVersion: 1,
    }));
}

async function limited<T>(items: readonly T[], parallel: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

function connect(url: string, token: string): Promise<Socket> {
  const socket = io(`${url}/player`, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token, protocol: PROTOCOL_VERSION },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('connect_error', reject);
  });
}

/**
 * Plays a whole day on every board, slice by slice, over real socket.io connections, the way
 * boards misbehave in the field: every 7th board holds a slice back and sends it with the next
 * (an hour without network), every 13th board loses the ack of each batch and sends it again
 * with the next one, every 17th repeats records inside a batch, and every 11th is switched off
 * for one slice (it plays nothing then, so its share of the schedule drops).
 */
export async function runSoakDay(options: SoakOptions): Promise<SoakExpectation> {
  const parallel = options.parallel ?? 64;
  const compiled = compilePlan(options.plan);
  const resolvers = options.boards.map((b) => {
    const board = compiled.boards.get(b.boardId);
    if (!board) throw new Error(`no board ${b.boardId}`);
    // Its own resolver, not the controller's: the expectation is computed independently.
    return new BoardResolver(compiled, board);
  });
  const expected: SoakExpectation = {
    onAir: new Map(),
    scheduled: new Map(),
    uniqueRecords: 0,
    sentRecords: 0,
    batches: 0,
    resentBatches: 0,
  };
  const sliceMs = 86_400_000 / options.rounds;
  const dark = Math.floor(options.rounds * 0.6);
  let url = options.url;
  let sockets = await connectAll(url, options.boards, parallel);
  const held = new Map<number, PlayRecord[]>();
  const lostAck = new Map<number, PlayRecord[]>();

  for (let round = 0; round < options.rounds; round += 1) {
    const fromMs = options.dayStartMs + round * sliceMs;
    const toMs = fromMs + sliceMs;
    await options.setClock(toMs);
    const work: { index: number; records: PlayRecord[]; resent: boolean }[] = [];
    options.boards.forEach((board, index) => {
      const resolver = resolvers[index] as BoardResolver;
      // Scheduled time, whatever the board does.
      for (const s of resolver.timeline(fromMs, toMs)) {
        if (s.kind !== 'item' || s.content === undefined) continue;
        const inner = expected.scheduled.get(board.boardId) ?? new Map<string, number>();
        inner.set(`item:${s.content}`, (inner.get(`item:${s.content}`) ?? 0) + s.endMs - s.startMs);
        expected.scheduled.set(board.boardId, inner);
      }
      const switchedOff = index % 11 === 0 && round === dark;
      const plays = switchedOff ? [] : playsOf(resolver, fromMs, toMs);
      for (const r of plays)
        add(expected.onAir, board.boardId, `item:${r.contentId}`, r.endMs - r.startMs);
      expected.uniqueRecords += plays.length;
      let records = [...(held.get(index) ?? []), ...(lostAck.get(index) ?? []), ...plays];
      held.delete(index);
      const resent = lostAck.has(index);
      lostAck.delete(index);
      if (index % 7 === 3 && round % 2 === 0 && round < options.rounds - 1) {
        held.set(index, records);
        return;
      }
      if (index % 17 === 0) records = [...records, ...records.slice(0, 5)];
      if (index % 13 === 5 && round < options.rounds - 1) lostAck.set(index, plays);
      for (let i = 0; i < records.length; i += 500) {
        work.push({ index, records: records.slice(i, i + 500), resent });
      }
    });
    await limited(work, parallel, async ({ index, records, resent }) => {
      const socket = sockets[index] as Socket;
      const reply = (await socket
        .timeout(120_000)
        .emitWithAck('pop:batch', { records })) as Ack<PlayBatchReply>;
      if (!reply.ok || reply.value.acknowledged.length !== records.length) {
        throw new Error(
          `batch of ${options.boards[index]?.boardId} refused: ${JSON.stringify(reply)}`,
        );
      }
      expected.sentRecords += records.length;
      expected.batches += 1;
      if (resent) expected.resentBatches += 1;
    });
    // One heartbeat per board and round: monitoring runs as in the field.
    await limited(
      options.boards.map((_, i) => i),
      parallel,
      async (index) => {
        const socket = sockets[index] as Socket;
        const segment = (resolvers[index] as BoardResolver).segmentAt(toMs - 1);
        await socket.timeout(120_000).emitWithAck('player:heartbeat', {
          nowPlaying: {
            id: segment.content ?? '',
            kind: segment.kind,
            startedAtMs: Math.max(0, segment.startMs),
            bundleVersion: 1,
          },
          bundleVersion: 1,
          uptimeMs: toMs - options.dayStartMs,
          clockOffsetMs: 0,
          screen: { width: 384, height: 128 },
          errors: [],
        });
      },
    );
    options.log?.(`round ${round + 1}/${options.rounds}: ${work.length} batches`);
    await options.afterRound?.(round);
    if (options.crashAfterRound?.round === round) {
      for (const s of sockets) s.disconnect();
      url = await options.crashAfterRound.restart();
      sockets = await connectAll(url, options.boards, parallel);
    }
  }
  for (const s of sockets) s.disconnect();
  return expected;
}

async function connectAll(
  url: string,
  boards: readonly SoakBoard[],
  parallel: number,
): Promise<Socket[]> {
  const sockets: Socket[] = new Array<Socket>(boards.length);
  await limited(
    boards.map((_, i) => i),
    parallel,
    async (i) => {
      sockets[i] = await connect(url, (boards[i] as SoakBoard).token);
    },
  );
  return sockets;
}

/** Differences between the report and the expectation; empty when exact. */
export function compareReport(
  report: {
    boards: {
      boardId: string;
      contents: {
        kind: string;
        contentId: string;
        plays: number;
        onAirMs: number;
        scheduledMs: number;
      }[];
    }[];
  },
  expected: SoakExpectation,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const board of report.boards) {
    seen.add(board.boardId);
    const onAir =
      expected.onAir.get(board.boardId) ?? new Map<string, { plays: number; ms: number }>();
    const scheduled = expected.scheduled.get(board.boardId) ?? new Map<string, number>();
    const keys = new Set([
      ...onAir.keys(),
      ...scheduled.keys(),
      ...board.contents.map((c) => `${c.kind}:${c.contentId}`),
    ]);
    for (const key of keys) {
      const row = board.contents.find((c) => `${c.kind}:${c.contentId}` === key);
      const want = {
        plays: onAir.get(key)?.plays ?? 0,
        onAirMs: onAir.get(key)?.ms ?? 0,
        scheduledMs: scheduled.get(key) ?? 0,
      };
      const got = {
        plays: row?.plays ?? 0,
        onAirMs: row?.onAirMs ?? 0,
        scheduledMs: row?.scheduledMs ?? 0,
      };
      if (JSON.stringify(want) !== JSON.stringify(got)) {
        problems.push(
          `${board.boardId} ${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
        );
      }
    }
  }
  for (const id of expected.onAir.keys())
    if (!seen.has(id)) problems.push(`${id}: missing from the report`);
  return problems;
}

/** Publishes the plan and pairs every board through the services (pairing is not the subject). */
export async function prepareSoak(
  controller: Pick<Controller, 'plans' | 'releases' | 'pairing' | 'store'>,
  plan: PlanDocument,
): Promise<SoakBoard[]> {
  await controller.plans.importPlan(plan, { by: SYSTEM_ID, land: 'approved' });
  await controller.releases.publish(SYSTEM_ID, 'soak');
  const admin = controller.store.read().users.find((u) => u.role === 'admin');
  if (!admin) throw new Error('no admin');
  const boards: SoakBoard[] = [];
  for (const board of plan.boards) {
    let token = '';
    const offer = controller.pairing.offer((complete) => {
      token = complete.token;
      return Promise.resolve(true);
    });
    await controller.pairing.claim(offer.code, board.id, admin.id);
    boards.push({ boardId: board.id, token });
  }
  return boards;
}
