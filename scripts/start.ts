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
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function run(command: string, commandArgs: string[]): void {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** Electron's runtime downloads on first start; try once (quietly) so a machine with internet just works. */
function obtainElectronRuntime(): boolean {
  if (electronInfo().runtimeAvailable) return true;
  if (process.env.LAB_NO_ELECTRON === '1') return false;
  const require = createRequire(import.meta.url);
  let installer: string;
  try {
    installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    return false;
  }
  process.stderr.write("Fetching Electron's runtime (first start)…\n");
  const result = spawnSync(process.execPath, [installer], { cwd: root, stdio: 'ignore', timeout: 120_000 });
  return result.status === 0 && electronInfo().runtimeAvailable;
}

ensureBuilt();
const forwarded = args.filter((a) => a !== '--rebuild');
if (obtainElectronRuntime()) {
  const require = createRequire(import.meta.url);
  const electronBinary = require('electron') as unknown as string;
  run(electronBinary, [path.join(root, 'dist/electron/main.js'), ...forwarded]);
} else {
  const electron = electronInfo();
  process.stderr.write(
    [
      `Electron's runtime is not available here: the electron package (${electron.packageVersion ?? 'missing'}) is`,
      'installed, but its binary downloads on first start and the download server cannot be reached from this',
      'machine. To get the desktop window, run `npx install-electron` on a machine with internet access (or set',
      'ELECTRON_MIRROR to a reachable mirror, or ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron), then',
      '`npm start` again. Starting the web shell instead: open the URL printed below in a browser — the same UI',
      'and trainer, served on 127.0.0.1 only.',
      '',
    ].join('\n'),
  );
  run(process.execPath, ['--import', 'tsx', 'src/web/main.ts', ...forwarded]);
}
