/**
 * Greedy evaluation: run N episodes of the agent's greedy policy on a SEPARATE environment instance with
 * its own episode seeds (never the training env, whose episode would be cut), and report the mean and
 * every episode's return. Deterministic given `seed`.
 */
import { Rng } from '../../envs/rng';
import type { Env } from '../../envs/types';

/** What evaluation needs from an agent (DqnAgent satisfies it). */
export interface GreedyPolicy {
  greedyAction(observation: ArrayLike<number>, task: number): number;
}

export interface EvaluateOptions {
  /** A fresh env instance used only for evaluation. */
  env: Env;
  policy: GreedyPolicy;
  task: number;
  episodes: number;
  /** Seeds of the episodes are drawn from `new Rng(seed)`. */
  seed: number;
}

export interface EvaluationResult {
  mean: number;
  returns: number[];
  lengths: number[];
}

export function evaluateGreedy(options: EvaluateOptions): EvaluationResult {
  const { env, policy, task, episodes, seed } = options;
  if (!Number.isInteger(episodes) || episodes < 1) {
    throw new Error(`Evaluation episodes must be a positive integer, got ${episodes}`);
  }
  const seeds = new Rng(seed);
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let e = 0; e < episodes; e++) {
    let observation = env.reset(seeds.deriveSeed()).observation;
    let total = 0;
    let length = 0;
    for (;;) {
      const result = env.step(policy.greedyAction(observation, task));
      total += result.reward;
      length += 1;
      if (result.terminated || result.truncated) break;
      observation = result.observation;
    }
    returns.push(total);
    lengths.push(length);
  }
  return { mean: returns.reduce((a, b) => a + b, 0) / episodes, returns, lengths };
}
