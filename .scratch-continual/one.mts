import { initBackend } from '../src/tf/backend';
import { ContinualRunner } from '../src/continual/runner';
import { BUILTIN_SEQUENCES } from '../src/continual/sequences';
const [steps = '12000', tasks = '1', strategy = 'finetune', dqnJson = '{}'] = process.argv.slice(2);
await initBackend();
const base = BUILTIN_SEQUENCES.default;
const t0 = performance.now();
const runner = new ContinualRunner({ sequence: { ...base, tasks: base.tasks.slice(0, Number(tasks)).map((t) => ({ ...t, steps: Number(steps) })) }, strategy, seed: 0, evalEvery: 2000, dqn: JSON.parse(dqnJson) }, {
  onEvent(e) {
    if (e.type === 'eval') process.stdout.write(`[${e.step} t${e.task} ${e.mean.toFixed(2)}/${e.normalized.toFixed(2)}] `);
    if (e.type === 'task-end') console.log(`\ntask-end ${e.task} ${e.matrixRow.map((v) => v.toFixed(2))} ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  },
});
while (await runner.advance(2000)) { const s = runner.status(); console.log(`\nstep ${s.step} eps ${s.epsilon.toFixed(2)} loss ${s.lastLoss?.toExponential(2)} ep ${s.episodes} last ${s.lastEpisodeReturn?.toFixed(2)} ${((performance.now() - t0) / 1000).toFixed(1)}s`); }
