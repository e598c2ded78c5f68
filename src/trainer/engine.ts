/**
 * What the trainer service needs from a training engine: a steppable run (ContinualRunner behind an adapter,
 * see runner-engine.ts) plus what the UI shows (live frame, greedy actions for the small multiples, metrics).
 * The service never touches tfjs itself; tests drive it with a fake engine.
 */
import type { Env, EnvSnapshot } from '../../envs/types';
import type { BackendChoice } from '../tf/backend';
import type { EnvParams, RunObserver } from '../session/events';
import type { PreparedResume } from '../session/resume';
import type { Schedule, StartCommand } from '../protocol/messages';

export interface EngineTask {
  label: string;
  envId: string;
  params: EnvParams;
}

export interface EngineStatus {
  /** Global env step. */
  step: number;
  /** Task being trained. */
  taskIndex: number;
  epsilon: number;
  stepsPerSec: number;
  /** Every stage trained (advance returns false from now on). */
  done: boolean;
  /** ms since the run started (the `t` of the next event). */
  t: number;
  /** Where the run is in its schedule (see scheduleSchema in src/protocol/messages.ts). */
  schedule?: Schedule;
}

export interface EngineFrame {
  task: number;
  snapshot: EnvSnapshot;
  qValues?: ArrayLike<number>;
}

export interface EngineMetrics {
  matrix: (number | null)[][];
  acc: number | null;
  forgetting: number | null;
  bwt: number | null;
  fwt: number | null;
  /** The task each row's stage trained, and the mean final score over the tasks trained so far. */
  stageTasks?: number[];
  accSeen?: number | null;
}

export interface Engine {
  /** The tasks as they are now (labels, current env parameters). */
  readonly tasks: readonly EngineTask[];
  /** Train up to `maxEnvSteps` env steps; false once the run is finished. */
  advance(maxEnvSteps: number): Promise<boolean>;
  /** Manual switch (the engine emits task-start with source 'manual'). */
  switchTask(index: number): void;
  /** Change a strategy knob (e.g. `lambda`); the engine emits param-change. */
  setStrategyParam(name: string, value: number): void;
  /** Change a task's env parameters; the engine emits param-change. */
  setEnvParams(task: number, params: EnvParams): void;
  /** Add a labelled marker to the event stream. */
  mark(label: string): void;
  status(): EngineStatus;
  /**
   * The training env's current picture (called up to ~30 times a second), with the Q-values of its
   * observation unless `withQValues` is false (they cost a forward pass).
   */
  liveFrame(withQValues: boolean): EngineFrame | null;
  /** A fresh env for task `task` (the small multiples play these). */
  makeTaskEnv(task: number): Env;
  /** Observation size of task `task`'s env (for building observations, e.g. the gridworld policy map). */
  observationSize(task: number): number;
  /** The current greedy action (no exploration, no training side effects). */
  greedyAction(observation: Float32Array, task: number): number;
  metrics(): EngineMetrics | null;
  /** Write a checkpoint into `dir` (which exists and is empty). */
  saveCheckpoint(dir: string): Promise<void>;
  /** End the run early: emits run-end with reason 'stopped'. */
  stop(): void;
  dispose(): void;
}

export interface EngineStartOptions {
  start: StartCommand;
  observer: RunObserver;
  backend: BackendChoice;
}

export interface EngineResumeOptions {
  /** The session to continue (from `prepareResume`): its recorded config and last checkpoint. */
  prepared: PreparedResume;
  observer: RunObserver;
  backend: BackendChoice;
}

/** Builds engines; the real one wraps ContinualRunner. */
export interface EngineFactory {
  create(options: EngineStartOptions): Promise<Engine>;
  /** Continue a recorded session from its last checkpoint (observer must be a SessionRecorder.resume one). */
  resume?(options: EngineResumeOptions): Promise<Engine>;
}
