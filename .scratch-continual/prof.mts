import { initBackend } from '../src/tf/backend';
import { DqnAgent } from '../src/dqn/agent';
import { resolveDqnConfig, DEFAULT_DQN_CONFIG } from '../src/dqn/config';
import { createBatch, ReplayBuffer } from '../src/dqn/replay';
import { Rng } from '../envs/rng';
import { BUILTIN_SEQUENCES } from '../src/continual/sequences';
await initBackend();
const cfg = resolveDqnConfig(DEFAULT_DQN_CONFIG, BUILTIN_SEQUENCES.default.dqn);
const rng = new Rng(1);
const agent = new DqnAgent({ config: cfg, tasks: [0,1,2,3].map(() => ({ observationSize: 121, actionCount: 4 })), rng });
const rb = new ReplayBuffer({ capacity: 1000, observationSize: 121 });
const o = new Float32Array(121);
for (let i = 0; i < 1000; i++) { o.fill(0); o[rng.integer(121)] = 1; rb.add({ observation: o, nextObservation: o, action: rng.integer(4), reward: 0, terminated: false, task: 0 }); }
const batch = createBatch(64, 121);
let t = performance.now();
for (let i = 0; i < 500; i++) { rb.sample(rng, batch); agent.update(batch); }
console.log('update ms', (performance.now() - t) / 500);
t = performance.now();
for (let i = 0; i < 2000; i++) agent.act(o, 0, 0);
console.log('act ms', (performance.now() - t) / 2000);
console.log(cfg);
