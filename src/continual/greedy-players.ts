/**
 * GreedyPlayers: for the UI's small-multiples view, one environment per task played by the CURRENT greedy
 * policy, one step per call. Episodes restart by themselves (seeds from a private generator derived from
 * the run seed, so watching never changes the training run's random stream). Observations are copied
 * into preallocated arrays; the only per-step allocation is tfjs's forward pass and the snapshot object.
 */
import { makeEnv, type Env, type EnvSnapshot } from '../../envs';
import { Rng } from '../../envs/rng';
import type { DqnAgent } from '../dqn/agent';
import type { TaskDef } from './sequence';

export interface PlayerFrame {
  task: number;
  snapshot: EnvSnapshot;
  /** Return of the episode so far. */
  episodeReturn: number;
  episodeStep: number;
  /** Finished episodes of this player. */
  episodes: number;
  /** Return of the last finished episode (null before the first ends). */
  lastReturn: number | null;
  /** The step that produced this frame ended the episode (the next call starts a new one). */
  done: boolean;
}

interface Player {
  env: Env;
  obs: Float32Array;
  episodeReturn: number;
  episodeStep: number;
  episodes: number;
  lastReturn: number | null;
  needsReset: boolean;
}

export class GreedyPlayers {
  private players: Player[];
  private readonly rng: Rng;

  constructor(
    private readonly agent: DqnAgent,
    tasks: readonly TaskDef[],
    seed: number,
  ) {
    this.rng = new Rng((seed ^ 0x5eed) >>> 0);
    this.players = tasks.map((t) => this.makePlayer(t));
  }

  get count(): number {
    return this.players.length;
  }

  /** Rebuild one task's player (after its env parameters changed). */
  setTask(task: TaskDef): void {
    this.players[task.index] = this.makePlayer(task);
  }

  /** Advance task `taskIndex`'s player by one greedy step (starting a new episode when needed). */
  step(taskIndex: number): PlayerFrame {
    const p = this.players[taskIndex];
    if (!p) throw new Error(`GreedyPlayers: task ${taskIndex} is outside [0, ${this.players.length})`);
    if (p.needsReset) {
      p.obs.set(p.env.reset(this.rng.deriveSeed()).observation);
      p.episodeReturn = 0;
      p.episodeStep = 0;
      p.needsReset = false;
    }
    const action = this.agent.greedyAction(p.obs, taskIndex);
    const r = p.env.step(action);
    p.episodeReturn += r.reward;
    p.episodeStep += 1;
    const done = r.terminated || r.truncated;
    if (done) {
      p.episodes += 1;
      p.lastReturn = p.episodeReturn;
      p.needsReset = true;
    } else {
      p.obs.set(r.observation);
    }
    return {
      task: taskIndex,
      snapshot: p.env.snapshot(),
      episodeReturn: p.episodeReturn,
      episodeStep: p.episodeStep,
      episodes: p.episodes,
      lastReturn: p.lastReturn,
      done,
    };
  }

  /** One step of every task's player, in task order. */
  stepAll(): PlayerFrame[] {
    return this.players.map((_, i) => this.step(i));
  }

  private makePlayer(task: TaskDef): Player {
    const env = makeEnv(task.envId, task.params);
    return {
      env,
      obs: new Float32Array(env.observationSize),
      episodeReturn: 0,
      episodeStep: 0,
      episodes: 0,
      lastReturn: null,
      needsReset: true,
    };
  }
}
