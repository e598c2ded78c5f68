/**
 * Start the trainer with `child_process.fork` (web shell, tests, benchmarks). From source the entry is
 * src/trainer/main.ts run through tsx; a bundled build passes its own .js entry. The child's stdout is
 * moved to our stderr so the host's stdout stays clean (the web shell prints exactly one line there).
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainerChild } from './host';

export interface ForkTrainerOptions {
  /** Trainer entry; default: src/trainer/main.ts next to this file. */
  entry?: string;
  /** Arguments for the trainer (e.g. `['--sessions-dir', dir]`). */
  args?: string[];
  /** Extra environment variables (LAB_BACKEND, …). */
  env?: NodeJS.ProcessEnv;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** How long a trainer asked to stop (SIGTERM) gets before it is killed (SIGKILL). */
const KILL_GRACE_MS = 5000;

/** `--import <tsx loader>` when the entry is TypeScript. */
function loaderArgs(entry: string): string[] {
  if (!entry.endsWith('.ts')) return [];
  const require = createRequire(import.meta.url);
  const loader = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  return ['--import', pathToImportSpecifier(loader)];
}

function pathToImportSpecifier(file: string): string {
  return new URL(`file://${file.startsWith('/') ? '' : '/'}${file.replace(/\\/g, '/')}`).href;
}

export function forkTrainer(opts: ForkTrainerOptions = {}): TrainerChild {
  const entry = opts.entry ?? path.join(here, 'main.ts');
  const child = fork(entry, opts.args ?? [], {
    execArgv: loaderArgs(entry),
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, ...opts.env },
    serialization: 'advanced',
  });
  child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  // Spawn failures and IPC send failures (the trainer exiting mid-send) arrive here; the exit handler tells
  // the UI that the trainer is gone, this names why.
  child.on('error', (error) => process.stderr.write(`trainer process: ${error.message}\n`));
  return {
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (handler) => child.on('message', (raw: unknown) => handler(raw)),
    onExit: (handler) => child.once('exit', (code) => handler(code)),
    kill: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill();
      // A trainer stuck in a long synchronous step cannot run its SIGTERM handler: force it after a grace.
      const force = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, KILL_GRACE_MS);
      force.unref();
      child.once('exit', () => clearTimeout(force));
    },
  };
}
