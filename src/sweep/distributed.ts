/**
 * Distributed sweeps on BullMQ: `submitSweep` enqueues one job per run with the job's content-derived id
 * (re-submitting a sweep adds nothing that is already queued, running or done), `waitForSweep` polls the
 * jobs' states and progress until every one has completed or failed, and `sweepStatus` reports them.
 * Polling (rather than queue events) keeps the waiting side correct across a Redis restart.
 */
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { SweepProgressView } from './progress-view';
import { runResultSchema, writePlan, type SweepRunResult } from './results';
import { JOB_OPTIONS, QUEUE_NAME } from './redis';
import type { SweepJob, SweepPlan } from './spec';

/** Data of a BullMQ job: the sweep job and the sweeps root every worker can reach. */
export interface QueuedJob {
  job: SweepJob;
  root: string;
}

export type JobState =
  'completed' | 'failed' | 'active' | 'waiting' | 'delayed' | 'prioritized' | 'waiting-children' | 'unknown';

export interface JobStatus {
  id: string;
  state: JobState;
  step: number;
  totalSteps: number;
  attempts: number;
  failedReason?: string;
  result?: SweepRunResult;
}

/** BullMQ job id of a sweep job (sweep id + job id: unique across sweeps in the one queue). */
export function queueJobId(job: Pick<SweepJob, 'sweep' | 'id'>): string {
  return `${job.sweep}.${job.id}`;
}

export function openQueue(connection: Redis): Queue<QueuedJob, SweepRunResult> {
  return new Queue<QueuedJob, SweepRunResult>(QUEUE_NAME, { connection });
}

/** Enqueue the plan's jobs (duplicates of queued or finished jobs are ignored by BullMQ); returns how many were new. */
export async function submitSweep(
  queue: Queue<QueuedJob, SweepRunResult>,
  plan: SweepPlan,
  root: string,
): Promise<number> {
  await writePlan(root, plan);
  const before = await Promise.all(plan.jobs.map((j) => queue.getJob(queueJobId(j))));
  await queue.addBulk(
    plan.jobs.map((job) => ({
      name: job.id,
      data: { job, root },
      opts: { ...JOB_OPTIONS, jobId: queueJobId(job) },
    })),
  );
  return before.filter((j) => !j).length;
}

export async function jobStatuses(
  queue: Queue<QueuedJob, SweepRunResult>,
  ids: readonly string[],
): Promise<JobStatus[]> {
  return Promise.all(
    ids.map(async (id): Promise<JobStatus> => {
      const job: Job<QueuedJob, SweepRunResult> | undefined = await queue.getJob(id);
      if (!job) return { id, state: 'unknown', step: 0, totalSteps: 0, attempts: 0 };
      const state = (await job.getState()) as JobState;
      const p = job.progress as { step?: unknown; totalSteps?: unknown } | number;
      const step = typeof p === 'object' && typeof p.step === 'number' ? p.step : 0;
      const totalSteps = job.data?.job?.steps ?? 0;
      const parsed = state === 'completed' ? runResultSchema.safeParse(job.returnvalue) : undefined;
      return {
        id,
        state,
        step: state === 'completed' ? totalSteps : step,
        totalSteps,
        attempts: job.attemptsMade,
        ...(job.failedReason ? { failedReason: job.failedReason } : {}),
        ...(parsed?.success ? { result: parsed.data } : {}),
      };
    }),
  );
}

export interface WaitOptions {
  progress?: boolean;
  pollMs?: number;
}

/** Wait until every job of the plan has completed or failed; shows progress on stderr. */
export async function waitForSweep(
  queue: Queue<QueuedJob, SweepRunResult>,
  plan: SweepPlan,
  opts: WaitOptions = {},
): Promise<{ results: SweepRunResult[]; failed: { job: string; message: string }[] }> {
  const ids = plan.jobs.map(queueJobId);
  const byQueueId = new Map(plan.jobs.map((j) => [queueJobId(j), j]));
  let view: SweepProgressView | undefined;
  const seen = new Map<string, JobState>();
  try {
    for (;;) {
      let statuses: JobStatus[];
      try {
        statuses = await jobStatuses(queue, ids);
      } catch {
        // Redis away (restarting): keep waiting; the connection retries by itself.
        await sleep(opts.pollMs ?? 500);
        continue;
      }
      if (opts.progress !== false && !view) {
        const done = statuses.filter((s) => s.state === 'completed');
        view = new SweepProgressView(
          plan.jobs.length,
          plan.jobs.reduce((n, j) => n + j.steps, 0),
          done.length,
          done.reduce((n, s) => n + s.totalSteps, 0),
        );
        for (const s of done) seen.set(s.id, s.state);
      }
      for (const s of statuses) {
        const job = byQueueId.get(s.id)!;
        const before = seen.get(s.id);
        if (s.state === 'active' && before !== 'active') view?.jobStarted(job.id, job.steps, s.step);
        if (s.state === 'active') view?.jobProgress(job.id, s.step);
        if ((s.state === 'completed' || s.state === 'failed') && before !== s.state) {
          const note =
            s.state === 'completed' && s.result
              ? `${job.id}: ACC ${fmt(s.result.acc)} forgetting ${fmt(s.result.forgetting)} (${s.result.seconds}s)`
              : `${job.id}: FAILED: ${s.failedReason ?? 'unknown reason'}`;
          view?.jobEnded(job.id, s.state === 'completed', job.steps, note);
        }
        seen.set(s.id, s.state);
      }
      const settled = statuses.every((s) => s.state === 'completed' || s.state === 'failed');
      if (settled) {
        return {
          results: statuses.flatMap((s) => (s.result ? [s.result] : [])),
          failed: statuses
            .filter((s) => s.state === 'failed')
            .map((s) => ({ job: byQueueId.get(s.id)!.id, message: s.failedReason ?? 'failed' })),
        };
      }
      await sleep(opts.pollMs ?? 500);
    }
  } finally {
    view?.stop();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function fmt(v: number | null): string {
  return v === null ? '–' : v.toFixed(2);
}
