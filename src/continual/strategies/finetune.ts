/**
 * `finetune`: plain DQN across tasks, no protection at all (the forgetting baseline). Every hook is absent:
 * the runner clears the replay buffer and resets Adam at each task, so only the current task is trained.
 */
import { z } from 'zod';
import { defineStrategy } from './define';

const schema = z.strictObject({});

export const finetune = defineStrategy({
  name: 'finetune',
  kind: 'standalone',
  optionKeys: Object.keys(schema.shape),
  description: 'Plain DQN across tasks: no protection (the forgetting baseline).',
  schema,
  runtimeParams: [],
  create() {
    return {
      name: 'finetune',
      params: () => ({}),
      setParam(name) {
        throw new Error(`Strategy "finetune" has no parameter "${name}" (it has none)`);
      },
      getState: () => ({ json: {}, arrays: {} }),
      setState() {},
      dispose() {},
    };
  },
});
