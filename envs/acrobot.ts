/**
 * Acrobot-v1, faithful to Gymnasium's `gymnasium/envs/classic_control/acrobot.py` (Sutton 1996; the "book"
 * dynamics of Sutton & Barto): two links hang from a pivot; torque on the middle joint must swing the tip
 * above the target height.
 *
 * ## Actions (Discrete(3))
 * Torque on the joint between the links: 0: −1 N·m, 1: 0, 2: +1 N·m.
 *
 * ## Observation (Float32Array(6))
 * | # | component                | min   | max  |
 * |---|--------------------------|-------|------|
 * | 0 | cos θ1                   | −1    | 1    |
 * | 1 | sin θ1                   | −1    | 1    |
 * | 2 | cos θ2                   | −1    | 1    |
 * | 3 | sin θ2                   | −1    | 1    |
 * | 4 | θ̇1 (rad/s)               | −4π   | 4π   |
 * | 5 | θ̇2 (rad/s)               | −9π   | 9π   |
 * θ1 is the first link's angle from straight down, θ2 the second link's angle relative to the first.
 * State (`getState`, float64): `[θ1, θ2, θ̇1, θ̇2]`.
 *
 * ## Dynamics
 * One classic RK4 step over dt = 0.2 s of the book equations (stages k1…k4 on the state augmented with the
 * torque, combined as y + dt/6·(k1 + 2k2 + 2k3 + k4) in that order, like Gymnasium's `rk4`), then θ1, θ2
 * wrapped to [−π, π] and θ̇1, θ̇2 clipped to ±4π and ±9π.
 *
 * ## Reward
 * −1 for every step that does not terminate, 0 on the terminating step.
 *
 * ## Starting state
 * All four components uniform in [−0.1, 0.1), rounded to float32 (Gymnasium stores the reset state as float32).
 *
 * ## Episode end
 * - Termination: tip height above the pivot −l1·cos θ1 − l2·cos(θ1 + θ2) > (l1 + l2)/2; with Gymnasium's unit
 *   links this is exactly Gymnasium's `-cos(θ1) - cos(θ2 + θ1) > 1.0`.
 * - Truncation: 500 steps.
 *
 * ## Parameters (defaults are Gymnasium's)
 * link1Length, link2Length (m), link1Mass, link2Mass (kg). Each link's centre of mass sits at half its length
 * (Gymnasium's 0.5 for unit links) and both moments of inertia stay 1 (Gymnasium's LINK_MOI).
 */
import { z } from 'zod';
import { EpisodeEnv } from './episode-env';
import { defineEnvKind } from './kind';
import type { EnvSnapshot, EnvSpec } from './types';
import { resolveParams } from './validate';

// Hot-path constants as module constants (optimized code keeps them unboxed); mirrored as class fields below.
const PI = Math.PI;
const MAX_VEL_1 = 4 * PI; // rad/s
const MAX_VEL_2 = 9 * PI; // rad/s

export class Acrobot extends EpisodeEnv {
  static readonly ID = 'Acrobot-v1';
  static readonly DT = 0.2; // s per step (one RK4 step)
  static readonly LINK_LENGTH_1 = 1.0; // m
  static readonly LINK_LENGTH_2 = 1.0; // m
  static readonly LINK_MASS_1 = 1.0; // kg
  static readonly LINK_MASS_2 = 1.0; // kg
  static readonly LINK_MOI = 1.0; // kg·m², moment of inertia of each link
  static readonly GRAVITY = 9.8; // m/s²
  static readonly MAX_VEL_1 = MAX_VEL_1;
  static readonly MAX_VEL_2 = MAX_VEL_2;
  static readonly AVAIL_TORQUE: readonly number[] = [-1.0, 0.0, 1.0]; // N·m per action
  static readonly RESET_BOUND = 0.1; // initial state ~ U(−0.1, 0.1) for every component
  static readonly MAX_EPISODE_STEPS = 500;

  /** Snapshot and frame rate (Gymnasium's render_fps 15). Link lengths in metres. */
  static readonly KIND = defineEnvKind(
    15,
    z.object({
      kind: z.literal('Acrobot'),
      theta1: z.number(),
      theta2: z.number(),
      link1: z.number(),
      link2: z.number(),
    }),
  );

  static readonly SPEC: EnvSpec = {
    id: Acrobot.ID,
    description: 'Swing a two-link pendulum up by torquing its middle joint (Gymnasium Acrobot-v1).',
    family: 'classic',
    observationSize: 6,
    observationMeaning: [
      'cos θ1 (first link angle from straight down)',
      'sin θ1',
      'cos θ2 (second link angle relative to the first)',
      'sin θ2',
      'θ̇1 (rad/s), [-4π, 4π]',
      'θ̇2 (rad/s), [-9π, 9π]',
    ],
    actionCount: 3,
    actionNames: ['torque -1', 'torque 0', 'torque +1'],
    params: [
      { name: 'link1Length', description: 'length of the first link (m)', default: 1, min: 0.5, max: 2 },
      { name: 'link2Length', description: 'length of the second link (m)', default: 1, min: 0.5, max: 2 },
      { name: 'link1Mass', description: 'mass of the first link (kg)', default: 1, min: 0.25, max: 4 },
      { name: 'link2Mass', description: 'mass of the second link (kg)', default: 1, min: 0.25, max: 4 },
    ],
    maxEpisodeSteps: Acrobot.MAX_EPISODE_STEPS,
    rewardThreshold: -100,
    // Measured: `npx tsx bench/random-returns.ts` (10,000 episodes, seed 0).
    randomReturn: -498.8381,
  };

  private readonly m1: number;
  private readonly m2: number;
  private readonly l1: number;
  private readonly l2: number;
  /** Centres of mass of the links (m): half of each link's length. */
  private readonly lc1: number;
  private readonly lc2: number;
  private readonly targetHeight: number;
  /** Constant sub-products of the dynamics, each evaluated in Gymnasium's left-to-right order. */
  private readonly k: DynamicsConstants;
  /** [θ1, θ2, θ̇1, θ̇2] */
  private readonly s = new Float64Array(4);
  /** RK4 scratch, preallocated: the stage input state, and θ̈1, θ̈2 of the four stages (k1…k4). */
  private readonly stage = new Float64Array(4);
  private readonly acc = new Float64Array(8);

  constructor(params?: object) {
    const p = resolveParams(Acrobot.ID, Acrobot.SPEC.params, params);
    super(Acrobot.SPEC, p);
    this.l1 = p.link1Length!;
    this.l2 = p.link2Length!;
    this.m1 = p.link1Mass!;
    this.m2 = p.link2Mass!;
    this.lc1 = this.l1 / 2;
    this.lc2 = this.l2 / 2;
    this.targetHeight = (this.l1 + this.l2) / 2;
    this.k = dynamicsConstants(this.m1, this.m2, this.l1, this.lc1, this.lc2);
  }

  protected sampleInitialState(): void {
    const b = Acrobot.RESET_BOUND;
    for (let i = 0; i < 4; i++) this.s[i] = Math.fround(this.rng.uniformRange(-b, b));
  }

  protected advance(action: number): number {
    const torque = Acrobot.AVAIL_TORQUE[action]!;
    this.rk4(torque);
    const s = this.s;
    s[0] = wrap(s[0]!, -PI, PI);
    s[1] = wrap(s[1]!, -PI, PI);
    s[2] = bound(s[2]!, -MAX_VEL_1, MAX_VEL_1);
    s[3] = bound(s[3]!, -MAX_VEL_2, MAX_VEL_2);
    this.terminatedNow = this.tipHeight() > this.targetHeight;
    return this.terminatedNow ? 0.0 : -1.0;
  }

  /** Tip height above the pivot; `-cos(θ1) - cos(θ2 + θ1)` for unit links, as Gymnasium's `_terminal`. */
  private tipHeight(): number {
    const t1 = this.s[0]!;
    const t2 = this.s[1]!;
    return -this.l1 * Math.cos(t1) - this.l2 * Math.cos(t2 + t1);
  }

  /**
   * One RK4 step over DT with Gymnasium's `rk4` stage structure: k1 = f(y), k2 = f(y + dt/2·k1),
   * k3 = f(y + dt/2·k2), k4 = f(y + dt·k3), y ← y + dt/6·(k1 + 2k2 + 2k3 + k4), the torque constant over
   * the step. A stage's first two derivatives are its input velocities, so only θ̈1, θ̈2 are stored per stage.
   * Stage inputs go through the preallocated `stage` array, not arguments, so no number is boxed per call.
   */
  private rk4(torque: number): void {
    const { s, stage: y, acc } = this;
    const dt = Acrobot.DT - 0; // Gymnasium integrates over t = [0, dt]: dt = t[1] − t[0]
    const dt2 = dt / 2.0;
    const y0 = s[0]!;
    const y1 = s[1]!;
    const y2 = s[2]!;
    const y3 = s[3]!;
    // k1 = f(s): velocities (y2, y3), accelerations acc[0..1]
    y[0] = y0;
    y[1] = y1;
    y[2] = y2;
    y[3] = y3;
    this.dsdt(torque, 0);
    // k2 = f(s + dt/2·k1)
    const a2 = y2 + dt2 * acc[0]!;
    const a3 = y3 + dt2 * acc[1]!;
    y[0] = y0 + dt2 * y2;
    y[1] = y1 + dt2 * y3;
    y[2] = a2;
    y[3] = a3;
    this.dsdt(torque, 2);
    // k3 = f(s + dt/2·k2)
    const b2 = y2 + dt2 * acc[2]!;
    const b3 = y3 + dt2 * acc[3]!;
    y[0] = y0 + dt2 * a2;
    y[1] = y1 + dt2 * a3;
    y[2] = b2;
    y[3] = b3;
    this.dsdt(torque, 4);
    // k4 = f(s + dt·k3)
    const c2 = y2 + dt * acc[4]!;
    const c3 = y3 + dt * acc[5]!;
    y[0] = y0 + dt * b2;
    y[1] = y1 + dt * b3;
    y[2] = c2;
    y[3] = c3;
    this.dsdt(torque, 6);
    const w = dt / 6.0;
    s[0] = y0 + w * (y2 + 2 * a2 + 2 * b2 + c2);
    s[1] = y1 + w * (y3 + 2 * a3 + 2 * b3 + c3);
    s[2] = y2 + w * (acc[0]! + 2 * acc[2]! + 2 * acc[4]! + acc[6]!);
    s[3] = y3 + w * (acc[1]! + 2 * acc[3]! + 2 * acc[5]! + acc[7]!);
  }

  /**
   * The book dynamics at the state in `stage` with torque `a`: writes θ̈1 to acc[at] and θ̈2 to acc[at + 1]
   * (the other two derivatives are θ̇1, θ̇2 themselves). Gymnasium's expressions, with each product of
   * constants that Python evaluates first (left to right) precomputed in `k`, so the rounding is identical.
   */
  private dsdt(a: number, at: number): void {
    const { stage, k } = this;
    const theta1 = stage[0]!;
    const theta2 = stage[1]!;
    const dtheta1 = stage[2]!;
    const dtheta2 = stage[3]!;
    const cos2 = Math.cos(theta2);
    const sin2 = Math.sin(theta2);
    // d1 = m1·lc1² + m2·(l1² + lc2² + 2·l1·lc2·cos θ2) + I1 + I2
    const d1 = k.m1lc1sq + k.m2 * (k.l1sqPlusLc2sq + k.twoL1Lc2 * cos2) + k.I1 + k.I2;
    // d2 = m2·(lc2² + l1·lc2·cos θ2) + I2
    const d2 = k.m2 * (k.lc2sq + k.l1Lc2 * cos2) + k.I2;
    // φ2 = m2·lc2·g·cos(θ1 + θ2 − π/2)
    const phi2 = k.m2Lc2G * Math.cos(theta1 + theta2 - PI / 2.0);
    // φ1 = −m2·l1·lc2·θ̇2²·sin θ2 − 2·m2·l1·lc2·θ̇2·θ̇1·sin θ2 + (m1·lc1 + m2·l1)·g·cos(θ1 − π/2) + φ2
    const phi1 =
      k.negM2L1Lc2 * (dtheta2 * dtheta2) * sin2 -
      k.twoM2L1Lc2 * dtheta2 * dtheta1 * sin2 +
      k.armG * Math.cos(theta1 - PI / 2) +
      phi2;
    // θ̈2 = (a + d2/d1·φ1 − m2·l1·lc2·θ̇1²·sin θ2 − φ2) / (m2·lc2² + I2 − d2²/d1)   (the book's form)
    const ddtheta2 =
      (a + (d2 / d1) * phi1 - k.m2L1Lc2 * (dtheta1 * dtheta1) * sin2 - phi2) /
      (k.m2Lc2sqPlusI2 - (d2 * d2) / d1);
    // θ̈1 = −(d2·θ̈2 + φ1) / d1
    this.acc[at] = -(d2 * ddtheta2 + phi1) / d1;
    this.acc[at + 1] = ddtheta2;
  }

  protected writeObservation(out: Float32Array): void {
    const s = this.s;
    out[0] = Math.cos(s[0]!);
    out[1] = Math.sin(s[0]!);
    out[2] = Math.cos(s[1]!);
    out[3] = Math.sin(s[1]!);
    out[4] = s[2]!;
    out[5] = s[3]!;
  }

  protected stateNames(): readonly string[] {
    return ['theta1', 'theta2', 'theta1Dot', 'theta2Dot'];
  }

  protected readState(): number[] {
    return Array.from(this.s);
  }

  protected writeState(state: readonly number[]): void {
    for (let i = 0; i < 4; i++) this.s[i] = state[i]!;
  }

  snapshot(): EnvSnapshot {
    return { kind: 'Acrobot', theta1: this.s[0]!, theta2: this.s[1]!, link1: this.l1, link2: this.l2 };
  }
}

interface DynamicsConstants {
  m2: number;
  I1: number;
  I2: number;
  m1lc1sq: number; // m1·lc1²
  l1sqPlusLc2sq: number; // l1² + lc2²
  twoL1Lc2: number; // 2·l1·lc2
  lc2sq: number; // lc2²
  l1Lc2: number; // l1·lc2
  m2Lc2G: number; // m2·lc2·g
  negM2L1Lc2: number; // −m2·l1·lc2
  twoM2L1Lc2: number; // 2·m2·l1·lc2
  armG: number; // (m1·lc1 + m2·l1)·g
  m2L1Lc2: number; // m2·l1·lc2
  m2Lc2sqPlusI2: number; // m2·lc2² + I2
}

/** Precomputes the dynamics' constant sub-products (same association as Gymnasium's `_dsdt`). */
function dynamicsConstants(m1: number, m2: number, l1: number, lc1: number, lc2: number): DynamicsConstants {
  const I1 = Acrobot.LINK_MOI;
  const I2 = Acrobot.LINK_MOI;
  const g = Acrobot.GRAVITY;
  return {
    m2,
    I1,
    I2,
    m1lc1sq: m1 * (lc1 * lc1),
    l1sqPlusLc2sq: l1 * l1 + lc2 * lc2,
    twoL1Lc2: 2 * l1 * lc2,
    lc2sq: lc2 * lc2,
    l1Lc2: l1 * lc2,
    m2Lc2G: m2 * lc2 * g,
    negM2L1Lc2: -m2 * l1 * lc2,
    twoM2L1Lc2: 2 * m2 * l1 * lc2,
    armG: (m1 * lc1 + m2 * l1) * g,
    m2L1Lc2: m2 * l1 * lc2,
    m2Lc2sqPlusI2: m2 * (lc2 * lc2) + I2,
  };
}

/** Wraps x into [m, M] by adding or subtracting whole periods (M − m), as Gymnasium's `wrap`. */
function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  while (x > M) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

/** Clips x into [m, M]: min(max(x, m), M), as Gymnasium's `bound`. */
function bound(x: number, m: number, M: number): number {
  return Math.min(Math.max(x, m), M);
}
