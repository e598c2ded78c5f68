/**
 * `cli worker --redis URL [--jobs N] [--out DIR]`: take sweep jobs from Redis (BullMQ) and run them, N at a
 * time, until stopped (Ctrl-C finishes nothing half-way: running jobs are handed to other workers after the
 * lock lapses, and resume from their checkpoints). Start one per machine; every machine must reach the
 * sweeps root (a shared folder), at the submitter's path or at --out. See docs/SWEEPS.md.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { defaultJobCount } from '../../sweep/embedded';
import { redactRedisUrl, redisUrlSchema } from '../../sweep/redis';
import { startWorker } from '../../sweep/worker';
import { intFlag } from '../flags';
import { UserError } from '../user-error';

/** Longest wait for a clean close on Ctrl-C / SIGTERM before exiting anyway (ms). */
const CLOSE_TIMEOUT_MS = 5000;

const flagsSchema = z.object({
  redis: redisUrlSchema,
  jobs: intFlag('--jobs', 1).optional(),
  out: z.string().min(1).optional(),
});

export function register(program: Command): void {
  program
    .command('worker')
    .description('run sweep jobs queued on Redis (BullMQ) until stopped')
    .requiredOption('--redis <url>', 'the Redis holding the queue (redis:// or rediss:// for TLS)')
    .option('--jobs <n>', 'jobs at a time on this machine (default: one per core)')
    .option('--out <dir>', "the sweeps root on this machine, if not at the submitter's path")
    .action(async (raw: Record<string, unknown>) => {
      const parsed = flagsSchema.safeParse(raw);
      if (!parsed.success) throw new UserError(`${parsed.error.issues[0]!.message}.`);
      const flags = parsed.data;
      const jobs = flags.jobs ?? defaultJobCount();
      const running = startWorker({
        url: flags.redis,
        jobs,
        ...(flags.out ? { root: path.resolve(flags.out) } : {}),
      });
      process.stderr.write(
        `worker ${process.pid}: ${jobs} job${jobs === 1 ? '' : 's'} at a time from ${redactRedisUrl(flags.redis)}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.stderr.write(`worker ${process.pid}: stopping\n`);
          // Closing waits for Redis; if it is unreachable, do not hang (jobs are handed over after the lock).
          const timer = setTimeout(() => process.exit(0), CLOSE_TIMEOUT_MS);
          timer.unref();
          void running.close().then(resolve, resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
