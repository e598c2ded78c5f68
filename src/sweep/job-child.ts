/**
 * Entry of a job child process (forked by ./job-process.ts for the embedded runner and for BullMQ workers).
 * Receives one `{type:'job'}` message, validates it, runs the job (./job.ts) and reports start, progress
 * and the result (or the error) over IPC, then exits. If its parent dies (a worker killed with kill -9) the
 * IPC channel closes and the child exits too, so a stalled job is never trained by two processes for long.
 */
import { z } from 'zod';
import { initBackend } from '../tf/backend';
import { runSweepJob, UnrecoverableJobError } from './job';
import type { ChildMessage } from './job-process';
import { sweepJobSchema } from './spec';

const startSchema = z.strictObject({ type: z.literal('job'), job: sweepJobSchema, root: z.string().min(1) });

/** Shortest time between two progress messages (ms). */
const PROGRESS_MS = 250;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(message, undefined, {}, () => resolve());
  });
}

process.on('disconnect', () => process.exit(0));

process.once('message', (raw: unknown) => {
  void (async () => {
    const parsed = startSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      await send({
        type: 'error',
        message: `Invalid job: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
        unrecoverable: true,
      });
      process.exit(0);
    }
    const { job, root } = parsed.data;
    try {
      const backend = await initBackend();
      let last = 0;
      const result = await runSweepJob(job, root, {
        backend,
        onStart: (how) => void send({ type: 'start', ...how, backend: backend.backend }),
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
    }
    process.disconnect();
  })();
});
