/**
 * The resolved run: what a run IS, stated once by the engine in its `run-start` event (`run` field) and
 * recorded as is in the session. Every view derives from it — the task buttons, the R matrix's columns,
 * the playback's settings — so no view re-derives task identity from what the user typed.
 *
 *   tasks     the DISTINCT tasks (one Q-head, one R column each), in sequence order, with the engine's
 *             resolved parameters (defaults filled in) and the label shown everywhere
 *   stages    the planned schedule: which task each stage trains, for how many env steps (manual switches
 *             insert stages later; they arrive as task-start events with source 'manual')
 *   strategy  the strategy's name and its knobs (λ, …) at the start
 *   seed, backend, sequence name
 *
 * Optional in run-start (session format 1 allows added optional fields): sessions recorded before it existed
 * have no `run`; readers then take tasks from task-start events. This file imports no Node or tfjs module.
 */
import { z } from 'zod';

const taskIndex = z.number().int().min(0).max(10_000);
/** Same shape as events.ts `envParamsSchema` (not imported: events.ts imports this file). */
const envParamsSchema = z.record(z.string().max(64), z.number());

export const resolvedTaskSchema = z.object({
  index: taskIndex,
  envId: z.string().min(1).max(100),
  label: z.string().max(200),
  /** Every parameter, defaults filled in (what the env was built with). */
  params: envParamsSchema,
  /** Only the parameters the sequence set (what a label or an editor shows). */
  givenParams: envParamsSchema,
});
export type ResolvedTask = z.infer<typeof resolvedTaskSchema>;

export const resolvedRunSchema = z.object({
  sequence: z.string().max(200),
  tasks: z.array(resolvedTaskSchema).min(1).max(10_000),
  stages: z
    .array(z.object({ task: taskIndex, steps: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }))
    .max(1_000_000),
  strategy: z.object({
    name: z.string().min(1).max(100),
    /** The strategy's knobs (λ, rehearsal share, …) as the engine resolved them. */
    params: z.record(z.string().max(64), z.unknown()),
  }),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** tfjs backend name (the full choice is run-start's `backend`). */
  backend: z.string().max(32),
});
export type ResolvedRun = z.infer<typeof resolvedRunSchema>;
