// M1, M2, M3 and M7: a bangtin controller and the raw `ws` baseline, each in its own process,
// each with its own load-generator process of simulated boards, side by side on loopback.
// Both fleets stay connected together, so each bangtin round runs beside a baseline round
// under the same load.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startChild, type Child } from '../lib/child.js';
import { PLAYER_LIVENESS } from '../../playlists/index.js';
import { metric, type Metric } from '../lib/results.js';
import { monotonicMs, quantile, summarize, timeUntilFraction } from '../lib/stats.js';
import type { Connected, StormReport } from './boards.js';
import type { CpuFigures, DelayFigures, Memory, Published, Started } from './server.js';

/** The figures of one bench run of the fleet; quick runs are smaller and shorter. */
export interface FleetOptions {
  quick: boolean;
  /** M1's publishes per size, instead of 100 (3 when quick). */
  rounds?: number;
  /**
   * Only M2 (idle memory and heartbeat CPU): the fleet grows straight to its largest size, with
   * no publish rounds and no storm, for profiling that one figure in a minute or two.
   */
  onlyM2?: boolean;
  /** No M2 CPU window (five minutes): for runs of M1, M3 or M7 alone. */
  skipM2Cpu?: boolean;
  /** Scratch space (data dirs), removed at the end. */
  dir: string;
  /**
   * Where every M1 publish is recorded, one CSV row each in the order they ran (size, round,
   * which side went first, its last board and last write): how a run's figures spread in time.
   */
  publishesCsv?: string;
  log: (line: string) => void;
}

type Kind = 'bangtin' | 'ws';

interface Side {
  /** `socketio`: socket.io alone, beside the other two for M2 only. */
  kind: Kind | 'socketio';
  server: Child;
  boards: Child;
  dataDir: string;
  port: number;
  url: string;
}

/** A side of the comparison every benchmark makes: bangtin or the raw `ws` baseline. */
type PairSide = Side & { kind: Kind };

const BANNER_BYTES = 2_000_000;

async function startServer(
  side: Pick<Side, 'kind' | 'dataDir'>,
  boards: number,
  rounds: number,
  port: number,
): Promise<{ server: Child; started: Started }> {
  const server = startChild('fleet/server.ts');
  const started = await server.request<Started>({
    type: 'start',
    mode: side.kind,
    dataDir: side.dataDir,
    boards,
    rounds,
    port,
    bannerBytes: BANNER_BYTES,
  });
  return { server, started };
}

/** Connects boards [from, to) of a side's fleet, 100 at a time; how long it took, in ms. */
async function connectBoards(s: Side, from: number, to: number): Promise<number> {
  const result = await s.boards.request<Connected>(
    {
      type: 'connect',
      kind: s.kind === 'ws' ? 'ws' : 'socketio',
      url: s.url,
      from,
      to,
      concurrency: 100,
      timeoutMs: 600_000,
    },
    700_000,
  );
  if (result.connected !== to - from) {
    throw new Error(`${s.kind}: ${result.failed} boards failed to connect`);
  }
  return result.ms;
}

/**
 * After a publish reached every board: its fleet collects the garbage of the bundles it took
 * in, and a second passes for what each server does after a publish (the delivered release's
 * follow-up jobs, the collector's concurrent work), so the next publish, of either side, starts
 * on a quiet machine, as publishes minutes apart do in service. With 300 ms and no collection,
 * a publish right behind another ran up to 40 % slower, on either side: the four processes
 * share two cores, and the side before was still cleaning up.
 */
async function settle(s: Side): Promise<void> {
  await s.boards.request({ type: 'collect' });
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

const SETTLE_MS = 1_000;

async function stopSide(s: Side): Promise<void> {
  await s.boards.stop().catch(() => undefined);
  await s.server.stop().catch(() => undefined);
}

/** socket.io alone, with `connected` boards of its own fleet connected (M2). */
async function startAlone(dir: string, connected: number): Promise<Side> {
  const dataDir = path.join(dir, 'socketio');
  const { server, started } = await startServer({ kind: 'socketio', dataDir }, 0, 0, 0);
  const boards = startChild('fleet/boards.ts');
  const alone: Side = { kind: 'socketio', server, boards, dataDir, ...started };
  if (connected > 0) await connectBoards(alone, 0, connected);
  return alone;
}

export async function runFleet(options: FleetOptions): Promise<Metric[]> {
  const { quick, log } = options;
  const allSizes = quick ? [200, 1000, 2000] : [1_000, 5_000, 10_000];
  const sizes = options.onlyM2 === true ? allSizes.slice(-1) : allSizes;
  const stormBoards = options.onlyM2 === true ? -1 : (allSizes[1] ?? 0);
  // A p99 needs 100 samples: of fewer, the nearest-rank p99 is the slowest one, and one
  // stall of this shared machine would decide it.
  const roundsPerSize = options.rounds ?? (quick ? 3 : 100);
  const heartbeatMs = quick ? 5_000 : 30_000;
  const metrics: Metric[] = [];
  const publishRows = ['at,boards,round,side,place,last_ms,written_ms,board_p99_ms'];
  await rm(options.dir, { recursive: true, force: true });
  await mkdir(options.dir, { recursive: true });

  const sides: PairSide[] = [];
  let alone: Side | undefined;
  try {
    for (const kind of ['ws', 'bangtin'] as const) {
      const dataDir = path.join(options.dir, kind);
      const { server, started } = await startServer({ kind, dataDir }, sizes[0] ?? 0, 0, 0);
      sides.push({
        kind,
        server,
        boards: startChild('fleet/boards.ts'),
        dataDir,
        port: started.port,
        url: started.url,
      });
      log(`${kind} server on ${started.url}`);
    }
    const side = (kind: Kind): PairSide => {
      const found = sides.find((s) => s.kind === kind);
      if (!found) throw new Error(`no ${kind} side`);
      return found;
    };
    const both = <T>(run: (s: PairSide) => Promise<T>) =>
      Promise.all([run(side('bangtin')), run(side('ws'))]);

    let round = 1;
    let connected = 0;
    for (const boards of sizes) {
      const last = boards === sizes[sizes.length - 1];
      const label = boards.toLocaleString('en');
      // The deployment grows: devices paired, plans published for every board, bundles built.
      await both((s) => s.server.request({ type: 'seed', from: connected, to: boards }));
      await both((s) => s.server.request({ type: 'publish', boards, rounds: round }));
      round++;
      await both((s) => s.server.request({ type: 'warm' }));
      // M2 also measures socket.io alone (no bangtin state), to tell socket.io's own cost per
      // connection from bangtin's; its fleet comes up to the others' size unmeasured.
      if (last) {
        alone = await startAlone(options.dir, connected);
        log(`socket.io alone on ${alone.url}, ${connected} boards connected`);
      }
      // Idle boards for the memory figures: no heartbeats until the next M1.
      await both((s) => s.boards.request({ type: 'stop-heartbeats' }));
      const [before, wsBefore] = await both((s) => s.server.request<Memory>({ type: 'memory' }));
      const aloneBefore = await alone?.server.request<Memory>({ type: 'memory' });

      const connectMs: Record<Kind, number> = { bangtin: Number.NaN, ws: Number.NaN };
      for (const s of [side('ws'), side('bangtin'), ...(alone ? [alone] : [])]) {
        const ms = await connectBoards(s, connected, boards);
        if (s.kind !== 'socketio') connectMs[s.kind] = ms;
        log(
          `${s.kind}: ${boards - connected} more boards connected in ${(ms / 1000).toFixed(1)} s`,
        );
      }
      const added = boards - connected;
      connected = boards;

      if (last) {
        // M2: what each idle board adds, measured over the boards this step connected.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const [after, wsAfter] = await both((s) => s.server.request<Memory>({ type: 'memory' }));
        const aloneAfter = await alone?.server.request<Memory>({ type: 'memory' });
        const perBoard = (a: Memory, b: Memory, field: keyof Memory) =>
          (b[field] - a[field]) / added / 1024;
        if (aloneBefore && aloneAfter) {
          metrics.push(
            metric({
              id: `M2.heap.socketio.${boards}`,
              name: `the same for socket.io alone (the hub's options and protocol, no bangtin state)`,
              value: perBoard(aloneBefore, aloneAfter, 'heapUsed'),
              baseline: perBoard(wsBefore, wsAfter, 'heapUsed'),
              unit: 'KiB',
              n: added,
              note: "socket.io's own floor: what M2.heap's ratio cannot go below with socket.io",
            }),
          );
        }
        metrics.push(
          metric({
            id: `M2.rss.${boards}`,
            name: `memory per idle connected board at ${label} (RSS)`,
            value: perBoard(before, after, 'rss'),
            baseline: perBoard(wsBefore, wsAfter, 'rss'),
            unit: 'KiB',
            n: added,
            note: 'RSS moves with the allocator (freed pages reused or returned): read the JS heap row',
          }),
          metric({
            id: `M2.heap.${boards}`,
            name: `memory per idle connected board at ${label} (JS heap)`,
            value: perBoard(before, after, 'heapUsed'),
            baseline: perBoard(wsBefore, wsAfter, 'heapUsed'),
            unit: 'KiB',
            n: added,
            target: { ratioAtMost: 2 },
          }),
          metric({
            id: `M2.connect.${boards}`,
            name: `connect ${added.toLocaleString('en')} more boards, 100 at a time (handshake + hello)`,
            value: connectMs.bangtin / 1000,
            baseline: connectMs.ws / 1000,
            unit: 's',
            n: added,
          }),
        );
        log(
          `M2 memory: ${JSON.stringify(metrics.filter((m) => m.id.startsWith('M2.')).map((m) => [m.id, m.value, m.baseline]))}`,
        );

        if (options.skipM2Cpu !== true) {
          const m2Sides = [side('bangtin'), side('ws'), ...(alone ? [alone] : [])];
          const all = <T>(run: (s: Side) => Promise<T>) => Promise.all(m2Sides.map(run));
          await all((s) => s.boards.request({ type: 'heartbeats', intervalMs: heartbeatMs }));
          // Every board beats once before the measured period, which is one whole period of
          // engine.io's ping (every board pinged once), ten of the heartbeats.
          const windowMs = quick
            ? heartbeatMs
            : Math.max(heartbeatMs, PLAYER_LIVENESS.pingIntervalMs);
          await new Promise((resolve) => setTimeout(resolve, heartbeatMs));
          await all((s) => s.server.request({ type: 'cpu-start' }));
          await new Promise((resolve) => setTimeout(resolve, windowMs));
          const [cpu, wsCpu, aloneCpu] = await all((s) =>
            s.server.request<CpuFigures>({ type: 'cpu-stop' }),
          );
          await all((s) => s.boards.request({ type: 'stop-heartbeats' }));
          if (!cpu || !wsCpu) throw new Error('M2: no CPU figures');
          const percent = (c: CpuFigures) => (c.cpuMs / c.wallMs) * 100;
          metrics.push(
            metric({
              id: `M2.cpu.${boards}`,
              name: `controller CPU, ${label} boards, a heartbeat from each every ${heartbeatMs / 1000} s, over ${windowMs / 1000} s`,
              value: percent(cpu),
              baseline: percent(wsCpu),
              unit: '% of a core',
              n: Math.round(cpu.wallMs / 1000),
              target: { atMost: 10 },
            }),
          );
          if (aloneCpu) {
            metrics.push(
              metric({
                id: `M2.cpu.socketio.${boards}`,
                name: `the same for socket.io alone (the hub's options and protocol, no bangtin state)`,
                value: percent(aloneCpu),
                baseline: percent(wsCpu),
                unit: '% of a core',
                n: Math.round(aloneCpu.wallMs / 1000),
              }),
            );
          }
          const system = (c: CpuFigures | undefined) =>
            c ? `${((c.systemMs / c.wallMs) * 100).toFixed(1)} %` : '-';
          log(
            `M2 cpu: ${percent(cpu).toFixed(2)} % (baseline ${percent(wsCpu).toFixed(2)} %, socket.io alone ${aloneCpu ? percent(aloneCpu).toFixed(2) : '-'} %); system time ${system(cpu)} (baseline ${system(wsCpu)}, alone ${system(aloneCpu)})`,
          );
        }
        if (alone) {
          await stopSide(alone);
          alone = undefined;
        }
      }
      if (options.onlyM2 === true) continue;

      // M1: publish → bundle received by the last board; bangtin and baseline rounds in turn.
      // Every board beats every 30 s meanwhile, as players do: the rounds take minutes, and
      // the controller closes a board silent for 90 s (a board reconnecting gets its bundle
      // in the hello reply, which is not the fan-out measured here).
      await both((s) => s.boards.request({ type: 'heartbeats', intervalMs: heartbeatMs }));
      const lasts: Record<Kind, number[]> = { bangtin: [], ws: [] };
      const p99s: Record<Kind, number[]> = { bangtin: [], ws: [] };
      const written: Record<Kind, number[]> = { bangtin: [], ws: [] };
      // Round -1 is a warm-up, for both sides, not counted: V8 drops the compiled code of
      // functions idle for minutes (M2's five-minute window runs no publish), and the first
      // publish after that runs cold.
      for (let r = -1; r < roundsPerSize; r++) {
        const order: Kind[] = r % 2 === 0 ? ['bangtin', 'ws'] : ['ws', 'bangtin'];
        for (const [place, kind] of order.entries()) {
          const s = side(kind);
          await s.boards.request({ type: 'arm' });
          const published = await s.server.request<Published>({
            type: 'publish',
            boards,
            rounds: round,
          });
          const times = await s.boards.request<number[]>({
            type: 'await-bundles',
            timeoutMs: 120_000,
          });
          const latencies = times.map((t) => t - published.startedMs);
          const missing = latencies.filter((l) => Number.isNaN(l)).length;
          if (missing > 0) throw new Error(`${kind}: ${missing} of ${boards} boards got no bundle`);
          await settle(s);
          if (r < 0) {
            log(
              `${kind}: warm-up publish to ${label} boards, last ${Math.max(...latencies).toFixed(0)} ms`,
            );
            continue;
          }
          lasts[kind].push(Math.max(...latencies));
          written[kind].push(published.finishedMs - published.startedMs);
          p99s[kind].push(quantile(latencies, 0.99));
          publishRows.push(
            [
              new Date().toISOString(),
              boards,
              r,
              kind,
              place === 0 ? 'first' : 'second',
              Math.max(...latencies).toFixed(1),
              (published.finishedMs - published.startedMs).toFixed(1),
              quantile(latencies, 0.99).toFixed(1),
            ].join(','),
          );
        }
        round++;
      }
      const spread = (values: readonly number[]) => {
        const slowest = [...values].sort((a, b) => b - a).slice(0, 3);
        return `min ${quantile(values, 0).toFixed(0)}, p10 ${quantile(values, 0.1).toFixed(0)}, p50 ${quantile(values, 0.5).toFixed(0)}, p90 ${quantile(values, 0.9).toFixed(0)}, p99 ${quantile(values, 0.99).toFixed(0)}, slowest ${slowest.map((v) => v.toFixed(0)).join(' ')}`;
      };
      log(
        `M1 ${boards} rounds, last (ms): bangtin ${spread(lasts.bangtin)}; ws ${spread(lasts.ws)}`,
      );
      const lastSummary = summarize(lasts.bangtin);
      const wsLast = summarize(lasts.ws);
      metrics.push(
        metric({
          id: `M1.last.p50.${boards}`,
          name: `publish → bundle at the last of ${label} boards, median of ${roundsPerSize} publishes`,
          value: lastSummary.p50,
          baseline: wsLast.p50,
          unit: 'ms',
          n: roundsPerSize,
          target: boards === 5_000 ? { atMost: 250 } : undefined,
        }),
        metric({
          id: `M1.last.p99.${boards}`,
          name: `publish → bundle at the last of ${label} boards, p99 of ${roundsPerSize} publishes`,
          value: lastSummary.p99,
          baseline: wsLast.p99,
          unit: 'ms',
          n: roundsPerSize,
          target: boards === 5_000 ? { ratioAtMost: 1.5, atMost: 250 } : { ratioAtMost: 1.5 },
        }),
        metric({
          id: `M1.written.p50.${boards}`,
          name: `publish → the server wrote the last of ${label} bundles to its socket, median`,
          value: summarize(written.bangtin).p50,
          baseline: summarize(written.ws).p50,
          unit: 'ms',
          n: roundsPerSize,
          note: 'the rest of M1.last is the frames in flight and the fleet reading them',
        }),
        metric({
          id: `M1.board.p99.${boards}`,
          name: `publish → bundle, p99 over the ${label} boards of a publish, median publish`,
          value: summarize(p99s.bangtin).p50,
          baseline: summarize(p99s.ws).p50,
          unit: 'ms',
          n: roundsPerSize * boards,
        }),
      );
      log(
        `M1 ${boards}: last p50 ${lastSummary.p50.toFixed(0)} ms (ws ${wsLast.p50.toFixed(0)}), p99 ${lastSummary.p99.toFixed(0)} (ws ${wsLast.p99.toFixed(0)}), written p50 ${summarize(written.bangtin).p50.toFixed(0)} ms (ws ${summarize(written.ws).p50.toFixed(0)})`,
      );

      if (boards === stormBoards) metrics.push(...(await storms(sides, boards, round++, options)));
    }
  } finally {
    for (const s of [...sides, ...(alone ? [alone] : [])]) await stopSide(s);
    await rm(options.dir, { recursive: true, force: true });
    if (options.publishesCsv !== undefined && publishRows.length > 1) {
      await mkdir(path.dirname(options.publishesCsv), { recursive: true });
      await writeFile(options.publishesCsv, `${publishRows.join('\n')}\n`);
    }
  }
  return metrics;
}

/** M3 and M7: each server is killed and restarted under its connected fleet, in turn. */
async function storms(
  sides: PairSide[],
  boards: number,
  round: number,
  options: FleetOptions,
): Promise<Metric[]> {
  const { log, quick } = options;
  interface StormFigures {
    restartMs: number;
    ready99FromKill: number;
    ready99FromListen: number;
    stranded: number;
    delay: DelayFigures;
    report: StormReport;
  }
  const results: Partial<Record<Kind, StormFigures>> = {};
  const metrics: Metric[] = [];
  const offline = Math.floor(boards / 10);
  // No heartbeats through the storms: the storm measures the reconnections and hellos alone
  // (and socket.io-client, when BENCH_PLAYER_CLIENT picks it, queues a board's emits while it
  // is offline and sends them all on its return).
  for (const s of sides) await s.boards.request({ type: 'stop-heartbeats' });
  for (const s of [...sides].sort((a) => (a.kind === 'ws' ? -1 : 1))) {
    await s.boards.request({ type: 'trim', count: boards });
    // A tenth of the boards is offline when a release changes every bundle; the others get it.
    await s.boards.request({ type: 'pause', from: 0, to: offline });
    await s.boards.request({ type: 'arm' });
    await s.server.request({ type: 'publish', boards, rounds: round });
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    await s.boards.request({ type: 'storm-arm' });
    const killedMs = monotonicMs();
    await s.server.kill();
    await s.boards.request({ type: 'resume', from: 0, to: offline });
    const { server, started } = await startServer(s, boards, round, s.port);
    s.server = server;
    await server.request({ type: 'eld-start' });
    log(
      `${s.kind} restarted ${((started.startedMs - killedMs) / 1000).toFixed(1)} s after the kill`,
    );
    const current = await server.request<(string | null)[]>({ type: 'current-hashes', boards });
    const deadline = killedMs + (quick ? 60_000 : 90_000);
    let report: StormReport;
    for (;;) {
      report = await s.boards.request<StormReport>({ type: 'storm-report' });
      const holding = report.hashes.filter((h, i) => h !== null && h === current[i]).length;
      const ready = report.readyAtMs.filter((t) => !Number.isNaN(t)).length;
      if ((holding === boards && ready === boards) || monotonicMs() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const delay = await server.request<DelayFigures>({ type: 'eld-stop' });
    const readyAt = report.readyAtMs.filter(
      (t, i) => report.hashes[i] === current[i] && !Number.isNaN(t),
    );
    const figures: StormFigures = {
      restartMs: started.startedMs - killedMs,
      ready99FromKill: timeUntilFraction(
        readyAt.map((t) => t - killedMs),
        boards,
        0.99,
      ),
      ready99FromListen: timeUntilFraction(
        readyAt.map((t) => t - started.startedMs),
        boards,
        0.99,
      ),
      stranded: boards - readyAt.length,
      delay,
      report,
    };
    results[s.kind] = figures;
    log(
      `${s.kind} storm: restart ${(figures.restartMs / 1000).toFixed(1)} s, 99% ready ${(figures.ready99FromListen / 1000).toFixed(1)} s after listening (${(figures.ready99FromKill / 1000).toFixed(1)} s after the kill), stranded ${figures.stranded}, loop delay p99 ${delay.p99Ms.toFixed(0)} ms, resent ${report.resent}, bundles ${report.bundles}`,
    );
  }
  const b = results.bangtin;
  const w = results.ws;
  if (!b || !w) throw new Error('a storm did not run');
  const label = boards.toLocaleString('en');
  metrics.push(
    metric({
      id: `M3.ready99.${boards}`,
      name: `restart under ${label} boards: until 99% hold the current bundle, from the new process listening`,
      value: b.ready99FromListen / 1000,
      baseline: w.ready99FromListen / 1000,
      unit: 's',
      n: boards,
      target: { atMost: 10 },
      note: "the players' backoff (1 s ±50%, doubling, at most 5 s) sets most of it",
    }),
    metric({
      id: `M3.ready99-from-kill.${boards}`,
      name: `restart under ${label} boards: the same from the kill of the old process`,
      value: b.ready99FromKill / 1000,
      baseline: w.ready99FromKill / 1000,
      unit: 's',
      n: boards,
    }),
    metric({
      id: `M3.restart.${boards}`,
      name: `restart under ${label} boards: kill → new process listening, its state and release loaded`,
      value: b.restartMs / 1000,
      baseline: w.restartMs / 1000,
      unit: 's',
      n: 1,
    }),
    metric({
      id: `M3.stranded.${boards}`,
      name: `restart under ${label} boards: boards without the current bundle at the deadline`,
      value: b.stranded,
      baseline: w.stranded,
      unit: 'boards',
      n: boards,
      target: { atMost: 0 },
    }),
    metric({
      id: `M3.loop-delay.p99.${boards}`,
      name: `restart under ${label} boards: event-loop delay p99 in the new process`,
      value: b.delay.p99Ms,
      baseline: w.delay.p99Ms,
      unit: 'ms',
      n: b.delay.count,
      target: { atMost: 200 },
    }),
    metric({
      id: `M3.resent.${boards}`,
      name: `restart under ${label} boards: bundles resent to boards that held them`,
      value: b.report.resent,
      baseline: w.report.resent,
      unit: 'bundles',
      n: boards,
      target: { atMost: 0 },
    }),
    metric({
      id: `M3.sent-bytes.${boards}`,
      name: `restart under ${label} boards: bundle bytes sent (to the tenth that missed a release)`,
      value: b.report.bundleBytes / 1024,
      baseline: w.report.bundleBytes / 1024,
      unit: 'KiB',
      n: b.report.bundles,
    }),
  );

  // M7: after the storm every board asks again for its banner; one in fifty resumes a download.
  const bangtin = sides.find((s) => s.kind === 'bangtin');
  if (!bangtin) throw new Error('no bangtin side');
  const gets = await bangtin.boards.request<{
    statuses: Record<string, number>;
    requests: number;
    ms: number;
  }>({ type: 'conditional-gets', url: bangtin.url, concurrency: 50 }, 600_000);
  const resumes = await bangtin.boards.request<{
    attempts: number;
    resumed: number;
    statuses: Record<string, number>;
  }>(
    { type: 'resume-downloads', url: bangtin.url, count: quick ? 5 : Math.ceil(boards / 50) },
    600_000,
  );
  log(`M7: ${JSON.stringify(gets)} ${JSON.stringify(resumes)}`);
  metrics.push(
    metric({
      id: `M7.not-modified.${boards}`,
      name: `after the storm: unchanged banners answered 304 (If-None-Match)`,
      value: ((gets.statuses['304'] ?? 0) / Math.max(1, gets.requests)) * 100,
      unit: '%',
      n: gets.requests,
      target: { atLeast: 100 },
    }),
    metric({
      id: `M7.resumed.${boards}`,
      name: `interrupted 2 MB downloads resumed with Range + If-Range (206, whole file checked)`,
      value: (resumes.resumed / Math.max(1, resumes.attempts)) * 100,
      unit: '%',
      n: resumes.attempts,
      target: { atLeast: 100 },
    }),
  );
  return metrics;
}
