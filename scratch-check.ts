import * as tf from '@tensorflow/tfjs';
import { initBackend } from './src/tf/backend';
import { Rng } from './envs/rng';
import { DqnAgent } from './src/dqn/agent';
import { DEFAULT_DQN_CONFIG } from './src/dqn/config';
import { ReplayBuffer, createBatch } from './src/dqn/replay';
await initBackend({ force: (process.argv[2] ?? 'cpu') as 'cpu' });
const rng = new Rng(3);
const obsSize = 3, A = 2, B = 8;
const config = { ...DEFAULT_DQN_CONFIG, hiddenSizes: [5, 4], batchSize: B, learningRate: 0.01, maxGradNorm: 0.5 };
const agent = new DqnAgent({ config, tasks: [{ observationSize: obsSize, actionCount: A }], rng });
const buf = new ReplayBuffer({ capacity: 100, observationSize: obsSize });
const o = new Float32Array(obsSize), o2 = new Float32Array(obsSize);
for (let i = 0; i < 50; i++) { for (let k = 0; k < obsSize; k++) { o[k] = rng.normal(); o2[k] = rng.normal(); }
  buf.add({ observation: o, nextObservation: o2, action: rng.integer(A), reward: rng.normal(), terminated: rng.uniform() < 0.3, task: 0 }); }
const batch = createBatch(B, obsSize);
buf.sample(rng, batch);
// perturb target so that target != online
agent.update(batch); buf.sample(rng, batch);
const W0 = agent.online.getWeights(), T0 = agent.target.getWeights();
const adam0 = (agent as any).optimizer.getState();
// reference
const vars = W0.map((w, i) => tf.variable(tf.tensor(w, agent.online.variables()[i]!.shape)));
const tvars = T0.map((w, i) => tf.tensor(w, agent.online.variables()[i]!.shape));
const inp = (obs: Float32Array) => { const x = new Float32Array(B * (obsSize + 1)); for (let i = 0; i < B; i++) { for (let k = 0; k < obsSize; k++) x[i * (obsSize + 1) + k] = obs[i * obsSize + k]!; x[i * (obsSize + 1) + obsSize] = 1; } return tf.tensor2d(x, [B, obsSize + 1]); };
const net = (p: tf.Tensor[], x: tf.Tensor) => { let h = tf.relu(tf.add(tf.matMul(x, p[0]!), p[1]!)); h = tf.relu(tf.add(tf.matMul(h, p[2]!), p[3]!)); return tf.add(tf.matMul(h, p[4]!), p[5]!); };
const s = inp(batch.observations), s2 = inp(batch.nextObservations);
const best = tf.argMax(net(vars, s2), 1);
const qn = tf.sum(tf.mul(net(tvars, s2), tf.oneHot(best, A).toFloat()), 1);
const y = tf.add(tf.tensor1d(batch.rewards), tf.mul(tf.sub(1, tf.tensor1d(Array.from(batch.terminated))), tf.mul(0.99, qn)));
const { value, grads } = tf.variableGrads(() => { const q = net(vars, s); const qa = tf.sum(tf.mul(q, tf.oneHot(tf.tensor1d(batch.actions, 'int32'), A).toFloat()), 1); return tf.losses.huberLoss(y, qa) as tf.Scalar; }, vars);
const g = vars.map((v) => grads[v.name]!.dataSync());
let norm = Math.sqrt(g.reduce((acc, a) => acc + a.reduce((x, b) => x + b * b, 0), 0));
const coef = Math.min(1, 0.5 / (norm + 1e-6));
const loss = agent.update(batch);
console.log('loss ref', value.dataSync()[0], 'ours', loss, 'norm ref', norm, 'ours', agent.lastGradNorm);
// reference adam step
const t = adam0.step + 1; let off = 0; let maxErr = 0;
const W1 = agent.online.getWeights();
W0.forEach((w, i) => { for (let j = 0; j < w.length; j++) { const gg = g[i]![j]! * coef; const m = 0.9 * adam0.m[off + j] + 0.1 * gg; const v = 0.999 * adam0.v[off + j] + 0.001 * gg * gg;
  const upd = (0.01 / (1 - 0.9 ** t)) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** t) + 1e-8); maxErr = Math.max(maxErr, Math.abs(w[j]! - upd - W1[i]![j]!)); } off += w.length; });
console.log('max weight err', maxErr);
