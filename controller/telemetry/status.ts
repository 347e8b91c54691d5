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

/** What changed in a board's status. */
export type StatusChange = 'connected' | 'disconnected' | 'heartbeat' | 'now-playing';

/** Live board status, in memory: heartbeats are telemetry, not configuration state. */
export class BoardStatusBook {
  private readonly statuses = new Map<string, BoardStatus>();
  private readonly listeners = new Set<(boardId: string, change: StatusChange) => void>();

  constructor(private readonly clock: Clock) {}

  /** Calls `listener` after every change; returns the way to stop. */
  onChange(listener: (boardId: string, change: StatusChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(boardId: string, change: StatusChange): void {
    for (const listener of this.listeners) listener(boardId, change);
  }

  /** Sets when a board was last heard from before a restart (it stays disconnected). */
  restoreLastSeen(boardId: string, lastSeenMs: number): void {
    const s = this.entry(boardId);
    if (s.lastSeenMs === null || s.lastSeenMs < lastSeenMs) s.lastSeenMs = lastSeenMs;
  }

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
    this.changed(boardId, 'connected');
  }

  disconnected(boardId: string): void {
    const s = this.entry(boardId);
    s.connections = Math.max(0, s.connections - 1);
    s.connected = s.connections > 0;
    this.changed(boardId, 'disconnected');
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
    this.changed(boardId, 'heartbeat');
  }

  nowPlaying(boardId: string, now: NowPlaying): void {
    const s = this.entry(boardId);
    s.lastSeenMs = this.clock.now();
    s.nowPlaying = now;
    s.bundleVersion = now.bundleVersion;
    this.changed(boardId, 'now-playing');
  }

  get(boardId: string): BoardStatus | undefined {
    return this.statuses.get(boardId);
  }

  all(): BoardStatus[] {
    return [...this.statuses.values()];
  }
}
