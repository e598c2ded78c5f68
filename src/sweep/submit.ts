/**
 * `sweep run SPEC --redis URL`: enqueue the sweep's jobs (idempotent ids) and wait for the workers,
 * showing progress; the outcome is the same shape as the embedded runner's.
 */
import { UserError } from '../cli/user-error';
import { openQueue, submitSweep, waitForSweep } from './distributed';
import type { SweepOutcome } from './embedded';
import { connectRedis, redactRedisUrl, redisUrlSchema } from './redis';
import type { SweepPlan } from './spec';

export async function runDistributed(plan: SweepPlan, root: string, url: string): Promise<SweepOutcome> {
  const checked = redisUrlSchema.safeParse(url);
  if (!checked.success) throw new UserError(`${checked.error.issues[0]!.message}.`);
  const started = performance.now();
  const connection = connectRedis(url, { lazy: true });
  try {
    await connection.connect();
  } catch (error) {
    connection.disconnect();
    throw new UserError(`Cannot reach Redis at ${redactRedisUrl(url)}: ${(error as Error).message}.`);
  }
  const queue = openQueue(connection);
  try {
    const added = await submitSweep(queue, plan, root);
    process.stderr.write(
      `sweep ${plan.id}: ${plan.jobs.length} jobs on ${redactRedisUrl(url)} (${added} new, ${plan.jobs.length - added} already queued or done); sessions in ${root}\n` +
        `waiting for workers (\`npm run cli -- worker --redis URL\`); Ctrl-C stops waiting, the jobs stay queued\n`,
    );
    const { results, failed } = await waitForSweep(queue, plan);
    return {
      sweep: plan.id,
      jobs: plan.jobs.length,
      results: results.sort((a, b) => a.index - b.index),
      failed,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
