/**
 * RunConfig: everything that defines a continual run, validated with zod (CLI flags, IPC messages and
 * recorded sessions all go through `resolveRunConfig`). The resolved form (sequence inlined, DQN and
 * strategy options with every default filled in) is what `run-start` records, so a resume never depends
 * on files or defaults that might have changed.
 *
 * Precedence: DQN_DEFAULTS < the sequence's `dqn` < `config.dqn`; strategy defaults < the sequence's
 * `strategies[name]` < `config.strategyOptions`.
 *
 * Per-task settings (TASK_DQN_KEYS: lr, batch, train frequency, gradient steps, target update, γ, ε schedule,
 * learning starts): a task without its own `dqn` uses the run's; a task with one uses its env's preset <
 * its `dqn` < the fields `config.dqn` names explicitly (a CLI/UI override wins everywhere) < `config.taskDqn[i]`
 * (what a session recorded, so a resume trains each task exactly as before).
 */
import { z } from 'zod';
import {
  DEFAULT_DQN_CONFIG,
  dqnConfigOverridesSchema,
  pickTaskDqn,
  resolveDqnConfig,
  taskDqnOverridesSchema,
  type DqnConfig,
  type DqnConfigOverrides,
  type TaskDqnSettings,
} from '../dqn/config';
import { getPreset } from '../dqn/presets';
import { loadSequence, resolveSequence, sequenceSchema, type ResolvedSequence } from './sequence';
import { resolveStrategyOptions, strategyName } from './strategies';

export const runConfigSchema = z.strictObject({
  /** A built-in sequence name, a JSON file path, or an inline sequence. */
  sequence: z.union([z.string().min(1).max(4096), sequenceSchema]),
  /** Strategy registry name (see `strategyNames()`). */
  strategy: z.string().min(1).max(100).default('finetune'),
  /** Strategy knobs (validated by the strategy's own schema). */
  strategyOptions: z.record(z.string(), z.unknown()).default({}),
  /** Seed of the run's single Rng (weights, exploration, env resets, replay sampling). */
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  /** DQN overrides on top of the sequence's. */
  dqn: dqnConfigOverridesSchema.default({}),
  /** Per-task settings, by task index, that win over everything (sessions record the resolved ones here). */
  taskDqn: z.array(taskDqnOverridesSchema).max(100).optional(),
  /** Greedy-evaluate every task every this many env steps (plus at every stage end). */
  evalEvery: z.number().int().min(1).max(100_000_000).default(2000),
  /** Episodes per task per evaluation (gridworlds with randomStart use one episode per start cell instead). */
  evalEpisodes: z.number().int().min(1).max(1000).default(10),
  /** Eval episodes per task per round recorded as `eval-episode` events (seed + actions). */
  recordEvalEpisodes: z.number().int().min(0).max(1000).default(1),
  /** Emit an `episode` event for every training episode. */
  episodeEvents: z.boolean().default(true),
});

export type RunConfigInput = z.input<typeof runConfigSchema>;

export interface ResolvedRunConfig {
  sequence: ResolvedSequence;
  strategy: string;
  strategyOptions: Record<string, unknown>;
  seed: number;
  dqn: DqnConfig;
  /** The settings each task's stages train with (one entry per task of `sequence.tasks`). */
  taskDqn: TaskDqnSettings[];
  evalEvery: number;
  evalEpisodes: number;
  recordEvalEpisodes: number;
  episodeEvents: boolean;
  /** The JSON recorded in `run-start.config` (sequence inlined; resolving it again gives the same run). */
  record: Record<string, unknown>;
}

/** Validate and resolve; throws an Error naming the offending field. */
export function resolveRunConfig(raw: unknown): ResolvedRunConfig {
  const parsed = runConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`,
    );
    throw new Error(`Invalid run config: ${detail.join('; ')}`);
  }
  const c = parsed.data;
  const sequence = typeof c.sequence === 'string' ? loadSequence(c.sequence) : resolveSequence(c.sequence);
  const dqn = resolveDqnConfig(resolveDqnConfig(DEFAULT_DQN_CONFIG, sequence.dqn), c.dqn);
  if (c.taskDqn && c.taskDqn.length !== sequence.tasks.length) {
    throw new Error(
      `Invalid run config: taskDqn: has ${c.taskDqn.length} entries, the sequence has ${sequence.tasks.length} tasks`,
    );
  }
  const taskDqn = sequence.tasks.map((task, i) =>
    resolveTaskDqn(dqn, task.envId, task.dqn, c.dqn, c.taskDqn?.[i], `tasks.${i} (${task.label})`),
  );
  const strategy = strategyName(c.strategy);
  const strategyOptions = resolveStrategyOptions(strategy, {
    ...sequenceStrategyOptions(sequence.strategies, strategy),
    ...c.strategyOptions,
  });
  const record = {
    sequence: { ...sequence.spec, name: sequence.name },
    strategy,
    strategyOptions,
    seed: c.seed,
    dqn: {},
    taskDqn: taskDqn.map((t) => ({ ...t })),
    evalEvery: c.evalEvery,
    evalEpisodes: c.evalEpisodes,
    recordEvalEpisodes: c.recordEvalEpisodes,
    episodeEvents: c.episodeEvents,
  };
  // Record the full DQN config as overrides so the replayed config ignores future default changes.
  record.dqn = { ...dqn };
  return {
    sequence,
    strategy,
    strategyOptions,
    seed: c.seed,
    dqn,
    taskDqn,
    evalEvery: c.evalEvery,
    evalEpisodes: c.evalEpisodes,
    recordEvalEpisodes: c.recordEvalEpisodes,
    episodeEvents: c.episodeEvents,
    record,
  };
}

/** One task's settings (precedence in the header comment); validated as a whole DqnConfig. */
export function resolveTaskDqn(
  run: DqnConfig,
  envId: string,
  own: Partial<TaskDqnSettings> | null,
  explicit: DqnConfigOverrides,
  recorded: Partial<TaskDqnSettings> | undefined,
  where: string,
): TaskDqnSettings {
  const layers: Partial<TaskDqnSettings>[] = [];
  if (own) layers.push(pickTaskDqn(getPreset(envId).config), own, pickTaskDqn(explicit));
  if (recorded) layers.push(recorded);
  let config: DqnConfig;
  try {
    config = resolveDqnConfig(run, Object.assign({}, ...layers));
  } catch (error) {
    throw new Error(`Invalid run config: ${where}: ${(error as Error).message}`, { cause: error });
  }
  return pickTaskDqn(config) as TaskDqnSettings;
}

/** A sequence's options for `strategy` (its keys may use any spelling: `ewc-replay` counts for `ewc+rehearsal`). */
function sequenceStrategyOptions(
  byName: Record<string, Record<string, unknown>>,
  strategy: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, options] of Object.entries(byName)) {
    let same = name === strategy;
    try {
      same ||= strategyName(name) === strategy;
    } catch {
      // a key that is no strategy name: a sequence may carry options for strategies a build does not have
    }
    if (same) Object.assign(out, options);
  }
  return out;
}
