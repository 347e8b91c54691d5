// Which pixi renderer draws the board. Pure (no DOM), so the rule is unit-tested in Node.

/**
 * WebGL implementations that rasterise on the CPU: SwiftShader (Chromium without a GPU
 * driver, or with a blocklisted one), Mesa's llvmpipe and softpipe, Windows' basic driver.
 */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software rasterizer|microsoft basic render/i;

/**
 * WebGL when a GPU draws it; pixi's 2D canvas renderer otherwise. In software WebGL every
 * fragment runs pixi's batch shader on the CPU (a 16-way texture branch), so a 1920×1080
 * marquee took hundreds of milliseconds a frame, while the 2D canvas blits the same text
 * textures with Skia's raster pipeline in a few.
 */
export function chooseBackend(
  requested: 'auto' | 'webgl' | 'canvas',
  webGlRenderer: string | undefined,
): 'webgl' | 'canvas' {
  if (requested !== 'auto') return requested;
  if (webGlRenderer === undefined || SOFTWARE_GL.test(webGlRenderer)) return 'canvas';
  return 'webgl';
}
