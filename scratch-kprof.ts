import * as tf from '@tensorflow/tfjs';
import { initBackend } from './src/tf/backend';
import { Rng } from './envs/rng';
import { DqnAgent } from './src/dqn/agent';
import { DEFAULT_DQN_CONFIG } from './src/dqn/config';
import { ReplayBuffer, createBatch } from './src/dqn/replay';
await initBackend({ force: 'wasm' });
const hidden = Number(process.argv[2] ?? 128);
const rng = new Rng(1); const obsSize = 15;
const agent = new DqnAgent({ config: { ...DEFAULT_DQN_CONFIG, hiddenSizes: [hidden, hidden] }, tasks: [{ observationSize: obsSize, actionCount: 4 }], rng });
const buf = new ReplayBuffer({ capacity: 1000, observationSize: obsSize });
const o = new Float32Array(obsSize);
for (let i = 0; i < 1000; i++) { for (let k = 0; k < obsSize; k++) o[k] = rng.normal(); buf.add({ observation: o, nextObservation: o, action: rng.integer(4), reward: 1, terminated: false, task: 0 }); }
const batch = createBatch(64, obsSize);
for (let i = 0; i < 50; i++) { buf.sample(rng, batch); agent.update(batch); }
const agg = new Map<string, { n: number; ms: number }>();
for (let r = 0; r < 20; r++) {
  buf.sample(rng, batch);
  const info = await tf.profile(() => { agent.update(batch); });
  for (const k of info.kernels) { const key = k.name + ' ' + JSON.stringify(k.inputShapes); const e = agg.get(key) ?? { n: 0, ms: 0 }; e.n++; e.ms += (k.kernelTimeMs as number); agg.set(key, e); }
}
const rows = [...agg.entries()].sort((a, b) => b[1].ms - a[1].ms);
let total = 0, count = 0; for (const [, v] of rows) { total += v.ms; count += v.n; }
console.log('kernels/update', count / 20, 'kernel ms/update', (total / 20).toFixed(3));
for (const [k, v] of rows.slice(0, 25)) console.log((v.ms / 20).toFixed(3), (v.n / 20), k);
