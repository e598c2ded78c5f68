/**
 * RunEvent: the events a continual run emits (ContinualRunner → RunObserver), recorded one per line in a
 * session's `events.ndjson` and forwarded to the UI by the trainer process.
 *
 * Every event has `type` (the discriminant), `step` (global env step when it happened) and `t` (ms since the
 * run started; a resumed run continues from the checkpoint's `t` plus its own elapsed time). Schemas are zod v4 and
 * are the single source of truth: the recorder, the reader, the protocol and the UI all validate with them.
 *
 * Stability: this is session format version 1 (docs/SESSION_FORMAT.md). Fields may be ADDED as optional;
 * existing fields never change meaning. Unknown keys in a recorded event are stripped on read, so newer
 * writers stay readable by older readers. This file imports no Node or tfjs module (the renderer uses it).
 */
import { z } from 'zod';
import { resolvedRunSchema } from './resolved-run';

/** Largest integer we accept for counters (steps, episodes, seeds). */
const MAX_COUNTER = Number.MAX_SAFE_INTEGER;

const counter = z.number().int().min(0).max(MAX_COUNTER);
/** A task index into the run's sequence. */
const taskIndex = z.number().int().min(0).max(10_000);
/** Finite number (zod v4 `z.number()` already rejects NaN and ±Infinity). */
const finite = z.number();

/**
 * A path relative to the session folder (e.g. `checkpoints/step-000012000`). Rejects absolute paths,
 * drive letters, backslashes, NUL bytes and `..` segments so a hostile session cannot point outside itself.
 * The reader additionally resolves the path and checks it stays inside the session.
 */
export const sessionRelativePathSchema = z
  .string()
  .min(1)
  .max(256)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p), 'must be a relative path')
  .refine((p) => !p.includes('\\') && !p.includes('\0'), 'must not contain backslashes or NUL bytes')
  .refine(
    (p) => p.split('/').every((seg) => seg !== '..' && seg !== ''),
    'must not contain ".." or empty segments',
  );

/** Environment parameters (name → value), as accepted by `makeEnv(id, params)`. */
export const envParamsSchema = z.record(z.string().max(64), finite);
export type EnvParams = z.infer<typeof envParamsSchema>;

/** What `initBackend()` chose and why (mirrors BackendChoice in src/tf/backend.ts without importing tfjs). */
export const backendChoiceSchema = z.object({
  backend: z.string().max(32),
  forced: z.boolean(),
  skipped: z.array(z.object({ backend: z.string().max(32), reason: z.string().max(2000) })).max(16),
  details: z.record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean()])),
  tfjsVersion: z.string().max(64),
});
export type RecordedBackendChoice = z.infer<typeof backendChoiceSchema>;

/** A named thing with optional extra fields (a sequence or a strategy): `"ewc"` or `{ name: "ewc", … }`. */
export const namedSchema = z.union([
  z.string().min(1).max(200),
  z.looseObject({ name: z.string().min(1).max(200) }),
]);
export type Named = z.infer<typeof namedSchema>;

/** The name of a `Named` value. */
export function nameOf(value: Named): string {
  return typeof value === 'string' ? value : value.name;
}

const base = { step: counter, t: z.number().min(0) };

export const runStartEventSchema = z.object({
  type: z.literal('run-start'),
  ...base,
  /** The full resolved RunConfig (validated by the continual engine when it is used for a resume). */
  config: z.record(z.string(), z.unknown()),
  sequence: namedSchema,
  strategy: namedSchema,
  seed: counter,
  backend: backendChoiceSchema,
  /** The resolved run (tasks, stage schedule, strategy and knobs, seed, backend): src/session/resolved-run.ts. */
  run: resolvedRunSchema.optional(),
});

export const taskStartEventSchema = z.object({
  type: z.literal('task-start'),
  ...base,
  task: taskIndex,
  label: z.string().max(200),
  envId: z.string().min(1).max(100),
  params: envParamsSchema,
  source: z.enum(['scheduled', 'manual']),
  /** The task trained before this one (absent for the first task). A task switch = task-start with `from`. */
  from: taskIndex.optional(),
});

export const episodeEventSchema = z.object({
  type: z.literal('episode'),
  ...base,
  task: taskIndex,
  /** Episode index within the task (0-based). */
  episode: counter,
  return: finite,
  length: counter,
});

export const evalEventSchema = z.object({
  type: z.literal('eval'),
  ...base,
  task: taskIndex,
  /** Mean greedy return over `episodes` episodes. */
  mean: finite,
  /** Score normalized to [random, threshold] → [0, 1] (may fall outside). */
  normalized: finite,
  episodes: counter,
  returns: z.array(finite).max(100_000),
});

export const taskEndEventSchema = z.object({
  type: z.literal('task-end'),
  ...base,
  task: taskIndex,
  /** Row `task` of the R matrix: normalized scores of all tasks after training this one. */
  matrixRow: z.array(finite).max(10_000),
});

export const paramChangeEventSchema = z.object({
  type: z.literal('param-change'),
  ...base,
  /** What changed, e.g. `strategy.lambda` or `env.gravity`. */
  what: z.string().min(1).max(200),
  value: z.unknown(),
  task: taskIndex.optional(),
});

export const markerEventSchema = z.object({
  type: z.literal('marker'),
  ...base,
  label: z.string().max(1000),
});

export const checkpointEventSchema = z.object({
  type: z.literal('checkpoint'),
  ...base,
  /** Checkpoint folder relative to the session folder (see `checkpointDir(step)` in src/session/paths.ts). */
  dir: sessionRelativePathSchema,
});

export const evalEpisodeEventSchema = z.object({
  type: z.literal('eval-episode'),
  ...base,
  task: taskIndex,
  envId: z.string().min(1).max(100),
  params: envParamsSchema,
  /** Seed passed to `env.reset(seed)`. */
  seed: counter,
  /** Every action taken, in order; taking them again from `reset(seed)` reproduces the episode exactly. */
  actions: z.array(z.number().int().min(0).max(1_000)).max(1_000_000),
  return: finite,
  length: counter,
});

export const runEndEventSchema = z.object({
  type: z.literal('run-end'),
  ...base,
  /** Final metrics (ACC, forgetting, BWT, FWT, AUC, matrix, …) as computed by src/continual/metrics.ts. */
  metrics: z.record(z.string(), z.unknown()),
  reason: z.enum(['finished', 'stopped', 'error']),
});

/**
 * Written by the recorder when a run is resumed from a checkpoint: events recorded after that checkpoint
 * (lines `truncatedFrom` … before this marker) are superseded and ignored by readers. The file is never
 * rewritten; this marker is the logical truncation.
 */
export const resumeEventSchema = z.object({
  type: z.literal('resume'),
  ...base,
  /** Checkpoint folder (relative to the session) the run continued from, or null to restart from scratch. */
  checkpoint: sessionRelativePathSchema.nullable(),
  /** 1-based line number in events.ndjson of the first superseded event (0 when none were superseded). */
  truncatedFrom: counter,
  /** Number of superseded lines. */
  truncatedCount: counter,
});

export const runEventSchema = z.discriminatedUnion('type', [
  runStartEventSchema,
  taskStartEventSchema,
  episodeEventSchema,
  evalEventSchema,
  taskEndEventSchema,
  paramChangeEventSchema,
  markerEventSchema,
  checkpointEventSchema,
  evalEpisodeEventSchema,
  runEndEventSchema,
  resumeEventSchema,
]);

export type RunStartEvent = z.infer<typeof runStartEventSchema>;
export type TaskStartEvent = z.infer<typeof taskStartEventSchema>;
export type EpisodeEvent = z.infer<typeof episodeEventSchema>;
export type EvalEvent = z.infer<typeof evalEventSchema>;
export type TaskEndEvent = z.infer<typeof taskEndEventSchema>;
export type ParamChangeEvent = z.infer<typeof paramChangeEventSchema>;
export type MarkerEvent = z.infer<typeof markerEventSchema>;
export type CheckpointEvent = z.infer<typeof checkpointEventSchema>;
export type EvalEpisodeEvent = z.infer<typeof evalEpisodeEventSchema>;
export type RunEndEvent = z.infer<typeof runEndEventSchema>;
export type ResumeEvent = z.infer<typeof resumeEventSchema>;
export type RunEvent = z.infer<typeof runEventSchema>;
export type RunEventType = RunEvent['type'];

/** The event of a given type. */
export type RunEventOf<K extends RunEventType> = Extract<RunEvent, { type: K }>;

/** Anything that wants to hear what a run does (session recorder, trainer-process forwarder, tests). */
export interface RunObserver {
  onEvent(e: RunEvent): void;
}

/** Fan one event stream out to several observers (e.g. recorder + UI forwarder). */
export function combineObservers(...observers: (RunObserver | undefined)[]): RunObserver {
  const list = observers.filter((o): o is RunObserver => o !== undefined);
  return {
    onEvent(e: RunEvent): void {
      for (const o of list) o.onEvent(e);
    },
  };
}
