// The board renderer: the only part of the player that knows about pixi.js.
// pixi.js generates shader code with new Function() unless this is loaded first; with it the
// player runs under a Content-Security-Policy without 'unsafe-eval'.
import 'pixi.js/unsafe-eval';
export { BoardRenderer } from './board-renderer';
export type {
  BannerFit,
  BoardRendererOptions,
  FrameStats,
  InspectedChunk,
  InspectedLine,
  RenderBackend,
  RenderBackendChoice,
  RenderInspection,
  RenderItem,
  RenderTextStyle,
  SloganMotion,
} from './types';
