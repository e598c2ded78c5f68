// Metric formulas on hand-made matrices (values worked out by hand in the comments).
import { describe, expect, it } from 'vitest';
import { computeMetrics, curveAverage, normalizeScore } from '../../src/continual/metrics';
import { bootstrapMean } from '../../src/continual/bootstrap';

describe('normalizeScore', () => {
  it('maps random → 0 and threshold → 1 and clips outside', () => {
    expect(normalizeScore(22, 22, 475)).toBe(0);
    expect(normalizeScore(475, 22, 475)).toBe(1);
    expect(normalizeScore(248.5, 22, 475)).toBeCloseTo(0.5, 12);
    expect(normalizeScore(500, 22, 475)).toBe(1);
    expect(normalizeScore(0, 22, 475)).toBe(0);
    // Negative-reward tasks: MountainCar random −200, threshold −110.
    expect(normalizeScore(-155, -200, -110)).toBeCloseTo(0.5, 12);
  });
  it('rejects a degenerate span', () => {
    expect(() => normalizeScore(1, 2, 2)).toThrow(/equals random/);
  });
});

describe('computeMetrics', () => {
  // Three tasks trained in order. Rows: after task 0, 1, 2.
  const matrix = [
    [0.9, 0.1, 0.2],
    [0.5, 0.8, 0.3],
    [0.2, 0.6, 1.0],
  ];
  const m = computeMetrics({ matrix, stageTasks: [0, 1, 2], baseline: [0.1, 0.2, 0.0] });

  it('ACC is the mean of the last row', () => {
    expect(m.acc).toBeCloseTo((0.2 + 0.6 + 1.0) / 3, 12); // 0.6
  });
  it('forgetting averages R[j][j] − R[T][j] over all tasks but the last', () => {
    expect(m.forgettingPerTask[0]).toBeCloseTo(0.7, 12);
    expect(m.forgettingPerTask[1]).toBeCloseTo(0.2, 12);
    expect(m.forgettingPerTask[2]).toBeNull();
    expect(m.forgetting).toBeCloseTo(0.45, 12);
  });
  it('BWT is GEM (1/(T−1)) Σ_{j<T} (R[T][j] − R[j][j])', () => {
    expect(m.bwt).toBeCloseTo(-0.45, 12);
  });
  it('FWT is GEM (1/(T−1)) Σ_{j≥2} (R[j−1][j] − b_j)', () => {
    // (0.1 − 0.2) + (0.3 − 0.0) = 0.2 → 0.1
    expect(m.fwt).toBeCloseTo(0.1, 12);
  });
  it('FWT is null without a baseline and AUC null without curves', () => {
    const n = computeMetrics({ matrix, stageTasks: [0, 1, 2] });
    expect(n.fwt).toBeNull();
    expect(n.auc).toBeNull();
  });

  it('handles a repeated task: its last training stage counts, and the last-trained task is excluded', () => {
    // Stages train task 0, then 1, then 0 again.
    const r = computeMetrics({
      matrix: [
        [0.8, 0.1],
        [0.3, 0.9],
        [0.95, 0.5],
      ],
      stageTasks: [0, 1, 0],
      baseline: [0, 0.05],
    });
    expect(r.acc).toBeCloseTo(0.725, 12);
    expect(r.forgettingPerTask).toEqual([null, expect.closeTo(0.4, 12)]);
    expect(r.forgetting).toBeCloseTo(0.4, 12);
    expect(r.bwt).toBeCloseTo(-0.4, 12);
    expect(r.fwt).toBeCloseTo(0.05, 12); // R[0][1] − b_1 = 0.1 − 0.05; task 0 starts at stage 0
  });

  it('skips missing entries instead of counting them as zero', () => {
    const r = computeMetrics({
      matrix: [
        [0.9, null],
        [0.4, 0.7],
      ],
      stageTasks: [0, 1],
    });
    expect(r.acc).toBeCloseTo(0.55, 12);
    expect(r.forgetting).toBeCloseTo(0.5, 12);
  });

  it('a partial run (fewer rows than tasks) still reports what it can', () => {
    const r = computeMetrics({ matrix: [[0.9, 0.0, 0.1]], stageTasks: [0] });
    expect(r.acc).toBeCloseTo(1 / 3, 12);
    expect(r.forgetting).toBeNull(); // only the last-trained task has been trained
  });

  it('rejects a stage list that does not match the rows', () => {
    expect(() => computeMetrics({ matrix: [[1]], stageTasks: [] })).toThrow(/1 matrix rows but 0/);
    expect(() => computeMetrics({ matrix: [[1]], stageTasks: [3] })).toThrow(/task 3/);
  });

  it('AUC is the time-average of each task curve, averaged over tasks', () => {
    const a = [
      { step: 0, normalized: 0 },
      { step: 10, normalized: 1 },
    ]; // 0.5
    const b = [
      { step: 0, normalized: 1 },
      { step: 5, normalized: 1 },
      { step: 10, normalized: 0 },
    ]; // (5 + 2.5) / 10 = 0.75
    expect(curveAverage(a)).toBeCloseTo(0.5, 12);
    expect(curveAverage(b)).toBeCloseTo(0.75, 12);
    const r = computeMetrics({ matrix: [[1, 1]], stageTasks: [0], curves: [a, b] });
    expect(r.auc).toBeCloseTo(0.625, 12);
  });
});

describe('bootstrapMean', () => {
  it('is deterministic for a seed and brackets the mean', () => {
    const values = [0.1, 0.5, 0.3, 0.9, 0.2];
    const a = bootstrapMean(values, { seed: 7 })!;
    const b = bootstrapMean(values, { seed: 7 })!;
    expect(a).toEqual(b);
    expect(a.mean).toBeCloseTo(0.4, 12);
    expect(a.low).toBeLessThan(a.mean);
    expect(a.high).toBeGreaterThan(a.mean);
    expect(a.low).toBeGreaterThanOrEqual(0.1);
    expect(a.high).toBeLessThanOrEqual(0.9);
  });
  it('collapses to the value for one sample or identical samples', () => {
    expect(bootstrapMean([0.3])).toEqual({ mean: 0.3, low: 0.3, high: 0.3, n: 1 });
    const same = bootstrapMean([0.2, 0.2, 0.2])!;
    expect(same.low).toBeCloseTo(0.2, 12);
    expect(same.high).toBeCloseTo(0.2, 12);
    expect(bootstrapMean([])).toBeNull();
  });
});
