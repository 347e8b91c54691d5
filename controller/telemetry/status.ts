import type { Heartbeat, NowPlaying } from '../../playlists/index.js';
import type { Clock } from '../clock.js';

/** What the controller last heard from a board. */
export interface BoardStatus {
  boardId: string;
  connected: boolean;
  connections: number;
  lastSeenMs: number | null;
  nowPlaying: NowPlaying | null;
  bundleVersion: number | null;
  clockOffsetMs: number | null;
  uptimeMs: number | null;
  screen: { width: number; height: number } | null;
  errors: string[];
}

/** The status of a board never heard from. */
export function unknownStatus(boardId: string): BoardStatus {
  return {
    boardId,
    connected: false,
    connections: 0,
    lastSeenMs: null,
    nowPlaying: null,
    bundleVersion: null,
    clockOffsetMs: null,
    uptimeMs: null,
    screen: null,
    errors: [],
  };
}

/** Live board status, in memory: heartbeats are telemetry, not configuration state. */
export class BoardStatusBook {
  private readonly statuses = new Map<string, BoardStatus>();

  constructor(private readonly clock: Clock) {}

  private entry(boardId: string): BoardStatus {
    let status = this.statuses.get(boardId);
    if (!status) {
      status = unknownStatus(boardId);
      this.statuses.set(boardId, status);
    }
    return status;
  }

  connected(boardId: string): void {
    const s = this.entry(boardId);
    s.connections += 1;
    s.connected = true;
    s.lastSeenMs = this.clock.now();
  }

  disconnected(boardId: string): void {
    const s = this.entry(boardId);
    s.connections = Math.max(0, s.connections - 1);
    s.connected = s.connections > 0;
  }

  heartbeat(boardId: string, beat: Heartbeat): void {
    const s = this.entry(boardId);
    s.lastSeenMs = this.clock.now();
    s.nowPlaying = beat.nowPlaying;
    s.bundleVersion = beat.bundleVersion;
    s.clockOffsetMs = beat.clockOffsetMs;
    s.uptimeMs = beat.uptimeMs;
    s.screen = beat.screen;
    s.errors = beat.errors;
  }

  nowPlaying(boardId: string, now: NowPlaying): void {
    const s = this.entry(boardId);
    s.lastSeenMs = this.clock.now();
    s.nowPlaying = now;
    s.bundleVersion = now.bundleVersion;
  }

  get(boardId: string): BoardStatus | undefined {
    return this.statuses.get(boardId);
  }

  all(): BoardStatus[] {
    return [...this.statuses.values()];
  }
}
