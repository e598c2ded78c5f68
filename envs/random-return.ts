/**
 * Mean return of a uniformly random policy, measured by seeded rollouts. Used by
 * `bench/random-returns.ts` (which produced the `randomReturn` numbers hard-coded in the specs) and to
 * estimate `randomReturn` for user-registered gridworld maps.
 */
import { Rng } from './rng';
import type { Env } from './types';

/** Runs `episodes` episodes with uniformly random actions; seeds derive from `seed`. Returns the mean return. */
export function measureRandomReturn(env: Env, episodes: number, seed = 0): number {
  if (!Number.isInteger(episodes) || episodes < 1) {
    throw new Error(`measureRandomReturn: episodes must be a positive integer, got ${episodes}`);
  }
  const rng = new Rng(seed);
  env.reset(rng.deriveSeed());
  let total = 0;
  for (let e = 0; e < episodes; e++) {
    if (e > 0) env.reset();
    for (;;) {
      const r = env.step(rng.integer(env.actionCount));
      total += r.reward;
      if (r.terminated || r.truncated) break;
    }
  }
  return total / episodes;
}
