// Text layout as pure functions of a measurer, so the fitting rules can be reasoned about
// (and tested) without a GPU.

export interface VerticalExtent {
  ascent: number;
  descent: number;
}

export interface TextMeasurer {
  /** Advance width: where the next glyph would start. */
  advance(text: string, fontSize: number): number;
  /** Width pixi gives the line's texture: the larger of advance and ink bounds. */
  lineWidth(text: string, fontSize: number): number;
  /** The font's ascent/descent as pixi measures it (its sample includes stacked marks). */
  fontExtent(fontSize: number): VerticalExtent;
  /** The ink of this particular text. */
  inkExtent(text: string, fontSize: number): VerticalExtent;
}

export interface Box {
  width: number;
  height: number;
}

export interface TextBlock {
  fontSize: number;
  lines: string[];
  /** Baseline offset from the top of a line box. */
  ascent: number;
  /** Distance between successive line tops; one line box is this tall. */
  pitch: number;
}

const MIN_FONT_SIZE = 6;
const MAX_LINES_PER_PAGE = 4;
/** A line shorter than this is hard to read on a board, so paged text never goes below it. */
export const READABLE_LINE_PX = 28;

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });

export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Words to wrap at; a lone dash or other punctuation stays with the word before it, so no line starts with "—". */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const token of normalizeText(text).split(' ')) {
    if (token.length === 0) continue;
    const last = words.at(-1);
    if (last !== undefined && /^[\p{P}\p{S}]+$/u.test(token)) {
      words[words.length - 1] = `${last} ${token}`;
    } else {
      words.push(token);
    }
  }
  return words;
}

function splitGraphemes(text: string): string[] {
  return Array.from(graphemes.segment(text), (s) => s.segment);
}

/** The vertical box of one line of `text` at `fontSize`: font metrics widened by any taller ink. */
export function lineBox(text: string, fontSize: number, measure: TextMeasurer): VerticalExtent {
  const font = measure.fontExtent(fontSize);
  const ink = measure.inkExtent(text, fontSize);
  return {
    ascent: Math.ceil(Math.max(font.ascent, ink.ascent)),
    descent: Math.ceil(Math.max(font.descent, ink.descent)),
  };
}

/** Greedy wrap at spaces; undefined when a single word is wider than `maxWidth`. */
export function wrapWords(
  words: readonly string[],
  maxWidth: number,
  fontSize: number,
  measure: TextMeasurer,
  breakLongWords = false,
): string[] | undefined {
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (measure.lineWidth(candidate, fontSize) <= maxWidth) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    if (measure.lineWidth(word, fontSize) <= maxWidth) {
      current = word;
      continue;
    }
    if (!breakLongWords) return undefined;
    current = '';
    for (const g of splitGraphemes(word)) {
      const next = current + g;
      if (current !== '' && measure.lineWidth(next, fontSize) > maxWidth) {
        lines.push(current);
        current = g;
      } else {
        current = next;
      }
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

function blockAt(
  text: string,
  words: readonly string[],
  box: Box,
  fontSize: number,
  measure: TextMeasurer,
  breakLongWords: boolean,
): TextBlock | undefined {
  const extent = lineBox(text, fontSize, measure);
  const pitch = extent.ascent + extent.descent;
  const lines = wrapWords(words, box.width, fontSize, measure, breakLongWords);
  if (!lines || lines.length * pitch > box.height) return undefined;
  return { fontSize, lines, ascent: extent.ascent, pitch };
}

/** Largest integer size in [lo, hi] for which `fits` holds, assuming it holds for smaller sizes. */
function largestFitting<T>(lo: number, hi: number, fits: (size: number) => T | undefined) {
  let best: T | undefined;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const result = fits(mid);
    if (result) {
      best = result;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/** Narrowest width that keeps the same number of lines, so a two-line slogan is not one long line and a stub. */
function balance(block: TextBlock, words: readonly string[], measure: TextMeasurer): TextBlock {
  if (block.lines.length < 2) return block;
  const target = block.lines.length;
  let lo = Math.max(...words.map((w) => measure.lineWidth(w, block.fontSize)));
  let hi = Math.max(...block.lines.map((l) => measure.lineWidth(l, block.fontSize)));
  let best = block.lines;
  while (hi - lo > 1) {
    const mid = (lo + hi) / 2;
    const lines = wrapWords(words, mid, block.fontSize, measure);
    if (lines && lines.length <= target) {
      best = lines;
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return { ...block, lines: best };
}

/** The largest font size at which the text, wrapped at spaces, fits inside `box`. */
export function fitText(text: string, box: Box, measure: TextMeasurer): TextBlock {
  const normalized = normalizeText(text);
  const words = splitWords(normalized);
  const maxSize = Math.max(MIN_FONT_SIZE, Math.floor(box.height));
  const fitted = largestFitting(MIN_FONT_SIZE, maxSize, (size) =>
    blockAt(normalized, words, box, size, measure, false),
  );
  if (fitted) return balance(fitted, words, measure);
  // Nothing fits whole words: break inside them at the smallest size rather than overflow.
  const extent = lineBox(normalized, MIN_FONT_SIZE, measure);
  return {
    fontSize: MIN_FONT_SIZE,
    lines: wrapWords(words, box.width, MIN_FONT_SIZE, measure, true) ?? [normalized],
    ascent: extent.ascent,
    pitch: extent.ascent + extent.descent,
  };
}

/** Largest size whose line box is at most `lineHeight` tall. */
export function sizeForLineHeight(text: string, lineHeight: number, measure: TextMeasurer): number {
  return (
    largestFitting(MIN_FONT_SIZE, Math.max(MIN_FONT_SIZE, Math.ceil(lineHeight)), (size) => {
      const extent = lineBox(text, size, measure);
      return extent.ascent + extent.descent <= lineHeight ? size : undefined;
    }) ?? MIN_FONT_SIZE
  );
}

/** Lines per page for paged text: as many readable lines as the board holds, at most four. */
export function linesPerPage(boxHeight: number): number {
  return Math.min(MAX_LINES_PER_PAGE, Math.max(1, Math.floor(boxHeight / READABLE_LINE_PX)));
}

/**
 * Pages of at most `linesPerPage(box.height)` lines at one readable size; a text that fits whole
 * at that size or larger is a single auto-fitted page.
 */
export function paginate(text: string, box: Box, measure: TextMeasurer): TextBlock[] {
  const whole = fitText(text, box, measure);
  const normalized = normalizeText(text);
  const words = splitWords(normalized);
  const perPage = linesPerPage(box.height);
  const readable = largestFitting(MIN_FONT_SIZE, Math.max(MIN_FONT_SIZE, box.height), (size) => {
    const extent = lineBox(normalized, size, measure);
    const pitch = extent.ascent + extent.descent;
    if (pitch * perPage > box.height) return undefined;
    const lines = wrapWords(words, box.width, size, measure);
    return lines ? { fontSize: size, lines, ascent: extent.ascent, pitch } : undefined;
  });
  if (!readable || whole.fontSize >= readable.fontSize) return [whole];
  const pages: TextBlock[] = [];
  for (let i = 0; i < readable.lines.length; i += perPage) {
    pages.push({ ...readable, lines: readable.lines.slice(i, i + perPage) });
  }
  return pages;
}

export interface TextChunk {
  text: string;
  offsetX: number;
}

/**
 * Splits one line into consecutive chunks, each drawing narrower than `maxWidth`, so no text
 * texture exceeds the GPU limit. Breaks after spaces, or between graphemes inside long words.
 */
export function splitIntoChunks(
  text: string,
  maxWidth: number,
  fontSize: number,
  measure: TextMeasurer,
): TextChunk[] {
  const tokens = text.match(/\S+\s*|\s+/g) ?? [];
  const pieces: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') pieces.push(current);
    current = '';
  };
  for (const token of tokens) {
    if (measure.lineWidth(current + token, fontSize) <= maxWidth) {
      current += token;
      continue;
    }
    flush();
    if (measure.lineWidth(token, fontSize) <= maxWidth) {
      current = token;
      continue;
    }
    for (const g of splitGraphemes(token)) {
      if (current !== '' && measure.lineWidth(current + g, fontSize) > maxWidth) flush();
      current += g;
    }
  }
  flush();
  const chunks: TextChunk[] = [];
  let offsetX = 0;
  for (const piece of pieces) {
    chunks.push({ text: piece, offsetX });
    offsetX += measure.advance(piece, fontSize);
  }
  return chunks;
}
