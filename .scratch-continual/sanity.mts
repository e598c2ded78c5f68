import { initBackend } from '../src/tf/backend';
import { DqnAgent } from '../src/dqn/agent';
import { resolveDqnConfig, DEFAULT_DQN_CONFIG } from '../src/dqn/config';
import { createBatch, ReplayBuffer } from '../src/dqn/replay';
import { Rng } from '../envs/rng';
import { BUILTIN_SEQUENCES } from '../src/continual/sequences';
await initBackend();
const cfg = resolveDqnConfig(DEFAULT_DQN_CONFIG, BUILTIN_SEQUENCES.default.dqn);
const rng = new Rng(1);
const agent = new DqnAgent({ config: cfg, tasks: [{ observationSize: 121, actionCount: 4 }], rng });
const rb = new ReplayBuffer({ capacity: 1000, observationSize: 121 });
const o = new Float32Array(121);
const R = (s: number, a: number) => ((s * 7 + a * 3) % 5) / 5;
for (let s = 0; s < 121; s++) for (let a = 0; a < 4; a++) { o.fill(0); o[s] = 1; rb.add({ observation: o, nextObservation: o, action: a, reward: R(s, a), terminated: true, task: 0 }); }
const batch = createBatch(64, 121);
for (let i = 0; i <= 2000; i++) { rb.sample(rng, batch); const l = agent.update(batch); if (i % 400 === 0) console.log(i, l); }
let err = 0; for (let s = 0; s < 121; s++) { o.fill(0); o[s] = 1; const q = agent.qValues(o, 0); for (let a = 0; a < 4; a++) err = Math.max(err, Math.abs(q[a]! - R(s, a))); }
console.log('max abs err', err);
