// Renders the demo plans' banner images (assets/demo/banners/*.png) from HTML in Chromium,
// with the bundled Be Vietnam Pro font: `npx tsx scripts/make-demo-banners.ts`.
// Re-running it rewrites the same files; commit them, since the controller uploads them on a
// first start (controller/seed.ts) and plans name them by file name.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

interface BannerSpec {
  file: string;
  width: number;
  height: number;
  /** Small line above the main text. */
  lead: string;
  /** The big text; `\n` breaks a line where the wording does. */
  main: string;
  /** Small line below, or none. */
  foot?: string;
}

// The wording is the demo plans' slogans (from the seed plans in ../shared/seeds/).
const BANNERS: readonly BannerSpec[] = [
  {
    file: 'chao-mung-dh-cac-cap-1200x200.png',
    width: 1200,
    height: 200,
    lead: 'NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẢNG BỘ CÁC CẤP',
    main: 'TIẾN TỚI ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC\nLẦN THỨ XIII CỦA ĐẢNG!',
  },
  {
    file: 'chao-mung-dh-xvi-kon-tum-1200x200.png',
    width: 1200,
    height: 200,
    lead: 'NHIỆT LIỆT CHÀO MỪNG',
    main: 'ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ TỈNH KON TUM\nLẦN THỨ XVI, NHIỆM KỲ 2020 - 2025',
  },
  {
    file: 'chao-mung-dh-xvii-dak-lak-1200x200.png',
    width: 1200,
    height: 200,
    lead: 'NHIỆT LIỆT CHÀO MỪNG',
    main: 'ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ TỈNH ĐẮK LẮK\nLẦN THỨ XVII, NHIỆM KỲ 2020 - 2025',
  },
  {
    file: 'chao-mung-dh-xiii-1200x200.png',
    width: 1200,
    height: 200,
    lead: 'NHIỆT LIỆT CHÀO MỪNG',
    main: 'ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC\nLẦN THỨ XIII CỦA ĐẢNG!',
  },
  {
    file: 'chao-mung-dh-xiii-1920x1080.png',
    width: 1920,
    height: 1080,
    lead: 'NHIỆT LIỆT CHÀO MỪNG',
    main: 'ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG',
    foot: 'ĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG - SÁNG TẠO - PHÁT TRIỂN',
  },
];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(repoRoot, 'assets', 'demo', 'banners');
const FAMILY = 'Be Vietnam Pro';

/** The font's @font-face rules (every subset, Vietnamese included) with the files inlined. */
async function fontFaces(weights: readonly number[]): Promise<string> {
  const require = createRequire(import.meta.url);
  const cssDir = path.dirname(require.resolve('@fontsource/be-vietnam-pro/package.json'));
  const rules: string[] = [];
  for (const weight of weights) {
    const css = await readFile(path.join(cssDir, `${weight}.css`), 'utf8');
    const inlined: string[] = [];
    // Keep only the woff2 source of each rule, as a data URL: the page loads nothing.
    for (const rule of css.split('@font-face').slice(1)) {
      const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(rule)?.[1];
      if (file === undefined) throw new Error(`no woff2 in ${weight}.css`);
      const data = (await readFile(path.join(cssDir, 'files', file))).toString('base64');
      inlined.push(
        '@font-face' +
          rule.replace(/src:[^;]+;/, `src: url(data:font/woff2;base64,${data}) format('woff2');`),
      );
    }
    rules.push(...inlined);
  }
  return rules.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pageHtml(spec: BannerSpec, faces: string): string {
  const { width, height } = spec;
  const wide = width / height > 3;
  // Proportions from the height for the slot, from the width for a screen.
  const unit = wide ? height / 200 : width / 1920;
  const line = (cls: string, text: string | undefined) =>
    text === undefined
      ? ''
      : `<div class="fit ${cls}">${text.normalize('NFC').split('\n').map(escapeHtml).join('<br>')}</div>`;
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
${faces}
* { margin: 0; padding: 0; box-sizing: border-box; }
html, body { width: ${width}px; height: ${height}px; overflow: hidden; }
body {
  font-family: '${FAMILY}';
  background: #c8102e;
  color: #ffdd00;
  display: flex; align-items: center;
  ${wide ? 'flex-direction: row;' : 'flex-direction: column; justify-content: center;'}
  border: ${Math.round(6 * unit)}px solid #ffdd00;
  outline: ${Math.round(3 * unit)}px solid #c8102e; outline-offset: -${Math.round(12 * unit)}px;
}
.star { flex: none; ${wide ? `width: ${150 * unit}px; height: ${150 * unit}px; margin: 0 ${10 * unit}px 0 ${28 * unit}px;` : `width: ${300 * unit}px; height: ${300 * unit}px; margin-bottom: ${50 * unit}px;`} }
.text { flex: 1; min-width: 0; height: 100%; display: flex; flex-direction: column;
  justify-content: center; align-items: center; text-align: center;
  padding: ${wide ? `${16 * unit}px ${36 * unit}px ${16 * unit}px 0` : `0 ${100 * unit}px`};
  ${wide ? '' : 'flex: none; height: auto; width: 100%;'} }
.fit { width: 100%; white-space: nowrap; line-height: 1.35; font-weight: 700; }
.lead { font-size: ${(wide ? 36 : 64) * unit}px; color: #ffffff; }
.main { font-size: ${(wide ? 54 : 120) * unit}px; font-weight: 800; white-space: normal;
  line-height: 1.45; margin-top: ${(wide ? 0 : 16) * unit}px; }
.foot { font-size: ${(wide ? 22 : 52) * unit}px; color: #ffffff; margin-top: ${(wide ? 2 : 40) * unit}px; }
</style></head><body>
<svg class="star" viewBox="-1 -1 2 2" aria-hidden="true"><polygon fill="#ffdd00" points="${starPoints()}"/></svg>
<div class="text">${line('lead', spec.lead)}${line('main', spec.main)}${line('foot', spec.foot)}</div>
</body></html>`;
}

/** A five-pointed star, point up, inscribed in the unit circle. */
function starPoints(): string {
  const points: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const radius = i % 2 === 0 ? 1 : 0.382;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push(
      `${(radius * Math.cos(angle)).toFixed(4)},${(radius * Math.sin(angle)).toFixed(4)}`,
    );
  }
  return points.join(' ');
}

// Runs in the page: waits for the font, then shrinks each line until it fits its box
// (`.main` may wrap to two lines). A string, since the scripts compile without DOM types.
const SETTLE = `(async () => {
  await document.fonts.ready;
  const text = document.body.innerText;
  const faces = await document.fonts.load("800 50px '${FAMILY}'", text);
  const loaded = [...document.fonts].filter((f) => f.status === 'loaded').length;
  const box = document.querySelector('.text');
  for (const el of document.querySelectorAll('.fit')) {
    let size = parseFloat(getComputedStyle(el).fontSize);
    // Only the main line gives way to the box's height (the small lines just fit their width).
    const main = el.classList.contains('main');
    const tooBig = () => el.scrollWidth > el.clientWidth + 0.5 ||
      (main && el.getBoundingClientRect().height > parseFloat(getComputedStyle(el).lineHeight) * 2 + 1) ||
      (main && box.scrollHeight > box.clientHeight + 0.5);
    while (size > 8 && tooBig()) { size -= 1; el.style.fontSize = size + 'px'; }
  }
  return { matched: faces.length, loaded };
})()`;

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const faces = await fontFaces([400, 700, 800]);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
  try {
    for (const spec of BANNERS) {
      const page = await browser.newPage({
        viewport: { width: spec.width, height: spec.height },
        deviceScaleFactor: 1,
      });
      // Nothing from the network, so no font but the inlined one can be used.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(pageHtml(spec, faces), { waitUntil: 'load' });
      const fonts = await page.evaluate<{ matched: number; loaded: number }>(SETTLE);
      if (fonts.matched === 0 || fonts.loaded === 0) {
        throw new Error(`${spec.file}: the font ${FAMILY} did not load`);
      }
      const shot = await page.screenshot({ type: 'png', omitBackground: false });
      await page.close();
      // A palette PNG: flat colours and anti-aliased text keep well in 256 colours.
      const png = await sharp(shot)
        .png({ palette: true, colours: 128, compressionLevel: 9, effort: 10 })
        .toBuffer();
      await writeFile(path.join(outDir, spec.file), png);
      process.stdout.write(`${spec.file}: ${spec.width}×${spec.height}, ${png.length} bytes\n`);
    }
  } finally {
    await browser.close();
  }
}

await main();
