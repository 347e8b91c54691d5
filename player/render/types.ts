// Pure types (no DOM, no pixi) so tests outside the player project can import them.

export interface RenderTextStyle {
  color?: string;
  background?: string;
  align?: 'left' | 'center' | 'right';
}

export type SloganMotion = 'static' | 'scroll-left' | 'paged';
export type BannerFit = 'contain' | 'cover' | 'fill' | 'none';

export type RenderItem =
  | {
      kind: 'slogan';
      id: string;
      text: string;
      motion?: SloganMotion;
      speedPxPerSec?: number;
      style?: RenderTextStyle;
      durationMs: number;
    }
  | {
      kind: 'banner';
      id: string;
      url: string;
      fit?: BannerFit;
      /** Only `background` is used: the colour around a contained image. */
      style?: RenderTextStyle;
      durationMs: number;
    }
  | { kind: 'announcement'; id: string; text: string; style?: RenderTextStyle }
  | { kind: 'idle'; mode: 'clock' | 'black'; timeZone: string }
  | { kind: 'blank' };

/** How pixi draws: WebGL, or the 2D canvas (where WebGL would run on the CPU). */
export type RenderBackend = 'webgl' | 'canvas';
/** `auto`: WebGL when a GPU draws it, else the 2D canvas. */
export type RenderBackendChoice = RenderBackend | 'auto';

export interface BoardRendererOptions {
  width: number;
  height: number;
  /** Default `auto`. */
  backend?: RenderBackendChoice;
  /** Corrected clock, ms since epoch. */
  now: () => number;
  /** Called when something could not be shown (e.g. a banner failed to load); the last good item stays. */
  onError?: (error: unknown) => void;
  /**
   * Called when the item last asked for (show) is on the board: at once for a slogan or a
   * banner already loaded, later for a banner still loading, never for one that fails.
   */
  onShown?: (item: RenderItem) => void;
  /** A banner's bytes, when they must come from somewhere checked (default: its URL, as is). */
  bannerBytes?: (url: string) => Promise<Blob>;
}

export interface FrameStats {
  fps: number;
  frames: number;
  p99FrameMs: number;
}

/** One line of text as drawn on the canvas, in board pixels. */
export interface InspectedLine {
  text: string;
  /** CSS font shorthand the line was drawn with. */
  font: string;
  color: string;
  x: number;
  baselineY: number;
  /** The line's box: the font's full ascent (stacked marks included) to its full descent. */
  top: number;
  bottom: number;
  width: number;
}

export interface InspectedChunk {
  text: string;
  /** Offset of the chunk from the start of the marquee line. */
  offsetX: number;
  /** Width of the chunk's texture frame: the text plus padding. */
  textureWidth: number;
  /** Width of the canvas the chunk is drawn into (one width for every chunk of a line). */
  allocatedWidth: number;
}

/** What the renderer currently draws; for tests and remote diagnostics. */
export interface RenderInspection {
  width: number;
  height: number;
  /** The renderer pixi built ('webgpu' only when WebGL was asked for and is unavailable). */
  backend: RenderBackend | 'webgpu';
  /** The browser's WebGL renderer string (e.g. SwiftShader), whichever backend draws. */
  webGlRenderer: string | undefined;
  maxTextureSize: number;
  /** Widest texture the renderer lets a text chunk use. */
  chunkLimitPx: number;
  kind: RenderItem['kind'] | 'none';
  background: string;
  /** Where text may be drawn (inside margins and borders). */
  contentBox: { x: number; y: number; width: number; height: number };
  lines: InspectedLine[];
  marquee?: {
    offsetPx: number;
    speedPxPerSec: number;
    lineWidth: number;
    chunks: InspectedChunk[];
    /** Sprites alive for the marquee (a ring reused as the line scrolls). */
    slots: number;
    /** Chunk canvases the slots hold so far; a slot takes one when it first draws a chunk. */
    canvases: number;
  };
  page?: { index: number; count: number };
  /** Live text objects (pixi Text, or marquee chunk sprites) in the scene and those prepared ahead. */
  textObjects: number;
  /** Scenes attached to the stage; more than one would mean an old item was not torn down. */
  scenes: number;
  /** Marquee chunk canvases created over the renderer's life, and those idle for reuse. */
  chunkCanvases: { created: number; idle: number };
}
