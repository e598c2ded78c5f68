// Renderer formatting, the λ slider's log mapping, chart series alignment, colours and letterboxing (pure helpers).
import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatLambda,
  formatMetric,
  formatRate,
  formatReturn,
  formatSteps,
} from '../../renderer/format/format';
import {
  DEFAULT_LAMBDA_SCALE,
  lambdaToPosition,
  niceLambda,
  positionToLambda,
} from '../../renderer/controls/lambda-scale';
import { alignEvalSeries } from '../../renderer/charts/series';
import { scoreColor, taskColor, withAlpha, TASK_COLORS } from '../../renderer/charts/colors';
import { fitBox, qPanelPlacement } from '../../renderer/views/fit';
import { liveRecording, sessionMetaLine } from '../../renderer/format/format';

describe('format', () => {
  it('formats steps compactly', () => {
    expect(formatSteps(0)).toBe('0');
    expect(formatSteps(1234)).toBe('1,234');
    expect(formatSteps(45_300)).toBe('45.3k');
    expect(formatSteps(1_250_000)).toBe('1.25M');
    expect(formatSteps(undefined)).toBe('—');
    expect(formatSteps(Number.NaN)).toBe('—');
  });
  it('formats metrics with sign and without negative zero', () => {
    expect(formatMetric(0.5)).toBe('0.50');
    expect(formatMetric(0.123, { signed: true })).toBe('+0.12');
    expect(formatMetric(-0.123, { signed: true })).toBe('-0.12');
    expect(formatMetric(-0.001)).toBe('0.00');
    expect(formatMetric(null)).toBe('—');
  });
  it('formats rates, durations, returns and λ', () => {
    expect(formatRate(2345.6)).toBe('2346/s');
    expect(formatRate(12_345)).toBe('12.3k/s');
    expect(formatRate(3.21)).toBe('3.2/s');
    expect(formatDuration(7_000)).toBe('0:07');
    expect(formatDuration(754_000)).toBe('12:34');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(-1)).toBe('—');
    expect(formatReturn(-123.4)).toBe('-123');
    expect(formatReturn(12.34)).toBe('12.3');
    expect(formatLambda(400)).toBe('400');
    expect(formatLambda(0.5)).toBe('0.5');
    expect(formatLambda(12_000)).toBe('1.2e4');
    expect(formatLambda(100_000)).toBe('1e5');
    expect(formatLambda(0.00012)).toBe('1.2e-4');
    expect(formatLambda(0)).toBe('0');
  });
});

describe('λ log scale', () => {
  const s = DEFAULT_LAMBDA_SCALE;
  it('maps the ends of the slider to min and max', () => {
    expect(positionToLambda(0, s)).toBeCloseTo(s.min, 10);
    expect(positionToLambda(s.steps, s)).toBeCloseTo(s.max, 6);
  });
  it('gives every decade the same travel', () => {
    const decades = Math.log10(s.max / s.min);
    const perDecade = s.steps / decades;
    expect(lambdaToPosition(1, s) - lambdaToPosition(0.1, s)).toBe(Math.round(perDecade));
    expect(lambdaToPosition(1000, s) - lambdaToPosition(100, s)).toBe(Math.round(perDecade));
  });
  it('round-trips positions', () => {
    for (const p of [0, 1, 17, 300, 599, 600]) expect(lambdaToPosition(positionToLambda(p, s), s)).toBe(p);
  });
  it('clamps out-of-range values', () => {
    expect(lambdaToPosition(0, s)).toBe(0);
    expect(lambdaToPosition(-5, s)).toBe(0);
    expect(lambdaToPosition(1e9, s)).toBe(s.steps);
    expect(positionToLambda(-10, s)).toBeCloseTo(s.min, 10);
    expect(positionToLambda(10_000, s)).toBeCloseTo(s.max, 6);
  });
  it('rejects an invalid scale', () => {
    expect(() => positionToLambda(1, { min: 0, max: 10, steps: 10 })).toThrow(/invalid log scale/);
    expect(() => positionToLambda(1, { min: 10, max: 1, steps: 10 })).toThrow(/invalid log scale/);
  });
  it('rounds λ to two significant digits', () => {
    expect(niceLambda(398.107)).toBe(400);
    expect(niceLambda(1234)).toBe(1200);
    expect(niceLambda(0.1234)).toBe(0.12);
  });
});

describe('alignEvalSeries', () => {
  it('aligns tasks on the union of steps with nulls for gaps', () => {
    const evals = [
      [
        { step: 1000, mean: 10, normalized: 0.1 },
        { step: 2000, mean: 20, normalized: 0.2 },
      ],
      [{ step: 2000, mean: 5, normalized: 0.05 }],
    ];
    const { xs, ys } = alignEvalSeries(evals, 'normalized');
    expect(xs).toEqual([1000, 2000]);
    expect(ys).toEqual([
      [0.1, 0.2],
      [null, 0.05],
    ]);
    expect(alignEvalSeries(evals, 'mean').ys[0]).toEqual([10, 20]);
  });
  it('adds empty columns for tasks without evaluations', () => {
    const { xs, ys } = alignEvalSeries([], 'normalized', 3);
    expect(xs).toEqual([]);
    expect(ys).toEqual([[], [], []]);
  });
});

describe('colours', () => {
  it('cycles task colours', () => {
    expect(taskColor(0)).toBe(TASK_COLORS[0]);
    expect(taskColor(TASK_COLORS.length)).toBe(TASK_COLORS[0]);
    expect(withAlpha('#ff8000', 0.5)).toBe('rgba(255, 128, 0, 0.5)');
  });
  it('maps scores to red → green, clamped, grey for missing', () => {
    expect(scoreColor(0)).toBe('rgb(178, 54, 54)');
    expect(scoreColor(-3)).toBe(scoreColor(0));
    expect(scoreColor(1)).toBe('rgb(46, 160, 90)');
    expect(scoreColor(7)).toBe(scoreColor(1));
    expect(scoreColor(null)).toBe('rgb(48, 56, 66)');
    expect(scoreColor(Number.NaN)).toBe('rgb(48, 56, 66)');
  });
});

describe('fitBox', () => {
  it('letterboxes a wide area', () => {
    expect(fitBox(400, 100, 1)).toEqual({ x: 150, y: 0, width: 100, height: 100 });
  });
  it('letterboxes a tall area with a margin', () => {
    expect(fitBox(100, 400, 2, 10)).toEqual({ x: 10, y: 180, width: 80, height: 40 });
  });
  it('returns an empty box for empty areas', () => {
    expect(fitBox(0, 100, 1).width).toBe(0);
  });
});

describe('qPanelPlacement', () => {
  // Roughly the live view body at a 1400×900 window (650×530, read off a screenshot) and a 2-action Q panel.
  it('puts the Q-values above a 3:2 classic-control scene in a tall view (the scene gets the full width)', () => {
    expect(qPanelPlacement(650, 530, 242, 97, 1.5)).toBe('above');
    expect(qPanelPlacement(650, 530, 242, 97, 1)).toBe('above');
  });
  it('keeps them beside a square grid in a wide view', () => {
    expect(qPanelPlacement(1200, 500, 242, 97, 1)).toBe('beside');
  });
});

describe('sessions list line', () => {
  const recording = {
    dir: '20261204-175339-classic-mix-ewc',
    sequence: 'classic-mix',
    strategy: 'ewc',
    steps: 0,
    status: 'incomplete',
  };
  const status = {
    recording: true,
    running: true,
    sessionDir: '/home/u/sessions/20261204-175339-classic-mix-ewc',
    step: 5423,
  };
  it('shows the live step count of the session being recorded', () => {
    const live = liveRecording(status);
    expect(live).toEqual({ dir: '20261204-175339-classic-mix-ewc', step: 5423 });
    expect(sessionMetaLine(recording, live)).toBe('classic-mix · ewc · 5,423 steps · recording');
  });
  it('leaves other sessions, finished runs and unreadable folders as listed', () => {
    const live = liveRecording(status);
    expect(sessionMetaLine({ ...recording, dir: 'older' }, live)).toBe(
      'classic-mix · ewc · 0 steps · incomplete',
    );
    expect(sessionMetaLine({ ...recording, steps: 9000, status: 'finished' }, live)).toBe(
      'classic-mix · ewc · 9,000 steps · finished',
    );
    expect(liveRecording({ ...status, running: false })).toBeNull();
    expect(liveRecording({ ...status, recording: false })).toBeNull();
    expect(sessionMetaLine({ dir: 'x', error: 'bad json' }, live)).toBe('unreadable: bad json');
  });
});
