import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The browser parts: the board player and the operator dashboard, built to dist/web.
export default defineConfig({
  root: resolve(import.meta.dirname),
  publicDir: false,
  appType: 'mpa',
  // The dashboard's JSX is Preact's.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    manifest: true,
    // pixi.js alone is about 700 kB; the dashboard loads it only with its first preview.
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // A library's comment that Rollup cannot place (zod's `@__PURE__` notes) is the library's
      // business, not something a user of `npm start` can act on; every other warning shows.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
        warn(warning);
      },
      input: {
        player: resolve(import.meta.dirname, 'player/index.html'),
        dashboard: resolve(import.meta.dirname, 'controller/dashboard/index.html'),
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
