/**
 * `l2`: the EWC penalty with F = 1 (plain L2 pull towards each past task's weights). Importance is 1 on the
 * trunk and on the finished task's head, 0 on other heads (so heads of tasks not yet trained stay free).
 * Without a Fisher, λ is in raw weight units: much smaller values than EWC's max-normalized λ suffice.
 */
import { z } from 'zod';
import { AnchorStore, readVariables } from '../anchor-store';
import type { Strategy, StrategyContext } from '../strategy';
import { defineStrategy, paramsOf, setParamChecked } from './define';

const schema = z.strictObject({
  /** Penalty strength λ in (λ/2)·Σ (θ − θ*)². 0.01 was best of {0.01, 0.1, 1} on `default` (BENCHMARKS.md). */
  lambda: z.number().min(0).max(1e12).default(0.01),
  /** One anchor per past task ('separate') or the latest only with decayed weight ('online'). */
  mode: z.enum(['separate', 'online']).default('separate'),
});
type Options = z.output<typeof schema>;
const RUNTIME = ['lambda'] as const;

export const l2 = defineStrategy({
  name: 'l2',
  kind: 'regularizer',
  optionKeys: Object.keys(schema.shape),
  description: 'L2 pull towards past tasks’ weights (the EWC penalty with F = 1).',
  schema,
  runtimeParams: RUNTIME,
  create(options, setup): Strategy {
    let opts: Options = options;
    const store = new AnchorStore(
      setup.variables,
      opts.mode === 'online' ? { mode: 'online', gamma: 1 } : { mode: 'separate' },
    );
    const trunkCount = setup.variables.length - 2 * setup.tasks.length;
    return {
      name: 'l2',
      params: () => paramsOf(opts),
      penalty: () => store.penalty(opts.lambda),
      penaltyActive: () => store.active(opts.lambda),
      afterTask(ctx: StrategyContext) {
        const headStart = trunkCount + 2 * ctx.task;
        const importance = ctx.model.variables.map((v, i) => {
          const on = i < trunkCount || i === headStart || i === headStart + 1;
          return new Float32Array(v.size).fill(on ? 1 : 0);
        });
        store.consolidate(ctx.task, importance, readVariables(ctx.model.variables));
      },
      setParam(name, value) {
        opts = setParamChecked('l2', schema, RUNTIME, opts, name, value);
      },
      getState: () => store.getState('l2.'),
      setState: (state) => store.setState(state, 'l2.'),
      dispose: () => store.dispose(),
    };
  },
});
