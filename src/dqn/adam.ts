/**
 * Adam with global gradient-norm clipping, run over ONE flat vector of all parameters so an update costs a
 * dozen kernels instead of a dozen per variable (the DQN update's hot path).
 *
 * Semantics follow PyTorch (`torch.nn.utils.clip_grad_norm_` then `torch.optim.Adam`, as SB3 uses):
 *   clip: g ← g · min(1, maxNorm / (‖g‖₂ + 1e-6)) over all parameters that received a gradient;
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
 *   θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)   (computed as √(1−β2ᵗ)·lr/(1−β1ᵗ) · m / (√v + ε√(1−β2ᵗ))).
 * Variables that received no gradient in a step (e.g. another task's head) keep their weights and moments,
 * like PyTorch; unlike PyTorch the step count t is one global counter (as in tfjs/Keras Adam).
 * The state (t, m, v) is plain data so checkpoints restore it exactly.
 */
import * as tf from '@tensorflow/tfjs';

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
  m: Float32Array;
  v: Float32Array;
}

export class FlatAdam {
  readonly size: number;
  private readonly sizes: number[];
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private readonly constants: { b1: tf.Scalar; c1: tf.Scalar; b2: tf.Scalar; c2: tf.Scalar };
  /** Masks (1 = variable got a gradient) cached by presence pattern. */
  private readonly masks = new Map<string, { on: tf.Tensor1D; scale: tf.Tensor1D }>();
  private readonly zeros: (tf.Tensor1D | undefined)[] = [];
  private t = 0;
  /** ‖g‖₂ of the last step before clipping (for logging). */
  lastGradNorm = 0;

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly options: AdamOptions,
  ) {
    this.sizes = variables.map((v) => v.size);
    this.size = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.tidy(() => tf.variable(tf.zeros([this.size]), false));
    this.v = tf.tidy(() => tf.variable(tf.zeros([this.size]), false));
    const { beta1, beta2 } = options;
    this.constants = {
      b1: tf.keep(tf.scalar(beta1)),
      c1: tf.keep(tf.scalar(1 - beta1)),
      b2: tf.keep(tf.scalar(beta2)),
      c2: tf.keep(tf.scalar(1 - beta2)),
    };
  }

  get stepCount(): number {
    return this.t;
  }

  /**
   * One step. `grads[i]` is the gradient of `variables[i]` or null/undefined when it got none.
   * Call inside `tf.tidy` (temporaries are left to the caller's scope).
   */
  apply(grads: readonly (tf.Tensor | null | undefined)[]): void {
    if (grads.length !== this.variables.length) {
      throw new Error(`Expected ${this.variables.length} gradients, got ${grads.length}`);
    }
    const present = grads.map((g) => g != null);
    if (!present.some(Boolean)) return;
    const all = present.every(Boolean);
    const flat = tf.concat(
      grads.map((g, i) => (g ? tf.reshape(g, [-1]) : this.zeroOf(i))),
      0,
    ) as tf.Tensor1D;

    const { maxGradNorm, learningRate, beta1, beta2, epsilon } = this.options;
    // One scalar read (cheap on cpu/wasm, where kernels run synchronously anyway).
    const sumSquares = tf.sum(tf.square(flat)).dataSync()[0]!;
    this.lastGradNorm = Math.sqrt(sumSquares);
    let g: tf.Tensor1D = flat;
    if (maxGradNorm > 0) {
      const coef = maxGradNorm / (this.lastGradNorm + 1e-6);
      if (coef < 1) g = tf.mul(flat, tf.scalar(coef));
    }

    this.t += 1;
    const bc1 = 1 - Math.pow(beta1, this.t);
    const sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, this.t));
    const { b1, c1, b2, c2 } = this.constants;
    let m = tf.add(tf.mul(this.m, b1), tf.mul(g, c1));
    let v = tf.add(tf.mul(this.v, b2), tf.mul(tf.square(g), c2));
    let delta = tf.mul(
      tf.div(m, tf.add(tf.sqrt(v), tf.scalar(epsilon * sqrtBc2))),
      tf.scalar((learningRate * sqrtBc2) / bc1),
    );
    if (!all) {
      const mask = this.maskOf(present);
      m = tf.where(mask.on, m, this.m);
      v = tf.where(mask.on, v, this.v);
      delta = tf.mul(delta, mask.scale);
    }
    this.m.assign(m);
    this.v.assign(v);
    const parts = tf.split(delta, this.sizes, 0);
    this.variables.forEach((variable, i) => {
      if (present[i]) variable.assign(tf.sub(variable, tf.reshape(parts[i]!, variable.shape)));
    });
  }

  /** Forget moments and the step count (e.g. at a task switch). */
  reset(): void {
    this.t = 0;
    tf.tidy(() => {
      this.m.assign(tf.zeros([this.size]));
      this.v.assign(tf.zeros([this.size]));
    });
  }

  getState(): AdamState {
    return {
      step: this.t,
      m: Float32Array.from(this.m.dataSync() as Float32Array),
      v: Float32Array.from(this.v.dataSync() as Float32Array),
    };
  }

  setState(state: AdamState): void {
    if (state.m.length !== this.size || state.v.length !== this.size) {
      throw new Error(`Adam state needs ${this.size} moments, got m ${state.m.length}, v ${state.v.length}`);
    }
    if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`Bad Adam step ${state.step}`);
    this.t = state.step;
    tf.tidy(() => {
      this.m.assign(tf.tensor1d(state.m));
      this.v.assign(tf.tensor1d(state.v));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
    Object.values(this.constants).forEach((c) => c.dispose());
    this.masks.forEach((mask) => {
      mask.on.dispose();
      mask.scale.dispose();
    });
    this.masks.clear();
    this.zeros.forEach((z) => z?.dispose());
    this.zeros.length = 0;
  }

  private zeroOf(i: number): tf.Tensor1D {
    const cached = this.zeros[i];
    if (cached) return cached;
    const z = tf.keep(tf.zeros([this.sizes[i]!]) as tf.Tensor1D);
    this.zeros[i] = z;
    return z;
  }

  private maskOf(present: boolean[]): { on: tf.Tensor1D; scale: tf.Tensor1D } {
    const key = present.map((p) => (p ? '1' : '0')).join('');
    let mask = this.masks.get(key);
    if (!mask) {
      const values = new Float32Array(this.size);
      let offset = 0;
      present.forEach((p, i) => {
        if (p) values.fill(1, offset, offset + this.sizes[i]!);
        offset += this.sizes[i]!;
      });
      const scale = tf.keep(tf.tensor1d(values));
      mask = { scale, on: tf.keep(tf.cast(scale, 'bool')) };
      this.masks.set(key, mask);
    }
    return mask;
  }
}
