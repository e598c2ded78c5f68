/**
 * The real Engine: ContinualRunner (src/continual/runner.ts) behind the trainer service's interface.
 * Builds the RunConfig from a `start` command (sequence = a built-in name or inline tasks — never a file
 * path from the UI; strategy; λ as a strategy option; seed; extra RunConfig fields from `config`), and
 * resumes a recorded session from its last checkpoint (or from scratch when it has none).
 */
import { makeEnv } from '../../envs/index';
import type { Env } from '../../envs/types';
import { ContinualRunner } from '../continual/runner';
import { scheduleOf } from './schedule';
import { BUILTIN_SEQUENCES } from '../continual/sequences';
import type { EnvParams, RunEvent, RunObserver } from '../session/events';
import type { BackendChoice } from '../tf/backend';
import type { SequenceRef, StartCommand } from '../protocol/messages';
import type {
  Engine,
  EngineFactory,
  EngineFrame,
  EngineMetrics,
  EngineResumeOptions,
  EngineStartOptions,
  EngineStatus,
  EngineTask,
} from './engine';

/**
 * The sequence as the continual engine accepts it: strings must name a built-in sequence; inline tasks edited
 * from a built-in one (`base`) take its DQN hyperparameters and strategy settings.
 */
export function sequenceInput(sequence: SequenceRef): unknown {
  if (typeof sequence !== 'string') {
    const { base, ...inline } = sequence;
    if (base === undefined) return inline;
    const spec = builtinSequence(base);
    return {
      ...inline,
      name: inline.name ?? `${base} (edited)`,
      ...(spec.dqn ? { dqn: spec.dqn } : {}),
      ...(spec.strategies ? { strategies: spec.strategies } : {}),
    };
  }
  builtinSequence(sequence);
  return sequence;
}

function builtinSequence(name: string): (typeof BUILTIN_SEQUENCES)[string] {
  if (!Object.hasOwn(BUILTIN_SEQUENCES, name)) {
    throw new Error(`Unknown sequence "${name}" (built-in: ${Object.keys(BUILTIN_SEQUENCES).join(', ')}).`);
  }
  return BUILTIN_SEQUENCES[name]!;
}

/** RunConfig input for a `start` command; the runner validates it (strictly) and names any bad field. */
export function runConfigFor(start: StartCommand): Record<string, unknown> {
  const extra = { ...(start.config ?? {}) };
  const given = extra.strategyOptions;
  const strategyOptions =
    typeof given === 'object' && given !== null && !Array.isArray(given) ? { ...given } : {};
  if (start.lambda !== undefined) (strategyOptions as Record<string, unknown>).lambda = start.lambda;
  return {
    ...extra,
    sequence: sequenceInput(start.sequence),
    strategy: start.strategy,
    strategyOptions,
    seed: start.seed,
  };
}

/** Wraps the observer to know the run clock (`t`) between events. */
class ClockedObserver implements RunObserver {
  private lastT = 0;
  private lastAt = performance.now();
  constructor(private readonly inner: RunObserver) {}
  onEvent(e: RunEvent): void {
    this.lastT = e.t;
    this.lastAt = performance.now();
    this.inner.onEvent(e);
  }
  /** ms since the run started, now. */
  now(): number {
    return Math.round(this.lastT + (performance.now() - this.lastAt));
  }
}

export class RunnerEngine implements Engine {
  constructor(
    private readonly runner: ContinualRunner,
    private readonly clock: ClockedObserver,
  ) {}

  get tasks(): EngineTask[] {
    return this.runner
      .taskDefs()
      .map((t) => ({ label: t.label, envId: t.envId, params: { ...t.givenParams } }));
  }

  advance(maxEnvSteps: number): Promise<boolean> {
    return this.runner.advance(maxEnvSteps);
  }

  switchTask(index: number): void {
    this.runner.switchTask(index);
  }

  setStrategyParam(name: string, value: number): void {
    this.runner.setStrategyParam(name, value);
  }

  setEnvParams(task: number, params: EnvParams): void {
    this.runner.setEnvParams(task, params);
  }

  mark(label: string): void {
    this.runner.mark(label);
  }

  status(): EngineStatus {
    const s = this.runner.status();
    return {
      step: s.step,
      taskIndex: s.taskIndex,
      epsilon: s.epsilon,
      stepsPerSec: s.stepsPerSec,
      done: s.done,
      t: this.clock.now(),
      schedule: scheduleOf(this.runner),
    };
  }

  /**
   * The frame of the episode being trained. Works before the first step too (the envs show their initial
   * state); a failure (e.g. the agent's forward pass) is thrown to the service, which pauses and tells the
   * user, rather than leaving the live view silently frozen.
   */
  liveFrame(withQValues: boolean): EngineFrame | null {
    const e = this.runner.currentEpisode();
    const snapshot = e.env.snapshot();
    if (!withQValues) return { task: e.task, snapshot };
    return { task: e.task, snapshot, qValues: this.runner.agent.qValues(e.observation, e.task) };
  }

  makeTaskEnv(task: number): Env {
    const t = this.runner.taskDefs()[task];
    if (!t) throw new Error(`There is no task ${task}.`);
    return makeEnv(t.envId, t.params);
  }

  observationSize(task: number): number {
    const t = this.runner.taskDefs()[task];
    if (!t) throw new Error(`There is no task ${task}.`);
    return t.observationSize;
  }

  greedyAction(observation: Float32Array, task: number): number {
    return this.runner.agent.greedyAction(observation, task);
  }

  metrics(): EngineMetrics {
    const r = this.runner.result();
    return {
      matrix: r.matrix,
      stageTasks: r.stageTasks,
      acc: r.acc,
      accSeen: r.accSeen,
      forgetting: r.forgetting,
      bwt: r.bwt,
      fwt: r.fwt,
    };
  }

  saveCheckpoint(dir: string): Promise<void> {
    return this.runner.saveCheckpoint(dir);
  }

  stop(): void {
    this.runner.stop();
  }

  dispose(): void {
    this.runner.dispose();
  }
}

export function createRunnerEngineFactory(): EngineFactory {
  return {
    async create({ start, observer, backend }: EngineStartOptions): Promise<Engine> {
      const clock = new ClockedObserver(observer);
      const runner = new ContinualRunner(runConfigFor(start), clock, { backend });
      // Emits run-start (the recorder creates the session folder) and the untrained baseline evaluation.
      await runner.advance(0);
      return new RunnerEngine(runner, clock);
    },
    async resume({ prepared, observer, backend }: EngineResumeOptions): Promise<Engine> {
      const clock = new ClockedObserver(observer);
      const runner: ContinualRunner = prepared.checkpoint
        ? await ContinualRunner.resume(prepared.checkpoint.absDir, clock, {
            backend: backend as BackendChoice,
          })
        : new ContinualRunner(prepared.config, clock, { backend });
      await runner.advance(0);
      return new RunnerEngine(runner, clock);
    },
  };
}
