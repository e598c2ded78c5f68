import * as tf from '@tensorflow/tfjs';
import { initBackend } from './src/tf/backend';
await initBackend({ force: 'wasm' });
const mode = process.argv[2]!;
let W = tf.variable(tf.randomNormal([256, 256]));
let b = tf.variable(tf.randomNormal([256]));
const x64 = tf.randomNormal([1, 64, 256]), x1 = tf.randomNormal([1, 1, 256]);
const fused = (x: tf.Tensor) => tf.engine().runKernel('_FusedMatMul', { a: x, b: tf.reshape(W, [1, 256, 256]), bias: b }, { transposeA: false, transposeB: false, activation: 'relu', leakyreluAlpha: 0 });
const heap = () => ((tf.backend() as any).wasm.HEAPU8.length / 1e6).toFixed(0);
for (let i = 0; i <= 300; i++) {
  tf.tidy(() => {
    if (mode.includes('W')) W.assign(tf.sub(W, 0.001));
    if (mode.includes('B')) b.assign(tf.sub(b, 0.001));
    if (mode.includes('64')) fused(x64);
    if (mode.includes('1')) fused(x1);
  });
  if (i % 100 === 0) console.log(mode, i, 'wasm MB', heap(), tf.memory().numTensors);
}
