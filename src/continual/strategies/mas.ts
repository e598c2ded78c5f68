/**
 * `mas`: Memory Aware Synapses (Aljundi et al., ECCV 2018, arXiv 1711.09601). Importance Ω = mean over
 * samples of |∂‖Q(s)‖²/∂θ| (the squared L2 norm of the finished task's head output), computed per sample
 * from the task's replay buffer; it needs no TD targets. Ω accumulates over tasks (online store with γ = 1)
 * and is max-normalized like EWC's Fisher so λ has the same meaning.
 */
import { z } from 'zod';
import { AnchorStore, readVariables } from '../anchor-store';
import { maxNormalize } from '../importance';
import { masImportance } from '../samples';
import type { Strategy, StrategyContext } from '../strategy';
import { defineStrategy, paramsOf, setParamChecked } from './define';

const schema = z.strictObject({
  /** Penalty strength λ. */
  lambda: z.number().min(0).max(1e12).default(1000),
  /** Importance sample = batches × batchSize transitions of the finished task's buffer. */
  batches: z.number().int().min(1).max(10_000).default(100),
  normalize: z.enum(['max', 'none']).default('max'),
});
type Options = z.output<typeof schema>;
const RUNTIME = ['lambda', 'batches'] as const;

export const mas = defineStrategy({
  name: 'mas',
  kind: 'regularizer',
  optionKeys: Object.keys(schema.shape),
  description: 'Memory Aware Synapses: importance from |∂‖Q‖²/∂θ|, accumulated over tasks.',
  schema,
  runtimeParams: RUNTIME,
  create(options, setup): Strategy {
    let opts: Options = options;
    const store = new AnchorStore(setup.variables, { mode: 'online', gamma: 1 });
    return {
      name: 'mas',
      params: () => paramsOf(opts),
      penalty: () => store.penalty(opts.lambda),
      penaltyActive: () => store.active(opts.lambda),
      afterTask(ctx: StrategyContext) {
        if (ctx.replay.size === 0) return;
        const omega = masImportance(ctx, opts.batches * ctx.batchSize);
        if (opts.normalize === 'max') maxNormalize(omega);
        store.consolidate(ctx.task, omega, readVariables(ctx.model.variables));
      },
      setParam(name, value) {
        opts = setParamChecked('mas', schema, RUNTIME, opts, name, value);
      },
      getState: () => store.getState('mas.'),
      setState: (state) => store.setState(state, 'mas.'),
      dispose: () => store.dispose(),
    };
  },
});
