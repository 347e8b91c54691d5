import { CanvasTextMetrics } from 'pixi.js';
import { fontShorthand } from './fonts';
import type { TextMeasurer, VerticalExtent } from './layout';

/** Measures with the browser's canvas text engine, the same one pixi draws text with. */
export function createCanvasMeasurer(weight: number): TextMeasurer {
  const context = new OffscreenCanvas(1, 1).getContext('2d');
  if (!context) throw new Error('no 2d canvas context for text measurement');
  const measure = (text: string, fontSize: number) => {
    context.font = fontShorthand(weight, fontSize);
    return context.measureText(text);
  };
  return {
    advance: (text, fontSize) => measure(text, fontSize).width,
    lineWidth: (text, fontSize) => {
      // Same rule as pixi's CanvasTextMetrics._measureText, so layout and textures agree.
      const m = measure(text, fontSize);
      return Math.max(m.width, m.actualBoundingBoxRight + m.actualBoundingBoxLeft);
    },
    fontExtent: (fontSize): VerticalExtent => {
      const font = CanvasTextMetrics.measureFont(fontShorthand(weight, fontSize));
      return { ascent: font.ascent, descent: font.descent };
    },
    inkExtent: (text, fontSize): VerticalExtent => {
      const m = measure(text, fontSize);
      return { ascent: m.actualBoundingBoxAscent, descent: m.actualBoundingBoxDescent };
    },
  };
}
