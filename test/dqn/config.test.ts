// Config validation, presets (rl-baselines3-zoo values) and the ε schedule.
import { describe, expect, it } from 'vitest';
import { listEnvs } from '../../envs/index';
import { DEFAULT_DQN_CONFIG, dqnConfigSchema, resolveDqnConfig } from '../../src/dqn/config';
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
  it('match rl-baselines3-zoo tuned DQN', () => {
    const cp = getPreset('CartPole-v1').config;
    expect(cp).toMatchObject({
      learningRate: 2.3e-3,
      batchSize: 64,
      bufferSize: 100_000,
      learningStarts: 1000,
      gamma: 0.99,
      targetUpdateInterval: 10,
      trainFreq: 256,
      gradientSteps: 128,
      explorationFraction: 0.16,
      explorationFinalEps: 0.04,
      totalSteps: 50_000,
      hiddenSizes: [256, 256],
    });
    const ac = getPreset('Acrobot-v1').config;
    expect(ac).toMatchObject({
      learningRate: 6.3e-4,
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
