import { describe, expect, it } from 'vitest';
import { ChunkCanvasPool, type PooledCanvas } from '../../player/render/chunk-canvases.js';

interface FakeCanvas extends PooledCanvas {
  id: number;
  freed: boolean;
}

function pool(maxIdleBytes = 64 * 1024 * 1024) {
  const made: FakeCanvas[] = [];
  const chunks = new ChunkCanvasPool<FakeCanvas>(maxIdleBytes, (width, height) => {
    const canvas: FakeCanvas = {
      id: made.length,
      width,
      height,
      freed: false,
      free: () => {
        canvas.freed = true;
      },
    };
    made.push(canvas);
    return canvas;
  });
  return { chunks, made };
}

describe('ChunkCanvasPool', () => {
  it('creates a canvas of the asked width and a rounded-up height', () => {
    const { chunks } = pool();
    const chunk = chunks.acquire(2048, 843);
    expect([chunk.width, chunk.height]).toEqual([2048, 864]);
    expect(chunks.stats()).toEqual({ created: 1, idle: 0 });
  });

  it('hands a released canvas to the next marquee instead of creating one', () => {
    const { chunks } = pool();
    const first = [chunks.acquire(2048, 843), chunks.acquire(2048, 843)];
    for (const chunk of first) chunks.release(chunk);
    expect(chunks.stats()).toEqual({ created: 2, idle: 2 });
    // Another slogan's line is a few pixels taller or shorter: the same canvases serve it.
    const again = [chunks.acquire(2048, 850), chunks.acquire(2048, 830)];
    expect(new Set(again)).toEqual(new Set(first));
    expect(chunks.stats()).toEqual({ created: 2, idle: 0 });
  });

  it('does not serve a request from a canvas too small, too large or of another width', () => {
    const { chunks } = pool();
    const canvases = [
      chunks.acquire(2048, 100),
      chunks.acquire(2048, 2000),
      chunks.acquire(1024, 843),
    ];
    for (const chunk of canvases) chunks.release(chunk);
    const chunk = chunks.acquire(2048, 843);
    expect(canvases).not.toContain(chunk);
    expect(chunks.stats()).toEqual({ created: 4, idle: 3 });
  });

  it('reserves idle canvases, one a call, until enough exist in use and idle', () => {
    const { chunks } = pool();
    const inUse = chunks.acquire(2048, 843);
    expect(chunks.reserve(2048, 843, 3)).toBe(true);
    expect(chunks.reserve(2048, 843, 3)).toBe(false);
    expect(chunks.stats()).toEqual({ created: 3, idle: 2 });
    // Canvases of another size do not count.
    expect(chunks.reserve(1024, 843, 1)).toBe(false);
    expect(chunks.stats()).toEqual({ created: 4, idle: 3 });
    expect(chunks.reserve(2048, 843, 3)).toBe(false);
    chunks.release(inUse);
    expect(chunks.reserve(2048, 843, 3)).toBe(false);
    expect(chunks.stats()).toEqual({ created: 4, idle: 4 });
    // The reserved canvases are the ones the next marquee gets.
    expect(chunks.acquire(2048, 843).id).toBe(1);
  });

  it('frees the oldest idle canvases beyond its budget, and all of them when destroyed', () => {
    const bytes = 2048 * 864 * 4;
    const { chunks, made } = pool(2 * bytes);
    const held = [1, 2, 3].map(() => chunks.acquire(2048, 843));
    for (const chunk of held) chunks.release(chunk);
    expect(chunks.stats().idle).toBe(2);
    expect(made.map((c) => c.freed)).toEqual([true, false, false]);
    // A freed canvas no longer counts towards a reservation.
    expect(chunks.reserve(2048, 843, 3)).toBe(false);
    expect(chunks.stats()).toEqual({ created: 4, idle: 3 });
    chunks.destroy();
    expect(made.map((c) => c.freed)).toEqual([true, true, true, true]);
    expect(chunks.stats().idle).toBe(0);
  });
});
