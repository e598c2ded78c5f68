// AnchorStore hands the agent a closed-form quadratic penalty: its gradient λ·A·(θ − m) equals tfjs autodiff
// of the per-task EWC sum (λ/2)·Σ_k Σ F_k·(θ − θ*_k)² (separate mode) and of the online running pair.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../envs/rng';
import { AnchorStore } from '../../src/continual/anchor-store';
import type { QuadraticPenalty } from '../../src/dqn/penalty';
import { initBackend } from '../../src/tf/backend';

const SIZES = [6, 3, 4];

function closedFormGradient(penalty: QuadraticPenalty, theta: Float32Array[]): Float32Array[] {
  return theta.map((p, i) => {
    const a = penalty.importance[i];
    const m = penalty.anchor[i];
    return Float32Array.from(p, (x, k) => (a && m ? penalty.lambda * a[k]! * (x - m[k]!) : 0));
  });
}

describe('AnchorStore closed-form penalty', () => {
  beforeAll(async () => {
    await initBackend({ force: 'cpu' });
  });

  for (const mode of ['separate', 'online'] as const) {
    it(`matches autodiff of the per-task penalty (${mode})`, () => {
      const rng = new Rng(4);
      const draw = (n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.normal() * scale);
      const vars = SIZES.map((n, i) => tf.variable(tf.tensor1d(draw(n)), true, `anchor-test-${mode}-${i}`));
      const gamma = 0.7;
      const store = new AnchorStore(vars, mode === 'online' ? { mode, gamma } : { mode });
      // Task 0 leaves variable 2 free (all-zero importance); task 1 covers everything.
      const f0 = SIZES.map((n, i) => (i === 2 ? new Float32Array(n) : draw(n).map(Math.abs)));
      const a0 = SIZES.map((n) => draw(n));
      const f1 = SIZES.map((n) => draw(n).map(Math.abs));
      const a1 = SIZES.map((n) => draw(n));
      const lambda = 3;
      expect(store.penalty(lambda)).toBeNull();
      store.consolidate(0, f0, a0);
      const first = store.penalty(lambda)!;
      expect(first.importance[2]).toBeNull();
      store.consolidate(1, f1, a1);
      const penalty = store.penalty(lambda)!;
      expect(store.penalty(lambda)).toBe(penalty); // the same object each step: nothing allocated per update

      // Reference: separate = Σ_k (λ/2)·F_k·(θ − θ_k)²; online = (λ/2)·(γF_0 + F_1)·(θ − θ_1)².
      const pairs =
        mode === 'separate'
          ? [
              { f: f0, a: a0 },
              { f: f1, a: a1 },
            ]
          : [{ f: f1.map((f, i) => f.map((x, k) => gamma * f0[i]![k]! + x)), a: a1 }];
      const { grads } = tf.variableGrads(
        () =>
          tf.addN(
            pairs.flatMap(({ f, a }) =>
              vars.map((v, i) => tf.mul(lambda / 2, tf.sum(tf.mul(f[i]!, tf.square(tf.sub(v, a[i]!)))))),
            ),
          ) as tf.Scalar,
        vars,
      );
      const theta = vars.map((v) => v.dataSync() as Float32Array);
      closedFormGradient(penalty, theta).forEach((g, i) => {
        const expected = grads[vars[i]!.name]!.dataSync();
        g.forEach((x, k) => expect(x).toBeCloseTo(expected[k]!, 4));
      });
      expect(store.penalty(0)).toBeNull();
      tf.dispose([...vars, ...Object.values(grads)]);
    });
  }
});
