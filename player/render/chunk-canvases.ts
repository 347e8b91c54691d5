// The pool of marquee chunk canvases. No DOM types here: the canvases come from a factory, so
// the pool's rules are unit-tested in Node.

/** A canvas the pool hands out, whatever wraps it. */
export interface PooledCanvas {
  /** Backing size in pixels. */
  readonly width: number;
  readonly height: number;
  /** Releases the backing store (and whatever wraps the canvas) now, not at GC. */
  free(): void;
}

/** Canvas heights are rounded up to this, so lines of slightly different size share canvases. */
const HEIGHT_STEP_PX = 32;
/** An idle canvas serves a request up to this much taller than asked for. */
const HEIGHT_SLACK = 1.25;

/**
 * Marquee chunk canvases, kept for the renderer's life and handed from scene to scene.
 *
 * A new canvas costs far more than drawing text into it: its first drawing touches every page
 * of a fresh backing store (a 2048×864 chunk is 7 MB), which took 40–80 ms on the main thread
 * of a board PC's VM, while clearing and drawing into a canvas already in use took 1–3 ms.
 * pixi's own text canvases come and go with its pools, so the marquee keeps its own.
 */
export class ChunkCanvasPool<T extends PooledCanvas> {
  private readonly idle: T[] = [];
  /** Every canvas not freed yet, idle or in use. */
  private readonly live = new Set<T>();
  private created = 0;

  /**
   * @param maxIdleBytes idle canvases beyond this are freed, the oldest first
   * @param create makes a canvas of exactly this size, its backing store already allocated
   */
  constructor(
    private readonly maxIdleBytes: number,
    private readonly create: (width: number, height: number) => T,
  ) {}

  /** The backing size a request gets: the width as asked, the height rounded up. */
  static sizeFor(width: number, height: number): { width: number; height: number } {
    return {
      width: Math.max(1, Math.ceil(width)),
      height: Math.max(HEIGHT_STEP_PX, Math.ceil(height / HEIGHT_STEP_PX) * HEIGHT_STEP_PX),
    };
  }

  /** An idle canvas of this width at least this tall (and not much taller), or a new one. */
  acquire(width: number, height: number): T {
    let best = -1;
    this.idle.forEach((c, i) => {
      if (!serves(c, width, height)) return;
      if (best < 0 || c.height < (this.idle[best]?.height ?? Infinity)) best = i;
    });
    const found = best >= 0 ? this.idle.splice(best, 1)[0] : undefined;
    return found ?? this.make(width, height);
  }

  /**
   * Creates one idle canvas for requests of this size if fewer than `count` of them exist, in
   * use or idle; true while more are wanted. Called one step per frame while an item is
   * prepared, so that the next marquee, prepared while this one shows, finds its canvases.
   */
  reserve(width: number, height: number, count: number): boolean {
    let serving = 0;
    for (const c of this.live) if (serves(c, width, height)) serving++;
    if (serving >= count) return false;
    this.idle.push(this.make(width, height));
    return serving + 1 < count;
  }

  release(canvas: T): void {
    this.idle.push(canvas);
    let bytes = this.idle.reduce((n, c) => n + bytesOf(c), 0);
    while (bytes > this.maxIdleBytes) {
      const oldest = this.idle.shift();
      if (!oldest) break;
      bytes -= bytesOf(oldest);
      this.free(oldest);
    }
  }

  /** Canvases created so far (each one a fresh backing store): for tests and diagnostics. */
  stats(): { created: number; idle: number } {
    return { created: this.created, idle: this.idle.length };
  }

  destroy(): void {
    for (const canvas of this.idle.splice(0)) this.free(canvas);
  }

  private make(width: number, height: number): T {
    const size = ChunkCanvasPool.sizeFor(width, height);
    const canvas = this.create(size.width, size.height);
    this.created++;
    this.live.add(canvas);
    return canvas;
  }

  private free(canvas: T): void {
    this.live.delete(canvas);
    canvas.free();
  }
}

/** Whether a canvas can hold a request of this size: the same width, tall enough, not much taller. */
function serves(canvas: PooledCanvas, width: number, height: number): boolean {
  const size = ChunkCanvasPool.sizeFor(width, height);
  return (
    canvas.width === size.width &&
    canvas.height >= height &&
    canvas.height <= size.height * HEIGHT_SLACK
  );
}

function bytesOf(canvas: PooledCanvas): number {
  return canvas.width * canvas.height * 4;
}
