/**
 * A tfjs-free Engine for the trainer service's tests: real envs from envs/, a seeded random "policy",
 * and the RunEvents a continual run emits (run-start, task-start, episode, eval, eval-episode, task-end,
 * param-change, run-end), so the service, the recorder and playback can be exercised in milliseconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeEnv } from '../../envs/index';
import { Rng } from '../../envs/rng';
import type { Env } from '../../envs/types';
import type { EnvParams, RunObserver } from '../../src/session/events';
import type { SequenceRef } from '../../src/protocol/messages';
import type {
  Engine,
  EngineFactory,
  EngineMetrics,
  EngineStartOptions,
  EngineStatus,
  EngineTask,
} from '../../src/trainer/engine';

interface Stage {
  task: number;
  steps: number;
}

export function fakeTasks(sequence: SequenceRef): { tasks: EngineTask[]; stages: Stage[] } {
  if (typeof sequence === 'string') {
    if (sequence !== 'fake-grid') throw new Error(`Unknown sequence "${sequence}" (known: fake-grid)`);
    return fakeTasks({
      tasks: [
        { env: 'Grid-Empty-6x6-v0', steps: 200, label: 'Empty' },
        { env: 'Grid-FourRooms-GoalNE-v0', steps: 200, label: 'Rooms NE' },
      ],
    });
  }
  const tasks = sequence.tasks.map((t) => ({
    label: t.label ?? t.env,
    envId: t.env,
    params: t.params ?? {},
  }));
  for (const t of tasks) makeEnv(t.envId, t.params); // validates
  return { tasks, stages: sequence.tasks.map((t, i) => ({ task: i, steps: t.steps })) };
}

export class FakeEngine implements Engine {
  readonly tasks: EngineTask[];
  private readonly stages: Stage[];
  private readonly observer: RunObserver;
  private readonly rng: Rng;
  private env: Env;
  private stage = 0;
  private stageStep = 0;
  private step = 0;
  private task = 0;
  private episode = 0;
  private episodeReturn = 0;
  private episodeLength = 0;
  private finished = false;
  private readonly matrix: (number | null)[][] = [];
  readonly calls: string[] = [];
  /** Throw from advance (tests the error path). */
  failNext = false;

  constructor(opts: EngineStartOptions) {
    const { tasks, stages } = fakeTasks(opts.start.sequence);
    this.tasks = tasks;
    this.stages = stages;
    this.observer = opts.observer;
    this.rng = new Rng(opts.start.seed);
    this.env = this.makeTaskEnv(0);
    this.env.reset(this.rng.deriveSeed());
    this.emit({
      type: 'run-start',
      config: { fake: true },
      sequence: typeof opts.start.sequence === 'string' ? opts.start.sequence : 'inline',
      strategy: opts.start.strategy,
      seed: opts.start.seed,
      backend: opts.backend,
    });
    this.startTask(0, 'scheduled');
  }

  private emit(e: Record<string, unknown> & { type: string }): void {
    this.observer.onEvent({ step: this.step, t: this.step, ...e } as never);
  }

  private startTask(task: number, source: 'scheduled' | 'manual'): void {
    const from = this.step > 0 || source === 'manual' ? this.task : undefined;
    this.task = task;
    this.env = this.makeTaskEnv(task);
    this.env.reset(this.rng.deriveSeed());
    const t = this.tasks[task]!;
    this.emit({
      type: 'task-start',
      task,
      label: t.label,
      envId: t.envId,
      params: t.params,
      source,
      ...(from === undefined ? {} : { from }),
    });
  }

  async advance(maxEnvSteps: number): Promise<boolean> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('fake failure');
    }
    for (let i = 0; i < maxEnvSteps && !this.finished; i++) {
      const r = this.env.step(this.rng.integer(this.env.actionCount));
      this.step++;
      this.stageStep++;
      this.episodeReturn += r.reward;
      this.episodeLength++;
      if (r.terminated || r.truncated) {
        this.emit({
          type: 'episode',
          task: this.task,
          episode: this.episode++,
          return: this.episodeReturn,
          length: this.episodeLength,
        });
        this.episodeReturn = 0;
        this.episodeLength = 0;
        this.env.reset(this.rng.deriveSeed());
      }
      if (this.stageStep >= this.stages[this.stage]!.steps) this.endStage();
    }
    return !this.finished;
  }

  private endStage(): void {
    const row = this.tasks.map((_, j) => {
      const mean = this.rng.uniform();
      this.emit({ type: 'eval', task: j, mean, normalized: mean, episodes: 1, returns: [mean] });
      const env = this.makeTaskEnv(j);
      const seed = this.rng.integer(1000);
      env.reset(seed);
      const actions: number[] = [];
      let ret = 0;
      for (let k = 0; k < 5; k++) {
        const a = this.rng.integer(env.actionCount);
        actions.push(a);
        const r = env.step(a);
        ret += r.reward;
        if (r.terminated || r.truncated) break;
      }
      const t = this.tasks[j]!;
      this.emit({
        type: 'eval-episode',
        task: j,
        envId: t.envId,
        params: t.params,
        seed,
        actions,
        return: ret,
        length: actions.length,
      });
      return mean;
    });
    this.matrix.push(row);
    this.emit({ type: 'task-end', task: this.task, matrixRow: row });
    this.stage++;
    this.stageStep = 0;
    if (this.stage >= this.stages.length) {
      this.finished = true;
      this.emit({ type: 'run-end', metrics: { acc: 0.5 }, reason: 'finished' });
    } else {
      this.startTask(this.stages[this.stage]!.task, 'scheduled');
    }
  }

  switchTask(index: number): void {
    this.calls.push(`switch ${index}`);
    this.startTask(index, 'manual');
  }

  setStrategyParam(name: string, value: number): void {
    this.calls.push(`param ${name}=${value}`);
    this.emit({ type: 'param-change', what: `strategy.${name}`, value });
  }

  setEnvParams(task: number, params: EnvParams): void {
    makeEnv(this.tasks[task]!.envId, params);
    this.tasks[task] = { ...this.tasks[task]!, params };
    this.emit({ type: 'param-change', what: 'env.params', value: params, task });
  }

  mark(label: string): void {
    this.emit({ type: 'marker', label });
  }

  status(): EngineStatus {
    return {
      step: this.step,
      taskIndex: this.task,
      epsilon: 0.5,
      stepsPerSec: 1000,
      done: this.finished,
      t: this.step,
    };
  }

  liveFrame(withQValues: boolean): {
    task: number;
    snapshot: ReturnType<Env['snapshot']>;
    qValues?: number[];
  } {
    return {
      task: this.task,
      snapshot: this.env.snapshot(),
      ...(withQValues ? { qValues: [0.1, 0.2, 0.3, 0.4] } : {}),
    };
  }

  makeTaskEnv(task: number): Env {
    const t = this.tasks[task]!;
    return makeEnv(t.envId, t.params);
  }

  observationSize(task: number): number {
    return this.makeTaskEnv(task).observationSize;
  }

  greedyAction(_observation: Float32Array, _task: number): number {
    return 2; // "forward" in the gridworlds
  }

  metrics(): EngineMetrics {
    return {
      matrix: this.matrix,
      acc: this.matrix.length ? 0.5 : null,
      forgetting: null,
      bwt: null,
      fwt: null,
    };
  }

  async saveCheckpoint(dir: string): Promise<void> {
    fs.writeFileSync(path.join(dir, 'fake.json'), JSON.stringify({ step: this.step }));
  }

  stop(): void {
    this.calls.push('stop');
    if (this.finished) return;
    this.finished = true;
    this.emit({ type: 'run-end', metrics: {}, reason: 'stopped' });
  }

  dispose(): void {
    this.calls.push('dispose');
  }
}

export function fakeFactory(): EngineFactory & { engines: FakeEngine[] } {
  const engines: FakeEngine[] = [];
  return {
    engines,
    async create(opts) {
      const e = new FakeEngine(opts);
      engines.push(e);
      return e;
    },
  };
}
