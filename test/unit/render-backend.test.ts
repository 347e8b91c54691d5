import { describe, expect, it } from 'vitest';
import { chooseBackend } from '../../player/render/backend.js';

describe('chooseBackend', () => {
  it.each([
    [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'canvas',
    ],
    ['Mesa/X.org, llvmpipe (LLVM 15.0.6, 256 bits)', 'canvas'],
    ['softpipe', 'canvas'],
    ['ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)', 'canvas'],
    ['ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)', 'webgl'],
    ['ANGLE (NVIDIA, NVIDIA GeForce GT 1030 Direct3D11 vs_5_0 ps_5_0, D3D11)', 'webgl'],
  ] as const)('auto on %s draws with %s', (renderer, expected) => {
    expect(chooseBackend('auto', renderer)).toBe(expected);
  });

  it('draws with the 2D canvas when the browser has no WebGL', () => {
    expect(chooseBackend('auto', undefined)).toBe('canvas');
  });

  it('keeps an explicit choice', () => {
    expect(chooseBackend('webgl', 'SwiftShader')).toBe('webgl');
    expect(chooseBackend('canvas', 'NVIDIA GeForce')).toBe('canvas');
  });
});
