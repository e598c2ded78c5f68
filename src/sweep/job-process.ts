/**
 * Job processes: sweep jobs run in child processes (./job-child.ts), so the embedded runner uses several
 * cores and a worker's `--jobs N` runs N trainings side by side. A `JobPool` keeps up to N children and
 * gives each one job after another (starting node, tsx and tfjs once per child rather than once per job);
 * a child that fails or dies is replaced by a fresh one. `run` settles with the run's result, or rejects
 * with a JobFailure saying whether retrying can help.
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

export interface JobHooks {
  onStart?: (how: {
    mode: 'fresh' | 'resume' | 'done';
    fromStep: number;
    backend: string;
    pid: number;
  }) => void;
  onProgress?: (p: JobProgress) => void;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const ENTRY = path.join(here, `job-child${path.extname(fileURLToPath(import.meta.url))}`);
/** Characters of a child's output kept to explain a crash. */
const OUTPUT_TAIL = 4000;

function loaderArgs(entry: string): string[] {
  if (!entry.endsWith('.ts')) return [];
  const require = createRequire(import.meta.url);
  const loader = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  return ['--import', pathToFileURL(loader).href];
}

interface Task {
  job: SweepJob;
  root: string;
  hooks: JobHooks;
  resolve: (r: SweepRunResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  child: ChildProcess;
  task: Task | null;
  tail: string;
}

export class JobPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  run(job: SweepJob, root: string, hooks: JobHooks = {}): Promise<SweepRunResult> {
    if (this.closed) return Promise.reject(new JobFailure('the job pool is closed', false));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, root: path.resolve(root), hooks, resolve, reject });
      this.dispatch();
    });
  }

  /** Kill every child (running jobs reject); later `run` calls reject. */
  close(): void {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new JobFailure('stopped', false));
    for (const slot of this.slots) slot.child.kill('SIGKILL');
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((s) => s.task === null);
      if (!slot) {
        if (this.slots.size >= this.size) return;
        slot = this.spawn();
      }
      const task = this.queue.shift()!;
      slot.task = task;
      slot.child.send({ type: 'job', job: task.job, root: task.root });
    }
  }

  private spawn(): Slot {
    const child = fork(ENTRY, [], {
      execArgv: loaderArgs(ENTRY),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...this.env },
    });
    const slot: Slot = { child, task: null, tail: '' };
    this.slots.add(slot);
    const keep = (d: Buffer): void => {
      slot.tail = (slot.tail + String(d)).slice(-OUTPUT_TAIL);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const finish = (): Task | null => {
      const task = slot.task;
      slot.task = null;
      return task;
    };
    child.on('message', (raw: unknown) => {
      const m = raw as ChildMessage;
      const task = slot.task;
      if (!task) return;
      if (m.type === 'start') task.hooks.onStart?.({ ...m, pid: child.pid ?? 0 });
      else if (m.type === 'progress') task.hooks.onProgress?.(m);
      else if (m.type === 'done') {
        finish()!.resolve(m.result);
        this.dispatch();
      } else if (m.type === 'error') {
        // The child exits after an error (its state is suspect); 'exit' replaces it.
        finish()!.reject(new JobFailure(m.message, m.unrecoverable));
      }
    });
    child.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      this.slots.delete(slot);
      const task = finish();
      if (task) {
        const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
        task.reject(
          new JobFailure(
            `job ${task.job.id}: process ${why}${slot.tail ? `: ${lastLine(slot.tail)}` : ''}`,
            false,
          ),
        );
      }
      if (!this.closed) this.dispatch();
    });
    return slot;
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1]!.slice(0, 300);
}
