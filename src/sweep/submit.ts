/**
 * `sweep run SPEC --redis URL`: enqueue the sweep's jobs (idempotent ids) and wait for the workers,
 * showing progress; the outcome is the same shape as the embedded runner's.
 */
import { openQueue, submitSweep, waitForSweep } from './distributed';
import type { SweepOutcome } from './embedded';
import { connectRedisChecked, redactRedisUrl } from './redis';
import type { SweepPlan } from './spec';

export async function runDistributed(plan: SweepPlan, root: string, url: string): Promise<SweepOutcome> {
  const started = performance.now();
  const connection = await connectRedisChecked(url);
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
