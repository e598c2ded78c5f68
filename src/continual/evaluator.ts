/**
 * Greedy evaluation of one task: a fixed set of episode seeds played in LOCKSTEP (one env per episode, one
 * batched forward pass per step for all still-running episodes), so a round costs about as many forward
 * passes as the longest episode, not the sum of all.
 *
 * Eval seeds are fixed for the whole run (and independent of the run's seed), so every round measures the
 * same episodes and curves are comparable across rounds, seeds and strategies. For a gridworld with
 * `randomStart: 1` the seeds are chosen to start exactly once on every start cell (the score is then the
 * exact average over start cells, as in the prototype); otherwise they are `evalEpisodes` consecutive seeds.
 */
import * as tf from '@tensorflow/tfjs';
import { isGridworld, makeEnv, type Env } from '../../envs';
import type { DqnAgent } from '../dqn/agent';
import { encodeInput } from '../dqn/qnetwork';
import type { TaskDef } from './sequence';

/** Base of the evaluation seeds (far from the small seeds people pick for runs). */
const EVAL_SEED_BASE = 1_000_000;
/** Seeds tried at most when looking for one seed per gridworld start cell. */
const MAX_SEED_SEARCH = 100_000;

export interface EpisodeRecord {
  seed: number;
  actions: number[];
  return: number;
  length: number;
}

export interface EvalResult {
  returns: number[];
  mean: number;
  /** The first `record` episodes with their actions. */
  recorded: EpisodeRecord[];
}

/** Seeds for `task`'s evaluation episodes (see the header). */
export function evaluationSeeds(task: TaskDef, episodes: number): number[] {
  const base = EVAL_SEED_BASE + task.index * MAX_SEED_SEARCH;
  const env = makeEnv(task.envId, task.params);
  if (isGridworld(env) && task.params.randomStart === 1) {
    const cells = env.startCells().length;
    const byCell = new Map<string, number>();
    for (let k = 0; k < MAX_SEED_SEARCH && byCell.size < cells; k++) {
      env.reset(base + k);
      const [x, y] = env.getState();
      const key = `${x},${y}`;
      if (!byCell.has(key)) byCell.set(key, base + k);
    }
    return [...byCell.values()];
  }
  return Array.from({ length: episodes }, (_, k) => base + k);
}

export class TaskEvaluator {
  private envs: Env[];
  private readonly inputs: Float32Array;
  private readonly active: Int32Array;
  private readonly returns: Float64Array;
  private readonly lengths: Int32Array;
  private readonly observations: Float32Array[];

  constructor(
    private task: TaskDef,
    readonly seeds: readonly number[],
    private readonly agent: DqnAgent,
  ) {
    const n = seeds.length;
    this.envs = seeds.map(() => makeEnv(task.envId, task.params));
    this.inputs = new Float32Array(n * agent.inputSize);
    this.active = new Int32Array(n);
    this.returns = new Float64Array(n);
    this.lengths = new Int32Array(n);
    this.observations = seeds.map(() => new Float32Array(task.observationSize));
  }

  /** Rebuild the environments after the task's parameters changed. */
  setTask(task: TaskDef): void {
    this.task = task;
    this.envs = this.seeds.map(() => makeEnv(task.envId, task.params));
  }

  /** Play every seed greedily to its end; the first `record` episodes keep their actions. */
  run(record: number): EvalResult {
    const { agent } = this;
    const taskIndex = this.task.index;
    const n = this.seeds.length;
    const width = agent.inputSize;
    const recorded: EpisodeRecord[] = [];
    for (let e = 0; e < Math.min(record, n); e++)
      recorded.push({ seed: this.seeds[e]!, actions: [], return: 0, length: 0 });
    let live = 0;
    for (let e = 0; e < n; e++) {
      this.observations[e]!.set(this.envs[e]!.reset(this.seeds[e]).observation);
      this.returns[e] = 0;
      this.lengths[e] = 0;
      this.active[live++] = e;
    }
    while (live > 0) {
      for (let k = 0; k < live; k++) {
        const e = this.active[k]!;
        encodeInput(
          this.observations[e]!,
          taskIndex,
          agent.observationSize,
          agent.taskCount,
          this.inputs,
          k * width,
        );
      }
      const q = tf.tidy(() => {
        const x = tf.tensor2d(this.inputs.subarray(0, live * width), [live, width]);
        return agent.online.forward(x, taskIndex, 'infer').dataSync() as Float32Array;
      });
      const actions = this.task.actionCount;
      let still = 0;
      for (let k = 0; k < live; k++) {
        const e = this.active[k]!;
        let best = 0;
        for (let a = 1; a < actions; a++) if (q[k * actions + a]! > q[k * actions + best]!) best = a;
        const r = this.envs[e]!.step(best);
        this.returns[e]! += r.reward;
        this.lengths[e]! += 1;
        if (e < recorded.length) recorded[e]!.actions.push(best);
        if (r.terminated || r.truncated) continue;
        this.observations[e]!.set(r.observation);
        this.active[still++] = e;
      }
      live = still;
    }
    const returns = Array.from(this.returns);
    recorded.forEach((rec, e) => {
      rec.return = returns[e]!;
      rec.length = this.lengths[e]!;
    });
    const mean = returns.reduce((a, b) => a + b, 0) / Math.max(1, n);
    return { returns, mean, recorded };
  }
}
