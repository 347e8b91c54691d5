export interface CanvasPlacement {
  /** Device pixels per board pixel. */
  scale: number;
  /** CSS pixels. */
  left: number;
  top: number;
  cssWidth: number;
  cssHeight: number;
  pixelated: boolean;
}

/**
 * Where the board canvas goes in a window of `windowWidth`×`windowHeight` CSS pixels: the largest
 * whole number of device pixels per board pixel that fits, centred, so every LED stays a sharp
 * square; a window smaller than the board gets the largest fraction that fits.
 */
export function placeCanvas(
  board: { width: number; height: number },
  windowWidth: number,
  windowHeight: number,
  devicePixelRatio: number,
): CanvasPlacement {
  const dpr = devicePixelRatio > 0 ? devicePixelRatio : 1;
  const deviceWidth = Math.floor(windowWidth * dpr);
  const deviceHeight = Math.floor(windowHeight * dpr);
  const exact = Math.min(deviceWidth / board.width, deviceHeight / board.height);
  const scale = exact >= 1 ? Math.floor(exact) : exact;
  const width = scale >= 1 ? board.width * scale : Math.floor(board.width * scale);
  const height = scale >= 1 ? board.height * scale : Math.floor(board.height * scale);
  return {
    scale,
    // Offsets in whole device pixels, so the scaled pixels land on the device grid.
    left: Math.floor((deviceWidth - width) / 2) / dpr,
    top: Math.floor((deviceHeight - height) / 2) / dpr,
    cssWidth: width / dpr,
    cssHeight: height / dpr,
    // Scaling down by a fraction would drop whole rows of pixels; smoothing reads better there.
    pixelated: scale >= 1,
  };
}
