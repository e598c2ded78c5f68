import * as tf from '@tensorflow/tfjs';
import { initBackend } from './src/tf/backend';
import { Rng } from './envs/rng';
import { DqnAgent } from './src/dqn/agent';
import { DEFAULT_DQN_CONFIG } from './src/dqn/config';
import { ReplayBuffer, createBatch } from './src/dqn/replay';

const backend = (process.argv[2] ?? 'wasm') as 'wasm' | 'cpu';
await initBackend({ force: backend });
for (const hidden of [128, 256]) {
  const rng = new Rng(1);
  const obsSize = 16 - 1;
  const agent = new DqnAgent({ config: { ...DEFAULT_DQN_CONFIG, hiddenSizes: [hidden, hidden], batchSize: 64 }, tasks: [{ observationSize: obsSize, actionCount: 4 }], rng });
  const buf = new ReplayBuffer({ capacity: 1000, observationSize: obsSize });
  const o = new Float32Array(obsSize);
  for (let i = 0; i < 1000; i++) {
    for (let k = 0; k < obsSize; k++) o[k] = rng.normal();
    buf.add({ observation: o, nextObservation: o, action: rng.integer(4), reward: rng.uniform(), terminated: rng.uniform() < 0.05, task: 0 });
  }
  const batch = createBatch(64, obsSize);
  for (let i = 0; i < 100; i++) { buf.sample(rng, batch); agent.update(batch); }
  const times: number[] = [];
  const before = tf.memory().numTensors;
  let loss = 0;
  for (let i = 0; i < 500; i++) {
    buf.sample(rng, batch);
    const t0 = performance.now();
    loss = agent.update(batch);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(backend, hidden, 'median ms', times[times.length >> 1]!.toFixed(3), 'loss', loss, 'tensors', before, tf.memory().numTensors);
  agent.dispose();
}
