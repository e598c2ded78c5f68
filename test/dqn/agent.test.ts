// DqnAgent update: equals a plain-tfjs reference (Double DQN, Huber, clipping, PyTorch Adam) on cpu and
// wasm; mixed-task batches; closed-form penalty gradients (checked against tfjs autodiff of the same
// penalty); no tensor leaks over 1,000 updates.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../envs/rng';
import { DqnAgent } from '../../src/dqn/agent';
import { DEFAULT_DQN_CONFIG, type DqnConfig } from '../../src/dqn/config';
import type { QuadraticPenalty } from '../../src/dqn/penalty';
import { createBatch, ReplayBuffer, type ReplayBatch } from '../../src/dqn/replay';
import { referenceUpdate } from '../../src/dqn/reference-update';
import { initBackend } from '../../src/tf/backend';

const OBS = 3;
const B = 8;
const CONFIG: DqnConfig = {
  ...DEFAULT_DQN_CONFIG,
  hiddenSizes: [5, 4],
  batchSize: B,
  learningRate: 0.01,
  maxGradNorm: 0.5,
};

function fillBuffer(rng: Rng, tasks: number[], actions: number[]): ReplayBuffer {
  const buffer = new ReplayBuffer({ capacity: 64, observationSize: OBS });
  const o = new Float32Array(OBS);
  const o2 = new Float32Array(OBS);
  for (let i = 0; i < 64; i++) {
    for (let k = 0; k < OBS; k++) {
      o[k] = rng.normal();
      o2[k] = rng.normal();
    }
    const task = tasks[i % tasks.length]!;
    buffer.add({
      observation: o,
      nextObservation: o2,
      action: rng.integer(actions[task]!),
      reward: rng.normal(),
      terminated: rng.uniform() < 0.3,
      task,
    });
  }
  return buffer;
}

/** The oracle (src/dqn/reference-update.ts) on the agent's current weights, optimizer state and settings. */
function referenceStep(agent: DqnAgent, batch: ReplayBatch, taskGamma: number[], penalty?: QuadraticPenalty) {
  const state = agent.getState();
  return referenceUpdate({
    config: agent.config,
    actionCounts: agent.tasks.map((t) => t.actionCount),
    inputSize: agent.inputSize,
    taskGamma,
    online: state.online,
    target: state.target,
    shapes: agent.online.variables().map((v) => v.shape),
    optimizer: state.optimizer,
    batch,
    penalty,
  });
}

/** (λ/2)·Σ A·θ² with a constant A per listed variable (anchor 0), as the agent takes it. */
function quadratic(agent: DqnAgent, lambda: number, importance: Record<number, number>): QuadraticPenalty {
  const vars = agent.trainableVariables();
  const a = vars.map((v, i) => (i in importance ? new Float32Array(v.size).fill(importance[i]!) : null));
  return { lambda, importance: a, anchor: a.map((x) => (x ? new Float32Array(x.length) : null)) };
}

/** Largest absolute difference between the agent's online weights and `expected`. */
function maxWeightError(agent: DqnAgent, expected: ArrayLike<number>[]): number {
  let maxErr = 0;
  agent.online
    .getWeights()
    .forEach((w, i) => w.forEach((x, j) => (maxErr = Math.max(maxErr, Math.abs(x - expected[i]![j]!)))));
  return maxErr;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`DqnAgent.update on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ force: backend });
    });

    const cases = [
      { name: 'one task, Double DQN', tasks: [0], doubleDqn: true, penalty: false, leaky: false },
      { name: 'one task, vanilla target', tasks: [0], doubleDqn: false, penalty: false, leaky: false },
      {
        name: 'a mixed-task batch with a penalty on an absent head, per-task γ',
        tasks: [0, 1],
        doubleDqn: true,
        penalty: true,
        leaky: false,
      },
      {
        name: 'vanilla target, LeakyReLU, mixed tasks',
        tasks: [0, 1],
        doubleDqn: false,
        penalty: true,
        leaky: true,
      },
    ];
    for (const c of cases) {
      it(`matches the tfjs-autodiff reference update (src/dqn/reference-update.ts): ${c.name}`, () => {
        const rng = new Rng(3);
        const config: DqnConfig = {
          ...CONFIG,
          doubleDqn: c.doubleDqn,
          activation: c.leaky ? 'leakyRelu' : 'relu',
        };
        const shapes = [
          { observationSize: OBS, actionCount: 2 },
          { observationSize: 2, actionCount: 3 },
          { observationSize: OBS, actionCount: 4 },
        ];
        const agent = new DqnAgent({ config, tasks: shapes, rng });
        const taskGamma = [config.gamma, 0.9, config.gamma];
        agent.setTaskGamma(1, 0.9);
        const buffer = fillBuffer(rng, c.tasks, [2, 3, 4]);
        const batch = createBatch(B, OBS);
        buffer.sample(rng, batch);
        agent.update(batch);
        agent.syncTarget(); // the target changes: the update must not use a stale copy of its heads
        agent.update(batch); // online ≠ target from here on, Adam has state
        buffer.sample(rng, batch);
        if (c.tasks.length > 1) expect(new Set(batch.tasks).size).toBe(2);
        // The penalty pulls head 2 (never in a batch) and the first trunk kernel, towards a non-zero anchor.
        const penalty = c.penalty ? quadratic(agent, 1, { 8: 0.6, 0: 0.2 }) : undefined;
        penalty?.anchor.forEach((m) => m?.fill(0.05));
        const ref = referenceStep(agent, batch, taskGamma, penalty);
        Array.from(agent.tdTargets(batch)).forEach((y, i) => expect(y).toBeCloseTo(ref.targets[i]!, 5));
        const tdGradients = agent.trainableVariables().map((v) => new Float32Array(v.size).fill(NaN));
        const loss = agent.update(batch, { penalty, tdGradients });
        expect(loss).toBeCloseTo(ref.loss, 5);
        expect(agent.lastGradNorm).toBeCloseTo(ref.gradNorm, 5);
        expect(maxWeightError(agent, ref.weights)).toBeLessThan(1e-6);
        tdGradients.forEach((g, i) => {
          const want = ref.tdGradients[i];
          g.forEach((x, j) => expect(Math.abs(x - (want ? want[j]! : 0))).toBeLessThan(1e-6));
        });
        // Acting reads the host copy the update wrote: it equals the backend's forward pass.
        const x = tf.tensor2d([[0.3, -1.2, 0.7, 1, 0, 0]]);
        const viaTf = Array.from(agent.online.forward(x, 0, 'infer').dataSync());
        x.dispose();
        Array.from(agent.qValues([0.3, -1.2, 0.7], 0)).forEach((value, a) =>
          expect(value).toBeCloseTo(viaTf[a]!, 5),
        );
        agent.dispose();
      });
    }

    it('trains only the heads present in the batch; a penalty reaches the other heads', () => {
      const rng = new Rng(5);
      const tasks = [
        { observationSize: 3, actionCount: 2 },
        { observationSize: 2, actionCount: 3 },
      ];
      const agent = new DqnAgent({ config: CONFIG, tasks, rng });
      expect(agent.inputSize).toBe(3 + 2);
      const buffer = fillBuffer(rng, [0], [2, 3]);
      const batch = createBatch(B, OBS);
      buffer.sample(rng, batch);
      const head1 = agent.headVariables(1).map((x) => Array.from(x.dataSync()));
      agent.update(batch);
      expect(agent.headVariables(1).map((x) => Array.from(x.dataSync()))).toEqual(head1);
      // The penalty on head 1 joins the gradient, so head 1 moves.
      agent.update(batch, { penalty: quadratic(agent, 2, { 6: 1 }) });
      expect(agent.headVariables(1).map((x) => Array.from(x.dataSync()))).not.toEqual(head1);
      // Mixed-task batch: both heads train, losses are finite.
      const mixed = fillBuffer(rng, [0, 1], [2, 3]);
      mixed.sample(rng, batch);
      expect(new Set(batch.tasks).size).toBe(2);
      expect(Number.isFinite(agent.update(batch))).toBe(true);
      agent.dispose();
    });

    it('acts from a host copy that matches the tfjs forward pass and follows updates', () => {
      const rng = new Rng(12);
      const agent = new DqnAgent({
        config: { ...CONFIG, hiddenSizes: [16, 16], activation: 'leakyRelu' },
        tasks: [{ observationSize: OBS, actionCount: 2 }],
        rng,
      });
      const obs = [0.3, -1.2, 0.7];
      const viaTf = () =>
        tf.tidy(() => Array.from(agent.online.forward(tf.tensor2d([[...obs, 1]]), 0, 'infer').dataSync()));
      const before = Array.from(agent.qValues(obs, 0));
      viaTf().forEach((q, a) => expect(before[a]).toBeCloseTo(q, 5));
      const buffer = fillBuffer(rng, [0], [2]);
      const batch = createBatch(B, OBS);
      buffer.sample(rng, batch);
      agent.update(batch);
      const after = Array.from(agent.qValues(obs, 0));
      expect(after).not.toEqual(before);
      viaTf().forEach((q, a) => expect(after[a]).toBeCloseTo(q, 5));
      agent.dispose();
    });

    it('keeps tf.memory().numTensors flat across 1,000 updates and acts', () => {
      const rng = new Rng(9);
      const agent = new DqnAgent({
        config: { ...CONFIG, hiddenSizes: [8, 8] },
        tasks: [
          { observationSize: OBS, actionCount: 2 },
          { observationSize: 2, actionCount: 3 },
        ],
        rng,
      });
      // Three kinds of batches: task 0 only, task 1 only, mixed (a mixed draw may also be single-task).
      const buffers = [
        fillBuffer(rng, [0], [2, 3]),
        fillBuffer(rng, [1], [2, 3]),
        fillBuffer(rng, [0, 1], [2, 3]),
      ];
      const batch = createBatch(B, OBS);
      const penalty = quadratic(agent, 2e-3, { 0: 1 });
      const step = (i: number) => {
        buffers[i % 3]!.sample(rng, batch);
        agent.update(batch, i % 2 === 0 ? { penalty } : {});
        agent.act([0.1, 0.2, 0.3], 0, 0.5);
        agent.qValues([0.1, 0.2], 1);
      };
      for (let i = 0; i < 20; i++) step(i); // warm-up: per-pattern caches (Adam masks, scratch) fill here
      const before = tf.memory().numTensors;
      for (let i = 0; i < 1000; i++) step(i);
      agent.syncTarget();
      agent.updateTarget();
      expect(tf.memory().numTensors).toBe(before);
      agent.dispose();
    });
  });
}
