// The board renderer: the only part of the player that knows about pixi.js.
export { BoardRenderer } from './board-renderer';
export type {
  BannerFit,
  BoardRendererOptions,
  FrameStats,
  InspectedChunk,
  InspectedLine,
  RenderInspection,
  RenderItem,
  RenderTextStyle,
  SloganMotion,
} from './types';
