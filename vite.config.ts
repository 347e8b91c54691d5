import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The browser parts: the board player (and later the dashboard), built to dist/web.
export default defineConfig({
  root: resolve(import.meta.dirname),
  publicDir: false,
  appType: 'mpa',
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    manifest: true,
    rollupOptions: {
      input: {
        player: resolve(import.meta.dirname, 'player/index.html'),
        'player-sw': resolve(import.meta.dirname, 'player/sw.ts'),
      },
      output: {
        // The service worker keeps a fixed URL; everything else is named by content.
        entryFileNames: (chunk) =>
          chunk.name === 'player-sw' ? 'player-sw.js' : 'assets/[name]-[hash].js',
      },
    },
  },
});
