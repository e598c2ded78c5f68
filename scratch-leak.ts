import * as tf from '@tensorflow/tfjs';
import { initBackend } from './src/tf/backend';
await initBackend({ force: 'wasm' });
const mode = process.argv[2]!;
let W = tf.keep(tf.randomNormal([1, 256, 256]));
const b = tf.randomNormal([256]);
const x64 = tf.randomNormal([1, 64, 256]), x1 = tf.randomNormal([1, 1, 256]);
const fused = (x: tf.Tensor) => tf.engine().runKernel('_FusedMatMul', { a: x, b: W, bias: b }, { transposeA: false, transposeB: false, activation: 'relu', leakyreluAlpha: 0 });
const heap = () => ((tf.backend() as any).wasm.HEAPU8.length / 1e6).toFixed(0);
for (let i = 0; i <= 300; i++) {
  tf.tidy(() => {
    const old = W; W = tf.keep(tf.add(W, 0)); old.dispose();
    if (mode === 'fused64') fused(x64);
    if (mode === 'fused64+1') { fused(x64); fused(x1); }
    if (mode === 'mm64+1') { tf.matMul(x64, W); tf.matMul(x1, W); }
    if (mode === 'fused1') { fused(x1); }
  });
  if (i % 100 === 0) console.log(mode, i, 'wasm MB', heap(), tf.memory().numTensors);
}
