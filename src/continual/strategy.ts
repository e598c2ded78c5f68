/**
 * The continual-learning strategy plugin interface (Avalanche style): a strategy is a small object with a few
 * lifecycle hooks. Hooks get a READ-ONLY context and return what they add (a penalty, batch rows, a stage
 * setup); they never mutate the runner, the agent or the replay buffer. A strategy owns its own state
 * (Fisher, anchors, reservoirs) and serializes it for checkpoints.
 *
 * Hook order for one run (proved by test/continual/strategy-hooks.test.ts):
 *
 *   for each stage s (a stretch of training on one task):
 *     beforeTask(ctx)                 once, after the runner set up the stage's env; may ask to keep replay/optimizer/ε
 *     repeat every env step:
 *       chooseTask(ctx)               at each episode start (only `multitask` uses it: which task to act in)
 *       onTransition(ctx, t)          after the transition was stored in the current replay buffer
 *       on a gradient step:
 *         fillBatch(ctx, batch)       rows the strategy adds at the END of the minibatch (returns their count);
 *                                     the runner samples the rest from the current task's buffer
 *         penalty(ctx)                the loss term: a quadratic penalty (λ/2)·Σ A·(θ − m)² on the TD loss, as
 *                                     host arrays; the agent adds its gradient λ·A·(θ − m) in the optimizer's
 *                                     pass (only while penaltyActive(ctx), when the strategy has that hook, is true)
 *         transformGradients(ctx, g)  the final gradients, just before the optimizer step (PackNet zeroes
 *                                     the gradients of frozen weights); in place
 *         maskWeights(ctx, w)         the weights just written by the optimizer, before anyone reads them
 *                                     (PackNet holds frozen and pruned weights); in place
 *         afterUpdate(ctx, info)      after the optimizer step (SI accumulates its path integral here)
 *   afterTask(ctx)                    once at the end of the stage (EWC computes the Fisher and the anchor)
 *   evalWeights(ctx, task)            at every evaluation, per task: the weights to evaluate that task with
 *                                     (PackNet: the weights owned by tasks up to it), or null for the current ones
 *
 * A run may combine plugins (`ewc+rehearsal`, src/continual/strategies/compose.ts): each hook of the
 * composition calls its parts' hooks in the normalized order regularizer, rehearsal, isolation.
 *
 * `setParam` changes a knob at run time (the UI's λ slider); `getState`/`setState` round-trip the state
 * through checkpoints (plain JSON + Float32Arrays); `dispose` frees tensors.
 */
import type { Rng } from '../../envs/rng';
import type { QuadraticPenalty } from '../dqn/penalty';
import type { ReplayBatch, ReplayBuffer, Transition } from '../dqn/replay';
import type { ModelView } from './model-view';
import type { Stage, TaskDef } from './sequence';

export type { ModelView };

/** Read-only view handed to every hook. */
export interface StrategyContext {
  readonly model: ModelView;
  /** Task trained by the current stage (or the current episode's task under `multitask`). */
  readonly task: number;
  readonly stage: number;
  readonly tasks: readonly TaskDef[];
  readonly stages: readonly Stage[];
  /** Global env step. */
  readonly step: number;
  /** Env steps taken in the current stage. */
  readonly stageStep: number;
  /** The current replay buffer (read it, sample from it with `rng`; do not add to or clear it). */
  readonly replay: Readonly<ReplayBuffer>;
  /** The run's seeded generator (the only source of randomness). */
  readonly rng: Rng;
  readonly batchSize: number;
}

/** What `beforeTask` may ask of the runner for the new stage (defaults: all false). */
export interface StageSetup {
  /** Keep the replay buffer instead of clearing it. */
  keepReplay?: boolean;
  /** Keep Adam's moments instead of resetting the optimizer. */
  keepOptimizer?: boolean;
  /** Decay ε once over the whole run instead of restarting the schedule at every stage. */
  runWideEpsilon?: boolean;
}

/** What the runner reports after a gradient step. */
export interface UpdateInfo {
  loss: number;
  /** Variable values before the step (same order as `ModelView.variables`); only when `needsUpdateDeltas`. */
  before?: readonly Float32Array[];
  /** Gradients of the unregularized TD loss (same order); only when `needsUpdateDeltas`. */
  grads?: readonly Float32Array[];
}

export type StrategyParamValue = number | string | boolean;

/** Serializable strategy state (for checkpoints). Arrays of floats are stored as Float32Array. */
export interface StrategyState {
  json: Record<string, unknown>;
  arrays: Record<string, Float32Array>;
}

export interface Strategy {
  /** Registry name, e.g. `ewc`. */
  readonly name: string;
  /** The knobs (resolved config), for recording and display. */
  params(): Record<string, StrategyParamValue>;
  /** SI needs parameter values and TD-loss gradients around every update (costly; off for everyone else). */
  readonly needsUpdateDeltas?: boolean;

  beforeTask?(ctx: StrategyContext): StageSetup | void;
  chooseTask?(ctx: StrategyContext): number;
  onTransition?(ctx: StrategyContext, transition: Readonly<Transition>): void;
  fillBatch?(ctx: StrategyContext, batch: ReplayBatch): number;
  /**
   * The strategy's regularizer in closed form: (λ/2)·Σ_i A_i·(θ_i − m_i)² as host arrays (src/dqn/penalty.ts),
   * or null when it adds nothing this step. Every regularizer here (EWC separate/online, L2, MAS, SI) has this
   * shape; the agent adds its gradient λ·A·(θ − m) inside the optimizer's pass (no gradient tape, no tensors).
   * Return the same arrays every call (allocate only when they change, e.g. at `afterTask`).
   */
  penalty?(ctx: StrategyContext): QuadraticPenalty | null;
  /**
   * False while `penalty` would add nothing (before the first consolidation, or λ = 0): the runner then does
   * not ask for it. Absent: always active.
   */
  penaltyActive?(ctx: StrategyContext): boolean;
  /**
   * Change the final gradients (TD + penalty, before clipping) in place before the optimizer step (host
   * arrays in the arena, `variables` order; `present[i]` false: variable i has no gradient this step and its
   * array is stale).
   */
  transformGradients?(
    ctx: StrategyContext,
    grads: readonly Float32Array[],
    present: readonly boolean[],
  ): void;
  /**
   * Change the weights in place right after the optimizer wrote them, before they are uploaded to the
   * variables (host arrays, `variables` order; only arrays with `present[i]` are uploaded).
   */
  maskWeights?(ctx: StrategyContext, weights: readonly Float32Array[], present: readonly boolean[]): void;
  afterUpdate?(ctx: StrategyContext, info: UpdateInfo): void;
  afterTask?(ctx: StrategyContext): void;
  /**
   * The weights (every variable, `variables` order) to evaluate `task` with, or null to use the current
   * ones. Called at every evaluation; the runner loads them for that task's episodes and restores after.
   */
  evalWeights?(ctx: StrategyContext, task: number): readonly Float32Array[] | null;

  /** Change one knob at run time; throws a clear error for an unknown name or a bad value. */
  setParam(name: string, value: StrategyParamValue): void;
  getState(): StrategyState;
  setState(state: StrategyState): void;
  dispose(): void;
}

/** Throw the standard error for a knob a strategy does not have. */
export function unknownParam(strategy: string, name: string, known: readonly string[]): never {
  throw new Error(
    `Strategy "${strategy}" has no parameter "${name}"${known.length ? ` (it has: ${known.join(', ')})` : ' (it has none)'}`,
  );
}

/** Check a run-time knob value is a finite number ≥ `min`. */
export function numberParam(strategy: string, name: string, value: StrategyParamValue, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new Error(
      `Strategy "${strategy}": ${name} must be a number ≥ ${min}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
