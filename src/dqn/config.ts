/**
 * DQN hyperparameters: one typed, documented config object with defaults (CleanRL style) and the zod schema
 * that validates user-provided (partial) configs.
 *
 * Field names and semantics follow Stable-Baselines3's DQN (`learning_starts`, `train_freq`, `gradient_steps`,
 * `target_update_interval`, `exploration_*`), so rl-baselines3-zoo presets carry over one to one.
 * Defaults are SB3's DQN defaults except where noted (Double DQN on, network size).
 */
import { z } from 'zod';

export const ACTIVATIONS = ['relu', 'leakyRelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const LEARNING_RATE_SCHEDULES = ['constant', 'linear'] as const;
export type LearningRateSchedule = (typeof LEARNING_RATE_SCHEDULES)[number];

export interface DqnConfig {
  /** Hidden layer widths of the shared MLP trunk. Default [256, 256] (rl-baselines3-zoo's tuned DQN). */
  hiddenSizes: number[];
  /** Trunk activation: 'relu' or 'leakyRelu' (slope `leakyReluAlpha`; continual runs use it). Default 'relu'. */
  activation: Activation;
  /** Negative slope of LeakyReLU (Continual World uses 0.2). Default 0.2. */
  leakyReluAlpha: number;
  /** Adam learning rate. Default 1e-4 (SB3). */
  learningRate: number;
  /**
   * 'constant' (SB3's default) or 'linear': lr · (1 − progress), falling to 0 at the end of training (SB3's
   * `linear_schedule`, the zoo's `lin_<lr>`); in a sequence, progress runs over each stage. Default 'constant'.
   */
  learningRateSchedule: LearningRateSchedule;
  /** Adam epsilon (PyTorch's default, used by SB3). Default 1e-8. */
  adamEpsilon: number;
  /** Adam β1. Default 0.9. */
  adamBeta1: number;
  /** Adam β2. Default 0.999. */
  adamBeta2: number;
  /** Replay buffer capacity in transitions. Default 1,000,000 (SB3). */
  bufferSize: number;
  /** Env steps of uniformly random actions before learning starts. Default 100 (SB3). */
  learningStarts: number;
  /** Minibatch size of one gradient step. Default 32 (SB3). */
  batchSize: number;
  /** Soft target update coefficient; 1 = hard copy (SB3 default 1.0). */
  tau: number;
  /** Discount factor γ. Default 0.99. */
  gamma: number;
  /** Train every `trainFreq` env steps. Default 4 (SB3). */
  trainFreq: number;
  /** Gradient steps per training round; −1 = as many as env steps collected in the round. Default 1 (SB3). */
  gradientSteps: number;
  /** Target network update every this many env steps (SB3 counts env steps, not updates). Default 10,000. */
  targetUpdateInterval: number;
  /** Fraction of `totalSteps` over which ε decays linearly. Default 0.1 (SB3). */
  explorationFraction: number;
  /** Initial ε. Default 1.0. */
  explorationInitialEps: number;
  /** Final ε. Default 0.05 (SB3). */
  explorationFinalEps: number;
  /** Global gradient-norm clip (PyTorch `clip_grad_norm_`); 0 disables. Default 10 (SB3). */
  maxGradNorm: number;
  /** Huber loss threshold δ (SB3 uses smooth L1, δ = 1). Default 1. */
  huberDelta: number;
  /** Double DQN target: argmax by the online net, value by the target net. Default true (SB3: false). */
  doubleDqn: boolean;
  /** Total env steps of a single-task run (`cli train`). Default 100,000. */
  totalSteps: number;
  /** Greedy evaluation episodes after training. Default 20. */
  evalEpisodes: number;
}

export const DEFAULT_DQN_CONFIG: Readonly<DqnConfig> = Object.freeze({
  hiddenSizes: [256, 256],
  activation: 'relu',
  leakyReluAlpha: 0.2,
  learningRate: 1e-4,
  learningRateSchedule: 'constant',
  adamEpsilon: 1e-8,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  bufferSize: 1_000_000,
  learningStarts: 100,
  batchSize: 32,
  tau: 1.0,
  gamma: 0.99,
  trainFreq: 4,
  gradientSteps: 1,
  targetUpdateInterval: 10_000,
  explorationFraction: 0.1,
  explorationInitialEps: 1.0,
  explorationFinalEps: 0.05,
  maxGradNorm: 10,
  huberDelta: 1,
  doubleDqn: true,
  totalSteps: 100_000,
  evalEpisodes: 20,
}) as Readonly<DqnConfig>;

const positiveInt = z.number().int().positive();
const probability = z.number().min(0).max(1);

/** Strict schema of a complete config; unknown keys are rejected (a typo must not be silently ignored). */
export const dqnConfigSchema = z
  .object({
    hiddenSizes: z.array(z.number().int().min(1).max(4096)).min(1).max(8),
    activation: z.enum(ACTIVATIONS),
    leakyReluAlpha: z.number().min(0).max(1),
    learningRate: z.number().positive().max(1),
    learningRateSchedule: z.enum(LEARNING_RATE_SCHEDULES),
    adamEpsilon: z.number().positive().max(1),
    adamBeta1: z.number().min(0).lt(1),
    adamBeta2: z.number().min(0).lt(1),
    bufferSize: positiveInt.max(50_000_000),
    learningStarts: z.number().int().min(0),
    batchSize: positiveInt.max(65_536),
    tau: z.number().gt(0).max(1),
    gamma: probability,
    trainFreq: positiveInt,
    gradientSteps: z
      .number()
      .int()
      .refine((v) => v === -1 || v >= 1, 'must be −1 (as many as env steps collected) or a positive integer'),
    targetUpdateInterval: positiveInt,
    explorationFraction: probability,
    explorationInitialEps: probability,
    explorationFinalEps: probability,
    maxGradNorm: z.number().min(0),
    huberDelta: z.number().positive(),
    doubleDqn: z.boolean(),
    totalSteps: positiveInt,
    evalEpisodes: positiveInt.max(10_000),
  })
  .strict();

/** Schema of user overrides: any subset of the fields. */
export const dqnConfigOverridesSchema = dqnConfigSchema.partial().strict();
export type DqnConfigOverrides = z.infer<typeof dqnConfigOverridesSchema>;

/**
 * The settings a task of a sequence may carry for itself (its stage trains with them); everything else
 * (network, Adam's β/ε, replay capacity, clipping, Huber δ, Double DQN) is shared by the run. docs/SEQUENCES.md.
 */
export const TASK_DQN_KEYS = [
  'learningRate',
  'learningRateSchedule',
  'batchSize',
  'trainFreq',
  'gradientSteps',
  'targetUpdateInterval',
  'tau',
  'gamma',
  'explorationFraction',
  'explorationInitialEps',
  'explorationFinalEps',
  'learningStarts',
] as const satisfies readonly (keyof DqnConfig)[];
export type TaskDqnKey = (typeof TASK_DQN_KEYS)[number];
export type TaskDqnSettings = Pick<DqnConfig, TaskDqnKey>;

/** Schema of one task's settings overrides (any subset of TASK_DQN_KEYS; other keys are rejected). */
export const taskDqnOverridesSchema = dqnConfigSchema
  .pick(Object.fromEntries(TASK_DQN_KEYS.map((k) => [k, true])) as { [K in TaskDqnKey]: true })
  .partial()
  .strict();
export type TaskDqnOverrides = z.infer<typeof taskDqnOverridesSchema>;

/** The per-task fields of a config (or of a partial config: only the fields it has). */
export function pickTaskDqn(config: Partial<DqnConfig>): Partial<TaskDqnSettings> {
  const out: Partial<Record<TaskDqnKey, unknown>> = {};
  for (const k of TASK_DQN_KEYS) if (config[k] !== undefined) out[k] = config[k];
  return out as Partial<TaskDqnSettings>;
}

/** One line for logs and the CLI: "lr 2.3e-3 · batch 64 · 128 updates every 256 steps · target every 10 (τ 1) · …". */
export function describeTaskDqn(t: TaskDqnSettings): string {
  const updates = t.gradientSteps === -1 ? `${t.trainFreq}` : `${t.gradientSteps}`;
  return [
    `lr ${t.learningRate}${t.learningRateSchedule === 'linear' ? ' → 0 (linear)' : ''}`,
    `batch ${t.batchSize}`,
    `${updates} update${updates === '1' ? '' : 's'} every ${t.trainFreq} step${t.trainFreq === 1 ? '' : 's'}`,
    `target every ${t.targetUpdateInterval}${t.tau < 1 ? ` (τ ${t.tau})` : ''}`,
    `γ ${t.gamma}`,
    `ε ${t.explorationInitialEps} → ${t.explorationFinalEps} over ${Math.round(t.explorationFraction * 100)}%`,
    `learning starts ${t.learningStarts}`,
  ].join(' · ');
}

/** Learning rate at `progress` ∈ [0, 1] of training under the config's schedule. */
export function scheduledLearningRate(
  settings: Pick<DqnConfig, 'learningRate' | 'learningRateSchedule'>,
  progress: number,
): number {
  if (settings.learningRateSchedule === 'constant') return settings.learningRate;
  return settings.learningRate * Math.max(0, 1 - Math.min(1, Math.max(0, progress)));
}

/** Human-readable zod issues: "learningRate: Too big: expected number to be <=1". */
export function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/**
 * Merge validated overrides onto a base config and validate the result.
 * Throws an Error naming every bad field.
 */
export function resolveDqnConfig(base: Readonly<DqnConfig>, overrides: unknown = {}): DqnConfig {
  const parsed = dqnConfigOverridesSchema.safeParse(overrides);
  if (!parsed.success) throw new Error(`Invalid DQN config: ${formatZodIssues(parsed.error)}`);
  const merged = { ...base, ...parsed.data, hiddenSizes: [...(parsed.data.hiddenSizes ?? base.hiddenSizes)] };
  const full = dqnConfigSchema.safeParse(merged);
  if (!full.success) throw new Error(`Invalid DQN config: ${formatZodIssues(full.error)}`);
  return full.data;
}

/** The config as rows `[name, value]` for the table printed at the start of a run. */
export function configRows(config: DqnConfig): [string, string][] {
  return Object.entries(config).map(([k, v]) => [k, Array.isArray(v) ? v.join('×') : String(v)]);
}
