/**
 * CartPole-v1, faithful to Gymnasium's `gymnasium/envs/classic_control/cartpole.py` (Barto, Sutton &
 * Anderson 1983): same constants, same order of floating-point operations, explicit Euler integration.
 *
 * ## Actions (Discrete(2))
 * 0: push the cart left (force −forceMag), 1: push it right (+forceMag).
 *
 * ## Observation (Float32Array(4), the float64 state rounded to float32)
 * | # | component             | min      | max     |
 * |---|-----------------------|----------|---------|
 * | 0 | cart position x (m)   | −4.8     | 4.8     |
 * | 1 | cart velocity (m/s)   | −Inf     | Inf     |
 * | 2 | pole angle θ (rad)    | ≈ −0.419 | ≈ 0.419 |
 * | 3 | pole angular velocity | −Inf     | Inf     |
 * State (`getState`, float64): `[x, ẋ, θ, θ̇]`, Gymnasium's layout.
 *
 * ## Reward
 * +1 for every step, including the terminating one.
 *
 * ## Starting state
 * All four components uniform in [−0.05, 0.05).
 *
 * ## Episode end
 * - Termination: |θ| > 12° (0.2094 rad) or |x| > 2.4 m (strict inequalities, checked on the new state).
 * - Truncation: 500 steps (Gymnasium's TimeLimit; both flags are true if the 500th step also terminates).
 *
 * ## Parameters (defaults are Gymnasium's)
 * gravity, length (HALF the pole's length, Gymnasium's `length`), poleMass, cartMass, forceMag.
 */
import { z } from 'zod';
import { EpisodeEnv } from './episode-env';
import { defineEnvKind } from './kind';
import type { EnvSnapshot, EnvSpec } from './types';
import { resolveParams } from './validate';

// Hot-path constants as module constants (optimized code keeps them unboxed); mirrored as class fields below.
const TAU = 0.02; // s between state updates
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360; // rad (12°), same expression as Gymnasium
const X_THRESHOLD = 2.4; // m

export class CartPole extends EpisodeEnv {
  static readonly ID = 'CartPole-v1';
  static readonly GRAVITY = 9.8; // m/s²
  static readonly CART_MASS = 1.0; // kg
  static readonly POLE_MASS = 0.1; // kg
  static readonly HALF_POLE_LENGTH = 0.5; // m (Gymnasium's `length`: half the pole)
  static readonly FORCE_MAG = 10.0; // N
  static readonly TAU = TAU;
  static readonly THETA_THRESHOLD = THETA_THRESHOLD;
  static readonly X_THRESHOLD = X_THRESHOLD;
  static readonly RESET_BOUND = 0.05; // initial state ~ U(−0.05, 0.05) for every component
  static readonly MAX_EPISODE_STEPS = 500;

  /** Snapshot and frame rate (Gymnasium's render_fps 50). `poleLength` is the FULL pole length (m). */
  static readonly KIND = defineEnvKind(
    50,
    z.object({
      kind: z.literal('CartPole'),
      x: z.number(),
      theta: z.number(),
      xThreshold: z.number(),
      poleLength: z.number(),
    }),
  );

  static readonly SPEC: EnvSpec = {
    id: CartPole.ID,
    description: 'Balance a pole on a cart by pushing it left or right (Gymnasium CartPole-v1).',
    family: 'classic',
    observationSize: 4,
    observationMeaning: [
      'cart position (m), [-4.8, 4.8]',
      'cart velocity (m/s), unbounded',
      'pole angle (rad), [-0.419, 0.419]',
      'pole angular velocity (rad/s), unbounded',
    ],
    actionCount: 2,
    actionNames: ['push left', 'push right'],
    params: [
      { name: 'gravity', description: 'gravitational acceleration (m/s²)', default: 9.8, min: 1, max: 30 },
      { name: 'length', description: "half the pole's length (m)", default: 0.5, min: 0.1, max: 2 },
      { name: 'poleMass', description: 'pole mass (kg)', default: 0.1, min: 0.01, max: 1 },
      { name: 'cartMass', description: 'cart mass (kg)', default: 1.0, min: 0.1, max: 5 },
      { name: 'forceMag', description: 'push force magnitude (N)', default: 10.0, min: 1, max: 30 },
    ],
    maxEpisodeSteps: CartPole.MAX_EPISODE_STEPS,
    rewardThreshold: 475,
    // Measured: `npx tsx bench/random-returns.ts` (10,000 episodes, seed 0).
    randomReturn: 22.2858,
  };

  private readonly gravity: number;
  private readonly massPole: number;
  private readonly totalMass: number;
  private readonly length: number;
  private readonly poleMassLength: number;
  private readonly forceMag: number;
  private x = 0;
  private xDot = 0;
  private theta = 0;
  private thetaDot = 0;

  constructor(params?: object) {
    const p = resolveParams(CartPole.ID, CartPole.SPEC.params, params);
    super(CartPole.SPEC, p);
    this.gravity = p.gravity!;
    this.massPole = p.poleMass!;
    // Same association as Gymnasium: total = masspole + masscart; polemass_length = masspole · length.
    this.totalMass = this.massPole + p.cartMass!;
    this.length = p.length!;
    this.poleMassLength = this.massPole * this.length;
    this.forceMag = p.forceMag!;
  }

  protected sampleInitialState(): void {
    const b = CartPole.RESET_BOUND;
    this.x = this.rng.uniformRange(-b, b);
    this.xDot = this.rng.uniformRange(-b, b);
    this.theta = this.rng.uniformRange(-b, b);
    this.thetaDot = this.rng.uniformRange(-b, b);
  }

  protected advance(action: number): number {
    const force = action === 1 ? this.forceMag : -this.forceMag;
    const cosTheta = Math.cos(this.theta);
    const sinTheta = Math.sin(this.theta);
    // Operation order copied from Gymnasium so results agree to the last bit.
    const temp = (force + this.poleMassLength * (this.thetaDot * this.thetaDot) * sinTheta) / this.totalMass;
    const thetaAcc =
      (this.gravity * sinTheta - cosTheta * temp) /
      (this.length * (4.0 / 3.0 - (this.massPole * (cosTheta * cosTheta)) / this.totalMass));
    const xAcc = temp - (this.poleMassLength * thetaAcc * cosTheta) / this.totalMass;
    // Explicit Euler: positions use the old velocities.
    const tau = TAU;
    this.x = this.x + tau * this.xDot;
    this.xDot = this.xDot + tau * xAcc;
    this.theta = this.theta + tau * this.thetaDot;
    this.thetaDot = this.thetaDot + tau * thetaAcc;
    this.terminatedNow =
      this.x < -X_THRESHOLD ||
      this.x > X_THRESHOLD ||
      this.theta < -THETA_THRESHOLD ||
      this.theta > THETA_THRESHOLD;
    return 1.0;
  }

  protected writeObservation(out: Float32Array): void {
    out[0] = this.x;
    out[1] = this.xDot;
    out[2] = this.theta;
    out[3] = this.thetaDot;
  }

  protected stateNames(): readonly string[] {
    return ['x', 'xDot', 'theta', 'thetaDot'];
  }

  protected readState(): number[] {
    return [this.x, this.xDot, this.theta, this.thetaDot];
  }

  protected writeState(s: readonly number[]): void {
    this.x = s[0]!;
    this.xDot = s[1]!;
    this.theta = s[2]!;
    this.thetaDot = s[3]!;
  }

  snapshot(): EnvSnapshot {
    return {
      kind: 'CartPole',
      x: this.x,
      theta: this.theta,
      xThreshold: CartPole.X_THRESHOLD,
      poleLength: 2 * this.length,
    };
  }
}
