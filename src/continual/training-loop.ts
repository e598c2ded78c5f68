/**
 * TrainingLoop: the state and the env-step / gradient-step loop of one continual run, with its stage
 * schedule. ContinualRunner (runner.ts) is the public face; the score book (score-book.ts) evaluates and
 * keeps the R matrix; runner-checkpoint.ts saves and restores this state. Everything here is engine-internal
 * (fields are public so those three files can read and restore them).
 *
 * The strategy plugin's hooks are called from here only, each at one place:
 *   beginStage → beforeTask          resetEpisode → chooseTask
 *   envStep    → onTransition        trainStep    → fillBatch, penalty(Active), afterUpdate
 *   closeStage → afterTask
 *
 * Loop of one env step (top to bottom in `envStep`): ε → act → env.step → store (+ onTransition) →
 * episode end? → gradient step(s) → target update → stage end (afterTask, eval row) or periodic eval.
 * Gradient steps begin once `learningStarts` env steps have been stored since the replay buffer was last
 * cleared (a stage that keeps its buffer keeps counting).
 *
 * Over 350 lines because the loop, its counters and the strategy context read best side by side.
 */
import { makeEnv, type Env } from '../../envs';
import { Rng } from '../../envs/rng';
import { DqnAgent, type UpdateOptions } from '../dqn/agent';
import { createBatch, ReplayBuffer, type ReplayBatch, type Transition } from '../dqn/replay';
import { scheduledLearningRate } from '../dqn/config';
import { linearEpsilon, type LinearSchedule } from '../dqn/schedule';
import type { RunEvent, RunObserver } from '../session/events';
import type { BackendChoice } from '../tf/backend';
import { readVariables } from './anchor-store';
import { createModelView, type ModelView } from './model-view';
import { resolvedRunOf } from './resolved-run';
import type { ResolvedRunConfig } from './run-config';
import { ScoreBook } from './score-book';
import { taskWithParams, type TaskDef } from './sequence';
import { createStrategy } from './strategies';
import type { StageSetup, Strategy, StrategyContext } from './strategy';

export interface ScheduledStage {
  task: number;
  steps: number;
  source: 'scheduled' | 'manual';
}

export interface LoopDeps {
  config: ResolvedRunConfig;
  observer: RunObserver | undefined;
  backend: BackendChoice;
  clock: () => number;
  wrapStrategy?: (strategy: Strategy) => Strategy;
}

export class TrainingLoop {
  readonly config: ResolvedRunConfig;
  readonly agent: DqnAgent;
  readonly strategy: Strategy;
  readonly observer: RunObserver | undefined;
  readonly backend: BackendChoice;
  readonly clock: () => number;
  readonly rng: Rng;
  readonly model: ModelView;
  readonly replay: ReplayBuffer;
  /** One minibatch per batch size used by the tasks (a stage uses its task's). */
  readonly batches = new Map<number, ReplayBatch>();
  readonly tasks: TaskDef[];
  readonly stages: ScheduledStage[];
  readonly trainEnvs: Env[];
  readonly obs: Float32Array[];
  readonly scoreBook: ScoreBook;
  readonly ctx: StrategyContext;
  readonly transition: Transition;
  /** Reused options of `agent.update` (a gradient step allocates nothing here). */
  readonly updateOptions: UpdateOptions = { penalty: null };
  /** SI's TD gradients, written by the update itself (`UpdateOptions.tdGradients`). */
  private tdGradientArrays: Float32Array[] | null = null;

  // Counters (all saved in checkpoints).
  step = 0;
  stageIndex = 0;
  stageStep = 0;
  stageActive = false;
  stepsSinceReplayClear = 0;
  episodeTask = 0;
  ctxTask = 0;
  episodeReturn = 0;
  episodeLength = 0;
  needsReset = true;
  /** Reset seed and actions so far of the training episode, so a checkpoint can rebuild it exactly. */
  episodeSeed = 0;
  readonly episodeActions: number[] = [];
  episodesPerTask: number[];
  lastEpisodeReturn: number | null = null;
  lastLoss: number | null = null;
  setup: StageSetup = {};
  started = false;
  finished = false;
  tOffset = 0;
  t0: number;

  constructor(deps: LoopDeps) {
    this.config = deps.config;
    this.observer = deps.observer;
    this.clock = deps.clock;
    this.t0 = this.clock();
    this.backend = deps.backend;
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
    this.strategy = deps.wrapStrategy ? deps.wrapStrategy(strategy) : strategy;
    // The update seams exist only when the strategy has the hooks (the agent calls nothing otherwise).
    const plugin = this.strategy;
    if (plugin.transformGradients) {
      this.updateOptions.transformGradients = (g, present) =>
        plugin.transformGradients!(this.ctx, g, present);
    }
    if (plugin.maskWeights) {
      this.updateOptions.maskWeights = (w, present) => plugin.maskWeights!(this.ctx, w, present);
    }
    this.trainEnvs = this.tasks.map((t) => makeEnv(t.envId, t.params));
    this.obs = this.tasks.map((t) => new Float32Array(t.observationSize));
    this.scoreBook = new ScoreBook(this.agent, this.tasks, this.config);
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

  // ---------------------------------------------------------------------------------------------- run and stages

  start(): void {
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

  beginStage(from: number | undefined): void {
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

  closeStage(): void {
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

  finish(reason: 'finished' | 'stopped'): void {
    this.finished = true;
    const metrics = this.scoreBook.runEndMetrics(this.tasks, this.step);
    this.emit({ type: 'run-end', ...this.stamp(), metrics, reason });
  }

  // ---------------------------------------------------------------------------------------------- one env step

  envStep(): void {
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

  trainStep(): void {
    this.ctxTask = this.stages[this.stageIndex]!.task;
    const batch = this.batches.get(this.config.taskDqn[this.ctxTask]!.batchSize)!;
    const extra = this.strategy.fillBatch?.(this.ctx, batch) ?? 0;
    this.replay.sample(this.rng, batch, 0, batch.size - extra);
    let before: Float32Array[] | undefined;
    let grads: Float32Array[] | undefined;
    if (this.strategy.needsUpdateDeltas) {
      before = readVariables(this.model.variables);
      // The update itself writes the TD loss's gradient (no penalty, before clipping) here: no second pass.
      grads = this.tdGradientArrays ??= this.model.variables.map((v) => new Float32Array(v.size));
    }
    this.updateOptions.tdGradients = grads ?? null;
    const penalize = this.strategy.penalty && (this.strategy.penaltyActive?.(this.ctx) ?? true);
    this.updateOptions.penalty = penalize ? this.strategy.penalty!(this.ctx) : null;
    const loss = this.agent.update(batch, this.updateOptions);
    this.lastLoss = loss;
    this.strategy.afterUpdate?.(this.ctx, { loss, before, grads });
  }

  resetEpisode(): void {
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

  // ---------------------------------------------------------------------------------------------- helpers

  /** Greedy-evaluate every task (score-book.ts); returns the normalized scores (the R row). */
  evaluateAll(): (number | null)[] {
    const plugin = this.strategy;
    return this.scoreBook.evaluateAll(
      this.tasks,
      () => this.stamp(),
      (e) => this.emit(e),
      plugin.evalWeights ? (task) => plugin.evalWeights!(this.ctx, task) : undefined,
    );
  }

  epsilon(): number {
    const stage = this.currentStage();
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
  applyStageSettings(): void {
    const stage = this.currentStage();
    const dqn = this.config.taskDqn[stage.task]!;
    this.agent.setLearningRate(scheduledLearningRate(dqn, this.stageStep / stage.steps));
    this.agent.setTau(dqn.tau);
  }

  /** The stage being trained (the last one once the run has finished). */
  currentStage(): ScheduledStage {
    return this.stages[Math.min(this.stageIndex, this.stages.length - 1)]!;
  }

  /** Replace task `task`'s environment parameters (its train env and evaluator are rebuilt). */
  setTaskParams(task: number, given: Record<string, number>): TaskDef {
    const next = taskWithParams(this.tasks[task]!, given);
    this.tasks[task] = next;
    this.trainEnvs[task] = makeEnv(next.envId, next.params);
    this.scoreBook.setTask(task, next);
    return next;
  }

  stamp(): { step: number; t: number } {
    return { step: this.step, t: Math.max(0, Math.round(this.tOffset + this.clock() - this.t0)) };
  }

  emit(e: RunEvent): void {
    this.scoreBook.record(e);
    this.observer?.onEvent(e);
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
}
