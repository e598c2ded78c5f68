/**
 * ContinualRunner: the steppable continual-learning engine behind `cli run`, the trainer process (UI) and
 * session recording. It trains one DqnAgent (one head per task) through the sequence's stages, evaluates
 * every task greedily every `evalEvery` env steps and at every stage end (the R-matrix row), lets the
 * strategy plugin add its penalty / batch rows / consolidation (src/continual/strategy.ts), and reports
 * everything as RunEvents (src/session/events.ts) to its observer.
 *
 * Files: this one is the public API (driving, reading, checkpoints); the env-step / gradient-step loop and
 * the stage schedule are in training-loop.ts (where every strategy hook is called); continual evaluation,
 * the R matrix and metrics in score-book.ts; checkpoint save/restore in runner-checkpoint.ts.
 *
 * Stages: normally each stage clears the replay buffer, resets Adam and restarts ε (a strategy may keep
 * them, see StageSetup). Each stage trains with its task's settings (`config.taskDqn[task]`: lr and its
 * schedule, batch, train frequency, gradient steps, target update and τ, ε schedule, learning starts);
 * γ is per task in every TD target (a replayed row of another task uses that task's γ). A manual `switchTask(i)` closes the current stage as if it had ended (afterTask,
 * R row, task-end), then inserts a stage of task i with its scheduled budget; the rest of the schedule
 * follows. The new stage's task-start has `source: 'manual'`.
 *
 * Determinism: one Rng (the run seed) drives weights, ε draws, replay sampling, strategy sampling and the
 * seed of every training episode's reset; evaluation uses fixed seeds (evaluator.ts). A resumed run starts
 * a fresh training episode at the checkpoint (the interrupted one is dropped).
 */
import * as tf from '@tensorflow/tfjs';
import type { Env } from '../../envs';
import type { DqnAgent } from '../dqn/agent';
import type { RunObserver } from '../session/events';
import { currentBackend, type BackendChoice } from '../tf/backend';
import { resolveRunConfig, type ResolvedRunConfig } from './run-config';
import { readLoopCheckpoint, restoreLoop, saveLoopCheckpoint } from './runner-checkpoint';
import type { RunResult } from './score-book';
import type { TaskDef } from './sequence';
import type { Strategy, StrategyParamValue } from './strategy';
import { TrainingLoop, type ScheduledStage } from './training-loop';

export type { RunResult } from './score-book';
export type { ScheduledStage } from './training-loop';

export interface RunnerOptions {
  /** Backend recorded in run-start (default: `currentBackend()`, or the active tfjs backend). */
  backend?: BackendChoice;
  /** Milliseconds clock (tests). Default `performance.now()`. */
  clock?: () => number;
  /** Instrumentation: wrap the strategy plugin (tests record its hook calls with this). */
  wrapStrategy?: (strategy: Strategy) => Strategy;
}

export interface RunnerStatus {
  /** Global env steps done. */
  step: number;
  /** Env steps of the whole schedule (grows when manual stages are inserted). */
  totalSteps: number;
  stage: number;
  stageCount: number;
  /** Task trained by the current stage. */
  taskIndex: number;
  taskLabel: string;
  /** Env steps done in the current stage, and its budget. */
  taskStep: number;
  taskSteps: number;
  epsilon: number;
  /** Finished training episodes per task. */
  episodes: number[];
  lastEpisodeReturn: number | null;
  lastLoss: number | null;
  /** Env steps per second over the last few seconds. */
  stepsPerSec: number;
  done: boolean;
  strategy: string;
  strategyParams: Record<string, StrategyParamValue>;
}

/** The training episode in progress (read-only views; the trainer draws its live frame from this). */
export interface CurrentEpisode {
  step: number;
  task: number;
  /** The task's training env (call `snapshot()` for its frame; do not step it). */
  env: Env;
  /** The current observation (the agent's input for Q-values). */
  observation: Float32Array;
  episodeReturn: number;
  episodeStep: number;
  epsilon: number;
}

export class ContinualRunner {
  readonly config: ResolvedRunConfig;
  readonly agent: DqnAgent;
  readonly strategy: Strategy;
  private readonly loop: TrainingLoop;
  private rate = { t: 0, step: 0, perSec: 0 };

  constructor(config: unknown, observer?: RunObserver, options: RunnerOptions = {}) {
    this.config = resolveRunConfig(config);
    this.loop = new TrainingLoop({
      config: this.config,
      observer,
      clock: options.clock ?? (() => performance.now()),
      backend: options.backend ?? currentBackend() ?? fallbackBackend(),
      ...(options.wrapStrategy ? { wrapStrategy: options.wrapStrategy } : {}),
    });
    this.agent = this.loop.agent;
    this.strategy = this.loop.strategy;
  }

  // ---------------------------------------------------------------------------------------------- driving

  /** Train up to `maxEnvSteps` env steps; returns false once the run has finished (or was stopped). */
  async advance(maxEnvSteps: number): Promise<boolean> {
    if (!Number.isInteger(maxEnvSteps) || maxEnvSteps < 0) {
      throw new Error(`advance(maxEnvSteps) needs a non-negative integer, got ${maxEnvSteps}`);
    }
    const loop = this.loop;
    if (loop.finished) return false;
    if (!loop.started) loop.start();
    for (let n = 0; n < maxEnvSteps && !loop.finished; n++) {
      if (!loop.stageActive) loop.beginStage(undefined);
      loop.envStep();
    }
    return !loop.finished;
  }

  /** Switch to task `index` now (closes the current stage with its R row); recorded with source 'manual'. */
  switchTask(index: number): void {
    const loop = this.loop;
    if (!Number.isInteger(index) || index < 0 || index >= loop.tasks.length) {
      throw new Error(`switchTask: task ${index} is outside [0, ${loop.tasks.length})`);
    }
    if (loop.finished) throw new Error('switchTask: the run has finished');
    if (!loop.started) loop.start();
    const budget = this.config.sequence.stages.find((s) => s.task === index)!.steps;
    let from: number | undefined;
    if (loop.stageActive) {
      from = loop.stages[loop.stageIndex]!.task;
      if (loop.stageStep > 0) {
        loop.closeStage();
      } else {
        // Nothing trained yet in this stage: replace it instead of recording an empty row.
        loop.stages.splice(loop.stageIndex, 1);
        loop.stageActive = false;
      }
    } else if (loop.stageIndex > 0) {
      from = loop.stages[loop.stageIndex - 1]!.task;
    }
    loop.stages.splice(loop.stageIndex, 0, { task: index, steps: budget, source: 'manual' });
    loop.beginStage(from);
  }

  /** Change a strategy knob (e.g. `lambda`) now; emits param-change `strategy.<name>`. */
  setStrategyParam(name: string, value: StrategyParamValue): void {
    this.strategy.setParam(name, value);
    this.loop.emit({ type: 'param-change', ...this.loop.stamp(), what: `strategy.${name}`, value });
  }

  /** Change a task's environment parameters (merged onto its current ones); emits param-change `env.params`. */
  setEnvParams(task: number, params: Record<string, number>): void {
    const loop = this.loop;
    const current = loop.tasks[task];
    if (!current) throw new Error(`setEnvParams: task ${task} is outside [0, ${loop.tasks.length})`);
    const next = loop.setTaskParams(task, { ...current.givenParams, ...params });
    if (loop.episodeTask === task) loop.needsReset = true;
    loop.emit({ type: 'param-change', ...loop.stamp(), what: 'env.params', value: next.givenParams, task });
  }

  /** Add a labelled marker to the event stream (e.g. from the UI). */
  mark(label: string): void {
    this.loop.emit({ type: 'marker', ...this.loop.stamp(), label });
  }

  /** End the run early; emits run-end with reason 'stopped'. */
  stop(): void {
    if (this.loop.finished) return;
    if (!this.loop.started) this.loop.start();
    this.loop.finish('stopped');
  }

  // ---------------------------------------------------------------------------------------------- reading

  status(): RunnerStatus {
    const loop = this.loop;
    const stage = loop.currentStage();
    const now = loop.clock();
    if (now - this.rate.t > 1000) {
      const dt = (now - this.rate.t) / 1000;
      this.rate = {
        t: now,
        step: loop.step,
        perSec: this.rate.t === 0 ? 0 : (loop.step - this.rate.step) / dt,
      };
    }
    return {
      step: loop.step,
      totalSteps: loop.stages.reduce((s, st) => s + st.steps, 0),
      stage: loop.stageIndex,
      stageCount: loop.stages.length,
      taskIndex: stage.task,
      taskLabel: loop.tasks[stage.task]!.label,
      taskStep: loop.stageStep,
      taskSteps: stage.steps,
      epsilon: loop.epsilon(),
      episodes: [...loop.episodesPerTask],
      lastEpisodeReturn: loop.lastEpisodeReturn,
      lastLoss: loop.lastLoss,
      stepsPerSec: this.rate.perSec,
      done: loop.finished,
      strategy: this.strategy.name,
      strategyParams: this.strategy.params(),
    };
  }

  /** The episode being trained (its env and observation; allocation-free apart from the small object). */
  currentEpisode(): CurrentEpisode {
    const loop = this.loop;
    const task = loop.episodeTask;
    return {
      step: loop.step,
      task,
      env: loop.trainEnvs[task]!,
      observation: loop.obs[task]!,
      episodeReturn: loop.episodeReturn,
      episodeStep: loop.episodeLength,
      epsilon: loop.epsilon(),
    };
  }

  /** Metrics so far (complete once the run has finished). */
  result(): RunResult {
    return this.loop.scoreBook.result(this.loop.tasks, this.loop.step);
  }

  /** Milliseconds of run time so far (the `t` the next event would carry). */
  elapsedMs(): number {
    return this.loop.stamp().t;
  }

  get done(): boolean {
    return this.loop.finished;
  }

  /** Current task definitions (parameters may have been changed by `setEnvParams`). */
  taskDefs(): readonly TaskDef[] {
    return this.loop.tasks;
  }

  /** The schedule, including manual stages. */
  schedule(): readonly ScheduledStage[] {
    return this.loop.stages;
  }

  dispose(): void {
    this.strategy.dispose();
    this.agent.dispose();
  }

  // ---------------------------------------------------------------------------------------------- checkpoints

  /** Write everything needed to continue exactly into `dir` (runner-checkpoint.ts). */
  saveCheckpoint(dir: string): Promise<void> {
    return saveLoopCheckpoint(this.loop, dir);
  }

  /** Rebuild a runner from a checkpoint folder written by `saveCheckpoint`; events continue to `observer`. */
  static async resume(
    dir: string,
    observer?: RunObserver,
    options: RunnerOptions = {},
  ): Promise<ContinualRunner> {
    const checkpoint = await readLoopCheckpoint(dir);
    const runner = new ContinualRunner(checkpoint.state.config, observer, options);
    restoreLoop(runner.loop, checkpoint);
    return runner;
  }
}

function fallbackBackend(): BackendChoice {
  return {
    backend: tf.getBackend() as BackendChoice['backend'],
    forced: false,
    skipped: [],
    details: {},
    tfjsVersion: tf.version.tfjs,
  };
}
