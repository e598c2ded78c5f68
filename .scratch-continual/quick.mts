import { initBackend } from '/work/main/src/tf/backend';
import { ContinualRunner } from '/work/main/src/continual/runner';
const [strategy = 'finetune', seed = '0', steps = '12000', lambda] = process.argv.slice(2);
const b = await initBackend();
const t0 = performance.now();
let evals = 0;
const runner = new ContinualRunner({ sequence: { ...(await import('/work/main/src/continual/sequences')).BUILTIN_SEQUENCES.default, tasks: (await import('/work/main/src/continual/sequences')).BUILTIN_SEQUENCES.default.tasks.map((t) => ({ ...t, steps: Number(steps) })) }, strategy, seed: Number(seed), strategyOptions: lambda ? { lambda: Number(lambda) } : {} }, {
  onEvent(e) {
    if (e.type === 'task-end') console.log(`step ${e.step} t=${(e.t/1000).toFixed(1)}s task-end ${e.task}: ${e.matrixRow.map((v) => v.toFixed(2)).join(' ')}`);
    if (e.type === 'eval') evals++;
  },
});
while (await runner.advance(1000)) {
  const s = runner.status();
  if (s.step % 4000 === 0) console.log(`step ${s.step} eps ${s.epsilon.toFixed(2)} loss ${s.lastLoss?.toFixed(4)} ret ${s.lastEpisodeReturn?.toFixed(2)} ${((performance.now()-t0)/1000).toFixed(1)}s`);
}
const r = runner.result();
console.log(b.backend, 'acc', r.acc?.toFixed(3), 'forgetting', r.forgetting?.toFixed(3), 'bwt', r.bwt?.toFixed(3), 'fwt', r.fwt?.toFixed(3), 'auc', r.auc?.toFixed(3), 'seconds', ((performance.now() - t0) / 1000).toFixed(1));
