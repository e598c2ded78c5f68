/**
 * `npm run bench -- dqn [--json] [--train-steps N]`: the DQN hot path.
 *
 * 1. One DqnAgent.update (Double-DQN target on next states, Huber, global-norm clipping, Adam) for batch 64
 *    on MLPs 2×128 and 2×256 with input 16 (15 observation values + the 1-task one-hot) and 4 actions:
 *    median of many timed updates after a warm-up.
 * 2. For comparison (human output only): the same update written naively with stock tfjs ops
 *    (tf.layers-free dense layers, tf.variableGrads, tf.train.adam), 2×128.
 * 3. Env steps per second of the full training loop on the CartPole-v1 preset, SHORTENED to the first
 *    `--train-steps` steps (default 4,096: 1,000 random warm-up steps, then 256-step rounds of 128 updates).
 * With --json: one line {"backend","updateMs":{"mlp128_b64","mlp256_b64"},"trainStepsPerSec"}.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../envs/rng';
import { DqnAgent } from '../src/dqn/agent';
import { DEFAULT_DQN_CONFIG } from '../src/dqn/config';
import { getPreset } from '../src/dqn/presets';
import { createBatch, ReplayBuffer, type ReplayBatch } from '../src/dqn/replay';
import { DqnTrainer } from '../src/dqn/train-loop';
import { initBackend } from '../src/tf/backend';

const OBSERVATION = 15; // + 1 task one-hot = input 16
const ACTIONS = 4;
const BATCH = 64;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function randomReplay(rng: Rng): ReplayBuffer {
  const replay = new ReplayBuffer({ capacity: 10_000, observationSize: OBSERVATION });
  const o = new Float32Array(OBSERVATION);
  const o2 = new Float32Array(OBSERVATION);
  for (let i = 0; i < replay.capacity; i++) {
    for (let k = 0; k < OBSERVATION; k++) {
      o[k] = rng.normal();
      o2[k] = rng.normal();
    }
    replay.add({
      observation: o,
      nextObservation: o2,
      action: rng.integer(ACTIONS),
      reward: rng.uniform(),
      terminated: rng.uniform() < 0.02,
      task: 0,
    });
  }
  return replay;
}

interface Timing {
  /** Median wall-clock ms of one update. */
  median: number;
  /** Process CPU ms per update (user + system), fairer than wall time on a shared machine. */
  cpu: number;
}

function timeUpdates(update: (batch: ReplayBatch) => void, rng: Rng, warmup: number, timed: number): Timing {
  const replay = randomReplay(rng);
  const batch = createBatch(BATCH, OBSERVATION);
  for (let i = 0; i < warmup; i++) {
    replay.sample(rng, batch);
    update(batch);
  }
  const times: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < timed; i++) {
    replay.sample(rng, batch);
    const start = performance.now();
    update(batch);
    times.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  return { median: median(times), cpu: (cpu.user + cpu.system) / 1000 / timed };
}

function benchAgent(hidden: number, timed: number): Timing {
  const rng = new Rng(1);
  const agent = new DqnAgent({
    config: { ...DEFAULT_DQN_CONFIG, hiddenSizes: [hidden, hidden], batchSize: BATCH, learningRate: 1e-4 },
    tasks: [{ observationSize: OBSERVATION, actionCount: ACTIONS }],
    rng,
  });
  try {
    return timeUpdates((b) => agent.update(b), rng, 50, timed);
  } finally {
    agent.dispose();
  }
}

/** The straightforward tfjs version of the same update, for comparison. */
function benchNaive(hidden: number, timed: number): Timing {
  const rng = new Rng(1);
  const sizes = [OBSERVATION + 1, hidden, hidden, ACTIONS];
  const make = () =>
    sizes.slice(1).flatMap((out, i) => {
      const fanIn = sizes[i]!;
      const w = Float32Array.from({ length: fanIn * out }, () => rng.uniformRange(-1, 1) / Math.sqrt(fanIn));
      return [tf.variable(tf.tensor2d(w, [fanIn, out])), tf.variable(tf.zeros([out]))];
    });
  const online = make();
  const target = make();
  const optimizer = tf.train.adam(1e-4);
  const net = (p: tf.Variable[], x: tf.Tensor) => {
    let h = x;
    for (let l = 0; l < 3; l++) {
      h = tf.add(tf.matMul(h, p[2 * l]!), p[2 * l + 1]!);
      if (l < 2) h = tf.relu(h);
    }
    return h;
  };
  const input = (obs: Float32Array) => {
    const x = new Float32Array(BATCH * (OBSERVATION + 1));
    for (let i = 0; i < BATCH; i++) {
      x.set(obs.subarray(i * OBSERVATION, (i + 1) * OBSERVATION), i * (OBSERVATION + 1));
      x[i * (OBSERVATION + 1) + OBSERVATION] = 1;
    }
    return tf.tensor2d(x, [BATCH, OBSERVATION + 1]);
  };
  const update = (b: ReplayBatch) =>
    tf.tidy(() => {
      const s = input(b.observations);
      const s2 = input(b.nextObservations);
      const best = tf.argMax(net(online, s2), 1);
      const next = tf.sum(tf.mul(net(target, s2), tf.cast(tf.oneHot(best, ACTIONS), 'float32')), 1);
      const notDone = tf.tensor1d(Float32Array.from(b.terminated, (t) => 1 - t));
      const y = tf.add(tf.tensor1d(b.rewards), tf.mul(tf.mul(notDone, 0.99), next));
      const actions = tf.cast(tf.oneHot(tf.tensor1d(b.actions, 'int32'), ACTIONS), 'float32');
      const { value, grads } = tf.variableGrads(
        () => tf.losses.huberLoss(y, tf.sum(tf.mul(net(online, s), actions), 1)) as tf.Scalar,
        online,
      );
      const list = online.map((v) => grads[v.name]!);
      const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
      const scale = tf.minimum(1, tf.div(10, tf.add(norm, 1e-6)));
      optimizer.applyGradients(Object.fromEntries(online.map((v, i) => [v.name, tf.mul(list[i]!, scale)])));
      return value.dataSync()[0];
    });
  try {
    return timeUpdates(update, rng, 50, timed);
  } finally {
    [...online, ...target].forEach((v) => v.dispose());
    optimizer.dispose();
  }
}

function benchTraining(steps: number): { wall: number; cpu: number } {
  const trainer = new DqnTrainer({ envId: 'CartPole-v1', config: getPreset('CartPole-v1').config, seed: 1 });
  try {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    trainer.advance(steps);
    const cpu = process.cpuUsage(cpuStart);
    return {
      wall: steps / ((performance.now() - start) / 1000),
      cpu: steps / ((cpu.user + cpu.system) / 1e6),
    };
  } finally {
    trainer.dispose();
  }
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const stepsFlag = args.indexOf('--train-steps');
  const trainSteps = stepsFlag >= 0 ? Number(args[stepsFlag + 1]) : 4096;
  if (!Number.isInteger(trainSteps) || trainSteps < 1) {
    throw new Error(`--train-steps must be a positive integer, got ${args[stepsFlag + 1]}`);
  }
  const choice = await initBackend();
  const log = (line: string): void => void (json ? process.stderr : process.stdout).write(`${line}\n`);
  log(`backend ${choice.backend} ${JSON.stringify(choice.details)}`);
  const show = (t: Timing): string =>
    `median ${t.median.toFixed(3)} ms wall, ${t.cpu.toFixed(3)} ms CPU per update`;
  const mlp128 = benchAgent(128, 300);
  log(`update 2×128, batch 64: ${show(mlp128)}`);
  const mlp256 = benchAgent(256, 150);
  log(`update 2×256, batch 64: ${show(mlp256)}`);
  if (!json) {
    const naive = benchNaive(128, 300);
    log(`naive tfjs update 2×128, batch 64 (comparison): ${show(naive)}`);
  }
  const training = benchTraining(trainSteps);
  log(
    `training loop, CartPole-v1 preset, first ${trainSteps} steps: ${training.wall.toFixed(0)} env steps/s wall, ${training.cpu.toFixed(0)} per CPU-second`,
  );
  if (json) {
    const line = {
      backend: choice.backend,
      updateMs: {
        mlp128_b64: Number(mlp128.median.toFixed(4)),
        mlp256_b64: Number(mlp256.median.toFixed(4)),
      },
      trainStepsPerSec: Number(training.wall.toFixed(1)),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
