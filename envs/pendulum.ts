/**
 * PendulumDiscrete-v1: Gymnasium's Pendulum-v1 (`gymnasium/envs/classic_control/pendulum.py`) seen through
 * Gymnasium's own `DiscretizeAction(env, bins=5)` wrapper (`gymnasium/wrappers/transform_action.py`): the
 * inverted-pendulum swing-up with five torque levels, so a DQN can act on it. Same constants and the same
 * order of floating-point operations as Gymnasium, including its float32 torque arithmetic.
 *
 * ## Actions (Discrete(5))
 * Torque τ (N·m, positive counter-clockwise) on the free end, the centres of five equal bins of [−2, 2]
 * computed in float32 like the wrapper:
 * | # | torque (float32 value)           |
 * |---|----------------------------------|
 * | 0 | −1.6 (−1.600000023841858)        |
 * | 1 | −0.8 (−0.800000011920929)        |
 * | 2 | 0 (5.960464477539063e-8 = 2⁻²⁴)  |
 * | 3 | +0.8 (0.8000000715255737)        |
 * | 4 | +1.6 (1.600000023841858)         |
 * The middle bin is 2⁻²⁴, not 0, and bins 1 and 3 are not mirror images: float32 `linspace` rounding in
 * the wrapper, kept so transitions match Gymnasium bit for bit.
 *
 * ## Observation (Float32Array(3))
 * | # | component        | min  | max |
 * |---|------------------|------|-----|
 * | 0 | x = cos θ        | −1   | 1   |
 * | 1 | y = sin θ        | −1   | 1   |
 * | 2 | angular velocity | −8   | 8   |
 * θ is the angle from upright (0 = up), counter-clockwise positive. State (`getState`, float64):
 * `[θ, θ̇]`; θ is NOT wrapped (as in Gymnasium; it grows as the pendulum spins).
 *
 * ## Dynamics (one step, dt = 0.05 s, Gymnasium's order)
 * θ̇ ← clip(θ̇ + (3g/(2l)·sin θ + 3/(m·l²)·τ)·dt, ±8); θ ← θ + θ̇·dt (semi-implicit Euler).
 * The torque term 3/(m·l²)·τ is a float32 product, as in Gymnasium (τ is a float32 there).
 *
 * ## Reward
 * −(norm(θ)² + 0.1·θ̇² + 0.001·τ²), computed on the state BEFORE the step, where norm wraps θ to [−π, π)
 * (Gymnasium's `angle_normalize`, a floored modulo) and 0.001·τ² is a float32 product. Each step's reward
 * lies in [−16.2736044, 0]; 0 is upright, still, with no torque.
 *
 * ## Starting state
 * θ uniform in [−π, π), θ̇ uniform in [−1, 1) (Gymnasium's default reset bounds).
 *
 * ## Episode end
 * - Termination: never.
 * - Truncation: 200 steps (Gymnasium's registration of Pendulum-v1).
 *
 * ## Parameters (defaults are Gymnasium's)
 * gravity g (10 m/s², Gymnasium's `g` argument), mass m (1 kg) and length l (1 m) of the rod.
 *
 * ## Constants
 * max speed 8 rad/s, max torque 2 N·m (clip before the bins, which stay inside it), dt 0.05 s,
 * render_fps 30.
 */
import { z } from 'zod';
import { EpisodeEnv } from './episode-env';
import { defineEnvKind } from './kind';
import type { EnvSnapshot, EnvSpec } from './types';
import { resolveParams } from './validate';

// Hot-path constants as module constants (optimized code keeps them unboxed); mirrored as class fields below.
const PI = Math.PI;
const TWO_PI = 2 * Math.PI;
const DT = 0.05; // s per step
const MAX_SPEED = 8; // rad/s
const MAX_TORQUE = 2.0; // N·m
/** float32(0.001): Gymnasium's `0.001 * (u**2)` is a float32 product because u is a float32. */
const TORQUE_COST = Math.fround(0.001);
/** The wrapper's bin centres 0.5·(linspace(−2, 2, 6)[:-1] + [1:]) in float32 (values printed by numpy). */
const TORQUES: readonly number[] = [
  -1.600000023841858, -0.800000011920929, 5.960464477539063e-8, 0.8000000715255737, 1.600000023841858,
];

export class PendulumDiscrete extends EpisodeEnv {
  static readonly ID = 'PendulumDiscrete-v1';
  static readonly DT = DT;
  static readonly MAX_SPEED = MAX_SPEED;
  static readonly MAX_TORQUE = MAX_TORQUE;
  static readonly TORQUES = TORQUES;
  static readonly GRAVITY = 10.0; // m/s² (Gymnasium's default g)
  static readonly MASS = 1.0; // kg
  static readonly LENGTH = 1.0; // m
  static readonly RESET_THETA = PI; // θ ~ U(−π, π)
  static readonly RESET_THETA_DOT = 1.0; // θ̇ ~ U(−1, 1)
  static readonly MAX_EPISODE_STEPS = 200;

  /**
   * Snapshot and frame rate (Gymnasium's render_fps 30): the angle from upright (counter-clockwise), the
   * torque of the last step (0 after a reset), the largest torque and the rod length (m).
   */
  static readonly KIND = defineEnvKind(
    30,
    z.object({
      kind: z.literal('Pendulum'),
      theta: z.number(),
      torque: z.number(),
      maxTorque: z.number(),
      length: z.number(),
    }),
  );

  static readonly SPEC: EnvSpec = {
    id: PendulumDiscrete.ID,
    description:
      'Swing a pendulum upright and hold it there with five torque levels (Gymnasium Pendulum-v1).',
    family: 'classic',
    observationSize: 3,
    observationMeaning: ['cos θ (θ = angle from upright)', 'sin θ', 'angular velocity θ̇ (rad/s), [-8, 8]'],
    actionCount: 5,
    actionNames: ['torque -1.6', 'torque -0.8', 'torque 0', 'torque +0.8', 'torque +1.6'],
    params: [
      { name: 'gravity', description: 'gravitational acceleration g (m/s²)', default: 10, min: 1, max: 30 },
      { name: 'mass', description: 'mass of the rod (kg)', default: 1, min: 0.25, max: 4 },
      { name: 'length', description: 'length of the rod (m)', default: 1, min: 0.5, max: 2 },
    ],
    maxEpisodeSteps: PendulumDiscrete.MAX_EPISODE_STEPS,
    // Gymnasium registers no threshold for Pendulum-v1; −200 is the lab's choice for "swung up and held".
    rewardThreshold: -200,
    // Measured: `npx tsx bench/random-returns.ts` (10,000 episodes, seed 0).
    randomReturn: -1223.3585,
  };

  /** 3g/(2l), evaluated as Gymnasium's `3 * g / (2 * l)`. */
  private readonly gravityGain: number;
  /** float32(3/(m·l²)), Gymnasium's `3.0 / (m * l**2)` cast to float32 when multiplied by the float32 τ. */
  private readonly torqueGain: number;
  private readonly length: number;
  private theta = 0;
  private thetaDot = 0;
  private lastTorque = 0;

  constructor(params?: object) {
    const p = resolveParams(PendulumDiscrete.ID, PendulumDiscrete.SPEC.params, params);
    super(PendulumDiscrete.SPEC, p);
    const g = p.gravity!;
    const m = p.mass!;
    const l = p.length!;
    this.length = l;
    this.gravityGain = (3 * g) / (2 * l);
    this.torqueGain = Math.fround(3.0 / (m * (l * l)));
  }

  protected sampleInitialState(): void {
    this.theta = this.rng.uniformRange(-PendulumDiscrete.RESET_THETA, PendulumDiscrete.RESET_THETA);
    this.thetaDot = this.rng.uniformRange(
      -PendulumDiscrete.RESET_THETA_DOT,
      PendulumDiscrete.RESET_THETA_DOT,
    );
    this.lastTorque = 0;
  }

  protected advance(action: number): number {
    const u = TORQUES[action]!; // inside ±MAX_TORQUE, so Gymnasium's clip leaves it unchanged
    this.lastTorque = u;
    const th = this.theta;
    const thdot = this.thetaDot;
    const an = angleNormalize(th);
    const costs = an * an + 0.1 * (thdot * thdot) + Math.fround(TORQUE_COST * Math.fround(u * u));
    let newThdot = thdot + (this.gravityGain * Math.sin(th) + Math.fround(this.torqueGain * u)) * DT;
    if (newThdot < -MAX_SPEED) newThdot = -MAX_SPEED;
    else if (newThdot > MAX_SPEED) newThdot = MAX_SPEED;
    this.theta = th + newThdot * DT;
    this.thetaDot = newThdot;
    return -costs;
  }

  protected writeObservation(out: Float32Array): void {
    out[0] = Math.cos(this.theta);
    out[1] = Math.sin(this.theta);
    out[2] = this.thetaDot;
  }

  protected stateNames(): readonly string[] {
    return ['theta', 'thetaDot'];
  }

  protected readState(): number[] {
    return [this.theta, this.thetaDot];
  }

  protected writeState(s: readonly number[]): void {
    this.theta = s[0]!;
    this.thetaDot = s[1]!;
    this.lastTorque = 0;
  }

  snapshot(): EnvSnapshot {
    return {
      kind: 'Pendulum',
      theta: this.theta,
      torque: this.lastTorque,
      maxTorque: MAX_TORQUE,
      length: this.length,
    };
  }
}

/** θ wrapped to [−π, π): Gymnasium's `((x + π) % (2π)) − π` with numpy's floored modulo. */
function angleNormalize(x: number): number {
  let m = (x + PI) % TWO_PI;
  if (m !== 0 && m < 0) m += TWO_PI;
  return m - PI;
}
