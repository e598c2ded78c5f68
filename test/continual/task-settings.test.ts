// Per-task DQN settings (issue 15, ask 1): validation with clear messages, the resolved settings recorded in
// run-start's config (and resolving the record again gives the same settings), and a short sequence whose
// stages switch learning rate, τ, batch size, train frequency, gradient steps, learning starts and ε at the
// stage boundary. Not a learning test (learning is measured by the benchmarks).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveRunConfig, type RunConfigInput } from '../../src/continual/run-config';
import { ContinualRunner } from '../../src/continual/runner';
import { resolveSequence } from '../../src/continual/sequence';
import type { Strategy } from '../../src/continual/strategy';
import { Rng } from '../../envs/rng';
import { DqnAgent } from '../../src/dqn/agent';
import { DEFAULT_DQN_CONFIG } from '../../src/dqn/config';
import { getPreset } from '../../src/dqn/presets';
import { createBatch } from '../../src/dqn/replay';
import type { RunEvent } from '../../src/session/events';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHARED = {
  hiddenSizes: [8],
  bufferSize: 2000,
  learningRate: 1e-3,
  batchSize: 8,
  learningStarts: 10,
  trainFreq: 1,
  gradientSteps: 1,
  targetUpdateInterval: 50,
  explorationFraction: 0.5,
};

function config(overrides: Partial<RunConfigInput> = {}): RunConfigInput {
  return {
    sequence: {
      name: 'settings',
      tasks: [
        { env: 'CartPole-v1', steps: 60, label: 'A' },
        {
          env: 'Acrobot-v1',
          steps: 60,
          label: 'B',
          dqn: {
            learningRate: 5e-4,
            batchSize: 4,
            trainFreq: 3,
            gradientSteps: 2,
            learningStarts: 20,
            tau: 0.5,
            gamma: 0.9,
            explorationFraction: 0.25,
            explorationInitialEps: 0.8,
            explorationFinalEps: 0.2,
          },
        },
        { env: 'CartPole-v1', steps: 30, label: 'A' },
      ],
      dqn: SHARED,
    },
    seed: 3,
    evalEvery: 1000,
    evalEpisodes: 1,
    ...overrides,
  };
}

describe('per-task settings: validation', () => {
  it('rejects a field that is not per-task, naming it', () => {
    expect(() =>
      resolveSequence({ tasks: [{ env: 'CartPole-v1', steps: 10, dqn: { hiddenSizes: [4] } }] }, 'bad'),
    ).toThrow(/tasks\.0\.dqn.*hiddenSizes/);
  });

  it('rejects an out-of-range value, naming the field', () => {
    expect(() =>
      resolveSequence({ tasks: [{ env: 'CartPole-v1', steps: 10, dqn: { gamma: 1.5 } }] }, 'bad'),
    ).toThrow(/tasks\.0\.dqn\.gamma/);
    expect(() =>
      resolveSequence({
        tasks: [{ env: 'CartPole-v1', steps: 10, dqn: { learningRateSchedule: 'cosine' } }],
      }),
    ).toThrow(/tasks\.0\.dqn\.learningRateSchedule/);
  });

  it('rejects two entries of the same task with different settings', () => {
    expect(() =>
      resolveSequence({
        tasks: [
          { env: 'CartPole-v1', steps: 10, dqn: { batchSize: 32 } },
          { env: 'CartPole-v1', steps: 10, dqn: { batchSize: 64 } },
        ],
      }),
    ).toThrow(/tasks\.1\.dqn: differs from an earlier entry of the same task/);
    // An entry without settings takes its task's (from any entry).
    const seq = resolveSequence({
      tasks: [
        { env: 'CartPole-v1', steps: 10 },
        { env: 'Acrobot-v1', steps: 10 },
        { env: 'CartPole-v1', steps: 10, dqn: { batchSize: 32 } },
      ],
    });
    expect(seq.tasks[0]!.dqn).toEqual({ batchSize: 32 });
  });

  it('rejects recorded settings for the wrong number of tasks', () => {
    expect(() => resolveRunConfig(config({ taskDqn: [{}] }))).toThrow(/taskDqn: has 1 entries.*2 tasks/);
  });
});

describe('per-task settings: resolution and recording', () => {
  it('a task without settings uses the run settings; one with settings starts from its env preset', () => {
    const c = resolveRunConfig(
      config({
        sequence: {
          tasks: [
            { env: 'CartPole-v1', steps: 10 },
            { env: 'MountainCar-v0', steps: 10, dqn: {} },
            { env: 'Acrobot-v1', steps: 10, dqn: { batchSize: 16 } },
          ],
          dqn: SHARED,
        },
      }),
    );
    expect(c.taskDqn[0]!.learningRate).toBe(1e-3);
    expect(c.taskDqn[0]!.batchSize).toBe(8);
    const mc = getPreset('MountainCar-v0').config;
    expect(c.taskDqn[1]).toMatchObject({
      learningRate: mc.learningRate,
      gamma: mc.gamma,
      trainFreq: mc.trainFreq,
    });
    const ac = getPreset('Acrobot-v1').config;
    expect(c.taskDqn[2]).toMatchObject({ learningRate: ac.learningRate, batchSize: 16 });
  });

  it('a field the run config names explicitly (CLI --dqn) wins over a task preset', () => {
    const c = resolveRunConfig({
      sequence: { tasks: [{ env: 'Acrobot-v1', steps: 10, dqn: { batchSize: 16 } }] },
      dqn: { batchSize: 32 },
    });
    expect(c.taskDqn[0]!.batchSize).toBe(32);
  });

  it('records every task settings, and the record resolves to the same settings', () => {
    const c = resolveRunConfig(config());
    expect(c.record.taskDqn).toEqual(c.taskDqn);
    expect(c.taskDqn[1]).toMatchObject({ batchSize: 4, gamma: 0.9, tau: 0.5 });
    const again = resolveRunConfig(JSON.parse(JSON.stringify(c.record)));
    expect(again.taskDqn).toEqual(c.taskDqn);
    expect(again.dqn).toEqual(c.dqn);
  });

  it('run-start carries the per-task settings', async () => {
    const events: RunEvent[] = [];
    const runner = new ContinualRunner(config(), { onEvent: (e) => events.push(e) });
    await runner.advance(1);
    runner.stop();
    runner.dispose();
    const start = events.find((e) => e.type === 'run-start');
    expect(start && start.type === 'run-start' && start.config.taskDqn).toEqual(runner.config.taskDqn);
  });
});

describe('per-task settings: a short sequence switches them at stage boundaries', () => {
  it('lr, τ, batch size, update rhythm, learning starts and ε follow the stage', async () => {
    interface Sample {
      step: number;
      stage: number;
      batch: number;
      lr: number;
      tau: number;
    }
    const updates: Sample[] = [];
    const wrap = (s: Strategy): Strategy => {
      const w = Object.create(s) as Strategy;
      w.fillBatch = (_ctx, batch) => {
        const st = runner.status();
        const cfg = runner.agent.config;
        updates.push({
          step: st.step,
          stage: st.stage,
          batch: batch.size,
          lr: cfg.learningRate,
          tau: cfg.tau,
        });
        return 0;
      };
      return w;
    };
    const runner: ContinualRunner = new ContinualRunner(config(), undefined, { wrapStrategy: wrap });
    const eps: { stage: number; taskStep: number; epsilon: number }[] = [];
    for (;;) {
      const s = runner.status();
      eps.push({ stage: s.stage, taskStep: s.taskStep, epsilon: s.epsilon });
      if (!(await runner.advance(1))) break;
    }
    runner.dispose();

    const byStage = (i: number) => updates.filter((u) => u.stage === i);
    // Stage 0 (run settings): batch 8, lr 1e-3, τ 1, one update per step from step 10.
    expect(new Set(byStage(0).map((u) => u.batch))).toEqual(new Set([8]));
    expect(new Set(byStage(0).map((u) => u.lr))).toEqual(new Set([1e-3]));
    expect(new Set(byStage(0).map((u) => u.tau))).toEqual(new Set([1]));
    expect(byStage(0)).toHaveLength(60 - 10 + 1);
    // Stage 1 (own settings): batch 4, lr 5e-4, τ 0.5; 2 updates every 3 stage steps from stage step 20.
    expect(new Set(byStage(1).map((u) => u.batch))).toEqual(new Set([4]));
    expect(new Set(byStage(1).map((u) => u.lr))).toEqual(new Set([5e-4]));
    expect(new Set(byStage(1).map((u) => u.tau))).toEqual(new Set([0.5]));
    const stage1Steps = [21, 24, 27, 30, 33, 36, 39, 42, 45, 48, 51, 54, 57, 60];
    expect(byStage(1).map((u) => u.step - 60)).toEqual(stage1Steps.flatMap((s) => [s, s]));
    // Stage 2 (task A again): back to the run settings.
    expect(new Set(byStage(2).map((u) => `${u.batch} ${u.lr} ${u.tau}`))).toEqual(new Set(['8 0.001 1']));
    // ε: stage 1 starts at 0.8 and reaches 0.2 after 25% of 60 steps; stages 0 and 2 start at 1.
    const at = (stage: number, taskStep: number) =>
      eps.find((e) => e.stage === stage && e.taskStep === taskStep)!.epsilon;
    expect(at(0, 0)).toBe(1);
    expect(at(1, 0)).toBeCloseTo(0.8, 10);
    expect(at(1, 15)).toBeCloseTo(0.2, 10);
    expect(at(2, 0)).toBe(1);
  });

  it('each task discounts with its own γ, also in a mixed batch', () => {
    // Two agents from the same seed on the same mixed batch: γ set per task equals γ set in the config
    // where a task's rows use that γ, and differs where they do not.
    const rows = (gammaTask1: number, viaConfig: boolean) => {
      const cfg = {
        ...DEFAULT_DQN_CONFIG,
        hiddenSizes: [6],
        learningRate: 0.01,
        gamma: viaConfig ? gammaTask1 : 0.99,
      };
      const agent = new DqnAgent({
        config: cfg,
        tasks: [
          { observationSize: 2, actionCount: 2 },
          { observationSize: 2, actionCount: 3 },
        ],
        rng: new Rng(5),
      });
      if (!viaConfig) agent.setTaskGamma(1, gammaTask1);
      const batch = createBatch(4, 2);
      const data = new Rng(9);
      for (let i = 0; i < 4; i++) {
        batch.tasks[i] = i < 2 ? 0 : 1;
        batch.actions[i] = 1;
        batch.rewards[i] = 1;
        batch.terminated[i] = 0;
        for (let k = 0; k < 2; k++) {
          batch.observations[i * 2 + k] = data.normal();
          batch.nextObservations[i * 2 + k] = data.normal();
        }
      }
      return { agent, batch };
    };
    const lossOf = (gammaTask1: number, viaConfig: boolean, onlyTask: number) => {
      const { agent, batch } = rows(gammaTask1, viaConfig);
      // Rows of one task only, so the loss depends on that task's γ alone.
      for (let i = 0; i < 4; i++) batch.tasks[i] = onlyTask;
      const loss = agent.update(batch);
      agent.dispose();
      return loss;
    };
    // Task 1's rows: γ 0.5 set per task = γ 0.5 in the config.
    expect(lossOf(0.5, false, 1)).toBe(lossOf(0.5, true, 1));
    // Task 0's rows keep the config's 0.99 when only task 1's γ is changed.
    expect(lossOf(0.5, false, 0)).toBe(lossOf(0.99, true, 0));
    expect(lossOf(0.5, false, 1)).not.toBe(lossOf(0.99, true, 1));
    // A mixed batch: the loss differs from both uniform-γ batches.
    const { agent, batch } = rows(0.5, false);
    const mixed = agent.update(batch);
    agent.dispose();
    const { agent: a2, batch: b2 } = rows(0.99, true);
    expect(mixed).not.toBe(a2.update(b2));
    a2.dispose();
  });
});
