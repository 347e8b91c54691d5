// M6: the marquee in Chromium (pixi.js through SwiftShader's software WebGL, as on a board PC
// without a GPU driver), beside an empty pixi stage at the same size. The render harness page
// (player/render-harness.html) is served by Vite's dev server, as the browser tests do; every
// frame's time is recorded in the page with requestAnimationFrame.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createServer } from 'vite';
import { repoRoot, serveRequests } from './lib/child.js';
import { metric, type Metric } from './lib/results.js';
import { quantile, summarize } from './lib/stats.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.js';

const SIZES = [
  { width: 384, height: 128 },
  { width: 1920, height: 1080 },
] as const;

const SLOGANS = [
  'NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG',
  'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM — MỪNG ĐẢNG, MỪNG XUÂN ỄẬỸẶỔ',
] as const;

/** The refresh interval the frames are counted against (Chromium's begin-frame rate). */
const FRAME_MS = 1000 / 60;

interface PageRun {
  /** requestAnimationFrame timestamps. */
  frames: number[];
  /** When each slogan swap was requested (page clock). */
  swaps: number[];
}

// What the page exposes (player/render-harness.ts); the callbacks below run in the browser.
interface PageGlobals {
  document: { documentElement: { dataset: Record<string, string | undefined> } };
  requestAnimationFrame(callback: (atMs: number) => void): number;
  performance: { now(): number };
  __benchFrames: number[];
  __renderer: {
    preload(items: object[]): Promise<void>;
    show(item: object, startedAtMs: number): void;
  };
}

function sloganItem(index: number): object {
  return {
    kind: 'slogan',
    id: `s${index}`,
    text: SLOGANS[index % SLOGANS.length],
    motion: 'scroll-left',
    durationMs: 600_000,
  };
}

async function open(
  page: Page,
  baseUrl: string,
  size: { width: number; height: number },
  item?: object,
) {
  await page.setViewportSize(size);
  const params = new URLSearchParams({ w: String(size.width), h: String(size.height) });
  if (item) params.set('item', JSON.stringify(item));
  await page.goto(`${baseUrl}/player/render-harness.html?${params.toString()}`);
  const readyOf = () =>
    (globalThis as unknown as PageGlobals).document.documentElement.dataset.ready;
  await page.waitForFunction(
    () =>
      (globalThis as unknown as PageGlobals).document.documentElement.dataset.ready !== undefined,
    undefined,
    { timeout: 120_000 },
  );
  const ready = await page.evaluate(readyOf);
  if (ready !== '1') throw new Error(`the render harness failed: ${String(ready)}`);
}

/** Records every frame for `durationMs`; with `swapEveryMs`, swaps the slogan that often. */
async function record(page: Page, durationMs: number, swapEveryMs?: number): Promise<PageRun> {
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    g.__benchFrames = [];
    const loop = (atMs: number) => {
      g.__benchFrames.push(atMs);
      g.requestAnimationFrame(loop);
    };
    g.requestAnimationFrame(loop);
  });
  const swaps: number[] = [];
  const started = Date.now();
  let next = 1;
  while (Date.now() - started < durationMs) {
    const wait = swapEveryMs ?? durationMs;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(wait, durationMs - (Date.now() - started))),
    );
    if (swapEveryMs === undefined || Date.now() - started >= durationMs) break;
    const item = sloganItem(next++);
    // As the player does: the next item is prepared ahead, then shown at its instant.
    await page.evaluate(
      (i) => (globalThis as unknown as PageGlobals).__renderer.preload([i]),
      item,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    swaps.push(
      await page.evaluate((i) => {
        const g = globalThis as unknown as PageGlobals;
        const at = g.performance.now();
        g.__renderer.show(i, Date.now());
        return at;
      }, item),
    );
  }
  const frames = await page.evaluate(() => (globalThis as unknown as PageGlobals).__benchFrames);
  return { frames, swaps };
}

function intervals(frames: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < frames.length; i++) out.push((frames[i] ?? 0) - (frames[i - 1] ?? 0));
  return out;
}

/** Frames that should have been drawn and were not, at 60 Hz. */
function droppedFrames(gaps: readonly number[]): number {
  return gaps.reduce((n, gap) => n + Math.max(0, Math.round(gap / FRAME_MS) - 1), 0);
}

/** The longest of the frames drawn right after a swap, in excess of a typical frame, in frames. */
function swapStallFrames(run: PageRun): number {
  const gaps = intervals(run.frames);
  const typical = quantile(gaps, 0.5);
  let worst = 0;
  for (const swapAt of run.swaps) {
    const first = run.frames.findIndex((t) => t > swapAt);
    if (first < 1) continue;
    let longest = 0;
    for (let i = first; i < Math.min(run.frames.length, first + 3); i++) {
      longest = Math.max(longest, (run.frames[i] ?? 0) - (run.frames[i - 1] ?? 0));
    }
    worst = Math.max(worst, (longest - typical) / typical);
  }
  return worst;
}

export async function runRender(options: { quick: boolean }): Promise<Metric[]> {
  const root = repoRoot();
  const durationMs = options.quick ? 6_000 : 60_000;
  const swapEveryMs = options.quick ? 2_500 : 10_000;
  const server = await createServer({
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', hmr: false, watch: null },
    cacheDir: path.join(root, 'node_modules/.vite-render-bench'),
    optimizeDeps: { noDiscovery: true, include: ['pixi.js', 'pixi.js/unsafe-eval'] },
  });
  const httpServer = server.httpServer;
  if (!httpServer) throw new Error('vite started without an http server');
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
  const metrics: Metric[] = [];
  try {
    for (const size of SIZES) {
      const label = `${size.width}×${size.height}`;
      const page = await browser.newPage();
      await open(page, baseUrl, size);
      const empty = await record(page, durationMs);
      await page.close();
      const marqueePage = await browser.newPage();
      await open(marqueePage, baseUrl, size, sloganItem(0));
      const marquee = await record(marqueePage, durationMs, swapEveryMs);
      await marqueePage.close();

      const emptyGaps = intervals(empty.frames);
      const marqueeGaps = intervals(marquee.frames);
      const seconds = durationMs / 1000;
      metrics.push(
        metric({
          id: `M6.p99.${size.width}x${size.height}`,
          name: `marquee ${label}: p99 frame time (empty pixi stage as baseline)`,
          value: quantile(marqueeGaps, 0.99),
          baseline: quantile(emptyGaps, 0.99),
          unit: 'ms',
          n: marqueeGaps.length,
          target: { ratioAtMost: 1.2 },
        }),
        metric({
          id: `M6.fps.${size.width}x${size.height}`,
          name: `marquee ${label}: frames per second`,
          value: marquee.frames.length / seconds,
          baseline: empty.frames.length / seconds,
          unit: 'fps',
          n: marquee.frames.length,
        }),
        metric({
          id: `M6.dropped.${size.width}x${size.height}`,
          name: `marquee ${label}: dropped frames (of 60 a second) over ${seconds} s`,
          value: droppedFrames(marqueeGaps),
          baseline: droppedFrames(emptyGaps),
          unit: 'frames',
          n: Math.round(seconds * 60),
        }),
        metric({
          id: `M6.swap.${size.width}x${size.height}`,
          name: `marquee ${label}: slogan swap, longest extra frame time (${marquee.swaps.length} swaps)`,
          value: swapStallFrames(marquee),
          unit: 'frames',
          n: marquee.swaps.length,
          target: { atMost: 1 },
          note: `median frame ${summarize(marqueeGaps).p50.toFixed(1)} ms`,
        }),
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return metrics;
}

serveRequests(async (body) => runRender(body as { quick: boolean }));
