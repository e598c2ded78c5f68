/**
 * `npm run build`: the renderer bundle (Vite → dist/renderer) and the Electron main, preload and trainer
 * bundles (esbuild → dist/electron). Native and wasm packages stay external to the Node bundles.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function step(title: string, command: string, args: string[]): void {
  process.stderr.write(`build: ${title}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: ${title} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

step('renderer (vite)', process.execPath, [
  path.join(root, 'node_modules/vite/bin/vite.js'),
  'build',
  '--logLevel',
  'warn',
]);
step('electron main, preload and trainer (esbuild)', process.execPath, [
  '--import',
  'tsx',
  'scripts/build-electron.ts',
]);
