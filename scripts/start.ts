/**
 * `npm start`: the desktop app. Builds the bundles if needed, then launches Electron. Where Electron's runtime
 * binary is not available (it downloads on first start, which needs the internet), says so in one paragraph
 * and starts the loopback web shell instead, which serves the same UI to a browser.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronInfo } from '../src/system-info';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function ensureBuilt(): void {
  const needed = [path.join(root, 'dist/renderer/index.html'), path.join(root, 'dist/electron/main.js')];
  if (needed.every((file) => fs.existsSync(file)) && !args.includes('--rebuild')) return;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function run(command: string, commandArgs: string[]): void {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

ensureBuilt();
const electron = electronInfo();
if (electron.runtimeAvailable) {
  const require = createRequire(import.meta.url);
  const electronBinary = require('electron') as unknown as string;
  run(electronBinary, [path.join(root, 'dist/electron/main.js'), ...args.filter((a) => a !== '--rebuild')]);
} else {
  process.stderr.write(
    [
      `Electron's runtime is not available here: the electron package (${electron.packageVersion ?? 'missing'}) is`,
      'installed, but its binary downloads on first start and this machine cannot reach the download server.',
      'To get the desktop window, run `node node_modules/electron/install.js` (or `npm rebuild electron`) on a machine',
      'with internet access, or set ELECTRON_MIRROR / ELECTRON_CUSTOM_DIR to a reachable copy, then `npm start` again.',
      'Starting the web shell instead: open the URL printed below in a browser (same UI, same trainer, loopback only).',
      '',
    ].join('\n'),
  );
  run(process.execPath, ['--import', 'tsx', 'src/web/main.ts', ...args.filter((a) => a !== '--rebuild')]);
}
