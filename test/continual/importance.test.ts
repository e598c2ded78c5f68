// Per-sample importance (EWC's empirical Fisher, MAS): batched trick vs a hand computation and vs a per-sample loop.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../envs/rng';
import { encodeInput, QNetwork } from '../../src/dqn/qnetwork';
import { maxNormalize, perSampleImportance } from '../../src/continual/importance';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const nets: QNetwork[] = [];
afterAll(() => nets.forEach((n) => n.dispose()));

function net(hiddenSizes: number[], actionCounts: number[], name: string): QNetwork {
  const n = new QNetwork({
    observationSize: 2,
    actionCounts,
    hiddenSizes,
    activation: 'leakyRelu',
    leakyReluAlpha: 0.2,
    rng: new Rng(3),
    name,
  });
  nets.push(n);
  return n;
}

function inputs(network: QNetwork, obs: number[][], task: number): Float32Array {
  const out = new Float32Array(obs.length * network.inputSize);
  obs.forEach((o, i) =>
    encodeInput(o, task, network.observationSize, network.taskCount, out, i * network.inputSize),
  );
  return out;
}

describe('perSampleImportance', () => {
  it('matches a hand computation on a linear head (l = Q[:,0])', () => {
    // No trunk: Q = x·W + b with x = [o0, o1, 1] (task one-hot). ∂l/∂W[k][0] = x_k, ∂l/∂b[0] = 1, rest 0.
    const network = net([], [2], 'imp-lin');
    const obs = [
      [1, 2],
      [-3, 0.5],
    ];
    const x = inputs(network, obs, 0);
    const rowLoss = (q: tf.Tensor2D) => q.slice([0, 0], [-1, 1]).reshape([-1]) as tf.Tensor1D;
    const [w, b] = perSampleImportance({
      network,
      inputs: x,
      rows: 2,
      task: 0,
      rowLoss,
      reduction: 'square',
    });
    // W is [3, 2] row-major: column 0 entries mean(x_k²), column 1 zero.
    expect(Array.from(w!)).toEqual([
      expect.closeTo((1 + 9) / 2, 5),
      0,
      expect.closeTo((4 + 0.25) / 2, 5),
      0,
      expect.closeTo(1, 5),
      0,
    ]);
    expect(Array.from(b!)).toEqual([expect.closeTo(1, 5), 0]);
    const [wa] = perSampleImportance({ network, inputs: x, rows: 2, task: 0, rowLoss, reduction: 'abs' });
    expect(wa![0]).toBeCloseTo((1 + 3) / 2, 5);
    expect(wa![2]).toBeCloseTo((2 + 0.5) / 2, 5);
  });

  it('equals the mean of squared per-sample gradients from a loop (hidden layers, two heads)', () => {
    const network = net([4, 3], [2, 3], 'imp-mlp');
    const rng = new Rng(11);
    const obs = Array.from({ length: 7 }, () => [rng.normal(), rng.normal()]);
    const task = 1;
    const x = inputs(network, obs, task);
    const actions = [0, 2, 1, 1, 0, 2, 2];
    const targets = [0.5, -1, 2, 0.1, 0.3, -0.2, 1.5];
    // Squared TD error of the taken action: lᵢ = (Q(sᵢ, aᵢ) − yᵢ)².
    const rowLoss = (q: tf.Tensor2D, start: number): tf.Tensor1D => {
      const n = q.shape[0];
      const picked = tf.sum(
        tf.mul(q, tf.oneHot(tf.tensor1d(actions.slice(start, start + n), 'int32'), 3)),
        1,
      );
      return tf.square(tf.sub(picked, tf.tensor1d(targets.slice(start, start + n)))) as tf.Tensor1D;
    };
    for (const reduction of ['square', 'abs'] as const) {
      const fast = perSampleImportance({ network, inputs: x, rows: 7, task, rowLoss, reduction, chunk: 3 });
      const vars = network.variables();
      const slow = vars.map((v) => new Float32Array(v.size));
      for (let i = 0; i < 7; i++) {
        // The input is created outside the closure: QNetwork's first layer keeps it for its backward pass.
        const xi = tf.tensor2d(x.subarray(i * network.inputSize, (i + 1) * network.inputSize), [
          1,
          network.inputSize,
        ]);
        const { grads } = tf.variableGrads(() => {
          const q = network.forward(xi, task, 'train');
          const picked = tf.sum(tf.mul(q, tf.oneHot(tf.tensor1d([actions[i]!], 'int32'), 3)));
          return tf.square(tf.sub(picked, targets[i]!)) as tf.Scalar;
        }, vars);
        vars.forEach((v, k) => {
          const g = grads[v.name];
          const data = g ? (g.dataSync() as Float32Array) : new Float32Array(v.size);
          for (let j = 0; j < data.length; j++)
            slow[k]![j]! += (reduction === 'square' ? data[j]! ** 2 : Math.abs(data[j]!)) / 7;
        });
        Object.values(grads).forEach((g) => g.dispose());
        xi.dispose();
      }
      expect(fast.length).toBe(vars.length);
      fast.forEach((f, k) => {
        expect(f.length).toBe(slow[k]!.length);
        f.forEach((value, j) => expect(value).toBeCloseTo(slow[k]![j]!, 4));
      });
      // The head of task 0 gets nothing from task 1's samples.
      expect(fast[4]!.every((v) => v === 0)).toBe(true);
    }
  });

  it('leaves no tensors behind', () => {
    const network = net([4], [2], 'imp-leak');
    const x = inputs(network, [[1, 1]], 0);
    const rowLoss = (q: tf.Tensor2D) => tf.sum(tf.square(q), 1) as tf.Tensor1D;
    perSampleImportance({ network, inputs: x, rows: 1, task: 0, rowLoss, reduction: 'abs' });
    const before = tf.memory().numTensors;
    perSampleImportance({ network, inputs: x, rows: 1, task: 0, rowLoss, reduction: 'abs' });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('maxNormalize', () => {
  it('divides by the global max', () => {
    const a = [Float32Array.from([1, 4]), Float32Array.from([2])];
    expect(maxNormalize(a)).toBe(4);
    expect(Array.from(a[0]!)).toEqual([0.25, 1]);
    expect(Array.from(a[1]!)).toEqual([0.5]);
    const z = [new Float32Array(2)];
    expect(maxNormalize(z)).toBe(0);
  });
});
