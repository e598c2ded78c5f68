/**
 * ContinualRunner: the steppable continual-learning engine behind `cli run`, the trainer process (UI) and
 * session recording. It trains one DqnAgent (one head per task) through the sequence's stages, evaluates
 * every task greedily every `evalEvery` env steps and at every stage end (the R-matrix row), lets the
 * strategy plugin add its penalty / batch rows / consolidation (src/continual/strategy.ts), and reports
 * everything as RunEvents (src/session/events.ts) to its observer.
 *
 * Loop of one env step (top to bottom in `envStep`): ε → act → env.step → store (+ strategy.onTransition)
 * → episode end? → gradient step(s) (strategy.fillBatch, penalty in closed form, afterUpdate) →
 * target update → stage end (afterTask, eval row) or periodic eval.
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
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { makeEnv, type Env, type EnvSnapshot } from '../../envs';
import { Rng } from '../../envs/rng';
import { DqnAgent, type UpdateOptions } from '../dqn/agent';
import { decodeAgentState, decodeReplayInto, encodeAgentState, encodeReplay } from '../dqn/checkpoint';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { createBatch, ReplayBuffer, type ReplayBatch, type Transition } from '../dqn/replay';
import { scheduledLearningRate } from '../dqn/config';
import { linearEpsilon, type LinearSchedule } from '../dqn/schedule';
import type { RunEvent, RunObserver } from '../session/events';
import { currentBackend, type BackendChoice } from '../tf/backend';
import { readArrays, writeArrays, type NamedArray } from './array-file';
import { readVariables } from './anchor-store';
import { evaluationSeeds, TaskEvaluator } from './evaluator';
import { GreedyPlayers } from './greedy-players';
import { normalizeScore, type ContinualMetrics, type CurvePoint } from './metrics';
import { addScoreEvent, emptyScores, scoresSummary, type ScoresData } from '../session/run-scores';
import { resolvedRunOf } from './resolved-run';
import { createModelView, type ModelView } from './model-view';
import { resolveRunConfig, type ResolvedRunConfig } from './run-config';
import { taskWithParams, type TaskDef } from './sequence';
import { createStrategy } from './strategies';
import type { StageSetup, Strategy, StrategyContext, StrategyParamValue } from './strategy';

export interface RunnerOptions {
  /** Backend recorded in run-start (default: `currentBackend()`, or the active tfjs backend). */
  backend?: BackendChoice;
  /** Milliseconds clock (tests). Default `performance.now()`. */
  clock?: () => number;
  /** Instrumentation: wrap the strategy plugin (tests record its hook calls with this). */
  wrapStrategy?: (strategy: Strategy) => Strategy;
}

export interface ScheduledStage {
  task: number;
  steps: number;
  source: 'scheduled' | 'manual';
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

export interface LiveFrame {
  step: number;
  task: number;
  snapshot: EnvSnapshot;
  /** Q-values of the current observation under the task's head (null when not asked for). */
  qValues: Float32Array | null;
  actionNames: readonly string[];
  episodeReturn: number;
  episodeStep: number;
  epsilon: number;
}

export interface RunResult extends ContinualMetrics {
  /** Mean final score over the tasks trained so far (run-scores.ts). */
  accSeen: number | null;
  stageTasks: number[];
  baseline: (number | null)[];
  curves: CurvePoint[][];
  labels: string[];
  envSteps: number;
}

const CHECKPOINT_VERSION = 1;
const STATE_FILE = 'runner.json';
const WEIGHTS_FILE = 'weights.bin';
const REPLAY_FILE = 'replay.bin';

export class ContinualRunner {
  readonly config: ResolvedRunConfig;
  readonly agent: DqnAgent;
  readonly strategy: Strategy;
  private readonly observer: RunObserver | undefined;
  private readonly backend: BackendChoice;
  private readonly clock: () => number;
  private readonly rng: Rng;
  private readonly model: ModelView;
  private readonly replay: ReplayBuffer;
  /** One minibatch per batch size used by the tasks (a stage uses its task's). */
  private readonly batches = new Map<number, ReplayBatch>();
  private readonly tasks: TaskDef[];
  private readonly stages: ScheduledStage[];
  private readonly trainEnvs: Env[];
  private readonly obs: Float32Array[];
  private evaluators: TaskEvaluator[];
  private readonly ctx: StrategyContext;
  private readonly transition: Transition;
  /** Reused options of `agent.update` (a gradient step allocates nothing here). */
  private readonly updateOptions: UpdateOptions = { penalty: null };
  private players: GreedyPlayers | undefined;

  // Counters (all saved in checkpoints).
  private step = 0;
  private stageIndex = 0;
  private stageStep = 0;
  private stageActive = false;
  private stepsSinceReplayClear = 0;
  private episodeTask = 0;
  private ctxTask = 0;
  private episodeReturn = 0;
  private episodeLength = 0;
  private needsReset = true;
  /** Reset seed and actions so far of the training episode, so a checkpoint can rebuild it exactly. */
  private episodeSeed = 0;
  private readonly episodeActions: number[] = [];
  private episodesPerTask: number[];
  private lastEpisodeReturn: number | null = null;
  private lastLoss: number | null = null;
  private setup: StageSetup = {};
  private started = false;
  private finished = false;
  /** R matrix, baseline and curves, folded from this runner's own events (src/session/run-scores.ts). */
  private scores: ScoresData = emptyScores();
  private tOffset = 0;
  private t0: number;
  private rate = { t: 0, step: 0, perSec: 0 };

  constructor(config: unknown, observer?: RunObserver, options: RunnerOptions = {}) {
    this.config = resolveRunConfig(config);
    this.observer = observer;
    this.clock = options.clock ?? (() => performance.now());
    this.t0 = this.clock();
    this.backend = options.backend ?? currentBackend() ?? fallbackBackend();
    const { sequence, dqn } = this.config;
    this.rng = new Rng(this.config.seed);
    this.tasks = sequence.tasks.map((t) => ({ ...t }));
    this.stages = sequence.stages.map((s) => ({ ...s, source: 'scheduled' as const }));
    this.agent = new DqnAgent({
      config: dqn,
      tasks: this.tasks.map((t) => ({ observationSize: t.observationSize, actionCount: t.actionCount })),
      rng: this.rng,
    });
    this.model = createModelView(this.agent);
    this.replay = new ReplayBuffer({ capacity: dqn.bufferSize, observationSize: this.agent.observationSize });
    this.config.taskDqn.forEach((settings, task) => {
      this.agent.setTaskGamma(task, settings.gamma);
      if (!this.batches.has(settings.batchSize)) {
        this.batches.set(settings.batchSize, createBatch(settings.batchSize, this.agent.observationSize));
      }
    });
    const strategy = createStrategy(this.config.strategy, this.config.strategyOptions, {
      variables: this.model.variables,
      tasks: this.tasks,
      batchSize: this.config.taskDqn[this.stages[0]!.task]!.batchSize,
      observationSize: this.agent.observationSize,
    });
    this.strategy = options.wrapStrategy ? options.wrapStrategy(strategy) : strategy;
    this.trainEnvs = this.tasks.map((t) => makeEnv(t.envId, t.params));
    this.obs = this.tasks.map((t) => new Float32Array(t.observationSize));
    this.evaluators = this.tasks.map((t) => this.makeEvaluator(t));
    this.episodesPerTask = this.tasks.map(() => 0);
    this.transition = {
      observation: this.obs[0]!,
      action: 0,
      reward: 0,
      nextObservation: this.obs[0]!,
      terminated: false,
      task: 0,
    };
    this.ctx = this.makeContext();
  }

  // ---------------------------------------------------------------------------------------------- driving

  /** Train up to `maxEnvSteps` env steps; returns false once the run has finished (or was stopped). */
  async advance(maxEnvSteps: number): Promise<boolean> {
    if (!Number.isInteger(maxEnvSteps) || maxEnvSteps < 0) {
      throw new Error(`advance(maxEnvSteps) needs a non-negative integer, got ${maxEnvSteps}`);
    }
    if (this.finished) return false;
    if (!this.started) this.start();
    for (let n = 0; n < maxEnvSteps && !this.finished; n++) {
      if (!this.stageActive) this.beginStage(undefined);
      this.envStep();
    }
    return !this.finished;
  }

  /** Switch to task `index` now (closes the current stage with its R row); recorded with source 'manual'. */
  switchTask(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.tasks.length) {
      throw new Error(`switchTask: task ${index} is outside [0, ${this.tasks.length})`);
    }
    if (this.finished) throw new Error('switchTask: the run has finished');
    if (!this.started) this.start();
    const budget = this.config.sequence.stages.find((s) => s.task === index)!.steps;
    let from: number | undefined;
    if (this.stageActive) {
      from = this.stages[this.stageIndex]!.task;
      if (this.stageStep > 0) {
        this.closeStage();
      } else {
        // Nothing trained yet in this stage: replace it instead of recording an empty row.
        this.stages.splice(this.stageIndex, 1);
        this.stageActive = false;
      }
    } else if (this.stageIndex > 0) {
      from = this.stages[this.stageIndex - 1]!.task;
    }
    this.stages.splice(this.stageIndex, 0, { task: index, steps: budget, source: 'manual' });
    this.beginStage(from);
  }

  /** Change a strategy knob (e.g. `lambda`) now; emits param-change `strategy.<name>`. */
  setStrategyParam(name: string, value: StrategyParamValue): void {
    this.strategy.setParam(name, value);
    this.emit({ type: 'param-change', ...this.stamp(), what: `strategy.${name}`, value });
  }

  /** Change a task's environment parameters (merged onto its current ones); emits param-change `env.params`. */
  setEnvParams(task: number, params: Record<string, number>): void {
    const current = this.tasks[task];
    if (!current) throw new Error(`setEnvParams: task ${task} is outside [0, ${this.tasks.length})`);
    const next = taskWithParams(current, { ...current.givenParams, ...params });
    this.tasks[task] = next;
    this.trainEnvs[task] = makeEnv(next.envId, next.params);
    this.evaluators[task] = this.makeEvaluator(next);
    this.players?.setTask(next);
    if (this.episodeTask === task) this.needsReset = true;
    this.emit({ type: 'param-change', ...this.stamp(), what: 'env.params', value: next.givenParams, task });
  }

  /** Add a labelled marker to the event stream (e.g. from the UI). */
  mark(label: string): void {
    this.emit({ type: 'marker', ...this.stamp(), label });
  }

  /** End the run early; emits run-end with reason 'stopped'. */
  stop(): void {
    if (this.finished) return;
    if (!this.started) this.start();
    this.finish('stopped');
  }

  // ---------------------------------------------------------------------------------------------- reading

  status(): RunnerStatus {
    const stage = this.stages[Math.min(this.stageIndex, this.stages.length - 1)]!;
    const now = this.clock();
    if (now - this.rate.t > 1000) {
      const dt = (now - this.rate.t) / 1000;
      this.rate = {
        t: now,
        step: this.step,
        perSec: this.rate.t === 0 ? 0 : (this.step - this.rate.step) / dt,
      };
    }
    return {
      step: this.step,
      totalSteps: this.stages.reduce((s, st) => s + st.steps, 0),
      stage: this.stageIndex,
      stageCount: this.stages.length,
      taskIndex: stage.task,
      taskLabel: this.tasks[stage.task]!.label,
      taskStep: this.stageStep,
      taskSteps: stage.steps,
      epsilon: this.epsilon(),
      episodes: [...this.episodesPerTask],
      lastEpisodeReturn: this.lastEpisodeReturn,
      lastLoss: this.lastLoss,
      stepsPerSec: this.rate.perSec,
      done: this.finished,
      strategy: this.strategy.name,
      strategyParams: this.strategy.params(),
    };
  }

  /** The training env's current frame plus the Q-values of its observation (cheap; for the UI). */
  /** The episode being trained; `withQValues: false` skips the forward pass. */
  liveFrame(withQValues = true): LiveFrame {
    const task = this.episodeTask;
    const env = this.trainEnvs[task]!;
    return {
      step: this.step,
      task,
      snapshot: env.snapshot(),
      qValues: withQValues ? this.agent.qValues(this.obs[task]!, task) : null,
      actionNames: env.spec.actionNames,
      episodeReturn: this.episodeReturn,
      episodeStep: this.episodeLength,
      epsilon: this.epsilon(),
    };
  }

  /** One env per task played by the current greedy policy (created on first use). */
  greedyPlayers(): GreedyPlayers {
    this.players ??= new GreedyPlayers(this.agent, this.tasks, this.config.seed);
    return this.players;
  }

  /** Advance task `taskIndex`'s greedy player by one step and return its frame. */
  playGreedyStep(taskIndex: number): ReturnType<GreedyPlayers['step']> {
    return this.greedyPlayers().step(taskIndex);
  }

  /** Metrics so far (complete once the run has finished). */
  result(): RunResult {
    const s = scoresSummary(this.scores);
    return {
      acc: s.acc,
      forgetting: s.forgetting,
      bwt: s.bwt,
      fwt: s.fwt,
      auc: s.auc,
      forgettingPerTask: s.forgettingPerTask,
      final: s.final,
      matrix: s.matrix,
      accSeen: s.accSeen,
      stageTasks: s.stageTasks,
      baseline: s.baseline,
      curves: this.scores.curves.map((c) => [...c]),
      labels: this.tasks.map((t) => t.label),
      envSteps: this.step,
    };
  }

  /** Milliseconds of run time so far (the `t` the next event would carry). */
  elapsedMs(): number {
    return this.stamp().t;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Current task definitions (parameters may have been changed by `setEnvParams`). */
  taskDefs(): readonly TaskDef[] {
    return this.tasks;
  }

  /** The schedule, including manual stages. */
  schedule(): readonly ScheduledStage[] {
    return this.stages;
  }

  dispose(): void {
    this.strategy.dispose();
    this.agent.dispose();
  }

  // ---------------------------------------------------------------------------------------------- the loop

  private start(): void {
    this.started = true;
    this.t0 = this.clock();
    const seq = this.config.sequence;
    this.emit({
      type: 'run-start',
      ...this.stamp(),
      config: this.config.record,
      sequence: seq.name,
      strategy: { name: this.strategy.name, ...this.strategy.params() },
      seed: this.config.seed,
      backend: this.backend,
      run: resolvedRunOf(this.config, this.tasks, this.strategy, this.backend.backend),
    });
    // b_j of GEM's FWT: every task under the untrained network (evaluations before any task-start).
    this.evaluateAll();
  }

  private beginStage(from: number | undefined): void {
    const stage = this.stages[this.stageIndex]!;
    this.stageStep = 0;
    this.ctxTask = stage.task;
    this.episodeTask = stage.task;
    this.stageActive = true;
    this.setup = this.strategy.beforeTask?.(this.ctx) ?? {};
    if (!this.setup.keepReplay) {
      this.replay.clear();
      this.stepsSinceReplayClear = 0;
    }
    if (!this.setup.keepOptimizer) this.agent.resetOptimizer();
    this.applyStageSettings();
    const task = this.tasks[stage.task]!;
    if (from === undefined && this.stageIndex > 0) from = this.stages[this.stageIndex - 1]!.task;
    this.emit({
      type: 'task-start',
      ...this.stamp(),
      task: stage.task,
      label: task.label,
      envId: task.envId,
      params: task.givenParams,
      source: stage.source,
      ...(from !== undefined ? { from } : {}),
    });
    this.needsReset = true;
  }

  private envStep(): void {
    if (this.needsReset) this.resetEpisode();
    const task = this.episodeTask;
    const env = this.trainEnvs[task]!;
    const obs = this.obs[task]!;
    const action = this.agent.act(obs, task, this.epsilon());
    const r = env.step(action);
    this.episodeActions.push(action);
    const tr = this.transition;
    tr.observation = obs;
    tr.action = action;
    tr.reward = r.reward;
    tr.nextObservation = r.observation;
    tr.terminated = r.terminated;
    tr.task = task;
    this.replay.add(tr);
    this.ctxTask = task;
    this.strategy.onTransition?.(this.ctx, tr);
    this.episodeReturn += r.reward;
    this.episodeLength += 1;
    this.step += 1;
    this.stageStep += 1;
    this.stepsSinceReplayClear += 1;
    if (r.terminated || r.truncated) {
      this.episodesPerTask[task]! += 1;
      this.lastEpisodeReturn = this.episodeReturn;
      if (this.config.episodeEvents) {
        this.emit({
          type: 'episode',
          ...this.stamp(),
          task,
          episode: this.episodesPerTask[task]! - 1,
          return: this.episodeReturn,
          length: this.episodeLength,
        });
      }
      this.needsReset = true;
    } else {
      obs.set(r.observation); // obs = next_obs (the env's buffer is reused on later steps)
    }

    const stage = this.stages[this.stageIndex]!;
    const dqn = this.config.taskDqn[stage.task]!;
    if (
      this.stepsSinceReplayClear >= dqn.learningStarts &&
      this.replay.size > 0 &&
      this.stageStep % dqn.trainFreq === 0
    ) {
      if (dqn.learningRateSchedule !== 'constant') {
        this.agent.setLearningRate(scheduledLearningRate(dqn, this.stageStep / stage.steps));
      }
      const steps = dqn.gradientSteps === -1 ? dqn.trainFreq : dqn.gradientSteps;
      for (let g = 0; g < steps; g++) this.trainStep();
    }
    if (this.step % dqn.targetUpdateInterval === 0) this.agent.updateTarget();

    if (this.stageStep >= stage.steps) {
      this.closeStage();
      if (this.stageIndex >= this.stages.length) this.finish('finished');
    } else if (this.step % this.config.evalEvery === 0) {
      this.evaluateAll();
    }
  }

  private trainStep(): void {
    this.ctxTask = this.stages[this.stageIndex]!.task;
    const batch = this.batches.get(this.config.taskDqn[this.ctxTask]!.batchSize)!;
    const extra = this.strategy.fillBatch?.(this.ctx, batch) ?? 0;
    this.replay.sample(this.rng, batch, 0, batch.size - extra);
    let before: Float32Array[] | undefined;
    let grads: Float32Array[] | undefined;
    if (this.strategy.needsUpdateDeltas) {
      before = readVariables(this.model.variables);
      grads = this.tdGradients(batch);
    }
    const penalize = this.strategy.penalty && (this.strategy.penaltyActive?.(this.ctx) ?? true);
    this.updateOptions.penalty = penalize ? this.strategy.penalty!(this.ctx) : null;
    const loss = this.agent.update(batch, this.updateOptions);
    this.lastLoss = loss;
    this.strategy.afterUpdate?.(this.ctx, { loss, before, grads });
  }

  /** Gradients of the mean Huber TD loss (no penalty) at the current weights (for SI). */
  private tdGradients(batch: ReplayBatch): Float32Array[] {
    const targets = this.model.tdTargets(batch);
    const inputs = this.model.encode(batch, 'observations');
    const task = batch.tasks[0]!;
    return tf.tidy(() => {
      const x = tf.tensor2d(inputs, [batch.size, this.agent.inputSize]);
      const { grads } = tf.variableGrads(
        () =>
          tf.mean(
            this.model.tdRowLoss(this.agent.online.forward(x, task, 'train'), 0, batch.actions, targets),
          ) as tf.Scalar,
        [...this.model.variables],
      );
      return this.model.variables.map((v) => {
        const g = grads[v.name];
        return g ? Float32Array.from(g.dataSync() as Float32Array) : new Float32Array(v.size);
      });
    });
  }

  private resetEpisode(): void {
    if (this.strategy.chooseTask) {
      this.ctxTask = this.stages[this.stageIndex]!.task;
      const chosen = this.strategy.chooseTask(this.ctx);
      if (!Number.isInteger(chosen) || chosen < 0 || chosen >= this.tasks.length) {
        throw new Error(
          `Strategy "${this.strategy.name}" chose task ${chosen}, outside [0, ${this.tasks.length})`,
        );
      }
      this.episodeTask = chosen;
    }
    const task = this.episodeTask;
    this.episodeSeed = this.rng.deriveSeed();
    this.obs[task]!.set(this.trainEnvs[task]!.reset(this.episodeSeed).observation);
    this.episodeActions.length = 0;
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.needsReset = false;
  }

  private closeStage(): void {
    const stage = this.stages[this.stageIndex]!;
    this.ctxTask = stage.task;
    this.strategy.afterTask?.(this.ctx);
    const row = this.evaluateAll();
    stage.steps = this.stageStep;
    this.emit({ type: 'task-end', ...this.stamp(), task: stage.task, matrixRow: row.map((v) => v ?? 0) });
    this.stageIndex += 1;
    this.stageActive = false;
    this.stageStep = 0;
  }

  private finish(reason: 'finished' | 'stopped'): void {
    this.finished = true;
    const r = this.result();
    const metrics = {
      acc: r.acc,
      accSeen: r.accSeen,
      forgetting: r.forgetting,
      bwt: r.bwt,
      fwt: r.fwt,
      auc: r.auc,
      matrix: r.matrix,
      forgettingPerTask: r.forgettingPerTask,
      stageTasks: r.stageTasks,
      baseline: r.baseline,
      envSteps: r.envSteps,
    };
    this.emit({ type: 'run-end', ...this.stamp(), metrics, reason });
  }

  /** Greedy-evaluate every task; emits eval (+ eval-episode) events and extends the curves. */
  private evaluateAll(): (number | null)[] {
    return this.tasks.map((task, j) => {
      const res = this.evaluators[j]!.run(this.config.recordEvalEpisodes);
      const normalized = normalizeScore(res.mean, task.randomReturn, task.threshold);
      const stamp = this.stamp();
      this.emit({
        type: 'eval',
        ...stamp,
        task: j,
        mean: res.mean,
        normalized,
        episodes: res.returns.length,
        returns: res.returns,
      });
      for (const ep of res.recorded) {
        this.emit({
          type: 'eval-episode',
          ...stamp,
          task: j,
          envId: task.envId,
          params: task.givenParams,
          seed: ep.seed,
          actions: ep.actions,
          return: ep.return,
          length: ep.length,
        });
      }
      return normalized;
    });
  }

  private epsilon(): number {
    const stage = this.stages[Math.min(this.stageIndex, this.stages.length - 1)]!;
    const dqn = this.config.taskDqn[stage.task]!;
    const schedule: LinearSchedule = {
      initial: dqn.explorationInitialEps,
      final: dqn.explorationFinalEps,
      fraction: dqn.explorationFraction,
    };
    if (this.setup.runWideEpsilon) {
      const total = this.stages.reduce((s, st) => s + st.steps, 0);
      return linearEpsilon(schedule, this.step, total);
    }
    return linearEpsilon(schedule, this.stageStep, stage.steps);
  }

  /** The current stage's task settings that live in the agent: learning rate (at the stage's progress) and τ. */
  private applyStageSettings(): void {
    const stage = this.stages[Math.min(this.stageIndex, this.stages.length - 1)]!;
    const dqn = this.config.taskDqn[stage.task]!;
    this.agent.setLearningRate(scheduledLearningRate(dqn, this.stageStep / stage.steps));
    this.agent.setTau(dqn.tau);
  }

  private makeEvaluator(task: TaskDef): TaskEvaluator {
    return new TaskEvaluator(task, evaluationSeeds(task, this.config.evalEpisodes), this.agent);
  }

  private makeContext(): StrategyContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    return {
      get model() {
        return self.model;
      },
      get task() {
        return self.ctxTask;
      },
      get stage() {
        return self.stageIndex;
      },
      get tasks() {
        return self.tasks;
      },
      get stages() {
        return self.stages;
      },
      get step() {
        return self.step;
      },
      get stageStep() {
        return self.stageStep;
      },
      get replay() {
        return self.replay;
      },
      get rng() {
        return self.rng;
      },
      get batchSize() {
        return self.config.taskDqn[self.ctxTask]!.batchSize;
      },
    };
  }

  private stamp(): { step: number; t: number } {
    return { step: this.step, t: Math.max(0, Math.round(this.tOffset + this.clock() - this.t0)) };
  }

  private emit(e: RunEvent): void {
    addScoreEvent(this.scores, e);
    this.observer?.onEvent(e);
  }

  // ---------------------------------------------------------------------------------------------- checkpoints

  /**
   * Write everything needed to continue exactly into `dir`: weights + Adam (`weights.bin`) and replay
   * (`replay.bin`) with the dqn helper's checkpoint encoders, strategy arrays (`arrays.bin`/`arrays.json`)
   * and the runner's counters, RNG, matrix and curves (`runner.json`, written last).
   */
  async saveCheckpoint(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const agent = this.agent.getState();
    const { bytes, layout } = encodeAgentState(agent);
    await writeFileAtomic(path.join(dir, WEIGHTS_FILE), bytes);
    await writeFileAtomic(path.join(dir, REPLAY_FILE), encodeReplay(this.replay));
    const strategy = this.strategy.getState();
    writeArrays(dir, strategy.arrays);
    const state: CheckpointState = {
      version: CHECKPOINT_VERSION,
      config: this.config.record,
      taskParams: this.tasks.map((t) => t.givenParams),
      stages: this.stages.map((s) => ({ ...s })),
      counters: {
        step: this.step,
        stageIndex: this.stageIndex,
        stageStep: this.stageStep,
        stageActive: this.stageActive,
        stepsSinceReplayClear: this.stepsSinceReplayClear,
        episodeTask: this.episodeTask,
        // The training episode in progress (null between episodes): rebuilt on resume by replaying it.
        episode: this.needsReset
          ? null
          : {
              seed: this.episodeSeed,
              actions: [...this.episodeActions],
              return: this.episodeReturn,
              length: this.episodeLength,
            },
        episodesPerTask: [...this.episodesPerTask],
        started: this.started,
        finished: this.finished,
        t: this.stamp().t,
      },
      setup: this.setup,
      rng: this.rng.getState(),
      layout,
      adamStep: agent.optimizer.step,
      updates: agent.updates,
      replayCursor: this.replay.getCursor(),
      matrix: this.scores.stages.map((st) => st.row),
      stageTasks: this.scores.stages.map((st) => st.task),
      baseline: this.scores.baseline,
      curves: this.scores.curves,
      strategy: strategy.json,
    };
    await writeFileAtomic(path.join(dir, STATE_FILE), JSON.stringify(state));
  }

  /** Rebuild a runner from a checkpoint folder written by `saveCheckpoint`; events continue to `observer`. */
  static async resume(
    dir: string,
    observer?: RunObserver,
    options: RunnerOptions = {},
  ): Promise<ContinualRunner> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path.join(dir, STATE_FILE), 'utf8'));
    } catch (error) {
      throw new Error(`Cannot read checkpoint ${path.join(dir, STATE_FILE)}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const parsed = checkpointStateSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Checkpoint ${dir} is malformed: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    const state = parsed.data;
    const runner = new ContinualRunner(state.config, observer, options);
    const weights = new Uint8Array(await readFile(path.join(dir, WEIGHTS_FILE)));
    const replay = new Uint8Array(await readFile(path.join(dir, REPLAY_FILE)));
    runner.restore(state, weights, replay, readArrays(dir));
    return runner;
  }

  private restore(
    state: CheckpointState,
    weights: Uint8Array,
    replay: Uint8Array,
    arrays: Record<string, NamedArray>,
  ): void {
    state.taskParams.forEach((p, i) => {
      if (JSON.stringify(p) !== JSON.stringify(this.tasks[i]!.givenParams)) this.setEnvParamsQuiet(i, p);
    });
    this.agent.setState(
      decodeAgentState(weights, state.layout, { adamStep: state.adamStep, updates: state.updates }),
    );
    decodeReplayInto(this.replay, replay, state.replayCursor);
    const strategyArrays: Record<string, Float32Array> = {};
    for (const [k, a] of Object.entries(arrays)) {
      if (!(a instanceof Float32Array)) throw new Error(`Checkpoint strategy array "${k}" must be float32`);
      strategyArrays[k] = Float32Array.from(a);
    }
    this.strategy.setState({ json: state.strategy, arrays: strategyArrays });
    this.stages.splice(0, this.stages.length, ...state.stages);
    const c = state.counters;
    this.step = c.step;
    this.stageIndex = c.stageIndex;
    this.stageStep = c.stageStep;
    this.stageActive = c.stageActive;
    this.stepsSinceReplayClear = c.stepsSinceReplayClear;
    this.episodeTask = c.episodeTask;
    this.ctxTask = this.stages[Math.min(this.stageIndex, this.stages.length - 1)]!.task;
    this.episodesPerTask = [...c.episodesPerTask];
    this.started = c.started;
    this.finished = c.finished;
    this.tOffset = c.t;
    this.t0 = this.clock();
    this.setup = state.setup;
    this.applyStageSettings();
    this.rng.setState(state.rng);
    this.scores = {
      tasks: this.tasks.map((t) => ({ label: t.label, envId: t.envId })),
      stages: state.stageTasks.map((task, i) => ({
        task,
        source: this.stages[i]?.source ?? 'scheduled',
        row: state.matrix[i] ?? [],
      })),
      openSource: this.stages[this.stageIndex]?.source ?? 'scheduled',
      baseline: state.baseline,
      curves: this.tasks.map((_, i) => [...(state.curves[i] ?? [])]),
      trained: c.stageActive || state.stageTasks.length > 0,
    };
    if (c.episode) this.replayEpisode(c.episode);
    else this.needsReset = true;
  }

  /** Rebuild the training episode of a checkpoint: reset with its seed, then replay its actions. */
  private replayEpisode(episode: { seed: number; actions: number[]; return: number; length: number }): void {
    const task = this.episodeTask;
    const env = this.trainEnvs[task]!;
    const obs = this.obs[task]!;
    obs.set(env.reset(episode.seed).observation);
    for (const action of episode.actions) {
      const r = env.step(action);
      if (r.terminated || r.truncated) {
        throw new Error(
          'Checkpoint episode replay ended early: the environment does not match the checkpoint',
        );
      }
      obs.set(r.observation);
    }
    this.episodeSeed = episode.seed;
    this.episodeActions.splice(0, this.episodeActions.length, ...episode.actions);
    this.episodeReturn = episode.return;
    this.episodeLength = episode.length;
    this.needsReset = false;
  }

  private setEnvParamsQuiet(task: number, given: Record<string, number>): void {
    const next = taskWithParams(this.tasks[task]!, given);
    this.tasks[task] = next;
    this.trainEnvs[task] = makeEnv(next.envId, next.params);
    this.evaluators[task] = this.makeEvaluator(next);
  }
}

const checkpointStateSchema = z.object({
  version: z.literal(CHECKPOINT_VERSION),
  config: z.record(z.string(), z.unknown()),
  taskParams: z.array(z.record(z.string(), z.number())),
  stages: z.array(
    z.strictObject({
      task: z.number().int().min(0),
      steps: z.number().int().min(0),
      source: z.enum(['scheduled', 'manual']),
    }),
  ),
  counters: z.object({
    step: z.number().int().min(0),
    stageIndex: z.number().int().min(0),
    stageStep: z.number().int().min(0),
    stageActive: z.boolean(),
    stepsSinceReplayClear: z.number().int().min(0),
    episodeTask: z.number().int().min(0),
    // Absent in checkpoints written before it existed: the episode then restarts with a fresh reset.
    episode: z
      .object({
        seed: z.number().int().min(0),
        actions: z.array(z.number().int().min(0)),
        return: z.number(),
        length: z.number().int().min(0),
      })
      .nullable()
      .optional(),
    episodesPerTask: z.array(z.number().int().min(0)),
    started: z.boolean(),
    finished: z.boolean(),
    t: z.number().min(0),
  }),
  setup: z.object({
    keepReplay: z.boolean().optional(),
    keepOptimizer: z.boolean().optional(),
    runWideEpsilon: z.boolean().optional(),
  }),
  rng: z.array(z.number().int()).length(4),
  layout: z.object({ variableSizes: z.array(z.number().int().min(0)), adamSize: z.number().int().min(0) }),
  adamStep: z.number().int().min(0),
  updates: z.number().int().min(0),
  replayCursor: z.object({ position: z.number().int().min(0), count: z.number().int().min(0) }),
  matrix: z.array(z.array(z.number().nullable())),
  stageTasks: z.array(z.number().int().min(0)),
  baseline: z.array(z.number().nullable()),
  curves: z.array(z.array(z.object({ step: z.number(), normalized: z.number() }))),
  strategy: z.record(z.string(), z.unknown()),
});
type CheckpointState = z.infer<typeof checkpointStateSchema>;

function fallbackBackend(): BackendChoice {
  return {
    backend: tf.getBackend() as BackendChoice['backend'],
    forced: false,
    skipped: [],
    details: {},
    tfjsVersion: tf.version.tfjs,
  };
}
