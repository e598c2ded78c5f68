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

export interface ResetResult {
  observation: Float32Array;
  info: Record<string, unknown>;
}

export interface StepResult {
  observation: Float32Array;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
}

/** A small serializable picture of the current state, enough for the renderer to draw a frame. */
export type EnvSnapshot =
  | { kind: 'CartPole'; x: number; theta: number; xThreshold: number; poleLength: number }
  | { kind: 'MountainCar'; position: number; velocity: number; minPosition: number; maxPosition: number; goalPosition: number }
  | { kind: 'Acrobot'; theta1: number; theta2: number; link1: number; link2: number }
  | {
      kind: 'Gridworld';
      width: number;
      height: number;
      /** Row strings of the map's static cells (walls '#', lava 'L', goal 'G', floor '.', door 'D', key 'K'). */
      rows: string[];
      agent: { x: number; y: number; dir: number };
      hasKey: boolean;
      doorOpen: boolean;
    };

export interface Env {
  readonly id: string;
  readonly spec: EnvSpec;
  readonly observationSize: number;
  readonly actionCount: number;
  readonly maxEpisodeSteps: number;
  reset(seed?: number): ResetResult;
  step(action: number): StepResult;
  /** The physical state in Gymnasium's layout (float64). */
  getState(): number[];
  setState(state: number[]): void;
  snapshot(): EnvSnapshot;
}
