/**
 * Facts about this machine and install that the CLI's `info`, the UI's About box and recorded sessions show:
 * versions (app, Node, tfjs, Electron) and the CPU.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { APP_VERSION } from './version';

export interface ElectronInfo {
  /** Version of the installed `electron` package (its typings and launcher). */
  packageVersion: string | null;
  /** Whether Electron's runtime binary is present (it downloads on first start and may be unavailable). */
  runtimeAvailable: boolean;
  /** Version of the Electron runtime this code runs in, when it runs inside Electron. */
  runningIn: string | null;
}

export interface SystemInfo {
  app: string;
  node: string;
  tfjs: string;
  electron: ElectronInfo;
  cpuModel: string;
  cores: number;
  platform: string;
}

export function electronInfo(): ElectronInfo {
  const require = createRequire(import.meta.url);
  let packageVersion: string | null = null;
  let runtimeAvailable = false;
  try {
    const pkgPath = require.resolve('electron/package.json');
    packageVersion = (JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { version: string }).version;
    // The launcher writes path.txt once the runtime is unpacked into dist/.
    const dir = path.dirname(pkgPath);
    const pathTxt = path.join(dir, 'path.txt');
    if (fs.existsSync(pathTxt)) {
      const exe = fs.readFileSync(pathTxt, 'utf8').trim();
      runtimeAvailable = fs.existsSync(path.join(dir, 'dist', exe));
    }
  } catch {
    // electron is not installed: report it as such.
  }
  return { packageVersion, runtimeAvailable, runningIn: process.versions.electron ?? null };
}

export function systemInfo(): SystemInfo {
  const cpus = os.cpus();
  return {
    app: APP_VERSION,
    node: process.versions.node,
    tfjs: tf.version.tfjs,
    electron: electronInfo(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    platform: `${process.platform}-${process.arch}`,
  };
}
