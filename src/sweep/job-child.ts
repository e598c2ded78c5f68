/**
 * Entry of a job child process (started by ./job-process.ts's JobPool for the embedded runner and for
 * BullMQ workers). Takes `{type:'job'}` messages one after another, validates each, runs it (./job.ts)
 * and reports start, progress and the result over IPC. After a failure it exits (the pool starts a fresh
 * process). If its parent dies (a worker killed with kill -9) the IPC channel closes and the child exits
 * too, so a stalled job is never trained by two processes for long.
 */
import { z } from 'zod';
import { initBackend, type BackendChoice } from '../tf/backend';
import { runSweepJob, UnrecoverableJobError } from './job';
import type { ChildMessage } from './job-process';
import { sweepJobSchema } from './spec';

const jobMessageSchema = z.strictObject({
  type: z.literal('job'),
  job: sweepJobSchema,
  root: z.string().min(1),
});

/** Shortest time between two progress messages (ms). */
const PROGRESS_MS = 250;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(message, undefined, {}, () => resolve());
  });
}

process.on('disconnect', () => process.exit(0));

let backend: Promise<BackendChoice> | undefined;
let busy = false;

process.on('message', (raw: unknown) => {
  if (busy) return; // the pool sends one job at a time
  busy = true;
  void runOne(raw).then(
    () => {
      busy = false;
    },
    () => process.disconnect(),
  );
});

async function runOne(raw: unknown): Promise<void> {
  const parsed = jobMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    await send({
      type: 'error',
      message: `Invalid job: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      unrecoverable: true,
    });
    throw new Error('invalid job');
  }
  const { job, root } = parsed.data;
  try {
    backend ??= initBackend();
    const choice = await backend;
    let last = 0;
    const result = await runSweepJob(job, root, {
      backend: choice,
      onStart: (how) => void send({ type: 'start', ...how, backend: choice.backend }),
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < PROGRESS_MS && p.step < p.totalSteps) return;
        last = now;
        void send({ type: 'progress', ...p });
      },
    });
    await send({ type: 'done', result });
  } catch (error) {
    await send({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
      unrecoverable: error instanceof UnrecoverableJobError,
    });
    throw error;
  }
}
