/**
 * The environment contract shared by every environment in `envs/` and by the engine, CLI and renderer.
 * Gymnasium-style: `reset(seed?)` then `step(action)` until `terminated || truncated`.
 */

/** A parameter of a parametric environment, with its default and valid range (inclusive). */
export interface ParamSpec {
  name: string;
  description: string;
  default: number;
  min: number;
  max: number;
  /** Integer-valued parameter. */
  integer?: boolean;
}

/** Static description of a registered environment id. */
export interface EnvSpec {
  id: string;
  /** One line for menus and `--help`. */
  description: string;
  family: 'classic' | 'gridworld';
  observationSize: number;
  /** One entry per observation component (or a sentence for encodings such as one-hot grids). */
  observationMeaning: string[];
  actionCount: number;
  actionNames: string[];
  params: ParamSpec[];
  maxEpisodeSteps: number;
  /** Return at which the task counts as solved (Gymnasium's threshold; the BFS optimum for gridworlds). */
  rewardThreshold: number;
  /** Mean return of a uniformly random policy (measured; used to normalize scores). */
  randomReturn: number;
}

/**
 * Buffer ownership (applies to `ResetResult` and `StepResult`): environments allocate nothing per step, so
 * the `StepResult` object and the `observation` arrays are owned by the environment and reused. The latest
 * two observations returned by `reset()`/`step()` stay intact (so `obs = result.observation` loops are safe);
 * the next call overwrites the older one. Copy anything kept longer (the replay buffer copies on insert).
 * The `info` objects of built-in environments are empty and frozen.
 */
export interface ResetResult {
  /** Owned by the environment; see the buffer-ownership note above. */
  observation: Float32Array;
  info: Record<string, unknown>;
}

/** Owned by the environment and reused (see the buffer-ownership note above `ResetResult`). */
export interface StepResult {
  observation: Float32Array;
  reward: number;
  /** The episode reached a terminal state of the task (no bootstrapping from the next state). */
  terminated: boolean;
  /** The time limit `maxEpisodeSteps` was reached (may be true together with `terminated`). */
  truncated: boolean;
  info: Record<string, unknown>;
}

/** A small serializable picture of the current state (one shape per kind, declared in envs/catalog.ts). */
export type { EnvSnapshot, SnapshotKind } from './catalog';
import type { EnvSnapshot } from './catalog';

export interface Env {
  readonly id: string;
  readonly spec: EnvSpec;
  readonly observationSize: number;
  readonly actionCount: number;
  readonly maxEpisodeSteps: number;
  /** Resolved parameter values (defaults filled in), for parametric environments. */
  readonly params?: Readonly<Record<string, number>>;
  /** Starts an episode. `reset(seed)` re-seeds the environment's generator; `reset()` continues its stream. */
  reset(seed?: number): ResetResult;
  /** Throws before the first reset, after an episode ended, and for an invalid action. */
  step(action: number): StepResult;
  /** The physical state in Gymnasium's layout (float64). */
  getState(): number[];
  /**
   * Installs a state (validated) and starts a new episode from it, step counter 0 (a gridworld's state
   * includes its counter); `step()` is valid afterwards.
   */
  setState(state: number[]): void;
  snapshot(): EnvSnapshot;
  /** The environment generator's state, to resume the exact stream of reset states from a checkpoint. */
  getRngState?(): [number, number, number, number];
  setRngState?(state: readonly number[]): void;
}
