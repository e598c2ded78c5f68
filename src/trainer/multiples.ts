/**
 * Small multiples: every task of the sequence played side by side by the CURRENT greedy policy, one env
 * step per task per tick, so the user watches old skills decay (or hold, with EWC). Each task has its own
 * env, reset with seeds from a private Rng, so playing never touches the training run's randomness.
 */
import { Rng } from '../../envs/rng';
import type { Env } from '../../envs/types';
import type { LabEventOf } from '../protocol/messages';
import type { Engine } from './engine';

type MultipleFrame = LabEventOf<'multiples'>['frames'][number];

interface Player {
  env: Env;
  observation: Float32Array;
  episodeReturn: number;
  lastReturn: number | null;
}

/** Seed of the private generator for episode resets (fixed: playing is for viewing only). */
const PLAY_SEED = 0x5eed;

export class MultiplesPlayer {
  private readonly players: Player[];
  private readonly rng = new Rng(PLAY_SEED);

  constructor(private readonly engine: Engine) {
    this.players = engine.tasks.map((_, task) => this.makePlayer(task));
  }

  /** Rebuild a task's env (after its parameters changed). */
  refresh(task: number): void {
    if (task >= 0 && task < this.players.length) this.players[task] = this.makePlayer(task);
  }

  /** One greedy step in every task's env; returns the frames to show. */
  tick(): MultipleFrame[] {
    const frames: MultipleFrame[] = [];
    for (let task = 0; task < this.players.length; task++) {
      const p = this.players[task]!;
      const action = this.engine.greedyAction(p.observation, task);
      const r = p.env.step(action);
      p.episodeReturn += r.reward;
      if (r.terminated || r.truncated) {
        p.lastReturn = p.episodeReturn;
        p.episodeReturn = 0;
        p.observation = p.env.reset(this.rng.integer(2 ** 31 - 1)).observation;
      } else {
        p.observation = r.observation;
      }
      frames.push(this.frameOf(task));
    }
    return frames;
  }

  /** Frames without stepping (e.g. right after a run starts). */
  frames(): MultipleFrame[] {
    return this.players.map((_, task) => this.frameOf(task));
  }

  private frameOf(task: number): MultipleFrame {
    const p = this.players[task]!;
    return {
      task,
      label: this.engine.tasks[task]!.label,
      snapshot: p.env.snapshot(),
      episodeReturn: p.episodeReturn,
      lastReturn: p.lastReturn,
    };
  }

  private makePlayer(task: number): Player {
    const env = this.engine.makeTaskEnv(task);
    const observation = env.reset(this.rng.integer(2 ** 31 - 1)).observation;
    return { env, observation, episodeReturn: 0, lastReturn: null };
  }
}
