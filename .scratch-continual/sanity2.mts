import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/tf/backend';
import { DqnAgent } from '../src/dqn/agent';
import { resolveDqnConfig, DEFAULT_DQN_CONFIG } from '../src/dqn/config';
import { createBatch, ReplayBuffer } from '../src/dqn/replay';
import { Rng } from '../envs/rng';
import { BUILTIN_SEQUENCES } from '../src/continual/sequences';
import { createModelView } from '../src/continual/model-view';
await initBackend();
const cfg = resolveDqnConfig(DEFAULT_DQN_CONFIG, BUILTIN_SEQUENCES.default.dqn);
const rng = new Rng(1);
const agent = new DqnAgent({ config: cfg, tasks: [{ observationSize: 121, actionCount: 4 }], rng });
// perturb target so it differs from online
agent.target.variables().forEach((v) => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1))));
const rb = new ReplayBuffer({ capacity: 1000, observationSize: 121 });
const o = new Float32Array(121), o2 = new Float32Array(121);
for (let i = 0; i < 300; i++) { o.fill(0); o[rng.integer(121)] = 1; o2.fill(0); o2[rng.integer(121)] = 1; rb.add({ observation: o, nextObservation: o2, action: rng.integer(4), reward: rng.uniform(), terminated: rng.uniform() < 0.2, task: 0 }); }
const batch = createBatch(64, 121);
rb.sample(rng, batch);
const mv = createModelView(agent);
const y = mv.tdTargets(batch);
const x = mv.encode(batch, 'observations');
const mine = tf.tidy(() => tf.mean(mv.tdRowLoss(agent.online.forward(tf.tensor2d(x, [64, agent.inputSize]), 0, 'infer'), 0, batch.actions, y)).dataSync()[0]);
const theirs = agent.update(batch);
console.log('mine', mine, 'agent', theirs);
