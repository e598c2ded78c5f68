/**
 * One sweep job, run in this process: the same code for the embedded runner and for BullMQ workers (both
 * call it inside a job child process, ./job-child.ts). The job's session folder decides what happens:
 *   - no session yet          → a fresh recorded run (`cli run` code: executeRun)
 *   - a session with run-end  → nothing is trained again; the summary is read from the session
 *   - an incomplete session   → `run --resume` from its last checkpoint (a worker was killed mid-job)
 * and the finished run is written to the sweep's results store (./results.ts). Because resuming replays from a
 * checkpoint with the run's own seeded RNG, a resumed job ends with the same returns as an uninterrupted one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { executeRun, runFlagsSchema } from '../cli/commands/run';
import { UserError } from '../cli/user-error';
import { metricSeries } from '../session/metrics-series';
import { openSession } from '../session/reader';
import { EVENTS_FILE, MANIFEST_FILE } from '../session/paths';
import type { BackendChoice } from '../tf/backend';
import { readResults, writeResult, type SweepRunResult } from './results';
import { jobSessionDir, sweepDir, type SweepJob } from './spec';

export interface JobProgress {
  step: number;
  totalSteps: number;
}

export interface JobHooks {
  onProgress?: (p: JobProgress) => void;
  /** Called once the job knows how it starts (fresh, resumed from step N, or already finished). */
  onStart?: (how: { mode: 'fresh' | 'resume' | 'done'; fromStep: number }) => void;
  backend?: BackendChoice;
}

/** A failure that retrying cannot fix (invalid job, unknown env or strategy): fail the job once. */
export class UnrecoverableJobError extends Error {}

export async function runSweepJob(
  job: SweepJob,
  root: string,
  hooks: JobHooks = {},
): Promise<SweepRunResult> {
  const dir = jobSessionDir(root, job);
  const known = readResults(root, job.sweep).find((r) => r.job === job.id);
  if (known && isComplete(dir)) {
    hooks.onStart?.({ mode: 'done', fromStep: job.steps });
    return known;
  }
  setAsideEmptySession(dir);
  let resumed = fs.existsSync(dir);
  if (resumed && isComplete(dir)) {
    hooks.onStart?.({ mode: 'done', fromStep: job.steps });
  } else {
    const resuming = resumed;
    const fromStep = resuming ? lastCheckpointStep(dir) : 0;
    hooks.onStart?.({ mode: resuming ? 'resume' : 'fresh', fromStep });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const flags = runFlagsSchema.parse({
      checkpointEvery: String(job.checkpointEvery),
      ...(resuming ? { resume: dir } : { out: dir }),
    });
    try {
      await executeRun(flags, {
        progress: false,
        config: job.config,
        ...(hooks.backend ? { backend: hooks.backend } : {}),
        onProgress: (s) => hooks.onProgress?.({ step: s.step, totalSteps: s.totalSteps }),
      });
    } catch (error) {
      if (error instanceof UserError) throw new UnrecoverableJobError(error.message);
      throw error;
    }
  }
  resumed = openSession(dir).manifest.resumes.length > 0;
  const result = resultFromSession(job, root, dir, resumed);
  await writeResult(root, result);
  return result;
}

function isComplete(dir: string): boolean {
  try {
    return openSession(dir).complete;
  } catch {
    return false;
  }
}

function lastCheckpointStep(dir: string): number {
  try {
    const cps = openSession(dir).checkpoints.filter((c) => c.exists);
    return cps.length ? cps[cps.length - 1]!.step : 0;
  } catch {
    return 0;
  }
}

/**
 * A job killed before its run-start was written leaves a folder without a manifest or events: nothing was
 * recorded, but the recorder refuses to record into an existing folder. Move it aside (never delete).
 */
function setAsideEmptySession(dir: string): void {
  if (!fs.existsSync(dir)) return;
  const hasManifest = fs.existsSync(path.join(dir, MANIFEST_FILE));
  const events = path.join(dir, EVENTS_FILE);
  const hasEvents = fs.existsSync(events) && fs.statSync(events).size > 0;
  if (hasManifest && hasEvents) return;
  fs.renameSync(dir, `${dir}.empty-${Date.now()}`);
}

/** The job's result, read from its finished session (the same numbers however many resumes it took). */
export function resultFromSession(
  job: SweepJob,
  root: string,
  dir: string,
  resumed: boolean,
): SweepRunResult {
  const session = openSession(dir);
  const series = metricSeries(session.events);
  const m = series.metrics ?? {};
  const end = [...session.events].reverse().find((e) => e.type === 'run-end');
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const labels: string[] = [];
  for (const span of series.tasks) labels[span.task] ??= span.label;
  return {
    job: job.id,
    sweep: job.sweep,
    index: job.index,
    sequence: job.sequence,
    strategy: job.strategy,
    seed: job.seed,
    lambda: job.lambda,
    acc: num(m.acc),
    forgetting: num(m.forgetting),
    bwt: num(m.bwt),
    fwt: num(m.fwt),
    auc: num(m.auc),
    matrix: Array.isArray(m.matrix) ? (m.matrix as (number | null)[][]) : [],
    envSteps: num(m.envSteps) ?? session.lastStep,
    seconds: Math.round((end?.t ?? 0) / 100) / 10,
    backend: session.manifest.backend.backend,
    session: path.relative(sweepDir(root, job.sweep), dir),
    labels: series.evals.map((_, i) => labels[i] ?? `task ${i}`),
    curves: series.evals.map((e) => ({ steps: [...e.steps], normalized: [...e.normalized] })),
    resumed,
    finishedAt: new Date().toISOString(),
  };
}
