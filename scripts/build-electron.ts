/**
 * Bundles the Electron shell with esbuild into dist/electron:
 *   main.js     (ESM, Electron main)       from electron/main.ts
 *   preload.cjs (CommonJS: sandboxed preloads cannot be ES modules) from electron/preload.ts
 *   trainer.js  (ESM, the trainer utility process) from src/trainer/main.ts
 * Electron and the native/wasm tfjs packages stay external (loaded from node_modules at run time).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist/electron');

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm'],
  absWorkingDir: root,
};

/** ESM bundles still meet CommonJS dependencies that call require(); give them one. */
const esmBanner = {
  js: "import { createRequire as __labCreateRequire } from 'node:module'; const require = __labCreateRequire(import.meta.url);",
};

await Promise.all([
  build({
    ...common,
    entryPoints: { main: 'electron/main.ts', trainer: 'src/trainer/main.ts' },
    format: 'esm',
    outdir,
    outExtension: { '.js': '.js' },
    banner: esmBanner,
  }),
  build({
    ...common,
    entryPoints: { preload: 'electron/preload.ts' },
    format: 'cjs',
    // The sandboxed preload has no Node: only `electron`'s renderer modules and what we bundle.
    platform: 'browser',
    outdir,
    outExtension: { '.js': '.cjs' },
  }),
]);
process.stderr.write(
  `build-electron: wrote ${path.relative(root, outdir)}/{main.js,preload.cjs,trainer.js}\n`,
);
