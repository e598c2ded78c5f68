/**
 * Q-network: a shared MLP trunk plus one linear output head per task of the run.
 *
 * Input adapter (one agent for tasks with different observation sizes): the network input is
 *   [observation zero-padded to `observationSize` (the largest observation size in the run) | task one-hot]
 * so its width is `observationSize + taskCount`. A single-task run is the same code with one head and a
 * constant 1 as the one-hot (it acts as an extra bias). `encodeInput` writes that layout into a typed array.
 *
 * Weights are initialised from the run's seeded `Rng` (PyTorch's nn.Linear default, which SB3 and the zoo
 * presets use: weights and biases ~ U(±1/√fan_in)), never from tfjs's global random state, so the same
 * seed gives the same network on every backend.
 *
 * Two forward modes: 'infer' uses tfjs's fused matMul+bias+activation kernel (one kernel per layer, NO
 * gradient: never use it inside tf.grads/variableGrads); 'train' uses a `tf.customGrad` dense layer that
 * still runs the fused kernel forward and computes the backward pass with the minimum of kernels (no input
 * gradient for the first layer). 'train' serves the strategies' per-sample gradients (EWC's Fisher, MAS);
 * the DQN update itself runs on the host with its own GEMMs (src/dqn/agent.ts), not through these.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../envs/rng';
import type { Activation } from './config';

export interface DenseLayer {
  kernel: tf.Variable; // [in, out]
  bias: tf.Variable; // [out]
}

export interface QNetworkOptions {
  /** Largest observation size in the run (shorter observations are zero-padded). */
  observationSize: number;
  /** Action count of each task; one head per entry. */
  actionCounts: number[];
  hiddenSizes: number[];
  activation: Activation;
  leakyReluAlpha: number;
  rng: Rng;
  /** Trainable (online) or not (target). Default true. */
  trainable?: boolean;
  /** Unique variable-name prefix (tfjs variable names are global). */
  name: string;
  /** Start from zeros without drawing from `rng` (for a target net that is overwritten by a copy). */
  skipInit?: boolean;
}

export type ForwardMode = 'infer' | 'train';

/** The `save` callback tf.customGrad passes to its function (typed loosely by tfjs). */
export type SaveFunc = (tensors: tf.Tensor[]) => void;

/** Write one network input row: padded observation then task one-hot. */
export function encodeInput(
  observation: ArrayLike<number>,
  task: number,
  observationSize: number,
  taskCount: number,
  out: Float32Array,
  offset = 0,
): void {
  const len = observation.length;
  if (len > observationSize) {
    throw new Error(`Observation of length ${len} exceeds the network's observationSize ${observationSize}`);
  }
  if (!Number.isInteger(task) || task < 0 || task >= taskCount) {
    throw new Error(`Task ${task} is outside [0, ${taskCount})`);
  }
  for (let k = 0; k < len; k++) out[offset + k] = observation[k]!;
  for (let k = len; k < observationSize; k++) out[offset + k] = 0;
  const h = offset + observationSize;
  for (let k = 0; k < taskCount; k++) out[h + k] = k === task ? 1 : 0;
}

export class QNetwork {
  readonly observationSize: number;
  readonly taskCount: number;
  readonly inputSize: number;
  readonly actionCounts: readonly number[];
  readonly activation: Activation;
  readonly leakyReluAlpha: number;
  readonly trunk: DenseLayer[];
  readonly heads: DenseLayer[];

  constructor(options: QNetworkOptions) {
    const { observationSize, actionCounts, hiddenSizes, rng, name } = options;
    if (actionCounts.length === 0) throw new Error('QNetwork needs at least one task');
    this.observationSize = observationSize;
    this.taskCount = actionCounts.length;
    this.inputSize = observationSize + this.taskCount;
    this.actionCounts = [...actionCounts];
    this.activation = options.activation;
    this.leakyReluAlpha = options.leakyReluAlpha;
    const trainable = options.trainable ?? true;
    const init = options.skipInit ? null : rng;
    let width = this.inputSize;
    this.trunk = hiddenSizes.map((units, i) => {
      const layer = makeDense(width, units, init, trainable, `${name}/trunk${i}`);
      width = units;
      return layer;
    });
    this.heads = actionCounts.map((a, t) => makeDense(width, a, init, trainable, `${name}/head${t}`));
  }

  /** All variables: trunk layers (kernel, bias) then heads in task order. */
  variables(): tf.Variable[] {
    return [...this.trunkVariables(), ...this.heads.flatMap((_, t) => this.headVariables(t))];
  }

  trunkVariables(): tf.Variable[] {
    return this.trunk.flatMap((l) => [l.kernel, l.bias]);
  }

  headVariables(task: number): tf.Variable[] {
    const head = this.heads[task];
    if (!head) throw new Error(`Task ${task} is outside [0, ${this.taskCount})`);
    return [head.kernel, head.bias];
  }

  /**
   * Trunk features, kept as [1, B, hidden] (the fused matMul kernel of cpu and wasm takes rank-3 inputs;
   * keeping activations rank 3 saves reshapes). `x` is [B, inputSize] (see `encodeInput`).
   */
  features(x: tf.Tensor2D, mode: ForwardMode): tf.Tensor3D {
    let h = tf.reshape(x, [1, x.shape[0], x.shape[1]]) as tf.Tensor3D;
    this.trunk.forEach((layer, i) => {
      h =
        mode === 'infer'
          ? denseInfer(h, layer, this.activationSlope())
          : denseTrain(h, layer, this.activationSlope(), i > 0 ? 'input-grad' : 'no-input-grad');
    });
    return h;
  }

  /** Q-values of one task's head: [B, actionCounts[task]]. */
  forward(x: tf.Tensor2D, task: number, mode: ForwardMode): tf.Tensor2D {
    return this.headOutput(this.features(x, mode), task, mode);
  }

  /** Q-values [B, actions] of one head applied to trunk features from `features`. */
  headOutput(features: tf.Tensor3D, task: number, mode: ForwardMode): tf.Tensor2D {
    const head = this.heads[task];
    if (!head) throw new Error(`Task ${task} is outside [0, ${this.taskCount})`);
    const q =
      mode === 'infer'
        ? denseInfer(features, head, null)
        : denseTrain(features, head, null, this.trunk.length > 0 ? 'input-grad' : 'no-input-grad');
    return tf.reshape(q, [q.shape[1], q.shape[2]]) as tf.Tensor2D;
  }

  /** Copy every weight from `source` (same architecture). */
  copyFrom(source: QNetwork): void {
    const src = source.variables();
    this.variables().forEach((v, i) => v.assign(src[i]!));
  }

  /** Polyak averaging: θ ← τ·θ_source + (1 − τ)·θ. */
  polyakFrom(source: QNetwork, tau: number): void {
    if (tau >= 1) {
      this.copyFrom(source);
      return;
    }
    const src = source.variables();
    tf.tidy(() => {
      this.variables().forEach((v, i) => v.assign(tf.add(tf.mul(src[i]!, tau), tf.mul(v, 1 - tau))));
    });
  }

  /** Weight values in `variables()` order (copies). */
  getWeights(): Float32Array[] {
    return this.variables().map((v) => Float32Array.from(v.dataSync() as Float32Array));
  }

  setWeights(weights: readonly Float32Array[]): void {
    const vars = this.variables();
    if (weights.length !== vars.length) {
      throw new Error(`Expected ${vars.length} weight arrays, got ${weights.length}`);
    }
    vars.forEach((v, i) => {
      const w = weights[i]!;
      if (w.length !== v.size) throw new Error(`Weight ${v.name} needs ${v.size} values, got ${w.length}`);
      tf.tidy(() => v.assign(tf.tensor(w, v.shape, 'float32')));
    });
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }

  /** Slope for negative inputs: 0 for ReLU, α for LeakyReLU. */
  activationSlope(): number {
    return this.activation === 'relu' ? 0 : this.leakyReluAlpha;
  }
}

/** A dense layer initialised like PyTorch's nn.Linear from `rng` (zeros when `rng` is null). */
function makeDense(
  fanIn: number,
  units: number,
  rng: Rng | null,
  trainable: boolean,
  name: string,
): DenseLayer {
  const bound = 1 / Math.sqrt(fanIn);
  const w = new Float32Array(fanIn * units);
  const b = new Float32Array(units);
  if (rng) {
    for (let i = 0; i < w.length; i++) w[i] = rng.uniformRange(-bound, bound);
    for (let i = 0; i < b.length; i++) b[i] = rng.uniformRange(-bound, bound);
  }
  // tidy disposes the initial tensors; the variables keep their data.
  return tf.tidy(() => ({
    kernel: tf.variable(tf.tensor2d(w, [fanIn, units]), trainable, `${name}/kernel`),
    bias: tf.variable(tf.tensor1d(b), trainable, `${name}/bias`),
  }));
}

/** tfjs activation name for a slope: null = linear, 0 = ReLU, otherwise LeakyReLU. */
function activationName(alpha: number | null): 'linear' | 'relu' | 'leakyrelu' {
  return alpha === null ? 'linear' : alpha === 0 ? 'relu' : 'leakyrelu';
}

/** One fused matMul + bias + activation kernel on rank-3 input [1, B, in]. */
function fusedDense(x: tf.Tensor3D, kernel: tf.Tensor, bias: tf.Tensor, alpha: number | null): tf.Tensor3D {
  const [inSize, outSize] = kernel.shape as [number, number];
  const b = tf.reshape(kernel, [1, inSize, outSize]);
  return tf
    .engine()
    .runKernel(
      '_FusedMatMul',
      { a: x, b, bias },
      { transposeA: false, transposeB: false, activation: activationName(alpha), leakyreluAlpha: alpha ?? 0 },
    ) as tf.Tensor3D;
}

/** Inference dense layer (no gradient recorded beyond the kernel's own, used outside tapes). */
function denseInfer(x: tf.Tensor3D, layer: DenseLayer, alpha: number | null): tf.Tensor3D {
  return fusedDense(x, layer.kernel, layer.bias, alpha);
}

/**
 * Dense layer with a hand-written gradient. `alpha` null = linear; otherwise the activation is
 * LeakyReLU with slope alpha for negative inputs (alpha 0 = ReLU).
 * Forward: one fused matMul+bias+activation kernel. Backward: dAct = dy·step(y, alpha) (y > 0 ⇔ x > 0
 * for alpha ≥ 0), dW = xᵀ·dAct, db = Σ_rows dAct, dx = dAct·Wᵀ only when the input needs a gradient.
 */
function denseTrain(
  x: tf.Tensor3D,
  layer: DenseLayer,
  alpha: number | null,
  inputGrad: 'input-grad' | 'no-input-grad',
): tf.Tensor3D {
  const [inSize, outSize] = layer.kernel.shape as [number, number];
  const rows = x.shape[1];
  const backward = (dy: tf.Tensor3D, y: tf.Tensor3D): tf.Tensor2D =>
    tf.reshape(alpha === null ? dy : tf.mul(dy, tf.step(y, alpha)), [rows, outSize]) as tf.Tensor2D;
  // tfjs-wasm's matMul with transposeA/transposeB takes a slow path (≈10× slower than an explicit
  // transpose followed by a plain matMul, measured), so transposes are explicit here.
  const kernelGrad = (a: tf.Tensor3D, g: tf.Tensor2D): tf.Tensor =>
    tf.matMul(tf.transpose(tf.reshape(a, [rows, inSize]) as tf.Tensor2D), g);
  const biasGrad = (g: tf.Tensor2D): tf.Tensor => tf.sum(g, 0);

  if (inputGrad === 'input-grad') {
    const op = tf.customGrad((a, kernel, bias, save) => {
      const y = fusedDense(a as tf.Tensor3D, kernel as tf.Tensor, bias as tf.Tensor, alpha);
      (save as SaveFunc)([a as tf.Tensor3D, kernel as tf.Tensor, y]);
      return {
        value: y,
        gradFunc: (dy, saved) => {
          const [sa, sk, sy] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor3D];
          const g = backward(dy as tf.Tensor3D, sy);
          // dx = g·Wᵀ computed as (W·gᵀ)ᵀ: the matMul's packed right operand is then gᵀ (rows × out) instead
          // of a fresh Wᵀ (in × out), which measured ~40% cheaper on tfjs-wasm for 256×256 layers.
          const dx = tf.reshape(tf.transpose(tf.matMul(sk, tf.transpose(g))), [1, rows, inSize]);
          return [dx, kernelGrad(sa, g), biasGrad(g)];
        },
      };
    });
    return op(x, layer.kernel, layer.bias) as tf.Tensor3D;
  }
  const op = tf.customGrad((kernel, bias, save) => {
    const y = fusedDense(x, kernel as tf.Tensor, bias as tf.Tensor, alpha);
    (save as SaveFunc)([y]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const g = backward(dy as tf.Tensor3D, (saved as [tf.Tensor3D])[0]);
        return [kernelGrad(x, g), biasGrad(g)];
      },
    };
  });
  return op(layer.kernel, layer.bias) as tf.Tensor3D;
}
