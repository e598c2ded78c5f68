/**
 * `multitask`: the upper reference. All tasks are trained interleaved: each episode is collected on the
 * next task in turn (round robin), one replay buffer holds every task's transitions (no clearing), Adam is
 * never reset and ε decays once over the whole run. The scheduled stages still mark when the R-matrix
 * rows are taken, so its numbers line up with the sequential strategies' at equal env steps.
 */
import { z } from 'zod';
import type { Strategy, StrategyContext } from '../strategy';
import { defineStrategy } from './define';

const schema = z.strictObject({});

export const multitask = defineStrategy({
  name: 'multitask',
  kind: 'standalone',
  optionKeys: Object.keys(schema.shape),
  description: 'Interleaved training on all tasks at once (the upper reference, not continual).',
  schema,
  runtimeParams: [],
  create(): Strategy {
    let next = 0;
    return {
      name: 'multitask',
      params: () => ({}),
      beforeTask: () => ({ keepReplay: true, keepOptimizer: true, runWideEpsilon: true }),
      chooseTask(ctx: StrategyContext) {
        const task = next % ctx.tasks.length;
        next = task + 1;
        return task;
      },
      setParam(name) {
        throw new Error(`Strategy "multitask" has no parameter "${name}" (it has none)`);
      },
      getState: () => ({ json: { next }, arrays: {} }),
      setState(state) {
        const n = state.json.next;
        if (!Number.isInteger(n) || (n as number) < 0)
          throw new Error('Strategy state: multitask "next" must be an integer ≥ 0');
        next = n as number;
      },
      dispose() {},
    };
  },
});
