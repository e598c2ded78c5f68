// The chart's ε-greedy training-return series (issue 15, ask 5): episodes fold into per-task points at most
// every TRAIN_POINT_GAP steps; the chart's columns put them beside the evaluations, mapped to the score
// with the task's own normalization read off its evaluations.
import { describe, expect, it } from 'vitest';
import { alignWithTraining, normalizationOf } from '../../renderer/charts/series';
import { applyRunEvent, emptyRun, TRAIN_POINT_GAP } from '../../renderer/state/run-view';
import type { RunEvent } from '../../src/session/events';

const episode = (step: number, ret: number): RunEvent =>
  ({ type: 'episode', step, t: step, task: 0, episode: 0, return: ret, length: 10 }) as RunEvent;

describe('training-return series', () => {
  it('keeps one moving-average point per gap', () => {
    const run = emptyRun();
    for (const [step, ret] of [
      [10, 10],
      [20, 20],
      [10 + TRAIN_POINT_GAP, 30],
    ] as const)
      applyRunEvent(run, episode(step, ret));
    expect(run.training[0]).toEqual([
      { step: 10, avgReturn: 10 },
      { step: 10 + TRAIN_POINT_GAP, avgReturn: 11 + 0.1 * (30 - 11) },
    ]);
  });

  it('maps training returns with the evaluations normalization, and waits until it is known', () => {
    // normalized = (mean − 20) / (500 − 20) (CartPole-like anchors).
    const n = (m: number) => (m - 20) / 480;
    const evals = [[{ step: 0, mean: 20, normalized: n(20) }]];
    const training = [[{ step: 100, avgReturn: 260 }]];
    expect(normalizationOf(evals[0]!)).toBeNull();
    expect(alignWithTraining(evals, training, 'normalized').ys[1]).toEqual([null, null]);
    evals[0]!.push({ step: 200, mean: 500, normalized: 1 });
    const { xs, ys } = alignWithTraining(evals, training, 'normalized');
    expect(xs).toEqual([0, 100, 200]);
    expect(ys[0]).toEqual([0, null, 1]);
    expect(ys[1]![1]).toBeCloseTo(0.5, 10);
    expect(alignWithTraining(evals, training, 'mean').ys[1]).toEqual([null, 260, null]);
  });
});
