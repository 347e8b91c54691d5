import type { FrameStats } from './types';

const WINDOW = 600;

/** Frame intervals over the last ~10 s at 60 fps, in a fixed ring (no allocation per frame). */
export class FrameClock {
  private readonly intervals = new Float64Array(WINDOW);
  private readonly stamps = new Float64Array(WINDOW);
  private count = 0;
  private frames = 0;

  record(atMs: number): void {
    const last = this.frames > 0 ? this.stamps[(this.frames - 1) % WINDOW] : undefined;
    this.stamps[this.frames % WINDOW] = atMs;
    if (last !== undefined) {
      this.intervals[this.count % WINDOW] = atMs - last;
      this.count++;
    }
    this.frames++;
  }

  stats(nowMs: number): FrameStats {
    const filled = Math.min(this.frames, WINDOW);
    let recent = 0;
    for (let i = 0; i < filled; i++) {
      if (nowMs - (this.stamps[i] ?? 0) <= 1000) recent++;
    }
    const n = Math.min(this.count, WINDOW);
    const sorted = Array.from(this.intervals.subarray(0, n)).sort((a, b) => a - b);
    const p99 = n === 0 ? 0 : (sorted[Math.min(n - 1, Math.ceil(n * 0.99) - 1)] ?? 0);
    return { fps: recent, frames: this.frames, p99FrameMs: p99 };
  }
}
