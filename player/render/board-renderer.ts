import {
  Application,
  CanvasPool,
  CanvasSource,
  RenderTexture,
  TexturePool,
  UPDATE_PRIORITY,
  type Renderer,
} from 'pixi.js';
import { chooseBackend } from './backend';
import { BannerTextures } from './banners';
import { ChunkCanvasPool } from './chunk-canvases';
import { placeCanvas } from './fit-window';
import { CLOCK_WEIGHT, loadBoardFonts, TEXT_WEIGHT } from './fonts';
import { FrameClock } from './frame-stats';
import { createCanvasMeasurer } from './measure';
import { buildScene, type ChunkCanvas, type Scene, type SceneContext } from './scenes';
import type { BoardRendererOptions, FrameStats, RenderInspection, RenderItem } from './types';

/** Text chunks stay under this even on GPUs that allow more: huge textures are slow to upload. */
const CHUNK_CEILING_PX = 4096;
/** Scenes built ahead by preload(); a handful covers the next items of a playlist. */
const MAX_PREPARED_SCENES = 4;
/** Marquee chunk canvases kept allocated between marquees (a 1920×1080 board's chunk is 7 MB). */
const IDLE_CHUNK_CANVAS_BYTES = 48 * 1024 * 1024;

function queryMaxTextureSize(renderer: Renderer): number {
  if ('gl' in renderer) {
    const gl = renderer.gl;
    return Number(gl.getParameter(gl.MAX_TEXTURE_SIZE));
  }
  if ('gpu' in renderer) return renderer.gpu.device.limits.maxTextureDimension2D;
  // The 2D canvas has no texture limit; WebGL2 guarantees at least this much, so chunks are alike.
  return 2048;
}

/** The WebGL renderer string of this browser, or undefined when it has no WebGL at all. */
function probeWebGlRenderer(): string | undefined {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

/** A marquee chunk canvas with its backing store allocated now, and the pixi source showing it. */
function createChunkCanvas(width: number, height: number): ChunkCanvas {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d canvas context for a marquee chunk');
  // The browser allocates the backing store at the first drawing and rasterises lazily; a
  // one-pixel read makes both happen here rather than on whichever frame first shows it.
  context.clearRect(0, 0, width, height);
  context.getImageData(0, 0, 1, 1);
  const source = new CanvasSource({ resource: canvas, resolution: 1, scaleMode: 'nearest' });
  return {
    canvas,
    context,
    source,
    width,
    height,
    free: () => {
      source.destroy();
      // A zero-sized canvas lets the browser release its backing store now, not at GC.
      canvas.width = 0;
      canvas.height = 0;
    },
  };
}

function floorPow2(n: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, n)));
}

function itemKey(item: RenderItem): string {
  return JSON.stringify(item);
}

interface Shown {
  key: string;
  item: RenderItem;
  scene: Scene;
}

export class BoardRenderer {
  private width: number;
  private height: number;
  private readonly maxTextureSize: number;
  private readonly chunkLimitPx: number;
  private readonly banners: BannerTextures;
  private readonly chunkCanvases = new ChunkCanvasPool(IDLE_CHUNK_CANVAS_BYTES, createChunkCanvas);
  private readonly textMeasure = createCanvasMeasurer(TEXT_WEIGHT);
  private readonly clockMeasure = createCanvasMeasurer(CLOCK_WEIGHT);
  private readonly frameClock = new FrameClock();
  private readonly prepared = new Map<string, Scene>();
  private readonly warmTarget = RenderTexture.create({ width: 1, height: 1 });
  private readonly resizeObserver: ResizeObserver;
  private shown: Shown | undefined;
  private startedAtMs = 0;
  /** The latest show() request; differs from `shown` while a banner is still loading. */
  private requested: { key: string; item: RenderItem; startedAtMs: number } | undefined;
  private destroyed = false;

  private constructor(
    private readonly host: HTMLElement,
    private readonly app: Application,
    private readonly options: BoardRendererOptions,
    private readonly webGlRenderer: string | undefined,
  ) {
    this.width = options.width;
    this.height = options.height;
    this.maxTextureSize = queryMaxTextureSize(app.renderer);
    this.chunkLimitPx = floorPow2(Math.min(this.maxTextureSize, CHUNK_CEILING_PX));
    this.banners = new BannerTextures(app.renderer, options.bannerBytes);

    const canvas = app.canvas;
    canvas.style.position = 'absolute';
    canvas.style.display = 'block';
    if (getComputedStyle(host).position === 'static') host.style.position = 'relative';
    host.style.overflow = 'hidden';
    host.style.background = '#000';
    host.appendChild(canvas);
    this.resizeObserver = new ResizeObserver(this.placeCanvas);
    this.resizeObserver.observe(host);
    window.addEventListener('resize', this.placeCanvas);
    this.placeCanvas();
    // Before pixi's own render callback, so each frame shows the positions for that frame's now().
    app.ticker.add(this.tick, undefined, UPDATE_PRIORITY.HIGH);
  }

  static async create(host: HTMLElement, options: BoardRendererOptions): Promise<BoardRenderer> {
    // Text must never be laid out with a fallback font: its metrics would be wrong for good.
    await loadBoardFonts(document.fonts);
    const webGlRenderer = probeWebGlRenderer();
    const backend = chooseBackend(options.backend ?? 'auto', webGlRenderer);
    const app = new Application();
    await app.init({
      width: options.width,
      height: options.height,
      background: '#000000',
      resolution: 1,
      autoDensity: false,
      antialias: false,
      roundPixels: true,
      preference: backend,
      powerPreference: 'high-performance',
      sharedTicker: false,
    });
    return new BoardRenderer(host, app, options, webGlRenderer);
  }

  show(item: RenderItem, startedAtMs: number): void {
    if (this.destroyed) return;
    const key = itemKey(item);
    this.requested = { key, item, startedAtMs };
    if (this.shown?.key === key) {
      this.startedAtMs = startedAtMs;
      this.options.onShown?.(item);
      return;
    }
    this.swapIn();
  }

  async preload(items: RenderItem[]): Promise<void> {
    const urls = new Set<string>();
    for (const item of items) if (item.kind === 'banner') urls.add(item.url);
    const keep = new Set(urls);
    for (const item of [this.shown?.item, this.requested?.item]) {
      if (item?.kind === 'banner') keep.add(item.url);
    }
    this.banners.retainOnly(keep);
    const loads = [...urls].map((url) => this.banners.load(url));

    const wanted = new Map<string, RenderItem>();
    for (const item of items) {
      if (item.kind !== 'slogan' && item.kind !== 'announcement') continue;
      if (wanted.size >= MAX_PREPARED_SCENES) break;
      wanted.set(itemKey(item), item);
    }
    for (const [key, scene] of this.prepared) {
      if (wanted.has(key)) continue;
      this.prepared.delete(key);
      scene.destroy();
    }
    for (const [key, item] of wanted) {
      if (this.destroyed) break;
      if (this.prepared.has(key) || this.shown?.key === key) continue;
      const scene = this.buildOrReport(item);
      if (!scene) continue;
      scene.update(0, this.options.now());
      this.prepared.set(key, scene);
      this.warm(scene);
      // One scene (then one piece of its preparation) per frame, so preparing several items
      // does not cost one long frame either.
      await this.nextFrame();
      // A scene destroyed meanwhile (replaced, or the renderer destroyed) has nothing left to do.
      while (scene.prepare?.()) await this.nextFrame();
    }
    const results = await Promise.allSettled(loads);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  resize(width: number, height: number): void {
    if (this.destroyed || (width === this.width && height === this.height)) return;
    this.width = width;
    this.height = height;
    this.app.renderer.resize(width, height);
    for (const scene of this.prepared.values()) scene.destroy();
    this.prepared.clear();
    const previous = this.shown;
    this.shown = undefined;
    if (!this.swapIn() && previous) {
      // The requested item cannot be built yet (a banner still loading): rebuild what was shown.
      const scene = this.buildOrReport(previous.item);
      this.shown = scene ? { ...previous, scene } : previous;
      if (scene) this.app.stage.addChild(scene.root);
    }
    if (previous && this.shown?.scene !== previous.scene) previous.scene.destroy();
    this.placeCanvas();
  }

  async snapshot(maxWidth?: number): Promise<string> {
    this.updateScene();
    this.app.renderer.render(this.app.stage);
    const scale = maxWidth !== undefined && maxWidth < this.width ? maxWidth / this.width : 1;
    const out = new OffscreenCanvas(
      Math.max(1, Math.round(this.width * scale)),
      Math.max(1, Math.round(this.height * scale)),
    );
    const context = out.getContext('2d');
    if (!context) throw new Error('no 2d canvas context for the snapshot');
    context.imageSmoothingQuality = 'high';
    // Copied in the same task as the render, while WebGL's drawing buffer still holds the frame.
    context.drawImage(this.app.canvas, 0, 0, out.width, out.height);
    const blob = await out.convertToBlob({ type: 'image/png' });
    return await new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => {
        if (typeof reader.result === 'string') resolve(reader.result);
        else reject(new Error('snapshot could not be encoded'));
      };
      reader.onerror = () => {
        reject(reader.error ?? new Error('snapshot could not be encoded'));
      };
      reader.readAsDataURL(blob);
    });
  }

  frameStats(): FrameStats {
    return this.frameClock.stats(performance.now());
  }

  /** What is on the canvas now, in board pixels; for tests and diagnostics. */
  inspect(): RenderInspection {
    this.updateScene();
    const scene = this.shown?.scene.inspect();
    return {
      width: this.width,
      height: this.height,
      // What pixi actually built: it falls back by itself when the preferred one is unavailable.
      backend: this.app.renderer.name as RenderInspection['backend'],
      webGlRenderer: this.webGlRenderer,
      maxTextureSize: this.maxTextureSize,
      chunkLimitPx: this.chunkLimitPx,
      kind: this.shown?.item.kind ?? 'none',
      background: scene?.background ?? '#000000',
      contentBox: scene?.contentBox ?? { x: 0, y: 0, width: this.width, height: this.height },
      lines: scene?.lines ?? [],
      ...(scene?.marquee ? { marquee: scene.marquee } : {}),
      ...(scene?.page ? { page: scene.page } : {}),
      textObjects:
        (scene?.textObjects ?? 0) +
        [...this.prepared.values()].reduce((n, s) => n + s.inspect().textObjects, 0),
      scenes: this.app.stage.children.length,
      chunkCanvases: this.chunkCanvases.stats(),
    };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.app.ticker.remove(this.tick);
    this.resizeObserver.disconnect();
    window.removeEventListener('resize', this.placeCanvas);
    this.shown?.scene.destroy();
    this.shown = undefined;
    for (const scene of this.prepared.values()) scene.destroy();
    this.prepared.clear();
    this.banners.destroy();
    this.chunkCanvases.destroy();
    this.warmTarget.destroy(true);
    this.app.destroy({ removeView: true }, { children: true });
    TexturePool.clear(true);
    CanvasPool.clear();
  }

  /**
   * pixi draws a Text's texture on the first frame that renders it; rendering a prepared scene
   * once into a 1x1 target does that work now instead of on the frame the item appears.
   */
  private warm(scene: Scene): void {
    this.app.renderer.render({ container: scene.root, target: this.warmTarget, clear: true });
  }

  private nextFrame(): Promise<void> {
    return new Promise((resolve) => {
      this.app.ticker.addOnce(() => {
        resolve();
      });
    });
  }

  private readonly tick = (): void => {
    this.frameClock.record(performance.now());
    this.updateScene();
  };

  private updateScene(): void {
    if (!this.shown) return;
    const now = this.options.now();
    this.shown.scene.update(now - this.startedAtMs, now);
  }

  private readonly placeCanvas = (): void => {
    if (this.destroyed) return;
    const placement = placeCanvas(
      { width: this.width, height: this.height },
      this.host.clientWidth,
      this.host.clientHeight,
      window.devicePixelRatio,
    );
    const style = this.app.canvas.style;
    style.left = `${placement.left}px`;
    style.top = `${placement.top}px`;
    style.width = `${placement.cssWidth}px`;
    style.height = `${placement.cssHeight}px`;
    style.imageRendering = placement.pixelated ? 'pixelated' : 'auto';
  };

  private context(): SceneContext {
    return {
      width: this.width,
      height: this.height,
      chunkLimitPx: this.chunkLimitPx,
      textMeasure: this.textMeasure,
      clockMeasure: this.clockMeasure,
      banners: this.banners,
      chunkCanvases: this.chunkCanvases,
    };
  }

  private buildOrReport(item: RenderItem): Scene | undefined {
    try {
      return buildScene(this.context(), item);
    } catch (error) {
      this.options.onError?.(error);
      return undefined;
    }
  }

  /** Replaces the shown scene with the requested one (true), or waits for its banner to load. */
  private swapIn(): boolean {
    const request = this.requested;
    if (!request) return false;
    const prepared = this.prepared.get(request.key);
    this.prepared.delete(request.key);
    const scene = prepared ?? this.buildOrReport(request.item);
    if (!scene) {
      if (request.item.kind === 'banner') this.loadThenShow(request.key, request.item.url);
      return false;
    }
    const previous = this.shown;
    this.shown = { key: request.key, item: request.item, scene };
    this.startedAtMs = request.startedAtMs;
    this.app.stage.addChild(scene.root);
    this.updateScene();
    this.options.onShown?.(request.item);
    if (previous) {
      previous.scene.destroy();
      // Idle pooled textures of the old item would otherwise stay allocated until reused.
      TexturePool.clear(true);
      CanvasPool.clear();
    }
    return true;
  }

  private loadThenShow(key: string, url: string): void {
    this.banners.load(url).then(
      () => {
        if (!this.destroyed && this.requested?.key === key && this.shown?.key !== key) {
          this.swapIn();
        }
      },
      (error: unknown) => {
        // The last good item stays on the board.
        this.options.onError?.(error);
      },
    );
  }
}
