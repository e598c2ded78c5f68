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
 * the second pass applies the clip factor and Adam. Two passes over Float32Arrays, no allocation.
 *
 * The second pass runs as a small wasm SIMD kernel (src/dqn/adam-simd.ts, same float64 arithmetic, same
 * results bit for bit) when the engine has wasm SIMD. It works in place on arrays in its own memory: m and
 * v always, and the parameters and gradients when the caller uses `paramArrays()` / `gradArrays()` as its
 * host copies (DqnAgent does); other arrays are copied in and out.
 */
import { createAdamKernel, type AdamKernel } from './adam-simd';
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

export class HostAdam {
  /** Total number of parameters. */
  readonly size: number;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  /** Per variable: views of `m` and `v` (made once, so a step allocates nothing). */
  private readonly mViews: Float32Array[];
  private readonly vViews: Float32Array[];
  /** Per variable: parameter and gradient arrays inside the kernel's memory (or plain arrays without it). */
  private readonly pViews: Float32Array[];
  private readonly gViews: Float32Array[];
  private readonly kernel: AdamKernel | null;
  private t = 0;
  /** ‖g‖₂ of the last step before clipping (for logging). */
  lastGradNorm = 0;

  constructor(
    private readonly sizes: readonly number[],
    private readonly options: AdamOptions,
  ) {
    this.size = sizes.reduce((a, b) => a + b, 0);
    // Four regions (m, v, parameters, gradients), each variable starting on an 8-byte boundary (the kernel
    // reads pairs of floats).
    const padded = sizes.reduce((a, s) => a + s + (s & 1), 0);
    const { kernel, buffer } = createAdamKernel(4 * padded * 4);
    this.kernel = kernel;
    this.m = new Float32Array(buffer, 0, padded);
    this.v = new Float32Array(buffer, 4 * padded, padded);
    const params = new Float32Array(buffer, 8 * padded, padded);
    const grads = new Float32Array(buffer, 12 * padded, padded);
    let offset = 0;
    this.mViews = [];
    this.vViews = [];
    this.pViews = [];
    this.gViews = [];
    for (const s of sizes) {
      this.mViews.push(this.m.subarray(offset, offset + s));
      this.vViews.push(this.v.subarray(offset, offset + s));
      this.pViews.push(params.subarray(offset, offset + s));
      this.gViews.push(grads.subarray(offset, offset + s));
      offset += s + (s & 1);
    }
  }

  /** Arrays (one per variable) the kernel updates in place: use them as the parameters' host copy. */
  paramArrays(): Float32Array[] {
    return this.pViews;
  }

  /** Arrays (one per variable) to write gradients into, for the same reason. */
  gradArrays(): Float32Array[] {
    return this.gViews;
  }

  get stepCount(): number {
    return this.t;
  }

  /**
   * One step: updates `params[i]` in place from `grads[i]` for every i with `present[i]`, plus, when given,
   * the gradient of `penalty` (a variable with importance becomes present). `grads[i]` is left as the
   * penalized, unclipped gradient (callers must not reuse it as the raw TD gradient).
   */
  step(
    params: Float32Array[],
    grads: readonly Float32Array[],
    present: boolean[],
    penalty: QuadraticPenalty | null = null,
  ): void {
    const n = this.sizes.length;
    if (params.length !== n || grads.length !== n || present.length !== n) {
      throw new Error(`Expected ${n} parameter, gradient and presence entries`);
    }
    let sumSquares = 0;
    let any = false;
    for (let i = 0; i < n; i++) {
      const a = penalty ? penalty.importance[i] : null;
      if (a) {
        // g ← g + λ·A·(θ − m), fused with ‖g‖² (a variable without a TD gradient starts from 0).
        const g = grads[i]!;
        const p = params[i]!;
        const anchor = penalty!.anchor[i]!;
        const lambda = penalty!.lambda;
        if (!present[i]) g.fill(0);
        present[i] = true;
        for (let j = 0; j < g.length; j++) {
          const gj = (g[j] = g[j]! + lambda * a[j]! * (p[j]! - anchor[j]!));
          sumSquares += gj * gj;
        }
        any = true;
        continue;
      }
      if (!present[i]) continue;
      any = true;
      sumSquares = addSquares(sumSquares, grads[i]!);
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
      if (this.kernel) this.kernelPass(i, params[i]!, grads[i]!, coef, stepSize, eps);
      else
        adamPass(params[i]!, grads[i]!, this.mViews[i]!, this.vViews[i]!, coef, beta1, beta2, stepSize, eps);
    }
  }

  /** Adam over variable i with the wasm kernel (pairs), the odd last value in JS (same arithmetic). */
  private kernelPass(
    i: number,
    p: Float32Array,
    g: Float32Array,
    coef: number,
    stepSize: number,
    eps: number,
  ) {
    const { beta1, beta2 } = this.options;
    const pv = this.pViews[i]!;
    const gv = this.gViews[i]!;
    const m = this.mViews[i]!;
    const v = this.vViews[i]!;
    if (g !== gv) gv.set(g);
    if (p !== pv) pv.set(p);
    const pairs = g.length >> 1;
    this.kernel!(
      pv.byteOffset,
      gv.byteOffset,
      m.byteOffset,
      v.byteOffset,
      pairs,
      coef,
      beta1,
      beta2,
      1 - beta1,
      1 - beta2,
      stepSize,
      eps,
    );
    if (g.length & 1) {
      const last = g.length - 1;
      adamPass(
        pv.subarray(last),
        gv.subarray(last),
        m.subarray(last),
        v.subarray(last),
        coef,
        beta1,
        beta2,
        stepSize,
        eps,
      );
    }
    if (p !== pv) p.set(pv);
  }

  /** Change the learning rate of the following steps (schedules, per-task settings). */
  setLearningRate(learningRate: number): void {
    this.options.learningRate = learningRate;
  }

  /** Forget moments and the step count (e.g. at a task switch). */
  reset(): void {
    this.t = 0;
    this.m.fill(0);
    this.v.fill(0);
  }

  getState(): AdamState {
    return { step: this.t, m: this.packed(this.mViews), v: this.packed(this.vViews) };
  }

  setState(state: AdamState): void {
    if (state.m.length !== this.size || state.v.length !== this.size) {
      throw new Error(`Adam state needs ${this.size} moments, got m ${state.m.length}, v ${state.v.length}`);
    }
    if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`Bad Adam step ${state.step}`);
    this.t = state.step;
    let offset = 0;
    this.sizes.forEach((s, i) => {
      this.mViews[i]!.set(state.m.subarray(offset, offset + s));
      this.vViews[i]!.set(state.v.subarray(offset, offset + s));
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

/** sum + Σ g² (continuing one running sum in variable order, so the result does not depend on the split). */
function addSquares(sum: number, g: Float32Array): number {
  let s = sum;
  for (let j = 0; j < g.length; j++) s += g[j]! * g[j]!;
  return s;
}

/** Clip factor + Adam over one variable (monomorphic on Float32Array, so V8 keeps it a tight loop). */
function adamPass(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  coef: number,
  beta1: number,
  beta2: number,
  stepSize: number,
  eps: number,
): void {
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  for (let j = 0; j < g.length; j++) {
    const gj = g[j]! * coef;
    const mk = (m[j] = beta1 * m[j]! + c1 * gj);
    const vk = (v[j] = beta2 * v[j]! + c2 * gj * gj);
    p[j] = p[j]! - (stepSize * mk) / (Math.sqrt(vk) + eps);
  }
}
