// The backend ladder: forced cpu and wasm agree on a training step; unavailable or unknown backends fail clearly.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { forcedBackendFromEnv, initBackend, describeBackend } from '../../src/tf/backend';
import { Rng } from '../../envs/rng';

/** One Adam step of a tiny MLP on fixed data; returns the updated weights. */
function trainingStep(): Float32Array[] {
  const rng = new Rng(7);
  const values = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.uniformRange(-1, 1));
  const w1 = tf.variable(tf.tensor2d(values(6 * 8), [6, 8]));
  const b1 = tf.variable(tf.tensor1d(values(8)));
  const w2 = tf.variable(tf.tensor2d(values(8 * 3), [8, 3]));
  const x = tf.tensor2d(values(5 * 6), [5, 6]);
  const y = tf.tensor2d(values(5 * 3), [5, 3]);
  const optimizer = tf.train.adam(0.01);
  for (let i = 0; i < 3; i++) {
    optimizer.minimize(
      () => tf.losses.huberLoss(y, tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2)) as tf.Scalar,
    );
  }
  const out = [w1, b1, w2].map((v) => v.dataSync().slice() as Float32Array);
  tf.dispose([w1, b1, w2, x, y]);
  optimizer.dispose();
  return out;
}

describe('backend ladder', () => {
  it('picks wasm here (tensorflow is skipped with a reason) when nothing is forced', async () => {
    const choice = await initBackend({});
    expect(['tensorflow', 'wasm']).toContain(choice.backend);
    if (choice.backend === 'wasm') {
      expect(choice.skipped[0]?.backend).toBe('tensorflow');
      expect(choice.skipped[0]?.reason).toMatch(/tfjs-node/);
      expect(describeBackend(choice)).toMatch(/^wasm.*skipped tensorflow/);
    }
    expect(tf.getBackend()).toBe(choice.backend);
  });

  it('forced cpu and forced wasm compute the same training step to 1e-5', async () => {
    await initBackend({ force: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    const cpu = trainingStep();
    const wasm = await initBackend({ force: 'wasm' });
    expect(wasm.backend).toBe('wasm');
    expect(wasm.forced).toBe(true);
    const onWasm = trainingStep();
    for (let t = 0; t < cpu.length; t++) {
      for (let i = 0; i < cpu[t]!.length; i++)
        expect(Math.abs(cpu[t]![i]! - onWasm[t]![i]!)).toBeLessThan(1e-5);
    }
  });

  it('a forced backend that cannot load is an error naming it, not a silent fallback', async () => {
    let loaded = true;
    try {
      await import(/* @vite-ignore */ '@tensorflow/tfjs-node' as string);
    } catch {
      loaded = false;
    }
    if (loaded) return; // Native backend present on this machine: nothing to check.
    await expect(initBackend({ force: 'tensorflow' })).rejects.toThrow(
      /"tensorflow" was forced.*cannot load/,
    );
  });

  it('rejects an unknown LAB_BACKEND with the valid names', () => {
    expect(() => forcedBackendFromEnv({ LAB_BACKEND: 'gpu' })).toThrow(/tensorflow, wasm, cpu.*"gpu"/);
    expect(forcedBackendFromEnv({ LAB_BACKEND: 'cpu' })).toBe('cpu');
    expect(forcedBackendFromEnv({})).toBeUndefined();
  });
});
