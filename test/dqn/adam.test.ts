// HostAdam (src/dqn/adam.ts): the wasm SIMD passes (penalty, norm, Adam) equal a float64 PyTorch-style
// clip + Adam step; a penalty handed out with fresh arrays every step (beyond the optimizer's arena copies,
// so it runs in JavaScript) gives the same weights as one handed out once.
import { describe, expect, it } from 'vitest';
import { HostAdam } from '../../src/dqn/adam';
import type { QuadraticPenalty } from '../../src/dqn/penalty';

const SIZES = [7, 12, 5];
const OPTIONS = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, maxGradNorm: 0.5 };

function setup(): HostAdam {
  const adam = new HostAdam(SIZES, { ...OPTIONS });
  adam.paramArrays().forEach((p, i) => p.forEach((_, j) => (p[j] = Math.sin(i * 10 + j))));
  return adam;
}

function fillGrads(adam: HostAdam, step: number): void {
  adam.gradArrays().forEach((g, i) => g.forEach((_, j) => (g[j] = Math.cos(step + i * 3 + j * 0.7))));
}

const penaltyOf = (): QuadraticPenalty => ({
  lambda: 2,
  importance: [Float32Array.from({ length: 7 }, (_, j) => j * 0.1), null, new Float32Array(5).fill(0.3)],
  anchor: [new Float32Array(7).fill(0.2), null, new Float32Array(5).fill(-0.1)],
});

describe('HostAdam', () => {
  it('equals a float64 clip + Adam step with the penalty gradient added (variable 1 absent)', () => {
    const adam = setup();
    const penalty = penaltyOf();
    const present = [true, false, false];
    fillGrads(adam, 0);
    const p0 = adam.paramArrays().map((p) => Float64Array.from(p));
    const g0 = adam.gradArrays().map((g, i) =>
      Float64Array.from(g, (x, j) => {
        const a = penalty.importance[i];
        const base = present[i] ? x : 0;
        return a ? base + 2 * a[j]! * (p0[i]![j]! - penalty.anchor[i]![j]!) : base;
      }),
    );
    adam.step(present, penalty);
    expect(present).toEqual([true, false, true]);
    const norm = Math.sqrt(g0.reduce((s, g) => s + g.reduce((t, x) => t + x * x, 0), 0));
    expect(adam.lastGradNorm).toBeCloseTo(norm, 5);
    const coef = Math.min(1, 0.5 / (norm + 1e-6));
    adam.paramArrays().forEach((p, i) =>
      p.forEach((x, j) => {
        if (!present[i]) return expect(x).toBe(Math.fround(p0[i]![j]!));
        const g = g0[i]![j]! * coef;
        const m = 0.1 * g;
        const v = 0.001 * g * g;
        const want = p0[i]![j]! - ((0.01 / 0.1) * m) / (Math.sqrt(v) / Math.sqrt(0.001) + 1e-8);
        expect(Math.abs(x - want)).toBeLessThan(1e-6);
      }),
    );
  });

  it('gives the same weights whether the penalty arrays are handed out once or afresh every step', () => {
    const once = setup();
    const fresh = setup();
    const penalty = penaltyOf();
    for (let step = 0; step < 200; step++) {
      fillGrads(once, step);
      fillGrads(fresh, step);
      once.step([true, true, true], penalty);
      fresh.step([true, true, true], penaltyOf());
    }
    const a = once.paramArrays().flatMap((p) => Array.from(p));
    const b = fresh.paramArrays().flatMap((p) => Array.from(p));
    expect(b).toEqual(a);
  });
});
