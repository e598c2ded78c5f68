/**
 * Single-task DQN training loop with Stable-Baselines3 semantics (used by `cli train` and the benchmark).
 *
 * Per env step (SB3 `collect_rollouts` + `DQN._on_step`):
 *   ε = linear schedule at progress step/totalSteps;
 *   action = uniform random while step < learningStarts, else ε-greedy;
 *   env.step → replay.add(obs, a, r, next_obs, terminated) → step += 1;
 *   every `targetUpdateInterval` ENV steps: target ← online (Polyak with tau; tau = 1 is a hard copy);
 *   after every `trainFreq` steps (a "round"), if step > learningStarts: `gradientSteps` updates
 *   (−1 = as many as env steps collected in the round), at the learning rate of `learningRateSchedule`.
 * The run stops at exactly `totalSteps` env steps (SB3 rounds up to a whole round; we cut the last round).
 *
 * Determinism: one Rng seeded with `seed` drives weight init, ε-greedy and random actions, replay sampling
 * and the reset seed of every training episode (each reset passes an explicit seed, so the env holds no
 * hidden random state and a checkpoint can rebuild the current episode by replaying its actions).
 * The trainer is steppable (`advance(n)`) so callers can interleave progress reports and checkpoints.
 */
import { makeEnv } from '../../envs/index';
import { Rng } from '../../envs/rng';
import type { Env } from '../../envs/types';
import { DqnAgent } from './agent';
import { scheduledLearningRate, type DqnConfig } from './config';
import { evaluateGreedy, type EvaluationResult } from './evaluate';
import { rebuildEpisode } from './episode-rebuild';
import { createBatch, ReplayBuffer, type ReplayBatch, type Transition } from './replay';
import { linearEpsilon } from './schedule';

export interface DqnTrainerOptions {
  envId: string;
  /** Parameters of a parametric environment (validated by the env). */
  envParams?: Record<string, number | boolean>;
  config: DqnConfig;
  seed: number;
}

/** Episodes kept for the "recent return" shown in progress (SB3 keeps 100). */
export const RECENT_EPISODES = 100;

export interface TrainStatus {
  step: number;
  totalSteps: number;
  epsilon: number;
  episodes: number;
  updates: number;
  /** Mean return of the last ≤100 finished training episodes (NaN before the first). */
  recentReturn: number;
  /** TD loss of the last gradient step (NaN before the first). */
  loss: number;
  done: boolean;
}

/** The trainer's plain-data state besides agent and replay (what a checkpoint stores in JSON). */
export interface TrainerCounters {
  step: number;
  /** Env steps collected in the current training round. */
  collected: number;
  episodes: number;
  evalSeed: number;
  rngState: number[];
  episodeSeed: number;
  episodeActions: number[];
  episodeReturn: number;
  recentReturns: number[];
  lastLoss: number | null;
}

export class DqnTrainer {
  readonly envId: string;
  readonly envParams: Record<string, number | boolean> | undefined;
  readonly config: DqnConfig;
  readonly seed: number;
  readonly env: Env;
  readonly agent: DqnAgent;
  readonly replay: ReplayBuffer;
  private readonly rng: Rng;
  private readonly batch: ReplayBatch;
  private readonly transition: Transition;
  private readonly observation: Float32Array;
  private evalSeed: number;
  private evalEnv: Env | undefined;
  private stepCount = 0;
  private collected = 0;
  private episodes = 0;
  private episodeSeed = 0;
  private episodeActions: number[] = [];
  private episodeReturn = 0;
  private recentReturns: number[] = [];
  private lastLoss = Number.NaN;

  constructor(options: DqnTrainerOptions) {
    const { envId, envParams, config, seed } = options;
    this.envId = envId;
    this.envParams = envParams ? { ...envParams } : undefined;
    this.config = config;
    this.seed = seed;
    this.env = makeEnv(envId, envParams);
    this.rng = new Rng(seed);
    this.evalSeed = this.rng.deriveSeed();
    this.agent = new DqnAgent({
      config,
      tasks: [{ observationSize: this.env.observationSize, actionCount: this.env.actionCount }],
      rng: this.rng,
    });
    this.replay = new ReplayBuffer({
      capacity: config.bufferSize,
      observationSize: this.env.observationSize,
    });
    this.batch = createBatch(config.batchSize, this.env.observationSize);
    this.observation = new Float32Array(this.env.observationSize);
    this.transition = {
      observation: this.observation,
      action: 0,
      reward: 0,
      nextObservation: this.observation,
      terminated: false,
      task: 0,
    };
    this.startEpisode();
  }

  get totalSteps(): number {
    return this.config.totalSteps;
  }

  get done(): boolean {
    return this.stepCount >= this.config.totalSteps;
  }

  epsilon(): number {
    const c = this.config;
    return linearEpsilon(
      { initial: c.explorationInitialEps, final: c.explorationFinalEps, fraction: c.explorationFraction },
      this.stepCount,
      c.totalSteps,
    );
  }

  /** Train up to `maxSteps` more env steps; returns false once `totalSteps` is reached. */
  advance(maxSteps: number): boolean {
    const end = Math.min(this.config.totalSteps, this.stepCount + Math.max(0, Math.floor(maxSteps)));
    while (this.stepCount < end) this.stepOnce();
    return !this.done;
  }

  status(): TrainStatus {
    const n = this.recentReturns.length;
    return {
      step: this.stepCount,
      totalSteps: this.config.totalSteps,
      epsilon: this.epsilon(),
      episodes: this.episodes,
      updates: this.agent.updates,
      recentReturn: n ? this.recentReturns.reduce((a, b) => a + b, 0) / n : Number.NaN,
      loss: this.lastLoss,
      done: this.done,
    };
  }

  /**
   * Greedy evaluation on a separate env instance. `purpose` picks the episode seeds: 'final' (the reported
   * evaluation, the same seeds every call) or 'selection' (periodic evaluations that choose a best model,
   * on other seeds so the reported number is not measured on the episodes that selected it).
   */
  evaluate(episodes = this.config.evalEpisodes, purpose: 'final' | 'selection' = 'final'): EvaluationResult {
    this.evalEnv ??= makeEnv(this.envId, this.envParams);
    // Both seeds follow from the run's Rng (evalSeed is its first draw); the selection seed is a fixed
    // transform of it, so periodic evaluations draw nothing from the training Rng.
    const seed = purpose === 'final' ? this.evalSeed : (this.evalSeed ^ 0x5bd1e995) >>> 0;
    return evaluateGreedy({ env: this.evalEnv, policy: this.agent, task: 0, episodes, seed });
  }

  getCounters(): TrainerCounters {
    return {
      step: this.stepCount,
      collected: this.collected,
      episodes: this.episodes,
      evalSeed: this.evalSeed,
      rngState: this.rng.getState(),
      episodeSeed: this.episodeSeed,
      episodeActions: [...this.episodeActions],
      episodeReturn: this.episodeReturn,
      recentReturns: [...this.recentReturns],
      lastLoss: Number.isNaN(this.lastLoss) ? null : this.lastLoss,
    };
  }

  /** Restore counters and rebuild the current episode by replaying its actions from its reset seed. */
  setCounters(c: TrainerCounters): void {
    this.stepCount = c.step;
    this.collected = c.collected;
    this.episodes = c.episodes;
    this.evalSeed = c.evalSeed;
    this.rng.setState(c.rngState);
    this.episodeSeed = c.episodeSeed;
    this.episodeReturn = c.episodeReturn;
    this.recentReturns = [...c.recentReturns];
    this.lastLoss = c.lastLoss ?? Number.NaN;
    rebuildEpisode(this.env, c.episodeSeed, c.episodeActions, this.observation);
    this.episodeActions = [...c.episodeActions];
  }

  dispose(): void {
    this.agent.dispose();
  }

  private startEpisode(): void {
    this.episodeSeed = this.rng.deriveSeed();
    this.observation.set(this.env.reset(this.episodeSeed).observation);
    this.episodeActions.length = 0;
    this.episodeReturn = 0;
  }

  private stepOnce(): void {
    const c = this.config;
    const action =
      this.stepCount < c.learningStarts
        ? this.rng.integer(this.env.actionCount)
        : this.agent.act(this.observation, 0, this.epsilon());
    const result = this.env.step(action);
    const t = this.transition;
    t.action = action;
    t.reward = result.reward;
    // The real next observation, also on truncation (a time-limit cut still bootstraps from it);
    // `terminated` alone decides whether the target bootstraps.
    t.nextObservation = result.observation;
    t.terminated = result.terminated;
    this.replay.add(t);
    this.episodeActions.push(action);
    this.episodeReturn += result.reward;
    this.stepCount += 1;
    this.collected += 1;

    if (this.stepCount % c.targetUpdateInterval === 0) this.agent.updateTarget();

    if (result.terminated || result.truncated) {
      this.episodes += 1;
      this.recentReturns.push(this.episodeReturn);
      if (this.recentReturns.length > RECENT_EPISODES) this.recentReturns.shift();
      this.startEpisode();
    } else {
      this.observation.set(result.observation); // obs = next_obs (copied: env result buffers are reused)
    }

    if (this.collected >= c.trainFreq || this.done) {
      if (this.stepCount > c.learningStarts) {
        const steps = c.gradientSteps < 0 ? this.collected : c.gradientSteps;
        // SB3 sets the learning rate from the schedule once per training round.
        if (c.learningRateSchedule !== 'constant') {
          this.agent.setLearningRate(scheduledLearningRate(c, this.stepCount / c.totalSteps));
        }
        for (let i = 0; i < steps; i++) {
          this.replay.sample(this.rng, this.batch);
          this.lastLoss = this.agent.update(this.batch);
        }
      }
      this.collected = 0;
    }
  }
}
