/**
 * `rehearsal`: experience rehearsal of past tasks (as in CLEAR, Rolnick et al. 2019, without its behaviour
 * cloning). A bounded reservoir per past task (uniform over the task's whole stream) is mixed into every
 * minibatch: `mix` of the rows come from past tasks, each row trained with its own task's head and target.
 * ("Replay" is kept for the DQN's experience-replay buffer; `replay` is an alias of this strategy.)
 */
import { z } from 'zod';
import type { Strategy } from '../strategy';
import { defineStrategy, paramsOf, setParamChecked } from './define';
import { RehearsalMemory } from './rehearsal-memory';

const schema = z.strictObject({
  /** Transitions kept per past task (reservoir sampling). */
  perTask: z.number().int().min(1).max(1_000_000).default(5000),
  /** Fraction of each minibatch drawn from past tasks (once there are any). */
  mix: z.number().min(0).max(0.95).default(0.5),
});
type Options = z.output<typeof schema>;
const RUNTIME = ['mix'] as const;
/** Checkpoint key prefix (kept from when the strategy was called `replay`, so old checkpoints resume). */
const STATE_PREFIX = 'replay.';

export const rehearsal = defineStrategy({
  name: 'rehearsal',
  kind: 'rehearsal',
  optionKeys: Object.keys(schema.shape),
  description: 'Rehearsal of a bounded reservoir of each past task mixed into every minibatch.',
  schema,
  runtimeParams: RUNTIME,
  create(options, setup): Strategy {
    let opts: Options = options;
    const memory = new RehearsalMemory(opts.perTask, setup.observationSize);
    return {
      name: 'rehearsal',
      params: () => paramsOf(opts),
      onTransition: (ctx, t) => memory.offer(ctx.task, t, ctx.rng),
      fillBatch: (ctx, batch) => memory.fill(ctx, batch, opts.mix),
      setParam(name, value) {
        opts = setParamChecked('rehearsal', schema, RUNTIME, opts, name, value);
      },
      getState: () => memory.getState(STATE_PREFIX),
      setState: (state) => memory.setState(state, STATE_PREFIX),
      dispose() {},
    };
  },
});
