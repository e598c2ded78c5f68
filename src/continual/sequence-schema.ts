/**
 * The zod schema of a sequence file (docs/SEQUENCES.md), on its own so the built-in sequences
 * (sequences.ts) and the loader/resolver (sequence.ts) both depend on it without depending on each other.
 */
import { z } from 'zod';
import { dqnConfigOverridesSchema, taskDqnOverridesSchema } from '../dqn/config';

export const sequenceTaskSchema = z.strictObject({
  /** Environment id, e.g. `CartPole-v1` or `Grid-FourRooms-GoalNE-v0` (see `npm run cli -- info`). */
  env: z.string().min(1).max(100),
  /** Environment parameters (name → number), checked against the env's parameter ranges. */
  params: z.record(z.string().max(64), z.number()).optional(),
  /** Env steps of training on this entry. */
  steps: z.number().int().min(1).max(100_000_000),
  /** Name shown in the UI and reports (defaults to the env id plus its non-default parameters). */
  label: z.string().min(1).max(200).optional(),
  /**
   * This task's own training settings (learning rate, batch, train frequency, gradient steps, target update,
   * γ, ε schedule, learning starts): its env's preset (src/dqn/presets.ts) with these fields changed; `{}` =
   * the preset as is. Absent: the sequence's shared `dqn` settings. docs/SEQUENCES.md.
   */
  dqn: taskDqnOverridesSchema.optional(),
});

export const sequenceSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  description: z.string().max(2000).optional(),
  tasks: z.array(sequenceTaskSchema).min(1, 'a sequence needs at least one task').max(100),
  /** How many times the whole list is trained in order (default 1). */
  repeats: z.number().int().min(1).max(100).default(1),
  /** DQN overrides that suit this sequence (CLI/UI overrides still win). */
  dqn: dqnConfigOverridesSchema.optional(),
  /** Strategy knobs that suit this sequence, per strategy name (e.g. `{ "ewc": { "lambda": 1000 } }`). */
  strategies: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

export type SequenceTaskSpec = z.infer<typeof sequenceTaskSchema>;
export type SequenceSpec = z.input<typeof sequenceSchema>;
