// Same seed → same evalReturn on the wasm backend (the acceptance backend), for a short training run.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DQN_CONFIG, type DqnConfig } from '../../src/dqn/config';
import { DqnTrainer } from '../../src/dqn/train-loop';
import { initBackend } from '../../src/tf/backend';

const CONFIG: DqnConfig = {
  ...DEFAULT_DQN_CONFIG,
  hiddenSizes: [32, 32],
  batchSize: 32,
  bufferSize: 2000,
  learningStarts: 200,
  learningRate: 1e-3,
  trainFreq: 4,
  gradientSteps: 2,
  targetUpdateInterval: 100,
  explorationFraction: 0.5,
  totalSteps: 1500,
  evalEpisodes: 5,
};

function trainAndEvaluate(seed: number) {
  const trainer = new DqnTrainer({ envId: 'CartPole-v1', config: CONFIG, seed });
  try {
    trainer.advance(CONFIG.totalSteps);
    const weights = Array.from(trainer.agent.getState().online[0]!);
    return { ...trainer.evaluate(), weights };
  } finally {
    trainer.dispose();
  }
}

describe('determinism (wasm)', () => {
  beforeAll(async () => {
    await initBackend({ force: 'wasm' });
  });

  it('gives the same evalReturn for the same seed, and a different one for another seed', () => {
    const a = trainAndEvaluate(4);
    const b = trainAndEvaluate(4);
    expect(b).toEqual(a);
    const c = trainAndEvaluate(5);
    expect(c.weights).not.toEqual(a.weights);
  });
});
