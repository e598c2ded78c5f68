/**
 * A BullMQ worker for distributed sweeps (`cli worker --redis URL [--jobs N]`): takes jobs from the
 * `lab-sweeps` queue, runs each in a pool of job processes (the embedded runner's code, ./job-process.ts) and
 * returns the run's summary as the job's result. Progress goes to the job (`sweep status`).
 *
 * Faults: if this worker is killed, its lock on the job lapses and BullMQ's stalled-job check hands the job
 * to another worker, whose job process resumes the run's session from its last checkpoint. A job that cannot
 * succeed (invalid data, unknown env) fails once with an UnrecoverableError. Connection losses are retried
 * forever (Redis restarts); the job process keeps training meanwhile.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import { JobFailure, JobPool } from './job-process';
import { connectRedis, lockDurationMs, QUEUE_NAME } from './redis';
import type { SweepRunResult } from './results';
import { sweepJobSchema } from './spec';
import type { QueuedJob } from './distributed';

const queuedJobSchema = z.object({ job: sweepJobSchema, root: z.string().min(1) });

export interface WorkerOptions {
  url: string;
  /** Jobs at a time on this machine. */
  jobs: number;
  /** Sweeps root on this machine, when the shared folder is mounted elsewhere than on the submitter. */
  root?: string;
  /** One line per event (job taken, finished, failed). */
  log?: (line: string) => void;
}

export interface RunningWorker {
  worker: Worker<QueuedJob, SweepRunResult>;
  close(): Promise<void>;
}

/** Shortest time between two progress updates sent to Redis (ms). */
const PROGRESS_MS = 1000;

export function startWorker(opts: WorkerOptions): RunningWorker {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pool = new JobPool(opts.jobs);
  const processor = async (bull: Job<QueuedJob, SweepRunResult>): Promise<SweepRunResult> => {
    const parsed = queuedJobSchema.safeParse(bull.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UnrecoverableError(`Invalid job data: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const { job } = parsed.data;
    const root = opts.root ?? parsed.data.root;
    let last = 0;
    const running = pool.run(job, root, {
      onStart: (how) =>
        log(
          `${job.sweep}/${job.id}: ${how.mode === 'resume' ? `resuming from step ${how.fromStep}` : how.mode === 'done' ? 'already finished' : 'started'} (attempt ${bull.attemptsMade + 1}, pid ${how.pid}, ${how.backend})`,
        ),
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < PROGRESS_MS) return;
        last = now;
        // Progress is best effort: a failure here (Redis away) must not fail the job.
        bull.updateProgress({ step: p.step, totalSteps: p.totalSteps }).catch(() => undefined);
      },
    });
    try {
      const result = await running;
      log(`${job.sweep}/${job.id}: done, ACC ${result.acc?.toFixed(2) ?? '–'} (${result.seconds}s)`);
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${job.sweep}/${job.id}: failed: ${message}`);
      if (error instanceof JobFailure && error.unrecoverable) throw new UnrecoverableError(message);
      throw error;
    }
  };
  const lockDuration = lockDurationMs();
  const worker = new Worker<QueuedJob, SweepRunResult>(QUEUE_NAME, processor, {
    connection: connectRedis(opts.url),
    concurrency: opts.jobs,
    lockDuration,
    stalledInterval: lockDuration,
    // A job may stall a few times (killed workers, a Redis restart) before it is given up.
    maxStalledCount: 3,
    autorun: true,
  });
  worker.on('error', () => undefined);
  return {
    worker,
    close: async () => {
      pool.close();
      await worker.close(true);
    },
  };
}
