// Vite configuration for the renderer (the UI shared by the Electron and web shells): a static bundle in
// dist/renderer with relative asset paths so it loads from a custom protocol or any URL prefix.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // Pixi and uPlot are one chunk; the app is small. Keep warnings meaningful.
    chunkSizeWarningLimit: 1500,
  },
  server: { host: '127.0.0.1' },
});
