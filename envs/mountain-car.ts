/**
 * MountainCar-v0, faithful to Gymnasium's `gymnasium/envs/classic_control/mountain_car.py` (Moore 1990):
 * a car in a valley must rock back and forth to reach the flag on the right hill.
 *
 * ## Actions (Discrete(3))
 * 0: accelerate left, 1: do not accelerate, 2: accelerate right.
 *
 * ## Observation (Float32Array(2), the float64 state rounded to float32)
 * | # | component          | min   | max  |
 * |---|--------------------|-------|------|
 * | 0 | position (m)       | −1.2  | 0.6  |
 * | 1 | velocity (m/step)  | −0.07 | 0.07 |
 * State (`getState`, float64): `[position, velocity]`.
 *
 * ## Dynamics (one step, Gymnasium's order)
 * v ← v + (a − 1)·force + cos(3p)·(−gravity); v ← clip(v, ±0.07); p ← p + v; p ← clip(p, −1.2, 0.6);
 * if p = −1.2 and v < 0 then v ← 0 (inelastic left wall).
 *
 * ## Reward
 * −1 for every step (including the terminating one).
 *
 * ## Starting state
 * position uniform in [−0.6, −0.4), velocity 0.
 *
 * ## Episode end
 * - Termination: position ≥ 0.5 and velocity ≥ 0 (the goal velocity).
 * - Truncation: 200 steps.
 *
 * ## Parameters (defaults are Gymnasium's)
 * force (0.001), gravity (0.0025) — per-step velocity units, as in Gymnasium.
 */
import { z } from 'zod';
import { EpisodeEnv } from './episode-env';
import { defineEnvKind } from './kind';
import type { EnvSnapshot, EnvSpec } from './types';
import { resolveParams } from './validate';

const MIN_POSITION = -1.2; // m
const MAX_POSITION = 0.6; // m
const MAX_SPEED = 0.07; // m/step
const GOAL_POSITION = 0.5; // m
const GOAL_VELOCITY = 0; // m/step

export class MountainCar extends EpisodeEnv {
  static readonly ID = 'MountainCar-v0';
  static readonly MIN_POSITION = MIN_POSITION;
  static readonly MAX_POSITION = MAX_POSITION;
  static readonly MAX_SPEED = MAX_SPEED;
  static readonly GOAL_POSITION = GOAL_POSITION;
  static readonly GOAL_VELOCITY = GOAL_VELOCITY;
  static readonly FORCE = 0.001; // velocity change per step from the engine
  static readonly GRAVITY = 0.0025; // velocity change per step from the slope (scaled by cos 3p)
  static readonly RESET_LOW = -0.6; // m
  static readonly RESET_HIGH = -0.4; // m
  static readonly MAX_EPISODE_STEPS = 200;

  /** Snapshot and frame rate (Gymnasium's render_fps 30). */
  static readonly KIND = defineEnvKind(
    30,
    z.object({
      kind: z.literal('MountainCar'),
      position: z.number(),
      velocity: z.number(),
      minPosition: z.number(),
      maxPosition: z.number(),
      goalPosition: z.number(),
    }),
  );

  static readonly SPEC: EnvSpec = {
    id: MountainCar.ID,
    description: 'Drive an under-powered car up a hill by building momentum (Gymnasium MountainCar-v0).',
    family: 'classic',
    observationSize: 2,
    observationMeaning: ['car position (m), [-1.2, 0.6]', 'car velocity (m/step), [-0.07, 0.07]'],
    actionCount: 3,
    actionNames: ['accelerate left', 'no acceleration', 'accelerate right'],
    params: [
      {
        name: 'force',
        description: 'engine force (velocity change per step)',
        default: 0.001,
        min: 0.0002,
        max: 0.005,
      },
      {
        name: 'gravity',
        description: 'gravity (velocity change per step, times cos 3p)',
        default: 0.0025,
        min: 0.0005,
        max: 0.01,
      },
    ],
    maxEpisodeSteps: MountainCar.MAX_EPISODE_STEPS,
    rewardThreshold: -110,
    // Measured: `npx tsx bench/random-returns.ts` (10,000 episodes, seed 0).
    randomReturn: -200,
  };

  private readonly force: number;
  private readonly gravity: number;
  private position = 0;
  private velocity = 0;

  constructor(params?: object) {
    const p = resolveParams(MountainCar.ID, MountainCar.SPEC.params, params);
    super(MountainCar.SPEC, p);
    this.force = p.force!;
    this.gravity = p.gravity!;
  }

  protected sampleInitialState(): void {
    this.position = this.rng.uniformRange(MountainCar.RESET_LOW, MountainCar.RESET_HIGH);
    this.velocity = 0;
  }

  protected advance(action: number): number {
    let velocity = this.velocity + ((action - 1) * this.force + Math.cos(3 * this.position) * -this.gravity);
    // np.clip, written inline: min(max(v, low), high). Module constants (not class fields) keep the
    // values unboxed in optimized code, so a step allocates nothing.
    if (velocity < -MAX_SPEED) velocity = -MAX_SPEED;
    else if (velocity > MAX_SPEED) velocity = MAX_SPEED;
    let position = this.position + velocity;
    if (position < MIN_POSITION) position = MIN_POSITION;
    else if (position > MAX_POSITION) position = MAX_POSITION;
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    this.position = position;
    this.velocity = velocity;
    this.terminatedNow = position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
    return -1.0;
  }

  protected writeObservation(out: Float32Array): void {
    out[0] = this.position;
    out[1] = this.velocity;
  }

  protected stateNames(): readonly string[] {
    return ['position', 'velocity'];
  }

  protected readState(): number[] {
    return [this.position, this.velocity];
  }

  protected writeState(s: readonly number[]): void {
    this.position = s[0]!;
    this.velocity = s[1]!;
  }

  snapshot(): EnvSnapshot {
    return {
      kind: 'MountainCar',
      position: this.position,
      velocity: this.velocity,
      minPosition: MountainCar.MIN_POSITION,
      maxPosition: MountainCar.MAX_POSITION,
      goalPosition: MountainCar.GOAL_POSITION,
    };
  }
}
