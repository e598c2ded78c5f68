// DqnAgent update: equals a plain-tfjs reference (Double DQN, Huber, clipping, PyTorch Adam) on cpu and
// wasm; mixed-task batches; extraLoss gradients; no tensor leaks over 1,000 updates.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../envs/rng';
import { DqnAgent } from '../../src/dqn/agent';
import { DEFAULT_DQN_CONFIG, type DqnConfig } from '../../src/dqn/config';
import { createBatch, ReplayBuffer, type ReplayBatch } from '../../src/dqn/replay';
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

/** Reference: plain tfjs autodiff + a float64 PyTorch-Adam step; returns loss and the new weights. */
function referenceStep(
  agent: DqnAgent,
  batch: ReplayBatch,
  adamStep: number,
  m: Float32Array,
  v: Float32Array,
) {
  return tf.tidy(() => {
    const W = agent.online.getWeights();
    const T = agent.target.getWeights();
    const shapes = agent.online.variables().map((x) => x.shape);
    const vars = W.map((w, i) =>
      tf.variable(tf.tensor(w, shapes[i]), true, `ref${i}-${Math.floor(performance.now() * 1000)}`),
    );
    const tvars = T.map((w, i) => tf.tensor(w, shapes[i]));
    const A = agent.tasks[0]!.actionCount;
    const inputs = (obs: Float32Array) => {
      const x = new Float32Array(B * (OBS + 1));
      for (let i = 0; i < B; i++) {
        for (let k = 0; k < OBS; k++) x[i * (OBS + 1) + k] = obs[i * OBS + k]!;
        x[i * (OBS + 1) + OBS] = 1;
      }
      return tf.tensor2d(x, [B, OBS + 1]);
    };
    const net = (p: tf.Tensor[], x: tf.Tensor) => {
      let h = tf.relu(tf.add(tf.matMul(x, p[0]!), p[1]!));
      h = tf.relu(tf.add(tf.matMul(h, p[2]!), p[3]!));
      return tf.add(tf.matMul(h, p[4]!), p[5]!);
    };
    const s = inputs(batch.observations);
    const s2 = inputs(batch.nextObservations);
    const best = Array.from(tf.argMax(net(vars, s2), 1).dataSync());
    const qt = net(tvars, s2).arraySync() as number[][];
    const y = tf.tensor1d(
      best.map((a, i) => batch.rewards[i]! + (batch.terminated[i] ? 0 : 0.99 * qt[i]![a]!)),
    );
    const mask = tf.tensor2d(
      Array.from(batch.actions).flatMap((a) => Array.from({ length: A }, (_, j) => (j === a ? 1 : 0))),
      [B, A],
    );
    const { value, grads } = tf.variableGrads(
      () => tf.losses.huberLoss(y, tf.sum(tf.mul(net(vars, s), mask), 1)) as tf.Scalar,
      vars,
    );
    const g = vars.map((x) => Array.from(grads[x.name]!.dataSync()));
    const norm = Math.sqrt(g.flat().reduce((a, b) => a + b * b, 0));
    const coef = Math.min(1, CONFIG.maxGradNorm / (norm + 1e-6));
    const t = adamStep + 1;
    let off = 0;
    const next = W.map((w, i) =>
      Array.from(w, (value, j) => {
        const gg = g[i]![j]! * coef;
        const mm = 0.9 * m[off + j]! + 0.1 * gg;
        const vv = 0.999 * v[off + j]! + 0.001 * gg * gg;
        return (
          value -
          ((CONFIG.learningRate / (1 - 0.9 ** t)) * mm) / (Math.sqrt(vv) / Math.sqrt(1 - 0.999 ** t) + 1e-8)
        );
      }).map((x, j, arr) => (j === arr.length - 1 ? ((off += arr.length), x) : x)),
    );
    const loss = value.dataSync()[0]!;
    vars.forEach((x) => x.dispose());
    return { loss, norm, next };
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`DqnAgent.update on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ force: backend });
    });

    it('matches a plain tfjs + PyTorch-Adam reference step', () => {
      const rng = new Rng(3);
      const agent = new DqnAgent({ config: CONFIG, tasks: [{ observationSize: OBS, actionCount: 2 }], rng });
      const buffer = fillBuffer(rng, [0], [2]);
      const batch = createBatch(B, OBS);
      buffer.sample(rng, batch);
      agent.update(batch); // online ≠ target from here on, Adam has state
      buffer.sample(rng, batch);
      const { step, m, v } = agent.getState().optimizer;
      const ref = referenceStep(agent, batch, step, m, v);
      const loss = agent.update(batch);
      expect(loss).toBeCloseTo(ref.loss, 5);
      expect(agent.lastGradNorm).toBeCloseTo(ref.norm, 5);
      const after = agent.online.getWeights();
      let maxErr = 0;
      after.forEach((w, i) =>
        w.forEach((x, j) => (maxErr = Math.max(maxErr, Math.abs(x - ref.next[i]![j]!)))),
      );
      expect(maxErr).toBeLessThan(1e-6);
      agent.dispose();
    });

    it('trains only the heads present in the batch; extraLoss reaches the other heads', () => {
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
      // The penalty on head 1 is inside the gradient closure, so head 1 moves.
      agent.update(batch, { extraLoss: () => tf.sum(tf.square(agent.headVariables(1)[0]!)) as tf.Scalar });
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
      const step = (i: number) => {
        buffers[i % 3]!.sample(rng, batch);
        agent.update(
          batch,
          i % 2 === 0
            ? { extraLoss: () => tf.mul(tf.sum(tf.square(agent.trunkVariables()[0]!)), 1e-3) as tf.Scalar }
            : {},
        );
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
