/**
 * Shared episode bookkeeping for every environment: seeding, the step counter and time-limit truncation,
 * action checks, the "call reset() before step()" guard and the reused result objects.
 *
 * Subclasses implement only the task: draw an initial state, advance one step (physics → new state →
 * terminated? → reward), read and write the physical state, and encode the observation.
 *
 * Buffer ownership (zero allocation per step): the objects returned by `reset()` and `step()` and their
 * `observation` arrays belong to the environment. Two result slots alternate, so the latest two observations returned by
 * `reset()`/`step()` stay intact (the usual `obs = next.observation` loop is safe); the third call
 * overwrites the oldest. Copy anything you keep longer (the replay buffer does).
 */
import { Rng, type RngState } from './rng';
import type { Env, EnvSnapshot, EnvSpec, ResetResult, StepResult } from './types';
import { checkAction, checkStateVector, describe, type ParamValues } from './validate';

const IDLE = 0;
const RUNNING = 1;
const TERMINATED = 2;
const TRUNCATED = 3;
type Phase = typeof IDLE | typeof RUNNING | typeof TERMINATED | typeof TRUNCATED;

/** `info` of every reset and step result: empty and frozen (nothing is reported). */
const EMPTY_INFO: Record<string, unknown> = Object.freeze({});

export abstract class EpisodeEnv implements Env {
  readonly id: string;
  readonly spec: EnvSpec;
  readonly observationSize: number;
  readonly actionCount: number;
  readonly maxEpisodeSteps: number;
  readonly params: ParamValues;
  /** The environment's own generator; a fresh environment is seeded with 0 until `reset(seed)`. */
  protected readonly rng = new Rng(0);
  /** Set by `advance()` when the step reaches a terminal state. */
  protected terminatedNow = false;
  private readonly results: [StepResult, StepResult];
  private readonly resetResults: [ResetResult, ResetResult];
  private slot = 0;
  private elapsed = 0;
  private phase: Phase = IDLE;

  protected constructor(spec: EnvSpec, params: ParamValues, maxEpisodeSteps = spec.maxEpisodeSteps) {
    this.id = spec.id;
    this.spec = spec;
    this.params = params;
    this.observationSize = spec.observationSize;
    this.actionCount = spec.actionCount;
    this.maxEpisodeSteps = maxEpisodeSteps;
    const slot = (): StepResult => ({
      observation: new Float32Array(spec.observationSize),
      reward: 0,
      terminated: false,
      truncated: false,
      info: EMPTY_INFO,
    });
    this.results = [slot(), slot()];
    // Reset results share each slot's observation buffer.
    this.resetResults = [
      { observation: this.results[0].observation, info: EMPTY_INFO },
      { observation: this.results[1].observation, info: EMPTY_INFO },
    ];
  }

  /** Draws the starting state from `this.rng` (Gymnasium's reset distribution). */
  protected abstract sampleInitialState(): void;
  /** Advances one step for a valid action; sets `terminatedNow` and returns the reward. */
  protected abstract advance(action: number): number;
  /** Writes the observation of the current state into `out`. */
  protected abstract writeObservation(out: Float32Array): void;
  /** Names of the `getState()` components, in order. */
  protected abstract stateNames(): readonly string[];
  protected abstract readState(): number[];
  /**
   * Installs a state already checked to hold `stateNames().length` finite numbers. Must throw before
   * changing anything if the state is invalid for this environment.
   */
  protected abstract writeState(state: readonly number[]): void;
  abstract snapshot(): EnvSnapshot;

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  /** Steps taken so far in this episode, for subclasses whose state includes the step count. */
  protected setElapsedSteps(steps: number): void {
    this.elapsed = steps;
  }

  reset(seed?: number): ResetResult {
    if (seed !== undefined) {
      if (!Number.isInteger(seed) || seed < 0) {
        throw new Error(`${this.id}: reset seed must be a non-negative integer, got ${describe(seed)}`);
      }
      this.rng.seed(seed);
    }
    this.sampleInitialState();
    this.elapsed = 0;
    this.phase = RUNNING;
    this.slot ^= 1;
    const result = this.resetResults[this.slot]!;
    this.writeObservation(result.observation);
    return result;
  }

  step(action: number): StepResult {
    if (this.phase !== RUNNING) throw this.notRunningError();
    checkAction(this.id, action, this.actionCount);
    this.terminatedNow = false;
    this.elapsed++;
    const reward = this.advance(action);
    this.slot ^= 1;
    const result = this.results[this.slot]!;
    result.reward = reward;
    result.terminated = this.terminatedNow;
    // Time limit as Gymnasium's TimeLimit wrapper: truncated can be true together with terminated.
    result.truncated = this.elapsed >= this.maxEpisodeSteps;
    this.writeObservation(result.observation);
    if (result.terminated) this.phase = TERMINATED;
    else if (result.truncated) this.phase = TRUNCATED;
    return result;
  }

  getState(): number[] {
    return this.readState();
  }

  /**
   * Installs a physical state and starts a new episode from it with the step counter at 0 (gridworlds
   * carry their counter in the state), so `step()` is valid afterwards.
   */
  setState(state: number[]): void {
    checkStateVector(this.id, state, this.stateNames());
    const previousElapsed = this.elapsed;
    this.elapsed = 0;
    try {
      this.writeState(state); // may set the counter (gridworlds); throws before changing anything if invalid
    } catch (error) {
      this.elapsed = previousElapsed;
      throw error;
    }
    this.phase = RUNNING;
  }

  /** The generator's state (for checkpoints that resume the exact stream of reset states). */
  getRngState(): RngState {
    return this.rng.getState();
  }

  setRngState(state: readonly number[]): void {
    this.rng.setState(state);
  }

  private notRunningError(): Error {
    if (this.phase === IDLE) {
      return new Error(
        `${this.id}: step() called before reset(); call reset() (or setState()) before step()`,
      );
    }
    const how = this.phase === TERMINATED ? 'terminated' : 'was truncated at the time limit';
    return new Error(`${this.id}: the episode ${how}; call reset() before step()`);
  }
}
