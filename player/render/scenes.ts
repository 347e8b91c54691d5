import {
  Container,
  Graphics,
  Rectangle,
  Sprite,
  Text,
  TextStyle,
  Texture,
  type CanvasSource,
} from 'pixi.js';
import type { BannerTextures } from './banners';
import { ChunkCanvasPool, type PooledCanvas } from './chunk-canvases';
import { CLOCK_WEIGHT, FONT_FAMILY, fontShorthand, TEXT_WEIGHT } from './fonts';
import {
  fitText,
  lineBox,
  normalizeText,
  paginate,
  READABLE_LINE_PX,
  sizeForLineHeight,
  splitIntoChunks,
  type TextBlock,
  type TextChunk,
  type TextMeasurer,
} from './layout';
import type {
  BannerFit,
  InspectedLine,
  RenderInspection,
  RenderItem,
  RenderTextStyle,
} from './types';

export interface SceneContext {
  width: number;
  height: number;
  /** Widest texture a text chunk may use (a power of two within the GPU limit). */
  chunkLimitPx: number;
  textMeasure: TextMeasurer;
  clockMeasure: TextMeasurer;
  banners: BannerTextures;
  /** Canvases for marquee chunks, reused from scene to scene. */
  chunkCanvases: ChunkCanvasPool<ChunkCanvas>;
}

/** A canvas a marquee chunk is drawn into, with the pixi texture source that shows it. */
export interface ChunkCanvas extends PooledCanvas {
  readonly canvas: HTMLCanvasElement;
  readonly context: CanvasRenderingContext2D;
  readonly source: CanvasSource;
}

export type SceneInspection = Pick<
  RenderInspection,
  'background' | 'contentBox' | 'lines' | 'marquee' | 'page' | 'textObjects'
>;

export interface Scene {
  readonly root: Container;
  /** Positions everything for this instant; must not allocate Text objects. */
  update(elapsedMs: number, nowMs: number): void;
  /** Does one more piece of work ahead of showing (one per frame); false once none is left. */
  prepare?(): boolean;
  inspect(): SceneInspection;
  destroy(): void;
}

export const DEFAULT_SLOGAN_STYLE = { color: '#ffd700', background: '#000000' } as const;
export const DEFAULT_ANNOUNCEMENT_STYLE = { color: '#ffd700', background: '#8b0000' } as const;
const CLOCK_COLOR = '#d0d0d0';
/**
 * A marquee's line is 70 % of the board's height, and at most a quarter of its width: a wide
 * LED board (3:1) keeps its large text, and a 16:9 screen shows some ten letters at a time
 * rather than three or four.
 */
const MARQUEE_LINE_SHARE = 0.7;
/** The most lines an announcement shown whole may have (on a screen tall enough for them). */
const ANNOUNCEMENT_LINES_MAX = 10;
const MARQUEE_LINE_WIDTH_SHARE = 0.25;
/** A line's texture: the line and 8 % of the font size of padding above and below it. */
const CANVAS_LINE_RATIO = 1.2;
/**
 * Marquee speed when the content sets none: 60 px/s for the line of a 128 px tall board, in
 * proportion to the line's height elsewhere, so that letters pass at the same pace.
 */
const BASE_SPEED_PX_PER_SEC = 60;
const BASE_SPEED_LINE_PX = 128 * MARQUEE_LINE_SHARE;

/** The height of a marquee's line on a board of this size. */
export function marqueeLineHeight(width: number, height: number): number {
  return Math.min(height * MARQUEE_LINE_SHARE, width * MARQUEE_LINE_WIDTH_SHARE);
}

/** The speed of a marquee whose content sets none, on a board of this size. */
export function defaultMarqueeSpeed(width: number, height: number): number {
  return (BASE_SPEED_PX_PER_SEC * marqueeLineHeight(width, height)) / BASE_SPEED_LINE_PX;
}
/** Chunks are kept well under the limit: smaller textures are cheaper to redraw mid-scroll. */
const MARQUEE_CHUNK_TARGET_PX = 2048;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function marginOf(width: number, height: number): number {
  return Math.max(1, Math.round(Math.min(width, height) * 0.04));
}

function inset(rect: Rect, by: number): Rect {
  return {
    x: rect.x + by,
    y: rect.y + by,
    width: Math.max(1, rect.width - 2 * by),
    height: Math.max(1, rect.height - 2 * by),
  };
}

function fillRect(graphics: Graphics, rect: Rect, color: string): Graphics {
  return graphics.rect(rect.x, rect.y, rect.width, rect.height).fill(color);
}

function background(ctx: SceneContext, color: string): Graphics {
  return fillRect(new Graphics(), { x: 0, y: 0, width: ctx.width, height: ctx.height }, color);
}

/** Padding around each line's texture: room for ink beyond the font box (overhangs, odd glyphs). */
function paddingFor(text: string, fontSize: number, measure: TextMeasurer): number {
  const font = measure.fontExtent(fontSize);
  const ink = measure.inkExtent(text, fontSize);
  const overshoot = Math.max(ink.ascent - font.ascent, ink.descent - font.descent, 0);
  return Math.max(2, Math.ceil(fontSize * 0.08), Math.ceil(overshoot) + 1);
}

function textStyle(weight: number, fontSize: number, color: string, padding: number): TextStyle {
  return new TextStyle({
    fontFamily: FONT_FAMILY,
    fontWeight: String(weight) as TextStyle['fontWeight'],
    fontSize,
    fill: color,
    padding,
    wordWrap: false,
  });
}

function emptyInspection(color: string, contentBox: Rect): SceneInspection {
  return { background: color, contentBox, lines: [], textObjects: 0 };
}

function staticScene(root: Container, color: string, contentBox: Rect): Scene {
  return {
    root,
    update: () => undefined,
    inspect: () => emptyInspection(color, contentBox),
    destroy: () => {
      root.destroy({ children: true });
    },
  };
}

interface PlacedLine extends InspectedLine {
  textY: number;
}

function toInspected({ textY: _textY, ...line }: PlacedLine): InspectedLine {
  return line;
}

/** Centres a block of lines vertically in `box`; `align` places each line horizontally. */
function placeBlock(
  block: TextBlock,
  box: Rect,
  align: RenderTextStyle['align'],
  measure: TextMeasurer,
  weight: number,
  color: string,
): PlacedLine[] {
  const fontAscent = measure.fontExtent(block.fontSize).ascent;
  const top = box.y + Math.round((box.height - block.lines.length * block.pitch) / 2);
  return block.lines.map((text, i) => {
    const width = measure.lineWidth(text, block.fontSize);
    const lineTop = top + i * block.pitch;
    // Text objects sit on whole pixels; the baseline follows from pixi's ascent.
    const textY = Math.round(lineTop + block.ascent - fontAscent);
    const x =
      align === 'left'
        ? box.x
        : align === 'right'
          ? box.x + box.width - Math.ceil(width)
          : box.x + Math.round((box.width - width) / 2);
    return {
      text,
      font: fontShorthand(weight, block.fontSize),
      color,
      x,
      textY,
      baselineY: textY + fontAscent,
      top: lineTop,
      bottom: lineTop + block.pitch,
      width,
    };
  });
}

/** One set of line Text objects, refilled when the page changes. */
class LineSet {
  readonly container = new Container();
  readonly texts: Text[];
  placed: PlacedLine[] = [];
  page = -1;

  constructor(count: number, style: TextStyle) {
    this.texts = Array.from({ length: count }, () => new Text({ text: '', style, resolution: 1 }));
    for (const text of this.texts) this.container.addChild(text);
  }

  fill(page: number, lines: PlacedLine[]): void {
    this.page = page;
    this.placed = lines;
    this.texts.forEach((text, i) => {
      const line = lines[i];
      text.visible = line !== undefined;
      if (!line) return;
      text.text = line.text;
      text.position.set(line.x, line.textY);
    });
  }
}

function textPagesScene(
  ctx: SceneContext,
  pages: TextBlock[],
  durationMs: number,
  style: { color: string; background: string; align: RenderTextStyle['align'] },
  contentBox: Rect,
  decorate?: (root: Container) => void,
): Scene {
  const root = new Container();
  root.addChild(background(ctx, style.background));
  decorate?.(root);
  const allText = pages.flatMap((p) => p.lines).join(' ');
  const fontSize = pages[0]?.fontSize ?? 12;
  const padding = paddingFor(allText, fontSize, ctx.textMeasure);
  const textStyleForPages = textStyle(TEXT_WEIGHT, fontSize, style.color, padding);
  const placedPages = pages.map((p) =>
    placeBlock(p, contentBox, style.align, ctx.textMeasure, TEXT_WEIGHT, style.color),
  );
  const perPage = Math.max(...pages.map((p) => p.lines.length));
  // Two sets when paged: the next page is drawn off-screen ahead of time, so a page turn only moves it.
  const sets = Array.from({ length: pages.length > 1 ? 2 : 1 }, () => {
    const set = new LineSet(perPage, textStyleForPages);
    root.addChild(set.container);
    return set;
  });
  const pageMs = Math.max(1, durationMs) / pages.length;
  let shown = -1;

  const showPage = (index: number) => {
    shown = index;
    const active = sets[index % sets.length];
    if (!active) return;
    if (active.page !== index) active.fill(index, placedPages[index] ?? []);
    active.container.x = 0;
    const spare = sets.length > 1 ? sets[(index + 1) % sets.length] : undefined;
    if (spare) {
      const next = (index + 1) % pages.length;
      if (spare.page !== next) spare.fill(next, placedPages[next] ?? []);
      spare.container.x = ctx.width + padding * 2 + 8;
    }
  };

  return {
    root,
    update: (elapsedMs) => {
      const index = Math.min(pages.length - 1, Math.max(0, Math.floor(elapsedMs / pageMs)));
      if (index !== shown) showPage(index);
    },
    inspect: () => ({
      background: style.background,
      contentBox,
      lines: (placedPages[Math.max(0, shown)] ?? []).map(toInspected),
      ...(pages.length > 1 ? { page: { index: shown, count: pages.length } } : {}),
      textObjects: sets.reduce((n, set) => n + set.texts.length, 0),
    }),
    destroy: () => {
      root.destroy({ children: true });
    },
  };
}

interface Slot {
  sprite: Sprite;
  canvas: ChunkCanvas | undefined;
  texture: Texture | undefined;
  chunk: number;
}

/** The most chunks a frame can need at once: those starting within `span` after one that is still in view. */
function peakChunksInView(starts: number[], widths: number[], span: number): number {
  let peak = 1;
  for (let i = 0; i < starts.length; i++) {
    const end = (starts[i] ?? 0) + (widths[i] ?? 0) + span;
    let j = i;
    while (j < starts.length && (starts[j] ?? 0) < end) j++;
    peak = Math.max(peak, j - i);
  }
  return peak;
}

function marqueeScene(
  ctx: SceneContext,
  rawText: string,
  speedPxPerSec: number | undefined,
  style: { color: string; background: string },
  frame?: { inner: Rect; decorate: (root: Container) => void },
): Scene {
  const root = new Container();
  root.addChild(background(ctx, style.background));
  const measure = ctx.textMeasure;
  const text = normalizeText(rawText);
  const fontSize = sizeForLineHeight(text, marqueeLineHeight(ctx.width, ctx.height), measure);
  const box = lineBox(text, fontSize, measure);
  const pitch = box.ascent + box.descent;
  const fontExtent = measure.fontExtent(fontSize);
  const fontAscent = fontExtent.ascent;
  const padding = paddingFor(text, fontSize, measure);
  const lineTop = Math.round((ctx.height - pitch) / 2);
  const textY = Math.round(lineTop + box.ascent - fontAscent);
  const chunkTexturePx = Math.min(ctx.chunkLimitPx, MARQUEE_CHUNK_TARGET_PX);
  // pixi's texture is the text width plus padding on both sides, rounded up.
  const chunks: TextChunk[] = splitIntoChunks(
    text,
    chunkTexturePx - 2 * padding - 2,
    fontSize,
    measure,
  );
  const chunkWidths = chunks.map((c) => measure.lineWidth(c.text, fontSize));
  const lineWidth = Math.max(
    0,
    ...chunks.map((c, i) => Math.round(c.offsetX) + Math.ceil(chunkWidths[i] ?? 0)),
  );
  const speed = speedPxPerSec ?? defaultMarqueeSpeed(ctx.width, ctx.height);
  // The line enters at the right edge and leaves completely before it enters again.
  const cycle = lineWidth + ctx.width;
  // How far past the right edge a chunk is drawn: about a second of travel (at the default
  // speed) before it shows, so it is never drawn on the frame it first appears.
  const lookahead = Math.min(chunkTexturePx, Math.max(64, Math.round(ctx.width / 4)));

  const starts = chunks.map((c) => Math.round(c.offsetX));
  // pixi's texture size for a line of text: its width plus padding on both sides, rounded up.
  const textureHeight = Math.ceil(
    Math.max(1, fontExtent.ascent + fontExtent.descent) + padding * 2,
  );
  // The canvases are asked for at the height of the board's tallest usual line texture (the
  // line plus the padding on both sides), not this text's own: the font size and padding vary a
  // little from text to text, and canvases of one height serve every marquee of the board.
  const canvasHeight = Math.max(
    textureHeight,
    Math.ceil(marqueeLineHeight(ctx.width, ctx.height) * CANVAS_LINE_RATIO),
  );
  const textureWidths = chunkWidths.map((w) => Math.ceil(Math.max(1, w) + padding * 2));
  const canvasSize = ChunkCanvasPool.sizeFor(
    Math.max(chunkTexturePx, ...textureWidths),
    canvasHeight,
  );
  // A ring of canvases just large enough for the board plus the lookahead, redrawn as the line
  // scrolls: drawing a chunk into a canvas in use costs 1-3 ms, a canvas of its own for every
  // chunk (7 MB each at 1920x1080) would cost memory for nothing.
  const inView = peakChunksInView(starts, chunkWidths, padding + ctx.width + lookahead + 1);
  const slotCount = Math.min(chunks.length, inView);
  const font = fontShorthand(TEXT_WEIGHT, fontSize);
  const slots: Slot[] = Array.from({ length: slotCount }, () => {
    const sprite = new Sprite();
    sprite.visible = false;
    sprite.y = textY - padding;
    root.addChild(sprite);
    return { sprite, canvas: undefined, texture: undefined, chunk: -1 };
  });
  // Drawn over the text, so the line scrolls in and out under the frame.
  frame?.decorate(root);
  let offsetPx = 0;
  let lineX = ctx.width;

  /**
   * Draws chunk `k` into the slot's canvas the way pixi draws a Text (same font string, baseline
   * at padding + pixi's ascent, drawn `padding` left of and above the text's position). It runs
   * when the chunk comes within the lookahead, about a second before it shows, into a canvas the slot
   * keeps: no canvas is created and no memory first touched on the frame the chunk appears.
   */
  const drawChunk = (slot: Slot, k: number) => {
    slot.canvas ??= ctx.chunkCanvases.acquire(canvasSize.width, canvasHeight);
    const { canvas, context, source } = slot.canvas;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.font = font;
    context.fillStyle = style.color;
    context.textBaseline = 'alphabetic';
    context.textAlign = 'left';
    context.letterSpacing = '0px';
    context.fillText(chunks[k]?.text ?? '', padding, padding + fontAscent);
    source.update();
    slot.texture?.destroy(false);
    slot.texture = new Texture({
      source,
      frame: new Rectangle(0, 0, textureWidths[k] ?? 1, textureHeight),
    });
    slot.sprite.texture = slot.texture;
    slot.chunk = k;
  };

  let destroyed = false;
  /**
   * Takes the canvas of one more slot, so that none is created once the line scrolls; then makes
   * sure a second ring exists for the next marquee, which is prepared while this one shows.
   */
  const prepare = () => {
    if (destroyed) return false;
    const slot = slots.find((s) => s.canvas === undefined);
    if (!slot) return ctx.chunkCanvases.reserve(canvasSize.width, canvasHeight, 2 * slotCount);
    slot.canvas = ctx.chunkCanvases.acquire(canvasSize.width, canvasHeight);
    return true;
  };

  // Reused every frame; visibility is only written when it changes, since that rebuilds pixi's draw list.
  const wanted = new Uint8Array(slotCount);
  const update = (elapsedMs: number) => {
    const travelled = (Math.max(0, elapsedMs) * speed) / 1000;
    offsetPx = Math.floor(travelled % cycle);
    lineX = ctx.width - offsetPx;
    wanted.fill(0);
    for (let k = 0; k < chunks.length; k++) {
      const x = lineX + (starts[k] ?? 0);
      if (x >= ctx.width + lookahead) break;
      if (x + (chunkWidths[k] ?? 0) + padding < 0) continue;
      const slot = slots[k % slotCount];
      if (!slot) continue;
      if (slot.chunk !== k) drawChunk(slot, k);
      slot.sprite.x = x - padding;
      // Rendered (off the board) from the lookahead on, so the browser rasterises the recorded
      // text, and WebGL uploads it, seconds before the chunk shows.
      wanted[k % slotCount] = 1;
    }
    slots.forEach((slot, i) => {
      const visible = wanted[i] === 1;
      if (slot.sprite.visible !== visible) slot.sprite.visible = visible;
    });
  };

  return {
    root,
    update,
    prepare,
    inspect: () => ({
      background: style.background,
      contentBox: {
        x: frame?.inner.x ?? 0,
        y: lineTop,
        width: frame?.inner.width ?? ctx.width,
        height: pitch,
      },
      lines: [
        {
          text,
          font: fontShorthand(TEXT_WEIGHT, fontSize),
          color: style.color,
          x: lineX,
          baselineY: textY + fontAscent,
          top: lineTop,
          bottom: lineTop + pitch,
          width: lineWidth,
        },
      ],
      marquee: {
        offsetPx,
        speedPxPerSec: speed,
        lineWidth,
        chunks: chunks.map((c, i) => ({
          text: c.text,
          offsetX: c.offsetX,
          textureWidth: textureWidths[i] ?? 1,
          allocatedWidth: canvasSize.width,
        })),
        slots: slots.length,
        canvases: slots.filter((slot) => slot.canvas !== undefined).length,
      },
      textObjects: slots.length,
    }),
    destroy: () => {
      destroyed = true;
      root.destroy({ children: true });
      for (const slot of slots) {
        slot.texture?.destroy(false);
        // The canvas goes back to the renderer for the next marquee, still allocated.
        if (slot.canvas) ctx.chunkCanvases.release(slot.canvas);
        slot.canvas = undefined;
      }
    },
  };
}

function sloganScene(ctx: SceneContext, item: Extract<RenderItem, { kind: 'slogan' }>): Scene {
  const style = {
    color: item.style?.color ?? DEFAULT_SLOGAN_STYLE.color,
    background: item.style?.background ?? DEFAULT_SLOGAN_STYLE.background,
    align: item.style?.align ?? 'center',
  };
  if (item.motion === 'scroll-left') return marqueeScene(ctx, item.text, item.speedPxPerSec, style);
  const contentBox = inset(
    { x: 0, y: 0, width: ctx.width, height: ctx.height },
    marginOf(ctx.width, ctx.height),
  );
  const pages =
    item.motion === 'paged'
      ? paginate(item.text, contentBox, ctx.textMeasure)
      : [fitText(item.text, contentBox, ctx.textMeasure)];
  return textPagesScene(ctx, pages, item.durationMs, style, contentBox);
}

function announcementScene(
  ctx: SceneContext,
  item: Extract<RenderItem, { kind: 'announcement' }>,
): Scene {
  const style = {
    color: item.style?.color ?? DEFAULT_ANNOUNCEMENT_STYLE.color,
    background: item.style?.background ?? DEFAULT_ANNOUNCEMENT_STYLE.background,
    align: item.style?.align ?? 'center',
  };
  const border = Math.max(1, Math.round(Math.min(ctx.width, ctx.height) / 48));
  const full = { x: 0, y: 0, width: ctx.width, height: ctx.height };
  const decorate = (root: Container) => {
    // A frame in the text colour sets an announcement apart from the ordinary slogans.
    const frame = new Graphics();
    fillRect(frame, { x: 0, y: 0, width: ctx.width, height: border }, style.color);
    fillRect(
      frame,
      { x: 0, y: ctx.height - border, width: ctx.width, height: border },
      style.color,
    );
    fillRect(frame, { x: 0, y: 0, width: border, height: ctx.height }, style.color);
    fillRect(
      frame,
      { x: ctx.width - border, y: 0, width: border, height: ctx.height },
      style.color,
    );
    root.addChild(frame);
  };
  const contentBox = inset(full, border + marginOf(ctx.width, ctx.height));
  let pages = paginate(item.text, contentBox, ctx.textMeasure);
  // Paged text keeps four lines a page at most, large enough for a small LED board. A screen
  // holds many more lines that are still large: there the whole text, fitted, reads better than
  // a marquee of a few giant letters at a time (a line of a tenth of the height, 108 px at 1080).
  if (pages.length > 1) {
    const whole = fitText(item.text, contentBox, ctx.textMeasure);
    const wholeReadable = Math.max(READABLE_LINE_PX, contentBox.height / ANNOUNCEMENT_LINES_MAX);
    if (whole.pitch >= wholeReadable) pages = [whole];
  }
  // An announcement has no duration to page through; too long to read whole, it scrolls.
  if (pages.length > 1) {
    const inner = inset(full, border);
    return marqueeScene(ctx, item.text, undefined, style, { inner, decorate });
  }
  return textPagesScene(ctx, pages, 1, style, contentBox, decorate);
}

function clockFormatter(timeZone: string): (atMs: number) => string {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (atMs) => {
    const parts = format.formatToParts(atMs);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '--';
    return `${part('hour')}:${part('minute')}`;
  };
}

function clockScene(ctx: SceneContext, timeZone: string): Scene {
  const format = clockFormatter(timeZone);
  const root = new Container();
  const black = '#000000';
  root.addChild(background(ctx, black));
  const contentBox = inset(
    { x: 0, y: 0, width: ctx.width, height: ctx.height },
    marginOf(ctx.width, ctx.height) * 2,
  );
  const measure = ctx.clockMeasure;
  // Sized for the widest time, so the clock does not change size as the minutes go by.
  const block = fitText('00:00', contentBox, measure);
  const widest = ['00:00', '08:88', '22:22', '14:44'].reduce((a, b) =>
    measure.lineWidth(a, block.fontSize) >= measure.lineWidth(b, block.fontSize) ? a : b,
  );
  const sized = fitText(widest, contentBox, measure);
  const padding = paddingFor(widest, sized.fontSize, measure);
  const text = new Text({
    text: '',
    style: textStyle(CLOCK_WEIGHT, sized.fontSize, CLOCK_COLOR, padding),
    resolution: 1,
  });
  root.addChild(text);
  let second = Number.NaN;
  let placed: PlacedLine | undefined;
  return {
    root,
    update: (_elapsedMs, nowMs) => {
      const current = Math.floor(nowMs / 1000);
      if (current === second) return;
      second = current;
      const label = format(nowMs);
      if (label === text.text) return;
      placed = placeBlock(
        { ...sized, lines: [label] },
        contentBox,
        'center',
        measure,
        CLOCK_WEIGHT,
        CLOCK_COLOR,
      )[0];
      text.text = label;
      if (placed) text.position.set(placed.x, placed.textY);
    },
    inspect: () => ({
      background: black,
      contentBox,
      lines: placed ? [toInspected(placed)] : [],
      textObjects: 1,
    }),
    destroy: () => {
      root.destroy({ children: true });
    },
  };
}

/** Scale and position of an image of `image` size on the board for a fit mode. */
export function fitImage(
  image: { width: number; height: number },
  board: { width: number; height: number },
  fit: BannerFit,
): { x: number; y: number; width: number; height: number } {
  let width = image.width;
  let height = image.height;
  if (fit === 'fill') {
    width = board.width;
    height = board.height;
  } else if (fit === 'contain' || fit === 'cover') {
    const pick = fit === 'contain' ? Math.min : Math.max;
    const scale = pick(board.width / image.width, board.height / image.height);
    width = Math.round(image.width * scale);
    height = Math.round(image.height * scale);
  }
  return {
    x: Math.round((board.width - width) / 2),
    y: Math.round((board.height - height) / 2),
    width,
    height,
  };
}

function bannerScene(
  ctx: SceneContext,
  item: Extract<RenderItem, { kind: 'banner' }>,
): Scene | undefined {
  const texture = ctx.banners.get(item.url);
  if (!texture) return undefined;
  const color = item.style?.background ?? '#000000';
  const root = new Container();
  root.addChild(background(ctx, color));
  const fit = item.fit ?? 'contain';
  const rect = fitImage({ width: texture.width, height: texture.height }, ctx, fit);
  const sprite = new Sprite(texture);
  sprite.position.set(rect.x, rect.y);
  sprite.setSize(rect.width, rect.height);
  // Whole-number enlargements keep hard pixel edges; anything else is filtered (with mipmaps).
  const sx = rect.width / texture.width;
  const sy = rect.height / texture.height;
  const integral = Number.isInteger(sx) && Number.isInteger(sy) && sx >= 1 && sy >= 1;
  texture.source.scaleMode = integral ? 'nearest' : 'linear';
  root.addChild(sprite);
  return staticScene(root, color, { x: 0, y: 0, width: ctx.width, height: ctx.height });
}

/** Builds the scene for an item; undefined when it cannot be shown yet (banner not loaded). */
export function buildScene(ctx: SceneContext, item: RenderItem): Scene | undefined {
  const full = { x: 0, y: 0, width: ctx.width, height: ctx.height };
  switch (item.kind) {
    case 'slogan':
      return sloganScene(ctx, item);
    case 'announcement':
      return announcementScene(ctx, item);
    case 'banner':
      return bannerScene(ctx, item);
    case 'idle':
      return item.mode === 'clock'
        ? clockScene(ctx, item.timeZone)
        : staticScene(background(ctx, '#000000'), '#000000', full);
    case 'blank':
      return staticScene(background(ctx, '#000000'), '#000000', full);
  }
}
