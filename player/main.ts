import {
  BundleSchema,
  PLAYER_LIVENESS,
  type Bundle,
  type Command,
  type PlayRecord,
} from '../playlists/protocol.js';
import { bestOffset, CorrectedClock, type SyncSample } from './app/clock.js';
import { PlayerConnection, startPairing } from './app/connection.js';
import { Playback, renderItemsOf, type Showing } from './app/playback.js';
import { verifiedFile } from './app/files.js';
import { FILES_CACHE, PlayerStorage } from './app/storage.js';
import { REFETCH_FIRST_MS, REFETCH_MAX_MS, RetryDelays } from './app/retry.js';
import { verifyBundle } from './app/verify.js';
import { BoardRenderer } from './render/index.js';
import type { RenderItem } from './render/types.js';

const root = document.documentElement;
const host = document.getElementById('board') as HTMLElement;
const overlay = {
  box: document.getElementById('overlay') as HTMLElement,
  title: document.getElementById('overlay-title') as HTMLElement,
  code: document.getElementById('overlay-code') as HTMLElement,
  detail: document.getElementById('overlay-detail') as HTMLElement,
  progress: document.getElementById('overlay-progress') as HTMLProgressElement,
};

const RESYNC_MS = 10 * 60_000;
const startedAt = Date.now();
const recentErrors: string[] = [];

function reportError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  recentErrors.push(`${new Date().toISOString()} ${message}`.slice(0, 500));
  if (recentErrors.length > 20) recentErrors.shift();
  console.warn('bangtin player:', message);
}

function setState(state: string): void {
  root.dataset.state = state;
}

/** `blank` while the board is blanked (by command or blank-all), else `playing`. */
function setPlaybackState(playback: Playback): void {
  setState(playback.blanked ? 'blank' : 'playing');
}

function showOverlay(title: string, code: string, detail: string, identify = false): void {
  overlay.title.textContent = title;
  // A board id (up to 64 characters) may wrap after its hyphens; a pairing code never does.
  overlay.code.replaceChildren(
    ...code.split(/(?<=-)/).flatMap((part, i) => (i === 0 ? [part] : [wordBreak(), part])),
  );
  overlay.detail.textContent = detail;
  overlay.box.classList.toggle('identify', identify);
  overlay.box.hidden = false;
  fitOverlayCode();
}

function wordBreak(): HTMLElement {
  return document.createElement('wbr');
}

/**
 * Shrinks the identify overlay's board id from the stylesheet's size (the pairing code's) to the
 * largest at which no line is cut and the overlay fits the window.
 */
function fitOverlayCode(): void {
  const code = overlay.code;
  code.style.fontSize = '';
  if (overlay.box.hidden || !overlay.box.classList.contains('identify')) return;
  const fits = () =>
    code.scrollWidth <= code.clientWidth && overlay.box.scrollHeight <= overlay.box.clientHeight;
  if (fits()) return;
  let low = 1;
  let high = Number.parseFloat(getComputedStyle(code).fontSize);
  for (let step = 0; step < 12; step += 1) {
    const middle = (low + high) / 2;
    code.style.fontSize = `${String(middle)}px`;
    if (fits()) low = middle;
    else high = middle;
  }
  code.style.fontSize = `${String(Math.floor(low))}px`;
}
addEventListener('resize', fitOverlayCode);
void document.fonts.ready.then(fitOverlayCode);

function hideOverlay(): void {
  overlay.box.hidden = true;
  overlay.progress.hidden = true;
}

function screenSize() {
  return { width: Math.round(window.innerWidth), height: Math.round(window.innerHeight) };
}

/** A random id that works outside secure contexts too (crypto.randomUUID does not). */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Caches every file a bundle names that can be had and is what it says, showing progress. */
async function cacheFiles(bundle: Bundle, showProgress: boolean): Promise<boolean> {
  const cache = await caches.open(FILES_CACHE);
  let done = 0;
  if (showProgress && bundle.assets.length > 0) {
    overlay.progress.hidden = false;
    overlay.progress.max = bundle.assets.length;
  }
  for (const asset of bundle.assets) {
    // Checked against its sha256 whether cached or downloaded: a copy that does not match is
    // dropped and fetched again, and a download that does not match is refused. One that
    // cannot be had now does not hold the rest back: its slot keeps the last good item on the
    // board, and the renderer asks for it again when its turn comes.
    await verifiedFile(cache, asset.url, location.origin).catch(reportError);
    done += 1;
    if (showProgress) {
      overlay.progress.value = done;
      showOverlay('Đang tải nội dung', `${done}/${bundle.assets.length}`, bundle.board.name);
    }
  }
  return true;
}

/** The board: renderer, playback and what it reports. */
class Board {
  private renderer: BoardRenderer | undefined;
  private size: { width: number; height: number } | undefined;
  readonly playback: Playback;
  bundle: Bundle | undefined;
  /** What the playback asked for and the renderer has not put on the board yet. */
  private waiting: Showing | undefined;
  /** What is on the board: what `data-now-playing`, the heartbeats and proof of play say. */
  private onBoard: Showing | undefined;

  constructor(
    readonly clock: CorrectedClock,
    private readonly onShow: (showing: Showing) => void,
    private readonly onPlayed: (record: Omit<PlayRecord, 'id'>) => void,
  ) {
    this.playback = new Playback(() => clock.now(), {
      show: (item, startedAtMs, showing) => {
        this.waiting = showing;
        // The renderer says when it is on the board (onShown): at once, or once a banner has
        // loaded. A banner whose file fails never is, and the last good item stays.
        this.show(item, startedAtMs);
      },
      played: (record) => {
        // A banner that never reached the board was not played (its file failed to load).
        const never = this.waiting?.id === record.contentId && this.onBoard !== this.waiting;
        if (never && record.kind === 'item') return;
        this.onPlayed(record);
      },
    });
  }

  /** What the board shows: the playback's item once the renderer has put it on screen. */
  get showing(): Showing | undefined {
    return this.onBoard;
  }

  private shown(): void {
    const showing = this.waiting;
    if (!showing || this.onBoard === showing) return;
    this.onBoard = showing;
    root.dataset.nowPlaying = showing.id;
    this.onShow(showing);
  }

  private show(item: RenderItem, startedAtMs: number): void {
    try {
      this.renderer?.show(item, Number.isFinite(startedAtMs) ? startedAtMs : this.clock.now());
    } catch (error) {
      // Never go blank: the renderer keeps the last good item; report and carry on.
      reportError(error);
    }
  }

  /** Switches to a bundle once everything it needs is at hand. */
  async install(bundle: Bundle): Promise<void> {
    const { width, height } = bundle.board;
    if (!this.renderer || this.size?.width !== width || this.size.height !== height) {
      this.renderer?.destroy();
      this.renderer = await BoardRenderer.create(host, {
        width,
        height,
        now: () => this.clock.now(),
        onError: reportError,
        onShown: () => {
          this.shown();
        },
        // Banners are drawn from the bytes checked against their sha256, never as fetched.
        bannerBytes: async (url) =>
          (await verifiedFile(await caches.open(FILES_CACHE), url, location.origin)).blob(),
      });
      this.size = { width, height };
    }
    await this.renderer.preload(renderItemsOf(bundle)).catch(reportError);
    this.bundle = bundle;
    root.dataset.bundleVersion = String(bundle.version);
    this.playback.load(bundle);
  }

  snapshot(): Promise<string> {
    if (!this.renderer) return Promise.reject(new Error('nothing rendered yet'));
    return this.renderer.snapshot(320);
  }
}

async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) {
    reportError(new Error('no service worker here (not a secure context?): no offline start'));
    return;
  }
  try {
    await navigator.serviceWorker.register('/player-sw.js', { scope: '/player' });
    await navigator.storage.persist().catch(() => false);
  } catch (error) {
    reportError(error);
  }
}

async function pair(storage: PlayerStorage): Promise<void> {
  setState('pairing');
  showOverlay('Mã ghép nối', '…', 'Đang kết nối với máy chủ');
  await new Promise<void>((resolve) => {
    startPairing({
      screen: screenSize(),
      onOffer: (offer) => {
        root.dataset.pairingCode = offer.code;
        showOverlay('Mã ghép nối', offer.code, 'Nhập mã này trên trang quản trị bangtin');
      },
      onComplete: async (complete) => {
        await storage.setCredentials(complete);
      },
      onPaired: resolve,
      onError: (message) => {
        showOverlay(
          'Mã ghép nối',
          root.dataset.pairingCode ?? '…',
          `Chưa kết nối được (${message})`,
        );
      },
    });
  });
  delete root.dataset.pairingCode;
}

async function play(storage: PlayerStorage): Promise<void> {
  const credentials = await storage.credentials();
  if (!credentials) return;
  const clock = new CorrectedClock(await storage.clockOffset());
  root.dataset.clockOffset = String(clock.offsetMs);
  let connection: PlayerConnection | undefined;
  let flushing = false;

  const flushPlays = async () => {
    if (flushing || !connection?.connected) return;
    flushing = true;
    try {
      for (;;) {
        const pending = await storage.pendingPlays(500);
        // The connection may have dropped while IndexedDB was read.
        const link: PlayerConnection = connection;
        if (pending.length === 0 || !link.connected) break;
        const reply = await link.sendPlays(pending);
        await storage.forgetPlays(reply.acknowledged);
        if (reply.acknowledged.length === 0) break;
      }
    } catch (error) {
      reportError(error);
    } finally {
      flushing = false;
    }
  };

  const board = new Board(
    clock,
    (showing) => {
      if (!connection?.connected) return;
      connection
        .nowPlaying({
          id: showing.id,
          kind: showing.kind,
          startedAtMs: Math.max(
            0,
            Number.isFinite(showing.startMs) ? showing.startMs : clock.now(),
          ),
          bundleVersion: board.bundle?.version ?? null,
        })
        .catch(reportError);
    },
    (record) => {
      storage
        .addPlay({ id: randomId(), ...record })
        .then(flushPlays)
        .catch(reportError);
    },
  );

  // A bundle refused or not installed is asked for again (a hello), after a growing wait: a
  // board that got a damaged bundle recovers by itself, without a reload.
  const refetchDelays = new RetryDelays(REFETCH_FIRST_MS, REFETCH_MAX_MS);
  let refetchTimer: number | undefined;
  const refetchLater = () => {
    if (refetchTimer !== undefined) return;
    refetchTimer = window.setTimeout(() => {
      refetchTimer = undefined;
      void greet();
    }, refetchDelays.next());
  };

  /** Installs `bundle`; false when it was refused or could not be installed. */
  const install = async (bundle: Bundle, firstLoad: boolean): Promise<boolean> => {
    if (board.bundle?.hash === bundle.hash) return true;
    // Show nothing the controller did not sign, and never step back to an older release.
    if (!(await verifyBundle(bundle, credentials.publicKey))) {
      reportError(new Error(`refused bundle ${bundle.version}: its signature does not verify`));
      if (!board.bundle) {
        showOverlay(
          'Đang tải nội dung',
          '…',
          'Nội dung nhận được không xác thực được; đang thử lại',
        );
      }
      return false;
    }
    if (board.bundle && bundle.releaseVersion < board.bundle.releaseVersion) {
      reportError(new Error(`refused bundle ${bundle.version}: older than the one held`));
      // Asking again would bring the same one back: the controller's next publish will do.
      return true;
    }
    await cacheFiles(bundle, firstLoad);
    await storage.setBundle(bundle);
    await board.install(bundle);
    setPlaybackState(board.playback);
    hideOverlay();
    return true;
  };
  const installOrRetry = async (bundle: Bundle) => {
    const installed = await install(bundle, board.bundle === undefined).catch((error: unknown) => {
      reportError(error);
      return false;
    });
    if (installed) refetchDelays.reset();
    else refetchLater();
  };

  // Blank-all outlives reloads: a board that restarts offline during one stays black.
  let blankAll = await storage.blankAll();
  board.playback.setBlank('all', blankAll);
  const applyBlankAll = (blank: boolean) => {
    board.playback.setBlank('all', blank);
    if (board.bundle) setPlaybackState(board.playback);
    if (blank !== blankAll) {
      blankAll = blank;
      storage.setBlankAll(blank).catch(reportError);
    }
  };

  const held = await storage.bundle();
  const heldBundle = held === undefined ? undefined : BundleSchema.safeParse(held);
  if (heldBundle?.success && (await verifyBundle(heldBundle.data, credentials.publicKey))) {
    // Offline first: play what we hold before the controller answers (or if it never does).
    await board.install(heldBundle.data).catch(reportError);
    setPlaybackState(board.playback);
    hideOverlay();
  } else {
    setState('loading');
    showOverlay('Đang tải nội dung', '…', 'Đang kết nối với máy chủ');
  }

  const syncClock = async () => {
    if (!connection?.connected) return;
    const samples: SyncSample[] = [];
    for (let i = 0; i < 5; i += 1) samples.push(await connection.syncOnce());
    const offset = bestOffset(samples);
    if (offset === undefined) return;
    clock.offsetMs = offset;
    root.dataset.clockOffset = String(offset);
    await storage.setClockOffset(offset);
    board.playback.refresh();
  };

  const heartbeat = () => {
    if (!connection?.connected) return;
    const showing = board.showing;
    connection
      .heartbeat({
        nowPlaying: {
          id: showing?.id ?? '',
          kind: showing?.kind ?? 'idle',
          startedAtMs: Math.max(
            0,
            showing && Number.isFinite(showing.startMs) ? showing.startMs : clock.now(),
          ),
          bundleVersion: board.bundle?.version ?? null,
        },
        bundleVersion: board.bundle?.version ?? null,
        uptimeMs: Date.now() - startedAt,
        clockOffsetMs: clock.offsetMs,
        screen: screenSize(),
        errors: [...recentErrors],
      })
      .catch(reportError);
  };

  const onCommand = async (command: Command) => {
    const result = { id: command.id, ok: true } as {
      id: string;
      ok: boolean;
      data?: string;
      error?: string;
    };
    try {
      switch (command.type) {
        case 'reload':
          await connection?.commandResult(result);
          location.reload();
          return;
        case 'identify': {
          const name = board.bundle?.board.name ?? credentials.boardId;
          showOverlay(name, credentials.boardId, 'bangtin', true);
          setTimeout(hideOverlay, 10_000);
          break;
        }
        case 'blank':
        case 'unblank':
          board.playback.setBlank('command', command.type === 'blank');
          if (board.bundle) setPlaybackState(board.playback);
          break;
        case 'screenshot':
          result.data = await board.snapshot();
          break;
      }
    } catch (error) {
      result.ok = false;
      result.error = error instanceof Error ? error.message : String(error);
    }
    await connection?.commandResult(result).catch(reportError);
  };

  /** Says hello with the bundle held, and installs the one the controller answers with. */
  const greet = async () => {
    const link = connection;
    if (!link?.connected) return; // the next connection says hello
    try {
      const reply = await link.hello(board.bundle, screenSize(), navigator.userAgent);
      // Before the (slower) install, so a newer blank:update is never overwritten by it.
      applyBlankAll(reply.blankAll);
      if (reply.bundle) await installOrRetry(reply.bundle);
      else if (!board.bundle) {
        showOverlay('bangtin', credentials.boardId, 'Chưa có nội dung được công bố cho bảng này');
      }
      heartbeat();
      await flushPlays();
    } catch (error) {
      reportError(error);
      // Unanswered, refused or malformed: ask again later, unless the link is gone (then the
      // next connection says hello).
      if (connection?.connected) refetchLater();
    }
  };

  // Not connected until the controller answers (a board that starts offline says so at once).
  root.dataset.connected = '0';
  await new Promise<void>((resolve) => {
    connection = new PlayerConnection(credentials.token, {
      onConnected: () => {
        root.dataset.connected = '1';
        void (async () => {
          await syncClock().catch(reportError);
          await greet();
        })();
      },
      onDisconnected: () => {
        root.dataset.connected = '0';
      },
      onBundle: (bundle) => {
        void installOrRetry(bundle);
      },
      onCommand: (command) => {
        void onCommand(command);
      },
      onBlankAll: applyBlankAll,
      onRevoked: () => {
        // Revoked: forget the controller entirely and go back to pairing.
        connection?.close();
        board.playback.stop();
        storage.wipe().then(resolve, resolve);
      },
    });
    setInterval(heartbeat, PLAYER_LIVENESS.heartbeatMs);
    setInterval(() => {
      syncClock().catch(reportError);
    }, RESYNC_MS);
    window.addEventListener('pagehide', () => {
      board.playback.stop();
    });
  });
  location.reload();
}

async function embed(boardId: string): Promise<void> {
  setState('loading');
  const clock = new CorrectedClock();
  const board = new Board(
    clock,
    () => undefined,
    () => undefined,
  );
  const refresh = async () => {
    const sentMs = Date.now();
    const response = await fetch(`/api/public/boards/${encodeURIComponent(boardId)}/bundle`);
    if (!response.ok) throw new Error(`no public board ${boardId}: ${response.status}`);
    const body = (await response.json()) as {
      bundle: unknown;
      serverTimeMs: number;
      publicKey: string;
      blankAll?: unknown;
    };
    clock.offsetMs = Math.round(body.serverTimeMs - (sentMs + Date.now()) / 2);
    const bundle = BundleSchema.parse(body.bundle);
    if (!(await verifyBundle(bundle, body.publicKey))) throw new Error('bad bundle signature');
    board.playback.setBlank('all', body.blankAll === true);
    if (board.bundle?.hash !== bundle.hash) await board.install(bundle);
    else board.playback.refresh();
    setPlaybackState(board.playback);
    hideOverlay();
  };
  await refresh().catch((error: unknown) => {
    reportError(error);
    showOverlay('bangtin', '', 'Không có nội dung công khai cho bảng này');
  });
  setInterval(() => {
    refresh().catch(reportError);
  }, 60_000);
}

async function main(): Promise<void> {
  const embedMatch = /^\/embed\/([A-Za-z0-9._-]{1,64})$/.exec(location.pathname);
  if (embedMatch?.[1] !== undefined) {
    await embed(embedMatch[1]);
    return;
  }
  await registerServiceWorker();
  const storage = await PlayerStorage.open();
  if (!(await storage.credentials())) await pair(storage);
  await play(storage);
}

main().catch((error: unknown) => {
  reportError(error);
  showOverlay('bangtin', '', 'Lỗi khởi động; đang thử lại…');
  setTimeout(() => {
    location.reload();
  }, 10_000);
});
