/**
 * The one resume path for a training episode cut by a checkpoint: both training loops (the continual run's
 * src/continual/training-loop.ts via runner-checkpoint.ts, and `cli train`'s src/dqn/train-loop.ts) reset
 * every training episode with an explicit seed and record its actions, so a checkpoint stores
 * (seed, actions) and resuming replays them to rebuild the env and the current observation exactly.
 */
import type { Env } from '../../envs/types';

/** Reset `env` with `seed`, replay `actions`, and leave the current observation in `observation`. */
export function rebuildEpisode(
  env: Env,
  seed: number,
  actions: readonly number[],
  observation: Float32Array,
): void {
  observation.set(env.reset(seed).observation);
  for (const action of actions) {
    const r = env.step(action);
    if (r.terminated || r.truncated) {
      throw new Error('Checkpoint episode replay ended early: the environment does not match the checkpoint');
    }
    observation.set(r.observation);
  }
}
