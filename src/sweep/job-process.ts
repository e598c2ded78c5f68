/**
 * Run one sweep job in a child process (./job-child.ts): one process per job, so the embedded runner uses
 * several cores and a worker's `--jobs N` runs N trainings side by side. The promise settles with the run's
 * result, or rejects with a JobFailure saying whether retrying can help.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JobProgress } from './job';
import type { SweepRunResult } from './results';
import type { SweepJob } from './spec';

/** Messages from the job child. */
export type ChildMessage =
  | { type: 'start'; mode: 'fresh' | 'resume' | 'done'; fromStep: number; backend: string }
  | ({ type: 'progress' } & JobProgress)
  | { type: 'done'; result: SweepRunResult }
  | { type: 'error'; message: string; unrecoverable: boolean };

export class JobFailure extends Error {
  constructor(
    message: string,
    readonly unrecoverable: boolean,
  ) {
    super(message);
  }
}

export interface JobProcessHooks {
  onStart?: (how: { mode: 'fresh' | 'resume' | 'done'; fromStep: number; backend: string }) => void;
  onProgress?: (p: JobProgress) => void;
  env?: NodeJS.ProcessEnv;
}

export interface JobProcess {
  result: Promise<SweepRunResult>;
  pid: number | undefined;
  kill(): void;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const ENTRY = path.join(here, `job-child${path.extname(fileURLToPath(import.meta.url))}`);
/** Characters of the child's stderr kept to explain a crash. */
const STDERR_TAIL = 4000;

function loaderArgs(entry: string): string[] {
  if (!entry.endsWith('.ts')) return [];
  const require = createRequire(import.meta.url);
  const loader = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  return ['--import', pathToFileURL(loader).href];
}

export function startJobProcess(job: SweepJob, root: string, hooks: JobProcessHooks = {}): JobProcess {
  const child: ChildProcess = fork(ENTRY, [], {
    execArgv: loaderArgs(ENTRY),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...hooks.env },
  });
  let tail = '';
  const keep = (d: Buffer): void => {
    tail = (tail + String(d)).slice(-STDERR_TAIL);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const result = new Promise<SweepRunResult>((resolve, reject) => {
    let settled = false;
    child.on('message', (raw: unknown) => {
      const m = raw as ChildMessage;
      if (m.type === 'start') hooks.onStart?.(m);
      else if (m.type === 'progress') hooks.onProgress?.(m);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.result);
      } else if (m.type === 'error') {
        settled = true;
        reject(new JobFailure(m.message, m.unrecoverable));
      }
    });
    child.on('error', (error) => {
      if (!settled) reject(new JobFailure(`job process: ${error.message}`, false));
      settled = true;
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
      reject(new JobFailure(`job ${job.id}: process ${why}${tail ? `: ${lastLine(tail)}` : ''}`, false));
    });
  });
  child.send({ type: 'job', job, root: path.resolve(root) });
  return {
    result,
    pid: child.pid,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1]!.slice(0, 300);
}
