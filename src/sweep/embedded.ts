/**
 * The embedded sweep runner (no Redis): runs a sweep's jobs on this machine, `jobs` at a time in a pool of
 * child processes (./job-process.ts, the same job code BullMQ workers run). Jobs already in the results store are not
 * run again, so an interrupted `sweep run` (or `compare`) continues where it stopped; a job whose session
 * is incomplete resumes from its last checkpoint.
 */
import os from 'node:os';
import { JobPool } from './job-process';
import { SweepProgressView } from './progress-view';
import { readResults, writePlan, type SweepRunResult } from './results';
import type { SweepPlan } from './spec';

export interface SweepOutcome {
  sweep: string;
  jobs: number;
  results: SweepRunResult[];
  failed: { job: string; message: string }[];
  /** Wall time of this invocation, seconds. */
  seconds: number;
}

export interface EmbeddedOptions {
  /** Jobs at a time (default: one per core). */
  jobs?: number;
  /** Progress bars on stderr (default true). */
  progress?: boolean;
  /** Extra environment for the job processes (e.g. LAB_BACKEND). */
  env?: NodeJS.ProcessEnv;
  /** Called with each finished run. */
  onResult?: (r: SweepRunResult) => void;
}

export function defaultJobCount(): number {
  return Math.max(1, os.availableParallelism());
}

export async function runEmbedded(
  plan: SweepPlan,
  root: string,
  opts: EmbeddedOptions = {},
): Promise<SweepOutcome> {
  const started = performance.now();
  await writePlan(root, plan);
  const done = new Map(readResults(root, plan.id).map((r) => [r.job, r]));
  const todo = plan.jobs.filter((j) => !done.has(j.id));
  const view =
    opts.progress === false || todo.length === 0
      ? undefined
      : new SweepProgressView(
          plan.jobs.length,
          plan.jobs.reduce((n, j) => n + j.steps, 0),
          plan.jobs.length - todo.length,
          plan.jobs.filter((j) => done.has(j.id)).reduce((n, j) => n + j.steps, 0),
        );
  const failed: SweepOutcome['failed'] = [];
  const lanes = Math.max(1, Math.min(opts.jobs ?? defaultJobCount(), todo.length));
  const pool = new JobPool(lanes, opts.env);
  const interrupt = (): void => pool.close();
  process.once('SIGINT', interrupt);
  try {
    await Promise.all(
      todo.map(async (job) => {
        try {
          const result = await pool.run(job, root, {
            onStart: (how) => {
              view?.jobStarted(job.id, job.steps, how.fromStep);
              if (how.mode === 'resume') view?.log(`${job.id}: resuming from step ${how.fromStep}`);
            },
            onProgress: (p) => view?.jobProgress(job.id, p.step),
          });
          done.set(job.id, result);
          opts.onResult?.(result);
          view?.jobEnded(
            job.id,
            true,
            job.steps,
            `${job.id}: ACC ${fmt(result.acc)} forgetting ${fmt(result.forgetting)} (${result.seconds}s)`,
          );
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failed.push({ job: job.id, message });
          view?.jobEnded(job.id, false, job.steps, `${job.id}: FAILED: ${message}`);
        }
      }),
    );
  } finally {
    process.removeListener('SIGINT', interrupt);
    pool.close();
    view?.stop();
  }
  return {
    sweep: plan.id,
    jobs: plan.jobs.length,
    results: plan.jobs.map((j) => done.get(j.id)).filter((r): r is SweepRunResult => r !== undefined),
    failed,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

function fmt(v: number | null): string {
  return v === null ? '–' : v.toFixed(2);
}
