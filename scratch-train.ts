import { initBackend } from './src/tf/backend';
import { DqnTrainer } from './src/dqn/train-loop';
import { getPreset } from './src/dqn/presets';
const [envId = 'CartPole-v1', steps = '10000', seed = '1', backend = 'wasm'] = process.argv.slice(2);
await initBackend({ force: backend as 'wasm' });
const config = { ...getPreset(envId).config, totalSteps: Number(steps) };
const tr = new DqnTrainer({ envId, config, seed: Number(seed) });
const t0 = performance.now();
while (tr.advance(5000)) { const s = tr.status(); console.log(s.step, s.epsilon.toFixed(3), s.recentReturn.toFixed(1), s.loss.toFixed(4), ((s.step) / ((performance.now() - t0) / 1000)).toFixed(0), 'steps/s'); }
const ev = tr.evaluate(20);
console.log('eval', ev.mean, 'secs', ((performance.now() - t0) / 1000).toFixed(1));
