/**
 * Single-observation Q-values computed in plain JavaScript from a host copy of the online weights
 * (row-major kernels [in, out]), for acting: one forward pass per env step on ONE observation.
 *
 * Why not tfjs: on tfjs-wasm 4.22 a 1-row forward through a 256×256 layer whose weights changed since the
 * last call makes the wasm heap grow by ~180 KB each time (measured: 17 → 125 MB over 600 update+act
 * cycles), and a 67k-MAC product is as fast in JS as a kernel round trip anyway. The DQN update keeps that
 * host copy current (src/dqn/agent.ts), so acting reads no weights back from the backend.
 */
import type { QNetwork } from './qnetwork';

/** out[outOffset + j] = bias[j] + Σ_i x[xOffset + i]·W[i, j] for j < outSize. */
function denseRow(
  x: Float32Array,
  xOffset: number,
  inSize: number,
  kernel: Float32Array,
  bias: Float32Array,
  outSize: number,
  out: Float32Array,
  outOffset = 0,
): void {
  for (let j = 0; j < outSize; j++) out[outOffset + j] = bias[j]!;
  for (let i = 0; i < inSize; i++) {
    const xi = x[xOffset + i]!;
    if (xi === 0) continue;
    const row = i * outSize;
    for (let j = 0; j < outSize; j++) out[outOffset + j] = out[outOffset + j]! + xi * kernel[row + j]!;
  }
}

/** Scratch rows wide enough for every layer of `network` (reuse them: acting allocates nothing). */
export function hostForwardBuffers(network: QNetwork): [Float32Array, Float32Array] {
  const widest = Math.max(
    network.inputSize,
    ...network.trunk.map((l) => l.bias.size),
    ...network.actionCounts,
  );
  return [new Float32Array(widest), new Float32Array(widest)];
}

/**
 * Q-values of `task` for one encoded input row (see `encodeInput`) from `weights` (in
 * `QNetwork.variables()` order). Returns a view into `buffers`, valid until their next use.
 */
export function hostQValues(
  network: QNetwork,
  weights: readonly Float32Array[],
  input: Float32Array,
  task: number,
  buffers: [Float32Array, Float32Array],
): Float32Array {
  const slope = network.activationSlope();
  let x = input;
  let width = network.inputSize;
  let which = 0;
  for (let l = 0; l < network.trunk.length; l++) {
    const units = network.trunk[l]!.bias.size;
    const out = buffers[which]!;
    denseRow(x, 0, width, weights[2 * l]!, weights[2 * l + 1]!, units, out);
    for (let j = 0; j < units; j++) if (out[j]! < 0) out[j] = out[j]! * slope;
    x = out;
    width = units;
    which = 1 - which;
  }
  const head = 2 * network.trunk.length + 2 * task;
  const actions = network.actionCounts[task]!;
  const out = buffers[which]!;
  denseRow(x, 0, width, weights[head]!, weights[head + 1]!, actions, out);
  return out.subarray(0, actions);
}
