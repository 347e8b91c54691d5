// The bundled board font. Each CSS file declares the latin, latin-ext and vietnamese subsets of
// one weight; Vite bundles the woff2 files, so a board never falls back to a system font.
import '@fontsource/be-vietnam-pro/700.css';
import '@fontsource/be-vietnam-pro/800.css';
import { CanvasTextMetrics } from 'pixi.js';

export const FONT_FAMILY = 'Be Vietnam Pro';
export const TEXT_WEIGHT = 800;
export const CLOCK_WEIGHT = 700;

/** Upper-case letters with stacked marks, the tallest glyphs in Vietnamese text. */
const STACKED_CAPITALS = 'ẮẰẲẴẶẤẦẨẪẬẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰỲỴỶỸǺ';
/** Covers every subset, so that loading it fetches all three files. */
const LOAD_SAMPLE = `Aa Đđ ${STACKED_CAPITALS} Ǻ —`;

/** The font shorthand exactly as pixi builds it from a TextStyle, so both share metric caches. */
export function fontShorthand(weight: number, fontSize: number): string {
  return `normal normal ${weight} ${fontSize}px "${FONT_FAMILY}"`;
}

/**
 * pixi sizes text textures from the ink of METRICS_STRING ("|ÉqÅ" by default); stacked
 * marks rise above É, so Ễ or Ậ would lose their tops. Measuring the tallest Vietnamese
 * capitals (and the deepest descenders) makes every line box hold them.
 */
export function patchTextMetrics(): void {
  const sample = `|ÉqÅ${STACKED_CAPITALS}gjpqyỵ`;
  if (CanvasTextMetrics.METRICS_STRING !== sample) {
    CanvasTextMetrics.METRICS_STRING = sample;
  }
  // Metrics measured before the font arrived (or with the old sample) are wrong.
  CanvasTextMetrics.clearMetrics();
}

/** Loads both weights with all subsets; rejects when the bundled font is unavailable. */
export async function loadBoardFonts(fonts: FontFaceSet): Promise<void> {
  const loaded = await Promise.all(
    [TEXT_WEIGHT, CLOCK_WEIGHT].map((weight) => fonts.load(fontShorthand(weight, 32), LOAD_SAMPLE)),
  );
  // load() resolves with no faces when nothing matched, i.e. when the CSS is missing and the
  // browser would silently use a system font.
  for (const faces of loaded) {
    if (faces.length === 0 || faces.some((face) => face.status !== 'loaded')) {
      throw new Error(`font ${FONT_FAMILY} did not load`);
    }
  }
  patchTextMetrics();
}
