import * as tf from '@tensorflow/tfjs';
import { initBackend } from './src/tf/backend';
await initBackend({ force: (process.argv[2] ?? 'wasm') as 'wasm' });
function time(name: string, f: () => void, n = 300) {
  for (let i = 0; i < 30; i++) f();
  const t: number[] = [];
  for (let i = 0; i < n; i++) { const t0 = performance.now(); f(); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b);
  console.log(name.padEnd(40), (t[t.length >> 1]! * 1000).toFixed(1), 'us');
}
const a3 = tf.randomNormal([1, 64, 128]); const w3 = tf.randomNormal([1, 128, 128]); const b = tf.randomNormal([128]);
const w2 = tf.randomNormal([128, 128]); const a2 = tf.randomNormal([64, 128]);
time('fused 64x128x128 relu', () => tf.tidy(() => { tf.engine().runKernel('_FusedMatMul', { a: a3, b: w3, bias: b }, { transposeA: false, transposeB: false, activation: 'relu', leakyreluAlpha: 0 }); }));
time('matMul 2D', () => tf.tidy(() => { tf.matMul(a2, w2); }));
time('matMul transposeA (dW)', () => tf.tidy(() => { tf.matMul(a2, a2, true, false); }));
time('matMul transposeB (dx)', () => tf.tidy(() => { tf.matMul(a2, w2, false, true); }));
time('matMul 3D transposeA', () => tf.tidy(() => { tf.matMul(a3, a3, true, false); }));
time('transpose 64x128', () => tf.tidy(() => { tf.transpose(a2); }));
time('transpose + matMul (dW)', () => tf.tidy(() => { tf.matMul(tf.transpose(a2), a2); }));
time('transpose W + matMul (dx)', () => tf.tidy(() => { tf.matMul(a2, tf.transpose(w2)); }));
time('fused 3D transposed a', () => tf.tidy(() => { tf.engine().runKernel('_FusedMatMul', { a: a3, b: w3 }, { transposeA: true, transposeB: false, activation: 'linear', leakyreluAlpha: 0 }); }));
time('matMul 16x64 @ 64x128 (dW1)', () => tf.tidy(() => { tf.matMul(tf.transpose(a2.slice([0,0],[64,16])), a2); }));
time('add scalar', () => tf.tidy(() => { tf.add(a2, 1); }));
time('reshape', () => tf.tidy(() => { tf.reshape(a2, [1, 64, 128]); }));
time('sum axis0', () => tf.tidy(() => { tf.sum(a2, 0); }));
time('step', () => tf.tidy(() => { tf.step(a2, 0); }));
const big = tf.randomNormal([19000]);
time('mul 19k', () => tf.tidy(() => { tf.mul(big, big); }));
// time('split 6', () => tf.tidy(() => { tf.split(big, [2000, 128, 16384, 128, 360, 10]); }));
time('tensor2d upload 64x16', () => tf.tidy(() => { tf.tensor2d(new Float32Array(1024), [64, 16]); }));
