/**
 * Adam with global gradient-norm clipping, computed in JavaScript over the host copy of the weights.
 *
 * Why on the host: the DQN update's gradients already arrive on the host (src/dqn/agent.ts), and one loop over
 * ~20k–70k parameters costs less than the dozens of tfjs kernel launches an on-device Adam needs.
 *
 * Semantics follow PyTorch (`torch.nn.utils.clip_grad_norm_` then `torch.optim.Adam`, as SB3 uses):
 *   clip: g ← g · min(1, maxNorm / (‖g‖₂ + 1e-6)) over all parameters that received a gradient;
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
 *   θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)   (computed as √(1−β2ᵗ)·lr/(1−β1ᵗ) · m / (√v + ε√(1−β2ᵗ))).
 * Variables that received no gradient in a step (e.g. another task's head) keep their weights and moments,
 * like PyTorch; unlike PyTorch the step count t is one global counter (as in tfjs/Keras Adam).
 * Moments are stored as float32, so the state (t, m, v) is plain data and checkpoints restore it exactly.
 *
 * A quadratic penalty (EWC & co., src/dqn/penalty.ts) is added in closed form, g ← g + λ·A·(θ − m), in the
 * pass that measures ‖g‖ (so the total gradient is clipped, as PyTorch clips the penalized loss's gradient);
 * the second pass applies the clip factor and Adam. No allocation per step.
 *
 * Parameters, gradients and moments live in regions of an Arena (src/wasm/arena.ts; the DqnAgent's, shared
 * with its GEMMs), so ‖g‖² (variables without a penalty) and the Adam pass run as wasm SIMD kernels in
 * float32 (src/wasm/gemm.ts `sumSquares`, src/dqn/adam-simd.ts) in place.
 */
import { Arena } from '../wasm/arena';
import { penaltyPass } from './adam-simd';
import type { QuadraticPenalty } from './penalty';

export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 0 disables clipping. */
  maxGradNorm: number;
}

export interface AdamState {
  step: number;
  /** First moments of all variables, concatenated in variable order. */
  m: Float32Array;
  /** Second moments, same layout. */
  v: Float32Array;
}

/** Byte offsets of one variable's four regions in the arena. */
export interface AdamRegions {
  p: number;
  g: number;
  m: number;
  v: number;
}

export class HostAdam {
  /** Total number of parameters. */
  readonly size: number;
  /** The memory holding parameters, gradients and moments (shared with the DQN update's GEMMs). */
  readonly arena: Arena;
  /** Per variable: byte offsets of its parameters, gradient and moments (each region padded to 4 floats). */
  readonly regions: readonly AdamRegions[];
  private views: { p: Float32Array[]; g: Float32Array[]; m: Float32Array[]; v: Float32Array[] } | null = null;
  private generation = -1;
  private t = 0;
  /** Arena copies of penalty arrays (importance, anchor), by array; and the floats they take. */
  private readonly penaltyCopies = new WeakMap<Float32Array, number>();
  private penaltyFloats = 0;
  /** ‖g‖₂ of the last step before clipping (for logging). */
  lastGradNorm = 0;

  constructor(
    private readonly sizes: readonly number[],
    private readonly options: AdamOptions,
    arena?: Arena,
  ) {
    this.size = sizes.reduce((a, b) => a + b, 0);
    this.arena = arena ?? new Arena(16 * (4 * this.size + 16 * sizes.length));
    const a = this.arena;
    this.regions = sizes.map((s) => ({ p: a.alloc(s), g: a.alloc(s), m: a.alloc(s), v: a.alloc(s) }));
  }

  /** Float32Array views of the regions (remade when the arena's memory grew). */
  private arrays(): { p: Float32Array[]; g: Float32Array[]; m: Float32Array[]; v: Float32Array[] } {
    if (this.views && this.generation === this.arena.generation) return this.views;
    const make = (key: keyof AdamRegions) =>
      this.regions.map((r, i) => this.arena.f32(r[key], this.sizes[i]!));
    this.views = { p: make('p'), g: make('g'), m: make('m'), v: make('v') };
    this.generation = this.arena.generation;
    return this.views;
  }

  /** Arrays (one per variable) the optimizer updates in place: the parameters' host copy. */
  paramArrays(): Float32Array[] {
    return this.arrays().p;
  }

  /** Arrays (one per variable) to write gradients into. */
  gradArrays(): Float32Array[] {
    return this.arrays().g;
  }

  /**
   * One step over the variables with `present[i]`, from the gradients in `gradArrays()`, plus, when given,
   * the gradient of `penalty`: `addPenalty` then `applyGradients`.
   */
  step(present: boolean[], penalty: QuadraticPenalty | null = null): void {
    this.addPenalty(present, penalty);
    this.applyGradients(present);
  }

  /**
   * g ← g + λ·A·(θ − m) for every variable with importance (which becomes present; one without a TD
   * gradient starts from 0). The gradient arrays then hold the penalized gradient.
   */
  addPenalty(present: boolean[], penalty: QuadraticPenalty | null): void {
    if (!penalty) return;
    const lambda = penalty.lambda;
    for (let i = 0; i < this.sizes.length; i++) {
      const a = penalty.importance[i];
      if (!a) continue;
      const anchor = penalty.anchor[i]!;
      const ra = this.arenaCopy(a);
      const rm = ra === 0 ? 0 : this.arenaCopy(anchor);
      const { p: params, g: grads } = this.arrays(); // after the copies (which may grow the memory)
      if (!present[i]) grads[i]!.fill(0);
      present[i] = true;
      if (rm === 0) {
        penaltyPass(grads[i]!, params[i]!, a, anchor, a.length, lambda); // the kernel's float32 arithmetic
        continue;
      }
      const r = this.regions[i]!;
      this.arena.penalty(r.g, r.p, ra, rm, this.sizes[i]!, lambda);
    }
  }

  /**
   * The arena region holding a copy of a penalty array (made the first time the array is seen: penalty
   * arrays do not change once handed out, see src/dqn/penalty.ts), or 0 once the copies would take more
   * than 8× the parameters (a penalty made afresh every step then runs in JavaScript instead).
   */
  private arenaCopy(array: Float32Array): number {
    let offset = this.penaltyCopies.get(array) ?? 0;
    if (offset !== 0) return offset;
    if (this.penaltyFloats + array.length > 8 * this.size) return 0;
    offset = this.arena.alloc(array.length);
    this.arena.f32(offset, array.length).set(array);
    this.penaltyFloats += array.length;
    this.penaltyCopies.set(array, offset);
    return offset;
  }

  /** Global-norm clipping and Adam over the present variables' gradients (two wasm SIMD passes). */
  applyGradients(present: boolean[]): void {
    const n = this.sizes.length;
    if (present.length !== n) throw new Error(`Expected ${n} presence entries`);
    let sumSquares = 0;
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!present[i]) continue;
      any = true;
      sumSquares += this.arena.sumSquares(this.regions[i]!.g, this.sizes[i]!);
    }
    if (!any) return;
    const { maxGradNorm, learningRate, beta1, beta2, epsilon } = this.options;
    this.lastGradNorm = Math.sqrt(sumSquares);
    const coef = maxGradNorm > 0 ? Math.min(1, maxGradNorm / (this.lastGradNorm + 1e-6)) : 1;

    this.t += 1;
    const sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, this.t));
    const stepSize = (learningRate * sqrtBc2) / (1 - Math.pow(beta1, this.t));
    const eps = epsilon * sqrtBc2;
    for (let i = 0; i < n; i++) {
      if (!present[i]) continue;
      const r = this.regions[i]!;
      this.arena.adam(
        r.p,
        r.g,
        r.m,
        r.v,
        this.sizes[i]!,
        coef,
        beta1,
        beta2,
        1 - beta1,
        1 - beta2,
        stepSize,
        eps,
      );
    }
  }

  /** Change the learning rate of the following steps (schedules, per-task settings). */
  setLearningRate(learningRate: number): void {
    this.options.learningRate = learningRate;
  }

  /** Forget moments and the step count (e.g. at a task switch). */
  reset(): void {
    this.t = 0;
    const { m, v } = this.arrays();
    m.forEach((x) => x.fill(0));
    v.forEach((x) => x.fill(0));
  }

  getState(): AdamState {
    const { m, v } = this.arrays();
    return { step: this.t, m: this.packed(m), v: this.packed(v) };
  }

  setState(state: AdamState): void {
    if (state.m.length !== this.size || state.v.length !== this.size) {
      throw new Error(`Adam state needs ${this.size} moments, got m ${state.m.length}, v ${state.v.length}`);
    }
    if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`Bad Adam step ${state.step}`);
    this.t = state.step;
    let offset = 0;
    const { m, v } = this.arrays();
    this.sizes.forEach((s, i) => {
      m[i]!.set(state.m.subarray(offset, offset + s));
      v[i]!.set(state.v.subarray(offset, offset + s));
      offset += s;
    });
  }

  /** Variables' moments concatenated without padding (the checkpoint layout). */
  private packed(views: Float32Array[]): Float32Array {
    const out = new Float32Array(this.size);
    let offset = 0;
    for (const view of views) {
      out.set(view, offset);
      offset += view.length;
    }
    return out;
  }
}
