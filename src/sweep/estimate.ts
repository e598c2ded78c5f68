/**
 * The wall-time estimate behind `sweep plan`: time a short stretch of the first job (in this process, not
 * recorded) past its learning start, so the per-step cost includes gradient updates and evaluations.
 */
import { ContinualRunner } from '../continual/runner';
import type { BackendChoice } from '../tf/backend';
import type { SweepJob } from './spec';

/** Env steps timed (after a warm-up that fills the replay buffer up to learningStarts). */
const TIMED_STEPS = 1000;

export async function estimateSecondsPerStep(job: SweepJob, backend: BackendChoice): Promise<number> {
  const runner = new ContinualRunner({ ...job.config, episodeEvents: false }, undefined, { backend });
  try {
    const warm = Math.min(runner.config.dqn.learningStarts, Math.max(0, job.steps - 1));
    if (warm > 0) await runner.advance(warm);
    const timed = Math.max(1, Math.min(TIMED_STEPS, job.steps - warm));
    const t0 = performance.now();
    let left = timed;
    while (left > 0) {
      const before = runner.status().step;
      const more = await runner.advance(left);
      left -= runner.status().step - before;
      if (!more) break;
    }
    return (performance.now() - t0) / 1000 / timed;
  } finally {
    runner.dispose();
  }
}
