// Test page for the renderer: builds a BoardRenderer from the query string and exposes it,
// plus pixel helpers, to Playwright. Not part of the player build.
import {
  BoardRenderer,
  type RenderBackendChoice,
  type RenderInspection,
  type RenderItem,
} from './render';

interface InkLine {
  text: string;
  top: number;
  bottom: number;
  /** First and last inked rows in the renderer's canvas (-1 when none). */
  renderedTop: number;
  renderedBottom: number;
  /** The same for the line drawn independently with the 2D canvas at the reported baseline. */
  referenceTop: number;
  referenceBottom: number;
  /** Columns with ink inside the line box: a chunk or glyph left out shows here. */
  renderedColumns: number;
  referenceColumns: number;
}

interface InkReport {
  width: number;
  height: number;
  contentBox: RenderInspection['contentBox'];
  inkTop: number;
  inkBottom: number;
  lines: InkLine[];
}

interface Harness {
  errors: string[];
  setNow(atMs: number): void;
  inkReport(): Promise<InkReport>;
  pixels(points: [number, number][]): Promise<[number, number, number][]>;
  makePatternImage(width: number, height: number): Promise<string>;
  fontIsBundled(): boolean;
}

declare global {
  interface Window {
    __renderer?: BoardRenderer;
    __harness?: Harness;
  }
}

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

async function decode(dataUrl: string): Promise<ImageData> {
  const blob = await (await fetch(dataUrl)).blob();
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** First and last rows in [fromRow, toRow) with a pixel in [fromX, toX) for which `inked` holds. */
function rowSpan(
  image: ImageData,
  fromRow: number,
  toRow: number,
  fromX: number,
  toX: number,
  inked: (i: number) => boolean,
): [number, number] {
  let first = -1;
  let last = -1;
  for (let y = Math.max(0, fromRow); y < Math.min(image.height, toRow); y++) {
    for (let x = Math.max(0, fromX); x < Math.min(image.width, toX); x++) {
      if (inked((y * image.width + x) * 4)) {
        if (first < 0) first = y;
        last = y;
        break;
      }
    }
  }
  return [first, last];
}

/** How many columns in [fromX, toX) have ink somewhere in rows [fromRow, toRow). */
function inkedColumns(
  image: ImageData,
  fromRow: number,
  toRow: number,
  fromX: number,
  toX: number,
  inked: (i: number) => boolean,
): number {
  let count = 0;
  for (let x = Math.max(0, fromX); x < Math.min(image.width, toX); x++) {
    for (let y = Math.max(0, fromRow); y < Math.min(image.height, toRow); y++) {
      if (inked((y * image.width + x) * 4)) {
        count++;
        break;
      }
    }
  }
  return count;
}

function drawReference(info: RenderInspection): ImageData {
  const canvas = new OffscreenCanvas(info.width, info.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.fillStyle = '#fff';
  context.textBaseline = 'alphabetic';
  for (const line of info.lines) {
    context.font = line.font;
    context.fillText(line.text, line.x, line.baselineY);
  }
  return context.getImageData(0, 0, info.width, info.height);
}

async function inkReport(renderer: BoardRenderer): Promise<InkReport> {
  const info = renderer.inspect();
  const rendered = await decode(await renderer.snapshot());
  const reference = drawReference(info);
  const bg = rgb(info.background);
  const fromX = info.contentBox.x;
  const toX = info.contentBox.x + info.contentBox.width;
  const inkedBy = (color: string) => {
    const fg = rgb(color);
    // Half coverage in both images: a pixel at least half way from background to text colour.
    const half = Math.max(...fg.map((c, i) => Math.abs(c - (bg[i] ?? 0)))) / 2;
    return (i: number) =>
      Math.max(
        Math.abs((rendered.data[i] ?? 0) - bg[0]),
        Math.abs((rendered.data[i + 1] ?? 0) - bg[1]),
        Math.abs((rendered.data[i + 2] ?? 0) - bg[2]),
      ) > half;
  };
  const referenceInked = (i: number) => (reference.data[i + 3] ?? 0) > 127;
  const boxTop = info.contentBox.y;
  const boxBottom = info.contentBox.y + info.contentBox.height;
  const lines = info.lines.map((line, index) => {
    const first = index === 0;
    const last = index === info.lines.length - 1;
    // The renderer's canvas is searched inside the content box (borders lie outside it); the
    // reference, which holds nothing but the text, up to the canvas edges: text drawn outside
    // the box, or cut off, makes the two disagree.
    const renderedInked = inkedBy(line.color);
    const [renderedTop, renderedBottom] = rowSpan(
      rendered,
      first ? boxTop : line.top,
      last ? boxBottom : line.bottom,
      fromX,
      toX,
      renderedInked,
    );
    const [referenceTop, referenceBottom] = rowSpan(
      reference,
      first ? 0 : line.top,
      last ? info.height : line.bottom,
      fromX,
      toX,
      referenceInked,
    );
    return {
      text: line.text,
      top: line.top,
      bottom: line.bottom,
      renderedTop,
      renderedBottom,
      referenceTop,
      referenceBottom,
      renderedColumns: inkedColumns(rendered, line.top, line.bottom, fromX, toX, renderedInked),
      referenceColumns: inkedColumns(reference, line.top, line.bottom, fromX, toX, referenceInked),
    };
  });
  const tops = lines.flatMap((l) => [l.renderedTop, l.referenceTop]).filter((y) => y >= 0);
  const bottoms = lines.flatMap((l) => [l.renderedBottom, l.referenceBottom]).filter((y) => y >= 0);
  return {
    width: info.width,
    height: info.height,
    contentBox: info.contentBox,
    inkTop: tops.length > 0 ? Math.min(...tops) : -1,
    inkBottom: bottoms.length > 0 ? Math.max(...bottoms) : -1,
    lines,
  };
}

async function makePatternImage(width: number, height: number): Promise<string> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  // Split at half the width and a quarter of the height, so cover and fill differ.
  const splitX = width / 2;
  const splitY = height / 4;
  const areas: [string, number, number, number, number][] = [
    ['#ff0000', 0, 0, splitX, splitY],
    ['#00ff00', splitX, 0, width - splitX, splitY],
    ['#0000ff', 0, splitY, splitX, height - splitY],
    ['#ffffff', splitX, splitY, width - splitX, height - splitY],
  ];
  for (const [color, x, y, w, h] of areas) {
    context.fillStyle = color;
    context.fillRect(x, y, w, h);
  }
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      if (typeof reader.result === 'string') resolve(reader.result);
      else reject(new Error('could not read the image'));
    };
    reader.onerror = () => {
      reject(reader.error ?? new Error('could not read the image'));
    };
    reader.readAsDataURL(blob);
  });
}

/** True when text in the board font measures differently from both generic fallbacks. */
function fontIsBundled(): boolean {
  const context = new OffscreenCanvas(1, 1).getContext('2d');
  if (!context) return false;
  const sample = 'ĐẢNG CỘNG SẢN VIỆT NAM ỄẬỸẶỔ';
  const widthIn = (family: string) => {
    context.font = `800 40px ${family}`;
    return context.measureText(sample).width;
  };
  const board = widthIn('"Be Vietnam Pro", monospace');
  return board === widthIn('"Be Vietnam Pro", serif') && board !== widthIn('monospace');
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      resolve();
    });
  });
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const width = Number(params.get('w') ?? 384);
  const height = Number(params.get('h') ?? 128);
  const itemJson = params.get('item');
  const item = itemJson ? (JSON.parse(itemJson) as RenderItem) : undefined;
  const frozen = params.get('now');
  let frozenNow = frozen === null ? undefined : Number(frozen);
  const now = () => frozenNow ?? Date.now();
  const backend = (params.get('backend') ?? 'auto') as RenderBackendChoice;
  const startedAtParam = params.get('startedAt');
  const startedAt = startedAtParam === null ? now() : Number(startedAtParam);
  const host = document.getElementById('board');
  if (!host) throw new Error('no #board element');
  const errors: string[] = [];
  const renderer = await BoardRenderer.create(host, {
    width,
    height,
    backend,
    now,
    onError: (error) => errors.push(String(error)),
  });
  window.__renderer = renderer;
  window.__harness = {
    errors,
    setNow: (atMs) => {
      frozenNow = atMs;
    },
    inkReport: () => inkReport(renderer),
    pixels: async (points) => {
      const image = await decode(await renderer.snapshot());
      return points.map(([x, y]) => {
        const i = (y * image.width + x) * 4;
        return [image.data[i] ?? 0, image.data[i + 1] ?? 0, image.data[i + 2] ?? 0];
      });
    },
    makePatternImage,
    fontIsBundled,
  };
  if (item) {
    await renderer.preload([item]);
    renderer.show(item, startedAt);
  }
  await nextFrame();
  await nextFrame();
  document.documentElement.dataset.ready = '1';
}

start().catch((error: unknown) => {
  document.documentElement.dataset.error = String(error);
  document.documentElement.dataset.ready = 'error';
});
