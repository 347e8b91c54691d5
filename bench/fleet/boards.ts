// The load generator: thousands of simulated boards in one process, on loopback, talking
// either the real player protocol over socket.io (as player/app/connection.ts does: websocket
// only, the player's reconnection backoff, hello with the bundle held; written over `ws` by
// wire.ts, or with socket.io-client if BENCH_PLAYER_CLIENT says so) or the baseline's minimal
// protocol over raw `ws` with the same backoff. Driven over IPC by the orchestrator.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import {
  PLAYER_RECONNECT,
  PROTOCOL_VERSION,
  type Ack,
  type BoardResolver,
  type Bundle,
  type HelloReply,
} from '../../playlists/index.js';
import { serveRequests } from '../lib/child.js';
import { monotonicMs } from '../lib/stats.js';
import {
  Backoff,
  bundleOfFrame,
  fleetBoardId,
  fleetToken,
  heartbeatOf,
  resolverOf,
  showing,
} from './common.js';
import { playerClient, WireSocket, type WireHandlers } from './wire.js';

const PLAYER_CLIENT = playerClient(process.env.BENCH_PLAYER_CLIENT);

export type BoardsRequest =
  | {
      type: 'connect';
      kind: 'socketio' | 'ws';
      url: string;
      from: number;
      to: number;
      concurrency: number;
      timeoutMs: number;
    }
  | { type: 'arm' }
  | { type: 'collect' }
  | { type: 'await-bundles'; timeoutMs: number }
  | { type: 'heartbeats'; intervalMs: number }
  | { type: 'stop-heartbeats' }
  | { type: 'pause'; from: number; to: number }
  | { type: 'resume'; from: number; to: number }
  | { type: 'trim'; count: number }
  | { type: 'storm-arm' }
  | { type: 'storm-report' }
  | { type: 'disconnect-all' }
  | { type: 'conditional-gets'; url: string; concurrency: number }
  | { type: 'resume-downloads'; url: string; count: number };

export interface Connected {
  connected: number;
  failed: number;
  ms: number;
}

/** Per board, in board order: when it came to hold its final bundle after the storm, and which. */
export interface StormReport {
  readyAtMs: number[];
  hashes: (string | null)[];
  /** Bundles received that the board already held, and their bytes. */
  resent: number;
  resentBytes: number;
  /** Bundles received in all, and their bytes (as JSON). */
  bundles: number;
  bundleBytes: number;
  connected: number;
}

interface SimBoard {
  readonly index: number;
  readonly id: string;
  heldHash: string | null;
  heldVersion: number | null;
  /** Of the bundle held: what the board shows, for its heartbeats. */
  resolver: BoardResolver | undefined;
  assets: readonly { sha256: string; url: string; size: number }[];
  receivedAtMs: number;
  helloAtMs: number;
  bundleAtMs: number;
  connected: boolean;
  close(): void;
  /** Goes offline for a while (as a board whose network is down), and comes back. */
  pause(): void;
  resume(): void;
  heartbeat(uptimeMs: number): void;
}

const boards: SimBoard[] = [];
let storm = { resent: 0, resentBytes: 0, bundles: 0, bundleBytes: 0 };
const heartbeatTimers: NodeJS.Timeout[] = [];

function take(board: SimBoard, bundle: Bundle, bytes: number) {
  if (bundle.hash === board.heldHash) {
    storm.resent++;
    storm.resentBytes += bytes;
  }
  storm.bundles++;
  storm.bundleBytes += bytes;
  board.heldHash = bundle.hash;
  board.heldVersion = bundle.version;
  board.resolver = resolverOf(bundle);
  board.assets = bundle.assets;
  board.bundleAtMs = monotonicMs();
}

/** A player's socket.io connection: wire.ts's WireSocket, or socket.io-client behind the same face. */
interface PlayerLink {
  readonly connected: boolean;
  emit(name: string, payload: unknown, ack?: (args: unknown[]) => void): void;
  disconnect(): void;
  connect(): void;
}

function socketIoLink(url: string, auth: () => object, handlers: WireHandlers): PlayerLink {
  const socket: Socket = io(`${url}/player`, {
    forceNew: true,
    transports: ['websocket'],
    ...PLAYER_RECONNECT,
    auth: (give) => {
      give(auth());
    },
  });
  socket.on('connect', handlers.onConnect);
  socket.on('connect_error', (error) => {
    handlers.onConnectError(error.message);
  });
  socket.on('disconnect', handlers.onDisconnect);
  socket.onAny((name: string, ...args: unknown[]) => {
    handlers.onEvent(name, args);
  });
  return {
    get connected() {
      return socket.connected;
    },
    emit: (name, payload, ack) => {
      if (ack) {
        socket.emit(name, payload, (...args: unknown[]) => {
          ack(args);
        });
      } else socket.emit(name, payload);
    },
    disconnect: () => {
      socket.disconnect();
    },
    connect: () => {
      socket.connect();
    },
  };
}

/**
 * A simulated player on /player: it says hello with the bundle it holds at each connection,
 * takes pushed bundles, and sends heartbeats reporting what its resolver says it shows.
 */
function playerBoard(url: string, index: number, onReady: (ok: boolean) => void): SimBoard {
  let ready = false;
  const settle = (ok: boolean) => {
    if (ready) return;
    ready = true;
    onReady(ok);
  };
  const board: SimBoard = {
    index,
    id: fleetBoardId(index),
    heldHash: null,
    heldVersion: null,
    resolver: undefined,
    assets: [],
    receivedAtMs: Number.NaN,
    helloAtMs: Number.NaN,
    bundleAtMs: Number.NaN,
    get connected() {
      return link.connected;
    },
    close: () => {
      link.disconnect();
    },
    pause: () => {
      link.disconnect();
    },
    resume: () => {
      link.connect();
    },
    heartbeat: (uptimeMs) => {
      link.emit(
        'player:heartbeat',
        heartbeatOf(board.heldVersion, uptimeMs, showing(board.resolver, Date.now())),
        () => undefined,
      );
    },
  };
  const handlers: WireHandlers = {
    onConnect: () => {
      link.emit(
        'player:hello',
        {
          protocol: PROTOCOL_VERSION,
          bundleVersion: board.heldVersion,
          bundleHash: board.heldHash,
          clientTimeMs: Date.now(),
          screen: { width: 384, height: 128 },
        },
        ([reply]) => {
          const hello = reply as Ack<HelloReply>;
          if (hello.ok && hello.value.bundle) {
            take(board, hello.value.bundle, JSON.stringify(hello.value.bundle).length);
          }
          board.helloAtMs = monotonicMs();
          settle(hello.ok);
        },
      );
    },
    onConnectError: () => {
      settle(false);
    },
    onEvent: (name, [value]) => {
      if (name !== 'bundle:update') return;
      if (Number.isNaN(board.receivedAtMs)) board.receivedAtMs = monotonicMs();
      take(board, value as Bundle, 0);
    },
    onDisconnect: () => undefined,
  };
  const auth = () => ({ token: fleetToken(index), protocol: PROTOCOL_VERSION });
  const link: PlayerLink =
    PLAYER_CLIENT === 'wire'
      ? new WireSocket({ url, namespace: '/player', auth, ...PLAYER_RECONNECT }, handlers)
      : socketIoLink(url, auth, handlers);
  return board;
}

function wsBoard(url: string, index: number, onReady: (ok: boolean) => void): SimBoard {
  const backoff = new Backoff(
    PLAYER_RECONNECT.reconnectionDelay,
    PLAYER_RECONNECT.reconnectionDelayMax,
    PLAYER_RECONNECT.randomizationFactor,
  );
  let socket: WebSocket | undefined;
  let closed = false;
  let ready = false;
  /** The next attempt after a lost link, while the backoff runs. */
  let retry: NodeJS.Timeout | undefined;
  const board: SimBoard = {
    index,
    id: fleetBoardId(index),
    heldHash: null,
    heldVersion: null,
    resolver: undefined,
    assets: [],
    receivedAtMs: Number.NaN,
    helloAtMs: Number.NaN,
    bundleAtMs: Number.NaN,
    connected: false,
    close: () => {
      stop();
    },
    pause: () => {
      stop();
    },
    resume: () => {
      if (!closed) return;
      closed = false;
      clearTimeout(retry);
      open();
    },
    heartbeat: (uptimeMs) => {
      if (socket?.readyState !== WebSocket.OPEN) return;
      socket.send(
        JSON.stringify({
          type: 'heartbeat',
          ...heartbeatOf(board.heldVersion, uptimeMs, showing(board.resolver, Date.now())),
        }),
      );
    },
  };
  const stop = () => {
    closed = true;
    clearTimeout(retry);
    board.connected = false;
    socket?.close();
  };
  const open = () => {
    const ws = new WebSocket(`${url}/?board=${board.id}`, { perMessageDeflate: false });
    socket = ws;
    ws.on('open', () => {
      backoff.reset();
      board.connected = true;
      ws.send(JSON.stringify({ type: 'hello', hash: board.heldHash }));
    });
    ws.on('message', (data: Buffer) => {
      // Nothing more from a link stop() closed, or one replaced since.
      if (ws !== socket || closed) return;
      const text = data.toString('utf8');
      if (text.startsWith('42')) {
        if (Number.isNaN(board.receivedAtMs)) board.receivedAtMs = monotonicMs();
        const bundle = bundleOfFrame(text) as Bundle;
        take(board, bundle, 0);
        return;
      }
      const message = JSON.parse(text) as { type: string; bundle?: Bundle };
      if (message.type !== 'hello') return;
      if (message.bundle) take(board, message.bundle, JSON.stringify(message.bundle).length);
      board.helloAtMs = monotonicMs();
      if (!ready) {
        ready = true;
        onReady(true);
      }
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (ws !== socket) return;
      board.connected = false;
      if (!closed) retry = setTimeout(open, backoff.durationMs());
    });
  };
  // As socket.io-client's Manager: the first attempt at once, backoff only between attempts.
  open();
  return board;
}

async function connect(request: Extract<BoardsRequest, { type: 'connect' }>): Promise<Connected> {
  const startedMs = monotonicMs();
  let connected = 0;
  let failed = 0;
  let next = request.from;
  await new Promise<void>((resolve) => {
    const deadline = setTimeout(resolve, request.timeoutMs);
    let running = 0;
    const launch = () => {
      while (running < request.concurrency && next < request.to) {
        running++;
        const index = next++;
        const make = request.kind === 'ws' ? wsBoard : playerBoard;
        boards.push(
          make(request.url, index, (ok) => {
            running--;
            if (ok) connected++;
            else failed++;
            if (connected + failed === request.to - request.from) {
              clearTimeout(deadline);
              resolve();
            } else launch();
          }),
        );
      }
    };
    launch();
  });
  return { connected, failed, ms: monotonicMs() - startedMs };
}

/** Resolves when every board has received a bundle since `arm`, or at the deadline. */
async function awaitBundles(timeoutMs: number): Promise<number[]> {
  const deadline = monotonicMs() + timeoutMs;
  for (;;) {
    const missing = boards.some((b) => Number.isNaN(b.receivedAtMs));
    if (!missing || monotonicMs() > deadline) return boards.map((b) => b.receivedAtMs);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function request(
  url: string,
  headers: Record<string, string>,
  agent: http.Agent,
  onData?: (chunk: Buffer, req: http.ClientRequest) => void,
): Promise<{ status: number; body: Buffer; aborted: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      let aborted = false;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        onData?.(chunk, req);
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), aborted });
      });
      res.on('aborted', () => {
        aborted = true;
      });
      res.on('close', () => {
        if (!res.complete)
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), aborted: true });
      });
    });
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') return;
      reject(error);
    });
  });
}

/** Every board asks again for the assets its bundle names, as a player does after a storm. */
async function conditionalGets(url: string, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses: Record<string, number> = {};
  let unexpected: string | undefined;
  const jobs = boards.flatMap((b) => b.assets.map((a) => a));
  let next = 0;
  const startedMs = monotonicMs();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const asset = jobs[next++];
        if (!asset) break;
        const res = await request(
          `${url}${asset.url}`,
          { 'if-none-match': `"${asset.sha256}"` },
          agent,
        );
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status !== 304 && unexpected === undefined) {
          unexpected = `${res.status} ${asset.url} ${res.body.subarray(0, 200).toString()}`;
        }
      }
    }),
  );
  agent.destroy();
  return { statuses, requests: jobs.length, ms: monotonicMs() - startedMs, unexpected };
}

/** Downloads interrupted half way, then resumed with Range + If-Range; checks every byte. */
async function resumeDownloads(url: string, count: number) {
  const agent = new http.Agent({ keepAlive: false });
  let resumed = 0;
  let attempts = 0;
  const statuses: Record<string, number> = {};
  const withAssets = boards.filter((b) => b.assets.length > 0).slice(0, count);
  for (const board of withAssets) {
    const asset = board.assets[0];
    if (!asset) continue;
    attempts++;
    let received = 0;
    const first = await request(`${url}${asset.url}`, {}, agent, (chunk, req) => {
      received += chunk.length;
      if (received >= asset.size / 2) req.destroy();
    });
    const have = first.body;
    const rest = await request(
      `${url}${asset.url}`,
      { range: `bytes=${have.length}-`, 'if-range': `"${asset.sha256}"` },
      agent,
    );
    statuses[rest.status] = (statuses[rest.status] ?? 0) + 1;
    const whole = Buffer.concat([have, rest.body]);
    const hash = createHash('sha256').update(whole).digest('hex');
    if (first.aborted && have.length < asset.size && rest.status === 206 && hash === asset.sha256) {
      resumed++;
    }
  }
  agent.destroy();
  return { attempts, resumed, statuses };
}

async function handle(body: unknown): Promise<unknown> {
  const request = body as BoardsRequest;
  switch (request.type) {
    case 'connect':
      return connect(request);
    case 'arm':
      for (const b of boards) b.receivedAtMs = Number.NaN;
      return null;
    case 'collect':
      // A publish's garbage (thousands of bundles and their resolvers) collected at once, out of
      // every measured window: thousands of boards share this heap, where each real board has
      // its own and one bundle's garbage.
      globalThis.gc?.();
      return null;
    case 'await-bundles':
      return awaitBundles(request.timeoutMs);
    case 'heartbeats': {
      // Again from the start, for every board connected now.
      for (const t of heartbeatTimers) clearTimeout(t);
      heartbeatTimers.length = 0;
      const startedMs = monotonicMs();
      for (const board of boards) {
        const phase = Math.random() * request.intervalMs;
        heartbeatTimers.push(
          setTimeout(() => {
            board.heartbeat(Math.round(monotonicMs() - startedMs));
            heartbeatTimers.push(
              setInterval(() => {
                board.heartbeat(Math.round(monotonicMs() - startedMs));
              }, request.intervalMs),
            );
          }, phase),
        );
      }
      return null;
    }
    case 'stop-heartbeats':
      for (const t of heartbeatTimers) clearTimeout(t);
      heartbeatTimers.length = 0;
      return null;
    case 'pause':
      for (const b of boards.slice(request.from, request.to)) b.pause();
      return null;
    case 'resume':
      for (const b of boards.slice(request.from, request.to)) b.resume();
      return null;
    case 'trim':
      for (const b of boards.splice(request.count)) b.close();
      return null;
    case 'storm-arm':
      storm = { resent: 0, resentBytes: 0, bundles: 0, bundleBytes: 0 };
      for (const b of boards) {
        b.helloAtMs = Number.NaN;
        b.bundleAtMs = Number.NaN;
      }
      return null;
    case 'storm-report':
      return {
        readyAtMs: boards.map((b) =>
          Number.isNaN(b.helloAtMs) ? Number.NaN : Math.max(b.helloAtMs, b.bundleAtMs || 0),
        ),
        hashes: boards.map((b) => b.heldHash),
        ...storm,
        connected: boards.filter((b) => b.connected).length,
      } satisfies StormReport;
    case 'disconnect-all':
      for (const t of heartbeatTimers) clearTimeout(t);
      heartbeatTimers.length = 0;
      for (const b of boards) b.close();
      boards.length = 0;
      return null;
    case 'conditional-gets':
      return conditionalGets(request.url, request.concurrency);
    case 'resume-downloads':
      return resumeDownloads(request.url, request.count);
  }
}

serveRequests(handle);
