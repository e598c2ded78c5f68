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

/**
 * Reference: plain tfjs autodiff over the whole loss (each row through its own task's head, Double DQN or
 * vanilla target, Huber, optional penalty) + a float64 PyTorch-Adam step over the variables that received a
 * gradient. Returns the TD loss, the gradient norm and the new weights.
 */
function referenceStep(
  agent: DqnAgent,
  batch: ReplayBatch,
  optimizer: { step: number; m: Float32Array; v: Float32Array },
  penalty?: (vars: tf.Variable[]) => tf.Scalar,
) {
  return tf.tidy(() => {
    const config = agent.config;
    const W = agent.online.getWeights();
    const T = agent.target.getWeights();
    const shapes = agent.online.variables().map((x) => x.shape);
    const vars = W.map((w, i) =>
      tf.variable(tf.tensor(w, shapes[i]), true, `ref${i}-${Math.floor(performance.now() * 1000)}`),
    );
    const tvars = T.map((w, i) => tf.tensor(w, shapes[i]));
    const width = agent.inputSize;
    const rowsOf = (obs: Float32Array) => {
      const x = new Float32Array(B * width);
      for (let i = 0; i < B; i++) {
        for (let k = 0; k < OBS; k++) x[i * width + k] = obs[i * OBS + k]!;
        x[i * width + OBS + batch.tasks[i]!] = 1;
      }
      return tf.tensor2d(x, [B, width]);
    };
    const layers = config.hiddenSizes.length;
    const q = (p: tf.Tensor[], x: tf.Tensor, task: number) => {
      let h = x;
      for (let l = 0; l < layers; l++) h = tf.relu(tf.add(tf.matMul(h, p[2 * l]!), p[2 * l + 1]!));
      return tf.add(tf.matMul(h, p[2 * layers + 2 * task]!), p[2 * layers + 2 * task + 1]!);
    };
    const s = rowsOf(batch.observations);
    const s2 = rowsOf(batch.nextObservations);
    const y = Array.from({ length: B }, (_, i) => {
      const task = batch.tasks[i]!;
      const qt = (q(tvars, s2, task).arraySync() as number[][])[i]!;
      const qo = (q(vars, s2, task).arraySync() as number[][])[i]!;
      const chooser = config.doubleDqn ? qo : qt;
      const best = chooser.indexOf(Math.max(...chooser));
      return batch.rewards[i]! + (batch.terminated[i] ? 0 : config.gamma * qt[best]!);
    });
    const tasks = [...new Set(batch.tasks)];
    // Q(s, a) per row: sum over the batch's tasks of that task's head masked to its own rows and action.
    const chosenQ = () =>
      tasks.reduce(
        (acc: tf.Tensor, task) => {
          const A = agent.tasks[task]!.actionCount;
          const mask = tf.tensor2d(
            Array.from(batch.actions).flatMap((a, i) =>
              Array.from({ length: A }, (_, j) => (batch.tasks[i] === task && j === a ? 1 : 0)),
            ),
            [B, A],
          );
          return tf.add(acc, tf.sum(tf.mul(q(vars, s, task), mask), 1));
        },
        tf.zeros([B]),
      );
    const tdLoss = () => tf.losses.huberLoss(tf.tensor1d(y), chosenQ()) as tf.Scalar;
    const loss = tdLoss().dataSync()[0]!;
    const { grads } = tf.variableGrads(() => (penalty ? tf.add(tdLoss(), penalty(vars)) : tdLoss()), vars);
    const g = vars.map((x) => (grads[x.name] ? Array.from(grads[x.name]!.dataSync()) : null));
    const norm = Math.sqrt(g.flat().reduce((a: number, b) => a + (b === null ? 0 : b * b), 0));
    const coef = Math.min(1, config.maxGradNorm / (norm + 1e-6));
    const t = optimizer.step + 1;
    let off = 0;
    const next = W.map((w, i) => {
      const start = off;
      off += w.length;
      const gi = g[i];
      if (!gi) return Array.from(w);
      return Array.from(w, (value, j) => {
        const gg = gi[j]! * coef;
        const mm = 0.9 * optimizer.m[start + j]! + 0.1 * gg;
        const vv = 0.999 * optimizer.v[start + j]! + 0.001 * gg * gg;
        return (
          value -
          ((config.learningRate / (1 - 0.9 ** t)) * mm) / (Math.sqrt(vv) / Math.sqrt(1 - 0.999 ** t) + 1e-8)
        );
      });
    });
    vars.forEach((x) => x.dispose());
    return { loss, norm, next };
  });
}

/** (λ/2)·Σ A·θ² with a constant A per listed variable (anchor 0), as the agent takes it. */
function quadratic(agent: DqnAgent, lambda: number, importance: Record<number, number>): QuadraticPenalty {
  const vars = agent.trainableVariables();
  const a = vars.map((v, i) => (i in importance ? new Float32Array(v.size).fill(importance[i]!) : null));
  return { lambda, importance: a, anchor: a.map((x) => (x ? new Float32Array(x.length) : null)) };
}

/** Largest absolute difference between the agent's online weights and `expected`. */
function maxWeightError(agent: DqnAgent, expected: number[][]): number {
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
      { name: 'one task, Double DQN', tasks: [0], doubleDqn: true, penalty: false },
      { name: 'one task, vanilla target', tasks: [0], doubleDqn: false, penalty: false },
      {
        name: 'a mixed-task batch with a penalty on an absent head',
        tasks: [0, 1],
        doubleDqn: true,
        penalty: true,
      },
    ];
    for (const c of cases) {
      it(`matches a plain tfjs autodiff + PyTorch-Adam reference step: ${c.name}`, () => {
        const rng = new Rng(3);
        const config = { ...CONFIG, doubleDqn: c.doubleDqn };
        const shapes = [
          { observationSize: OBS, actionCount: 2 },
          { observationSize: 2, actionCount: 3 },
          { observationSize: OBS, actionCount: 4 },
        ];
        const agent = new DqnAgent({ config, tasks: shapes, rng });
        const buffer = fillBuffer(rng, c.tasks, [2, 3, 4]);
        const batch = createBatch(B, OBS);
        buffer.sample(rng, batch);
        agent.update(batch);
        agent.syncTarget(); // the target changes: the update must not use a stale copy of its heads
        agent.update(batch); // online ≠ target from here on, Adam has state
        buffer.sample(rng, batch);
        if (c.tasks.length > 1) expect(new Set(batch.tasks).size).toBe(2);
        // The penalty pulls head 2 (never in a batch) and the first trunk kernel; the reference
        // differentiates it with tfjs autodiff, the agent adds λ·A·θ in closed form.
        const penalty = (vars: tf.Variable[]) =>
          tf.add(
            tf.mul(tf.sum(tf.square(vars[8]!)), 0.3),
            tf.mul(tf.sum(tf.square(vars[0]!)), 0.1),
          ) as tf.Scalar;
        const ref = referenceStep(agent, batch, agent.getState().optimizer, c.penalty ? penalty : undefined);
        const closedForm = quadratic(agent, 1, { 8: 0.6, 0: 0.2 });
        const loss = agent.update(batch, c.penalty ? { penalty: closedForm } : {});
        expect(loss).toBeCloseTo(ref.loss, 5);
        expect(agent.lastGradNorm).toBeCloseTo(ref.norm, 5);
        expect(maxWeightError(agent, ref.next)).toBeLessThan(1e-6);
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
