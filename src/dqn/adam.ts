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
 */

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
  private readonly offsets: number[];
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  /** ‖g‖₂ of the last step before clipping (for logging). */
  lastGradNorm = 0;

  constructor(
    private readonly sizes: readonly number[],
    private readonly options: AdamOptions,
  ) {
    let offset = 0;
    this.offsets = sizes.map((s) => ((offset += s), offset - s));
    this.size = offset;
    this.m = new Float32Array(this.size);
    this.v = new Float32Array(this.size);
  }

  get stepCount(): number {
    return this.t;
  }

  /**
   * One step: updates `params[i]` in place from `grads[i]` for every i with `present[i]`.
   * `grads[i]` is left clipped (callers must not reuse it as the raw gradient).
   */
  step(params: Float32Array[], grads: readonly Float32Array[], present: readonly boolean[]): void {
    const n = this.sizes.length;
    if (params.length !== n || grads.length !== n || present.length !== n) {
      throw new Error(`Expected ${n} parameter, gradient and presence entries`);
    }
    let sumSquares = 0;
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!present[i]) continue;
      any = true;
      const g = grads[i]!;
      for (let j = 0; j < g.length; j++) sumSquares += g[j]! * g[j]!;
    }
    if (!any) return;
    const { maxGradNorm, learningRate, beta1, beta2, epsilon } = this.options;
    this.lastGradNorm = Math.sqrt(sumSquares);
    const coef = maxGradNorm > 0 ? Math.min(1, maxGradNorm / (this.lastGradNorm + 1e-6)) : 1;

    this.t += 1;
    const sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, this.t));
    const stepSize = (learningRate * sqrtBc2) / (1 - Math.pow(beta1, this.t));
    const eps = epsilon * sqrtBc2;
    const c1 = 1 - beta1;
    const c2 = 1 - beta2;
    const { m, v } = this;
    for (let i = 0; i < n; i++) {
      if (!present[i]) continue;
      const g = grads[i]!;
      const p = params[i]!;
      const base = this.offsets[i]!;
      for (let j = 0; j < g.length; j++) {
        const gj = g[j]! * coef;
        const k = base + j;
        const mk = (m[k] = beta1 * m[k]! + c1 * gj);
        const vk = (v[k] = beta2 * v[k]! + c2 * gj * gj);
        p[j] = p[j]! - (stepSize * mk) / (Math.sqrt(vk) + eps);
      }
    }
  }

  /** Forget moments and the step count (e.g. at a task switch). */
  reset(): void {
    this.t = 0;
    this.m.fill(0);
    this.v.fill(0);
  }

  getState(): AdamState {
    return { step: this.t, m: this.m.slice(), v: this.v.slice() };
  }

  setState(state: AdamState): void {
    if (state.m.length !== this.size || state.v.length !== this.size) {
      throw new Error(`Adam state needs ${this.size} moments, got m ${state.m.length}, v ${state.v.length}`);
    }
    if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`Bad Adam step ${state.step}`);
    this.t = state.step;
    this.m.set(state.m);
    this.v.set(state.v);
  }
}
