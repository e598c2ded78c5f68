/**
 * `ewc-replay`: EWC's penalty (separate mode) plus replay of past tasks' reservoirs, the two complementary
 * protections combined (the regularizer keeps weights near old optima; replay keeps old heads' targets
 * grounded in real transitions).
 */
import { z } from 'zod';
import type { Strategy, StrategyContext, StrategyState } from '../strategy';
import { defineStrategy, paramsOf, setParamChecked } from './define';
import { EwcStrategy } from './ewc';
import { replayOptionsShape } from './replay';
import { ReplayMemory } from './replay-memory';

const schema = z.strictObject({
  lambda: z.number().min(0).max(1e12).default(1000),
  fisher: z.enum(['td', 'softmax']).default('td'),
  fisherBatches: z.number().int().min(1).max(10_000).default(100),
  normalize: z.enum(['max', 'none']).default('max'),
  ...replayOptionsShape,
});
type Options = z.output<typeof schema>;
const RUNTIME = ['lambda', 'fisherBatches', 'mix'] as const;

export const ewcReplay = defineStrategy({
  name: 'ewc-replay',
  description: 'EWC (separate mode) plus per-task replay reservoirs mixed into every minibatch.',
  schema,
  runtimeParams: RUNTIME,
  create(options, setup): Strategy {
    let opts: Options = options;
    const { perTask, mix: _mix, ...ewcPart } = opts;
    const ewc = new EwcStrategy({ mode: 'separate', ...ewcPart }, setup, 'ewc-replay');
    const memory = new ReplayMemory(perTask, setup.observationSize);
    return {
      name: 'ewc-replay',
      params: () => paramsOf(opts),
      onTransition: (ctx, t) => memory.offer(ctx.task, t, ctx.rng),
      fillBatch: (ctx, batch) => memory.fill(ctx, batch, opts.mix),
      penalty: () => ewc.penalty(),
      penaltyActive: () => ewc.penaltyActive(),
      afterTask: (ctx: StrategyContext) => ewc.afterTask(ctx),
      setParam(name, value) {
        const next = setParamChecked('ewc-replay', schema, RUNTIME, opts, name, value);
        if (name !== 'mix') ewc.setParam(name, value);
        opts = next;
      },
      getState(): StrategyState {
        const a = ewc.getState();
        const b = memory.getState('replay.');
        return { json: { ...a.json, ...b.json }, arrays: { ...a.arrays, ...b.arrays } };
      },
      setState(state) {
        ewc.setState(state);
        memory.setState(state, 'replay.');
      },
      dispose: () => ewc.dispose(),
    };
  },
});
