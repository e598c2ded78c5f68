/**
 * `npm run bench -- backend [--json]`: time a small dense training step (forward, backward, Adam) on every
 * backend that loads here, so the ladder's choice can be checked against measured speed.
 */
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, initBackend, type BackendName } from '../src/tf/backend';
import { Rng } from '../envs/rng';

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const results: Record<string, number | string> = {};
  for (const backend of BACKEND_NAMES) {
    try {
      await initBackend({ force: backend });
    } catch (error) {
      results[backend] = `unavailable: ${error instanceof Error ? error.message : String(error)}`;
      continue;
    }
    results[backend] = timeStep(backend);
  }
  if (json) {
    process.stdout.write(JSON.stringify({ stepMs: results }) + '\n');
    return;
  }
  for (const [name, value] of Object.entries(results)) {
    process.stdout.write(
      `${name.padEnd(11)} ${typeof value === 'number' ? `${value.toFixed(3)} ms/step` : value}\n`,
    );
  }
}

/** Median time of one 2×128 MLP regression step on batch 64 (after warm-up). */
function timeStep(_backend: BackendName): number {
  const rng = new Rng(1);
  const init = (n: number, scale: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (rng.uniform() * 2 - 1) * scale;
    return a;
  };
  const w1 = tf.variable(tf.tensor2d(init(16 * 128, 0.25), [16, 128]));
  const w2 = tf.variable(tf.tensor2d(init(128 * 128, 0.1), [128, 128]));
  const w3 = tf.variable(tf.tensor2d(init(128 * 4, 0.1), [128, 4]));
  const x = tf.tensor2d(init(64 * 16, 1), [64, 16]);
  const y = tf.tensor2d(init(64 * 4, 1), [64, 4]);
  const optimizer = tf.train.adam(1e-3);
  const step = (): void => {
    const loss = optimizer.minimize(
      () =>
        tf.losses.huberLoss(y, tf.matMul(tf.relu(tf.matMul(tf.relu(tf.matMul(x, w1)), w2)), w3)) as tf.Scalar,
      true,
    );
    loss?.dataSync();
    loss?.dispose();
  };
  for (let i = 0; i < 20; i++) step();
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  tf.dispose([w1, w2, w3, x, y]);
  optimizer.dispose();
  return times[times.length >> 1]!;
}
