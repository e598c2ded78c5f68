/**
 * Single-observation Q-values computed in plain JavaScript from a host copy of the online weights.
 *
 * Why: acting needs one forward pass per env step on ONE observation. On tfjs-wasm 4.22 a 1-row forward
 * through a 256×256 layer whose weights changed since the last call makes the wasm heap grow by ~180 KB
 * each time (measured: 17 → 125 MB over 600 update+act cycles; MountainCar's preset reached 3 GB RSS after
 * 28k steps), and a 67k-MAC product is as fast in JS as a tfjs kernel round trip anyway.
 * The copy is refreshed lazily after the weights change (`invalidate()`), e.g. once per training round.
 */
import type { QNetwork } from './qnetwork';

export class HostForward {
  private weights: Float32Array[] | null = null;
  private readonly buffers: [Float32Array, Float32Array];

  constructor(private readonly network: QNetwork) {
    const widest = Math.max(
      network.inputSize,
      ...network.trunk.map((l) => l.bias.size),
      ...network.actionCounts,
    );
    this.buffers = [new Float32Array(widest), new Float32Array(widest)];
  }

  /** Mark the host copy stale (call after any change of the network's weights). */
  invalidate(): void {
    this.weights = null;
  }

  /**
   * Q-values of `task` for one encoded input row (see `encodeInput`); returns a view valid until the
   * next call.
   */
  qValues(input: Float32Array, task: number): Float32Array {
    const net = this.network;
    this.weights ??= net.variables().map((v) => v.dataSync() as Float32Array);
    const slope = net.activation === 'relu' ? 0 : net.leakyReluAlpha;
    let x = input;
    let width = net.inputSize;
    let which = 0;
    for (let l = 0; l < net.trunk.length; l++) {
      const units = net.trunk[l]!.bias.size;
      const out = this.buffers[which]!;
      dense(x, width, this.weights[2 * l]!, this.weights[2 * l + 1]!, units, out);
      for (let j = 0; j < units; j++) if (out[j]! < 0) out[j] = out[j]! * slope;
      x = out;
      width = units;
      which = 1 - which;
    }
    const head = 2 * net.trunk.length + 2 * task;
    const actions = net.actionCounts[task]!;
    const out = this.buffers[which]!;
    dense(x, width, this.weights[head]!, this.weights[head + 1]!, actions, out);
    return out.subarray(0, actions);
  }
}

/** out[j] = bias[j] + Σ_i x[i]·W[i, j] with W row-major [inSize, outSize]. */
function dense(
  x: Float32Array,
  inSize: number,
  kernel: Float32Array,
  bias: Float32Array,
  outSize: number,
  out: Float32Array,
): void {
  for (let j = 0; j < outSize; j++) out[j] = bias[j]!;
  for (let i = 0; i < inSize; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const row = i * outSize;
    for (let j = 0; j < outSize; j++) out[j] = out[j]! + xi * kernel[row + j]!;
  }
}
