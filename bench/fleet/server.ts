// The server side of the fleet benchmarks, in its own process: either a whole bangtin
// controller (startController, on loopback) or the baseline, a raw `ws` server that sends the
// same bundle bytes. The orchestrator drives it over IPC (bench/lib/child.ts).
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { pino } from 'pino';
import sharp from 'sharp';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer, type WebSocket } from 'ws';
import { startController, type Controller } from '../../controller/app.js';
import { sha256Hex } from '../../controller/auth/secrets.js';
import { systemClock } from '../../controller/clock.js';
import { discardUpgradeRequest, MAX_MESSAGE_BYTES } from '../../controller/players/hub.js';
import { assetUrl, PlanSlicer, preparedBundle } from '../../controller/releases/bundles.js';
import { sha256OfBytes } from '../../controller/releases/canonical.js';
import { ReleaseTree } from '../../controller/releases/release-tree.js';
import { ReleaseSigner } from '../../controller/releases/signing.js';
import {
  BUNDLE_FORMAT,
  PLAYER_LIVENESS,
  type Bundle,
  type BundleAsset,
  type PlanDocument,
} from '../../playlists/index.js';
import { serveRequests } from '../lib/child.js';
import { fleetPlans, type Rounds } from '../lib/plans.js';
import { monotonicMs } from '../lib/stats.js';
import { bundleFrame, fleetBoardId, fleetToken, validatePlans } from './common.js';

export type ServerRequest =
  | {
      type: 'start';
      /** `socketio`: socket.io alone, the hub's options and protocol without bangtin (M2). */
      mode: 'bangtin' | 'ws' | 'socketio';
      dataDir: string;
      boards: number;
      rounds: Rounds;
      port: number;
      /** With a banner of this many bytes in every plan (for the download benchmark). */
      bannerBytes?: number;
    }
  | { type: 'publish'; boards: number; rounds: Rounds }
  | { type: 'seed'; from: number; to: number }
  | { type: 'warm' }
  | { type: 'memory' }
  | { type: 'cpu-start' }
  | { type: 'cpu-stop' }
  | { type: 'eld-start' }
  | { type: 'eld-stop' }
  | { type: 'connections' }
  | { type: 'current-hashes'; boards: number }
  | { type: 'banner' };

export interface Started {
  url: string;
  port: number;
  startedMs: number;
}
export interface Published {
  startedMs: number;
  finishedMs: number;
}
export interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}
export interface CpuFigures {
  /** User and system time. */
  cpuMs: number;
  systemMs: number;
  wallMs: number;
}
export interface DelayFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  count: number;
}

const BENCH_USER = 'bench';

function plansFor(boards: number, rounds: Rounds, banner: string | undefined): PlanDocument[] {
  const docs = fleetPlans(boards, rounds);
  if (banner !== undefined) {
    for (const doc of docs) {
      doc.content = [...(doc.content ?? []), { id: 'bang-ron', kind: 'banner', asset: banner }];
      doc.playlists = (doc.playlists ?? []).map((p) =>
        p.id === 'chinh' ? { ...p, items: [...p.items, 'bang-ron'] } : p,
      );
    }
  }
  return validatePlans(docs);
}

/** A noisy, incompressible PNG of about `bytes` bytes. */
async function bannerPng(bytes: number): Promise<Buffer> {
  const side = Math.max(16, Math.ceil(Math.sqrt(bytes / 3)));
  const raw = Buffer.alloc(side * side * 3);
  let x = 0x9e3779b9;
  for (let i = 0; i < raw.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    raw[i] = x & 255;
  }
  return sharp(raw, { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

let controller: Controller | undefined;
/** The `socketio` mode's server (startSocketIo). */
let bare: SocketIoServer | undefined;
let plans: PlanDocument[] = [];
let bannerAsset: { name: string; sha256: string; size: number } | undefined;
let cpuStart: { usage: NodeJS.CpuUsage; atMs: number } | undefined;
let delay: IntervalHistogram | undefined;
let snapshots = 0;

// The raw baseline.
const frames = new Map<string, { frame: string; json: string; hash: string }>();
const rawBoards = new Map<WebSocket, string>();

/** Device records for boards [from, to), as pairing would have made them. */
async function seedDevices(from: number, to: number): Promise<void> {
  if (!controller) throw new Error('not started');
  const pairedAt = new Date().toISOString();
  await controller.store.update((draft) => {
    for (let i = from; i < to; i++) {
      draft.devices.push({
        id: `dev-${i}`,
        boardId: fleetBoardId(i),
        tokenHash: sha256Hex(fleetToken(i)),
        pairedAt,
        pairedBy: BENCH_USER,
      });
    }
  });
}

/**
 * The plans a publish takes (through `publishSource`, which skips the approval workflow) are
 * also put in the store's state, as in production: every state write validates and writes
 * them, and the monitor knows the boards, so each heartbeat updates a board's health as it
 * would. Done before a publish's clock starts.
 */
async function storePlans(): Promise<void> {
  if (!controller) throw new Error('not started');
  await controller.store.update((draft) => {
    draft.plans = plans;
  });
}

async function startBangtin(request: Extract<ServerRequest, { type: 'start' }>): Promise<Started> {
  await mkdir(request.dataDir, { recursive: true });
  controller = await startController({
    host: '127.0.0.1',
    port: request.port,
    dataDir: request.dataDir,
    logger: pino({ level: 'silent' }),
    clock: systemClock,
    webDir: path.join(request.dataDir, 'no-web'),
    publishSource: { select: () => ({ plans, approvals: [], withheld: [] }) },
  });
  const startedMs = monotonicMs();
  if (controller.store.read().devices.length === 0) await seedDevices(0, request.boards);
  if (request.bannerBytes !== undefined) {
    const existing = controller.assets.list().find((a) => a.name === 'bang-ron.png');
    const asset =
      existing ??
      (await controller.assets.upload(
        await bannerPng(request.bannerBytes),
        'bang-ron.png',
        BENCH_USER,
      ));
    bannerAsset = { name: asset.name, sha256: asset.sha256, size: asset.size };
  }
  plans = plansFor(request.boards, request.rounds, bannerAsset?.name);
  await storePlans();
  if (controller.releases.current()?.meta.hash === undefined) {
    await controller.releases.publish(BENCH_USER);
  } else {
    // A restart: publish what changed while the controller was down, if anything did.
    await controller.releases.publish(BENCH_USER).catch(() => undefined);
  }
  const address = controller.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : request.port;
  return { url: controller.url, port, startedMs };
}

let rawAssets: BundleAsset[] = [];

function rawFrames(boards: number, rounds: Rounds, signer: ReleaseSigner): void {
  plans = plansFor(boards, rounds, rawAssets[0]?.name);
  frames.clear();
  // The same bundles as a release's, signed the same way: one signature over their tree.
  const unsigned = new Map<string, Omit<Bundle, 'signature'>>();
  let version = 1;
  for (const plan of plans) {
    const slicer = new PlanSlicer(plan, rawAssets);
    for (const board of plan.boards) {
      const prepared = slicer.prepare(board.id);
      if (prepared) unsigned.set(board.id, preparedBundle(prepared, version, 1));
    }
    version++;
  }
  const tree = ReleaseTree.build(
    BUNDLE_FORMAT,
    1,
    Object.fromEntries([...unsigned].map(([id, b]) => [id, { version: b.version, hash: b.hash }])),
  );
  const rootSignature = signer.signText(tree.rootText());
  for (const [boardId, bundle] of unsigned) {
    const signature = tree.signatureOf(boardId, rootSignature);
    if (!signature) continue;
    const signed: Bundle = { ...bundle, signature };
    frames.set(boardId, {
      frame: bundleFrame(signed),
      json: JSON.stringify(signed),
      hash: signed.hash,
    });
  }
}

let rawSigner: ReleaseSigner | undefined;

async function startRaw(request: Extract<ServerRequest, { type: 'start' }>): Promise<Started> {
  await mkdir(request.dataDir, { recursive: true });
  rawSigner = await ReleaseSigner.open(path.join(request.dataDir, 'keys'));
  if (request.bannerBytes !== undefined) {
    const png = await bannerPng(request.bannerBytes);
    const sha256 = sha256OfBytes(png);
    rawAssets = [
      { name: 'bang-ron.png', sha256, url: assetUrl(sha256), size: png.length, type: 'image/png' },
    ];
  }
  rawFrames(request.boards, request.rounds, rawSigner);
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: request.port,
    // As socket.io configures ws: no compression, the same largest message.
    perMessageDeflate: false,
    maxPayload: 3_000_000,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const startedMs = monotonicMs();
  server.on('connection', (socket, req) => {
    const boardId = new URL(req.url ?? '/', 'http://x').searchParams.get('board') ?? '';
    rawBoards.set(socket, boardId);
    socket.on('close', () => rawBoards.delete(socket));
    socket.on('message', (data: Buffer) => {
      // The same work per message as the controller's minimum: parse, answer.
      const message = JSON.parse(data.toString('utf8')) as { type: string; hash?: string | null };
      if (message.type === 'hello') {
        const current = frames.get(boardId);
        socket.send(
          current && current.hash !== message.hash
            ? `{"type":"hello","bundle":${current.json}}`
            : '{"type":"hello"}',
        );
      } else if (message.type === 'heartbeat') {
        socket.send('{"type":"ack"}');
      }
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : request.port;
  return { url: `ws://127.0.0.1:${port}`, port, startedMs };
}

async function handle(body: unknown): Promise<unknown> {
  const request = body as ServerRequest;
  switch (request.type) {
    case 'start':
      return request.mode === 'bangtin'
        ? startBangtin(request)
        : request.mode === 'ws'
          ? startRaw(request)
          : startSocketIo(request);
    case 'publish': {
      if (controller) {
        plans = plansFor(request.boards, request.rounds, bannerAsset?.name);
        await storePlans();
        const startedMs = monotonicMs();
        await controller.releases.publish(BENCH_USER);
        // The push continues a batch per event-loop turn after publish() returns.
        await controller.hub.pushed();
        return { startedMs, finishedMs: monotonicMs() } satisfies Published;
      }
      if (!rawSigner) throw new Error('not started');
      rawFrames(request.boards, request.rounds, rawSigner);
      const startedMs = monotonicMs();
      for (const [socket, boardId] of rawBoards) {
        const frame = frames.get(boardId);
        if (frame) socket.send(frame.frame);
      }
      return { startedMs, finishedMs: monotonicMs() } satisfies Published;
    }
    case 'seed':
      if (controller) await seedDevices(request.from, request.to);
      return null;
    case 'warm': {
      if (controller)
        for (const p of plans) for (const b of p.boards) controller.releases.bundle(b.id);
      return null;
    }
    case 'memory': {
      const gc = (globalThis as { gc?: () => void }).gc;
      for (let i = 0; i < 3; i++) {
        gc?.();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const m = process.memoryUsage();
      // BENCH_HEAP_SNAPSHOT_DIR=<dir>: a heap snapshot at each measurement, to see what a
      // connection holds (compare two with Chrome's DevTools or bench/heap-diff.ts).
      const snapshotDir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
      if (snapshotDir) {
        await mkdir(snapshotDir, { recursive: true });
        const mode = controller ? 'bangtin' : bare ? 'socketio' : 'ws';
        const name = `${mode}-${String(++snapshots)}.heapsnapshot`;
        writeHeapSnapshot(path.join(snapshotDir, name));
      }
      return {
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
      } satisfies Memory;
    }
    case 'cpu-start':
      cpuStart = { usage: process.cpuUsage(), atMs: monotonicMs() };
      return null;
    case 'cpu-stop': {
      if (!cpuStart) throw new Error('cpu-start first');
      const used = process.cpuUsage(cpuStart.usage);
      return {
        cpuMs: (used.user + used.system) / 1000,
        systemMs: used.system / 1000,
        wallMs: monotonicMs() - cpuStart.atMs,
      } satisfies CpuFigures;
    }
    case 'eld-start':
      delay?.disable();
      delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      return null;
    case 'eld-stop': {
      if (!delay) throw new Error('eld-start first');
      delay.disable();
      return {
        p50Ms: delay.percentile(50) / 1e6,
        p99Ms: delay.percentile(99) / 1e6,
        maxMs: delay.max / 1e6,
        count: delay.count,
      } satisfies DelayFigures;
    }
    case 'connections':
      if (bare) return bare.of('/player').sockets.size;
      return controller ? controller.hub.io.of('/player').sockets.size : rawBoards.size;
    case 'current-hashes': {
      const hashes: (string | null)[] = [];
      for (let i = 0; i < request.boards; i++) {
        const id = fleetBoardId(i);
        hashes.push(
          // From the release index: building every bundle here would load the very event
          // loop this storm measures.
          controller
            ? (controller.releases.bundleHash(id) ?? null)
            : (frames.get(id)?.hash ?? null),
        );
      }
      return hashes;
    }
    case 'banner':
      return bannerAsset ?? null;
  }
}

/**
 * socket.io alone: a server with the hub's options (no compression, the same largest message,
 * engine.io's ping, the first HTTP request let go) answering the player's hello and heartbeats
 * with the same acknowledgements, with one listener shared by every socket as the hub has, and
 * no bangtin state (no devices, releases or monitor). What socket.io itself costs a connection,
 * beside bangtin and raw `ws`, for M2.
 */
async function startSocketIo(request: Extract<ServerRequest, { type: 'start' }>): Promise<Started> {
  const http = createServer();
  const io = new SocketIoServer(http, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    pingInterval: PLAYER_LIVENESS.pingIntervalMs,
    pingTimeout: PLAYER_LIVENESS.pingTimeoutMs,
  });
  bare = io;
  discardUpgradeRequest(io);
  const players = io.of('/player');
  players.on('connection', (socket) => {
    (socket.conn as { request: unknown }).request = null;
    socket.onAny(bareEvent);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(request.port, '127.0.0.1', resolve);
  });
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : request.port;
  return { url: `http://127.0.0.1:${port}`, port, startedMs: monotonicMs() };
}

/** socket.io alone's one listener: a hello is answered with no bundle, a heartbeat with null. */
function bareEvent(event: unknown, _payload: unknown, ack: unknown): void {
  if (typeof ack !== 'function') return;
  const reply = ack as (r: unknown) => void;
  if (event === 'player:hello') {
    reply({ ok: true, value: { boardId: 'bare', serverTimeMs: Date.now(), blankAll: false } });
  } else if (event === 'player:heartbeat') {
    reply({ ok: true, value: null });
  }
}

serveRequests(handle);
