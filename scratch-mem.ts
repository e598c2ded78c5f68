import * as tf from '@tensorflow/tfjs';
import { initBackend } from './src/tf/backend';
import { Rng } from './envs/rng';
import { DqnAgent } from './src/dqn/agent';
import { getPreset } from './src/dqn/presets';
import { ReplayBuffer, createBatch } from './src/dqn/replay';
await initBackend({ force: 'wasm' });
const rng = new Rng(1);
const config = { ...getPreset('MountainCar-v0').config, hiddenSizes: (process.argv[3] ?? '256,256').split(',').map(Number) };
const agent = new DqnAgent({ config, tasks: [{ observationSize: 2, actionCount: 3 }], rng });
const buf = new ReplayBuffer({ capacity: 1000, observationSize: 2 });
for (let i = 0; i < 1000; i++) buf.add({ observation: [rng.normal(), rng.normal()], nextObservation: [rng.normal(), rng.normal()], action: rng.integer(3), reward: -1, terminated: false, task: 0 });
const batch = createBatch(config.batchSize, 2);
const mode = process.argv[2] ?? 'update';
for (let i = 0; i <= 600; i++) {
  if (mode === 'update') { buf.sample(rng, batch); agent.update(batch); }
  if (mode === 'act') { for (let j = 0; j < 16; j++) agent.act([0.1, 0.2], 0, 0); buf.sample(rng, batch); agent.update(batch); }
  if (mode === 'actonly') { for (let j = 0; j < 16; j++) agent.act([0.1, 0.2], 0, 0); }
  if (mode === 'act1') { agent.act([0.1, 0.2], 0, 0); buf.sample(rng, batch); agent.update(batch); }
  if (mode === 'q') { agent.qValues([0.1, 0.2], 0); buf.sample(rng, batch); agent.update(batch); }
  if (mode.startsWith('m')) { const M = Number(mode.slice(1)); tf.tidy(() => agent.online.forward(tf.zeros([M, 3]) as tf.Tensor2D, 0, 'infer').dataSync()); buf.sample(rng, batch); agent.update(batch); }
  if (mode === 'sync') { agent.syncTarget(); buf.sample(rng, batch); agent.update(batch); }
  if (i % 200 === 0) console.log(mode, i, 'rss MB', (process.memoryUsage().rss / 1e6).toFixed(0), 'tensors', tf.memory().numTensors, 'bytes', (tf.memory().numBytes / 1e6).toFixed(1), 'wasm MB', ((tf.backend() as any).wasm.HEAPU8.length / 1e6).toFixed(0));
}
