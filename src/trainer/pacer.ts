/**
 * Pacer: how many env steps the trainer runs in its next chunk, for each speed mode.
 *
 * - `max`: chunks sized to take about CHUNK_MS, so commands and frames are handled between chunks while
 *   the per-chunk overhead stays small (the trainer is not throttled; only the view is).
 * - `realtime`: the env's natural rate, `renderFps` of its kind declaration (envs/catalog.ts; Gymnasium's
 *   `render_fps`, e.g. CartPole 50 steps per second).
 * - `fixed`: the given steps per second.
 * Paced modes use a step credit that accrues with wall time (capped, so a stall does not cause a burst).
 */
import { renderFps } from '../../envs/catalog';
import type { SnapshotKind } from '../../envs/types';
import type { Speed } from '../protocol/messages';

/** Target duration of one chunk at max speed (ms). */
export const CHUNK_MS = 25;
/** Largest chunk, whatever the measured speed. */
export const MAX_CHUNK_STEPS = 10_000;
/** Credit never exceeds this much time's worth of steps (ms). */
const MAX_CREDIT_MS = 100;
/** Smoothing of the measured ms per step (exponential moving average weight of the newest chunk). */
const EMA_WEIGHT = 0.3;

/** Env steps per second that look like real time for a snapshot kind (its declared `renderFps`). */
export function realtimeStepsPerSec(kind: SnapshotKind): number {
  return renderFps(kind);
}

export interface PaceDecision {
  /** Steps to run now (0: wait). */
  steps: number;
  /** When `steps` is 0, ms until the next step is due. */
  waitMs: number;
}

export class Pacer {
  private speed: Speed = { mode: 'max' };
  private msPerStep = 1;
  private credit = 0;
  private lastTime: number | undefined;

  get current(): Speed {
    return this.speed;
  }

  setSpeed(speed: Speed): void {
    this.speed = speed;
    this.credit = 0;
    this.lastTime = undefined;
  }

  /** Record how long the last chunk took. */
  observe(steps: number, elapsedMs: number): void {
    if (steps <= 0 || !(elapsedMs >= 0)) return;
    const sample = Math.max(elapsedMs / steps, 1e-3);
    this.msPerStep = this.msPerStep * (1 - EMA_WEIGHT) + sample * EMA_WEIGHT;
  }

  /** The next chunk at time `now` (ms) for an env whose real-time rate is `realtimeRate` steps/s. */
  next(now: number, realtimeRate: number): PaceDecision {
    const fit = Math.max(1, Math.min(MAX_CHUNK_STEPS, Math.round(CHUNK_MS / this.msPerStep)));
    if (this.speed.mode === 'max') return { steps: fit, waitMs: 0 };
    const rate = this.speed.mode === 'fixed' ? this.speed.stepsPerSecond : realtimeRate;
    if (this.lastTime === undefined) {
      this.lastTime = now;
      this.credit = 1; // the first step is due immediately
    } else {
      const elapsed = Math.max(0, now - this.lastTime);
      this.lastTime = now;
      this.credit = Math.min(
        this.credit + (rate * elapsed) / 1000,
        Math.max(1, (rate * MAX_CREDIT_MS) / 1000),
      );
    }
    const steps = Math.min(Math.floor(this.credit), fit);
    if (steps >= 1) {
      this.credit -= steps;
      return { steps, waitMs: 0 };
    }
    return { steps: 0, waitMs: Math.max(1, Math.ceil(((1 - this.credit) * 1000) / rate)) };
  }
}

/** A time gate: `due(now)` is true at most once per `intervalMs` (or per the interval given to `due`). */
export class Throttle {
  private last = -Infinity;
  constructor(private readonly intervalMs: number) {}

  due(now: number, intervalMs = this.intervalMs): boolean {
    if (now - this.last < intervalMs) return false;
    this.last = now;
    return true;
  }

  /** Make the next `due` true regardless of time. */
  reset(): void {
    this.last = -Infinity;
  }
}
