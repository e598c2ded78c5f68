// Config validation, presets (rl-baselines3-zoo values), the ε schedule and the learning-rate schedule.
import { describe, expect, it } from 'vitest';
import { listEnvs } from '../../envs/index';
import {
  DEFAULT_DQN_CONFIG,
  dqnConfigSchema,
  resolveDqnConfig,
  scheduledLearningRate,
} from '../../src/dqn/config';
import { getPreset } from '../../src/dqn/presets';
import { linearEpsilon } from '../../src/dqn/schedule';

describe('DqnConfig', () => {
  it('defaults validate', () => {
    expect(dqnConfigSchema.safeParse(DEFAULT_DQN_CONFIG).success).toBe(true);
  });

  it('rejects unknown and invalid fields, naming them', () => {
    expect(() => resolveDqnConfig(DEFAULT_DQN_CONFIG, { learningrate: 1 })).toThrow(/learningrate/);
    expect(() => resolveDqnConfig(DEFAULT_DQN_CONFIG, { gamma: 2 })).toThrow(/gamma/);
    expect(() => resolveDqnConfig(DEFAULT_DQN_CONFIG, { gradientSteps: 0 })).toThrow(/gradientSteps/);
    expect(resolveDqnConfig(DEFAULT_DQN_CONFIG, { gradientSteps: -1 }).gradientSteps).toBe(-1);
  });
});

describe('presets', () => {
  it('match rl-baselines3-zoo tuned DQN (CartPole with its documented remedy)', () => {
    const cp = getPreset('CartPole-v1').config;
    expect(cp).toMatchObject({
      learningRate: 2.3e-3,
      // The zoo: constant lr, batch 64, 128 gradient steps; the remedy (issue 15, BENCHMARKS.md):
      learningRateSchedule: 'linear',
      batchSize: 128,
      bufferSize: 100_000,
      learningStarts: 1000,
      gamma: 0.99,
      targetUpdateInterval: 10,
      trainFreq: 256,
      gradientSteps: 64,
      explorationFraction: 0.16,
      explorationFinalEps: 0.04,
      totalSteps: 50_000,
      hiddenSizes: [256, 256],
    });
    const ac = getPreset('Acrobot-v1').config;
    expect(ac).toMatchObject({
      learningRate: 6.3e-4,
      learningRateSchedule: 'constant',
      batchSize: 128,
      bufferSize: 50_000,
      learningStarts: 0,
      gamma: 0.99,
      targetUpdateInterval: 250,
      trainFreq: 4,
      gradientSteps: -1,
      explorationFraction: 0.12,
      explorationFinalEps: 0.1,
      totalSteps: 100_000,
    });
    const mc = getPreset('MountainCar-v0').config;
    expect(mc).toMatchObject({
      learningRate: 4e-3,
      batchSize: 128,
      bufferSize: 10_000,
      learningStarts: 1000,
      gamma: 0.98,
      targetUpdateInterval: 600,
      trainFreq: 16,
      gradientSteps: 8,
      explorationFraction: 0.2,
      explorationFinalEps: 0.07,
      totalSteps: 120_000,
    });
  });

  it('gives every registered env a valid config', () => {
    for (const spec of listEnvs()) {
      const preset = getPreset(spec.id);
      expect(dqnConfigSchema.safeParse(preset.config).success, spec.id).toBe(true);
      if (spec.id.startsWith('Grid-')) expect(preset.config.hiddenSizes).toEqual([128, 128]);
    }
  });
});

describe('linearEpsilon', () => {
  it('falls linearly over the fraction, then stays final (SB3 get_linear_fn)', () => {
    const s = { initial: 1, final: 0.04, fraction: 0.16 };
    expect(linearEpsilon(s, 0, 50_000)).toBe(1);
    expect(linearEpsilon(s, 4_000, 50_000)).toBeCloseTo(1 - 0.96 * 0.5, 10);
    expect(linearEpsilon(s, 8_000, 50_000)).toBe(0.04);
    expect(linearEpsilon(s, 49_000, 50_000)).toBe(0.04);
  });
});

describe('learning-rate schedule', () => {
  it("'linear' falls from lr to 0 over training (SB3's linear_schedule); 'constant' stays", () => {
    const lin = { learningRate: 2e-3, learningRateSchedule: 'linear' as const };
    expect(scheduledLearningRate(lin, 0)).toBe(2e-3);
    expect(scheduledLearningRate(lin, 0.25)).toBeCloseTo(1.5e-3, 15);
    expect(scheduledLearningRate(lin, 1)).toBe(0);
    expect(scheduledLearningRate(lin, 1.5)).toBe(0);
    expect(scheduledLearningRate({ ...lin, learningRateSchedule: 'constant' }, 0.9)).toBe(2e-3);
  });

  it('rejects an unknown schedule by name', () => {
    expect(() => resolveDqnConfig(DEFAULT_DQN_CONFIG, { learningRateSchedule: 'cosine' })).toThrow(
      /learningRateSchedule/,
    );
  });
});
