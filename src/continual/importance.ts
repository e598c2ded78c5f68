/**
 * Per-parameter importance from PER-SAMPLE gradients, computed for all samples in one batched pass.
 *
 * For a dense layer z = x·W + b, sample i's gradient is ∂lᵢ/∂W = xᵢᵀ·δᵢ with δᵢ = ∂lᵢ/∂zᵢ, so
 *   Σᵢ (∂lᵢ/∂W)²  = (X∘X)ᵀ · (Δ∘Δ)      and      Σᵢ |∂lᵢ/∂W| = |X|ᵀ · |Δ|
 * (elementwise square / absolute value of an outer product factorizes). Δ for every layer comes from ONE
 * backward pass of Σᵢ lᵢ with respect to zero "probe" tensors added to each pre-activation (rows of the
 * batch do not interact, so row i of that gradient is δᵢ). This is the per-example gradient trick of
 * Goodfellow (2015, arXiv 1510.01799). The result equals looping over samples with one backward pass each
 * (test/continual/importance.test.ts checks it against that loop and a hand computation), at a fraction of
 * the cost. It relies on the QNetwork being dense layers with (leaky) ReLU, which src/dqn/qnetwork.ts is.
 *
 * Returned arrays follow `QNetwork.variables()` order (trunk kernel, bias, …, then each head); heads other
 * than `task` get zeros.
 */
import * as tf from '@tensorflow/tfjs';
import type { QNetwork } from '../dqn/qnetwork';

/**
 * Per-row loss lᵢ from the task head's Q-values [n, A] of rows [start, start + n) of the sample set; must
 * return shape [n] and treat rows independently.
 */
export type RowLoss = (q: tf.Tensor2D, start: number) => tf.Tensor1D;

export type Reduction = 'square' | 'abs';

export interface ImportanceOptions {
  network: QNetwork;
  /** Network inputs [n, inputSize] (see `encodeInput`), as a typed array, row-major. */
  inputs: Float32Array;
  rows: number;
  task: number;
  rowLoss: RowLoss;
  /** 'square' → mean of squared per-sample gradients (empirical Fisher); 'abs' → mean |gradient| (MAS). */
  reduction: Reduction;
  /** Rows per batched pass (bounds memory). Default 512. */
  chunk?: number;
}

/** Mean over rows of (per-sample gradient)² or |per-sample gradient|, per variable. */
export function perSampleImportance(options: ImportanceOptions): Float32Array[] {
  const { network, inputs, rows, task, rowLoss, reduction } = options;
  const chunk = options.chunk ?? 512;
  const width = network.inputSize;
  if (inputs.length !== rows * width) {
    throw new Error(`perSampleImportance: ${inputs.length} input values for ${rows} rows of width ${width}`);
  }
  if (rows <= 0) throw new Error('perSampleImportance needs at least one row');
  const layers = [...network.trunk, network.heads[task]!];
  if (!network.heads[task]) throw new Error(`perSampleImportance: task ${task} has no head`);
  const alpha = network.activation === 'relu' ? 0 : network.leakyReluAlpha;
  const sums = layers.map((l) => ({
    kernel: tf.zeros([l.kernel.shape[0]!, l.kernel.shape[1]!]) as tf.Tensor2D,
    bias: tf.zeros([l.bias.shape[0]!]) as tf.Tensor1D,
  }));

  for (let start = 0; start < rows; start += chunk) {
    const n = Math.min(chunk, rows - start);
    const updated = tf.tidy(() => {
      const x = tf.tensor2d(inputs.subarray(start * width, (start + n) * width), [n, width]);
      // Forward once without probes to keep every layer's input.
      const layerInputs: tf.Tensor2D[] = [];
      let h: tf.Tensor2D = x;
      layers.forEach((layer, i) => {
        layerInputs.push(h);
        const z = tf.add(tf.matMul(h, layer.kernel as tf.Tensor2D), layer.bias) as tf.Tensor2D;
        h = i < layers.length - 1 ? (tf.leakyRelu(z, alpha) as tf.Tensor2D) : z;
      });
      // Backward of Σᵢ lᵢ with respect to zero probes on every pre-activation: row i = δᵢ.
      const probes = layers.map((l) => tf.zeros([n, l.kernel.shape[1]!]) as tf.Tensor2D);
      const lossOf = (...ps: tf.Tensor[]): tf.Scalar => {
        let a: tf.Tensor2D = x;
        layers.forEach((layer, i) => {
          const z = tf.add(
            tf.add(tf.matMul(a, layer.kernel as tf.Tensor2D), layer.bias),
            ps[i]!,
          ) as tf.Tensor2D;
          a = i < layers.length - 1 ? (tf.leakyRelu(z, alpha) as tf.Tensor2D) : z;
        });
        return tf.sum(rowLoss(a, start));
      };
      const deltas = tf.grads(lossOf)(probes) as tf.Tensor2D[];
      return layers.map((_, i) => {
        const xi = layerInputs[i]!;
        const di = deltas[i]!;
        const fx = reduction === 'square' ? tf.square(xi) : tf.abs(xi);
        const fd = reduction === 'square' ? tf.square(di) : tf.abs(di);
        return {
          kernel: tf.add(sums[i]!.kernel, tf.matMul(fx, fd, true, false)) as tf.Tensor2D,
          bias: tf.add(sums[i]!.bias, tf.sum(fd, 0)) as tf.Tensor1D,
        };
      });
    });
    sums.forEach((s, i) => {
      s.kernel.dispose();
      s.bias.dispose();
      sums[i] = updated[i]!;
    });
  }

  const perLayer = sums.map((s) => {
    const kernel = s.kernel.dataSync() as Float32Array;
    const bias = s.bias.dataSync() as Float32Array;
    s.kernel.dispose();
    s.bias.dispose();
    for (let k = 0; k < kernel.length; k++) kernel[k]! /= rows;
    for (let k = 0; k < bias.length; k++) bias[k]! /= rows;
    return [Float32Array.from(kernel), Float32Array.from(bias)];
  });

  // Assemble in QNetwork.variables() order: trunk layers, then every head (zeros except `task`).
  const out: Float32Array[] = [];
  network.trunk.forEach((_, i) => out.push(...perLayer[i]!));
  network.heads.forEach((head, t) => {
    if (t === task) out.push(...perLayer[perLayer.length - 1]!);
    else out.push(new Float32Array(head.kernel.size), new Float32Array(head.bias.size));
  });
  return out;
}

/** Divide every array by the largest value over all of them (no-op when all are zero). Returns the max. */
export function maxNormalize(arrays: Float32Array[]): number {
  let max = 0;
  for (const a of arrays) for (let k = 0; k < a.length; k++) if (a[k]! > max) max = a[k]!;
  if (max > 0) for (const a of arrays) for (let k = 0; k < a.length; k++) a[k]! /= max;
  return max;
}
