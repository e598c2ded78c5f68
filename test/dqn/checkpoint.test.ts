// Checkpoints: stop, save, load and continue gives exactly the run that did not stop (cpu backend);
// the same seed gives the same evalReturn; bad metadata is rejected with the field named.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrainerCheckpoint, readCheckpointMeta, saveTrainerCheckpoint } from '../../src/dqn/checkpoint';
import { DEFAULT_DQN_CONFIG, type DqnConfig } from '../../src/dqn/config';
import { DqnTrainer } from '../../src/dqn/train-loop';
import { initBackend } from '../../src/tf/backend';

const CONFIG: DqnConfig = {
  ...DEFAULT_DQN_CONFIG,
  hiddenSizes: [16],
  batchSize: 16,
  bufferSize: 1000,
  learningStarts: 100,
  learningRate: 1e-3,
  trainFreq: 4,
  gradientSteps: -1,
  targetUpdateInterval: 50,
  explorationFraction: 0.5,
  totalSteps: 700,
  evalEpisodes: 3,
};

let dir = '';
beforeAll(async () => {
  await initBackend({ force: 'cpu' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'dqn-ckpt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function snapshot(trainer: DqnTrainer) {
  const state = trainer.agent.getState();
  return {
    online: state.online.map((w) => Array.from(w)),
    target: state.target.map((w) => Array.from(w)),
    m: Array.from(state.optimizer.m),
    step: state.optimizer.step,
    counters: trainer.getCounters(),
    replay: Array.from(trainer.replay.rewards.subarray(0, trainer.replay.size)),
    status: trainer.status(),
  };
}

describe('DQN checkpoints (cpu)', () => {
  it('load-and-continue equals never stopping, and the same seed gives the same evalReturn', async () => {
    const straight = new DqnTrainer({ envId: 'CartPole-v1', config: CONFIG, seed: 11 });
    straight.advance(CONFIG.totalSteps);
    const expected = snapshot(straight);
    const expectedEval = straight.evaluate();
    straight.dispose();

    const first = new DqnTrainer({ envId: 'CartPole-v1', config: CONFIG, seed: 11 });
    first.advance(333); // mid-episode and mid-round on purpose
    await saveTrainerCheckpoint(dir, first);
    first.dispose();
    const resumed = await loadTrainerCheckpoint(dir);
    expect(resumed.status().step).toBe(333);
    resumed.advance(CONFIG.totalSteps);
    expect(snapshot(resumed)).toEqual(expected);
    expect(resumed.evaluate()).toEqual(expectedEval);
    resumed.dispose();

    const again = new DqnTrainer({ envId: 'CartPole-v1', config: CONFIG, seed: 11 });
    again.advance(CONFIG.totalSteps);
    expect(again.evaluate().mean).toBe(expectedEval.mean);
    again.dispose();
  });

  it('writes weights as binary and metadata as validated JSON', async () => {
    const meta = await readCheckpointMeta(dir);
    expect(meta.envId).toBe('CartPole-v1');
    expect(meta.counters.step).toBe(333);
    const weights = await readFile(path.join(dir, 'weights.bin'));
    const perNet = meta.layout.variableSizes.reduce((a, b) => a + b, 0);
    expect(weights.byteLength).toBe(4 * (2 * perNet + 2 * meta.layout.adamSize));
    const bad = path.join(dir, 'bad');
    const fresh = new DqnTrainer({ envId: 'CartPole-v1', config: CONFIG, seed: 1 });
    await saveTrainerCheckpoint(bad, fresh, { includeReplay: false });
    fresh.dispose();
    const raw = JSON.parse(await readFile(path.join(bad, 'meta.json'), 'utf8'));
    raw.config.gamma = 7;
    await writeFile(path.join(bad, 'meta.json'), JSON.stringify(raw));
    await expect(loadTrainerCheckpoint(bad)).rejects.toThrow(/config\.gamma/);
  });
});
