/**
 * How a strategy is declared for the registry: a name, a one-line description, a zod schema of its knobs
 * (with defaults) and a factory. `setParamChecked` is the shared run-time knob setter: it re-validates the
 * whole option object with the schema, so a bad value is rejected with the same message as at start-up.
 */
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { TaskDef } from '../sequence';
import { unknownParam, type Strategy, type StrategyParamValue } from '../strategy';

/** What a strategy factory gets besides its options. */
export interface StrategySetup {
  variables: readonly tf.Variable[];
  tasks: readonly TaskDef[];
  batchSize: number;
  observationSize: number;
}

/**
 * What a strategy is, for composition (compose.ts): a run combines at most one of each of `regularizer`
 * (a loss term), `rehearsal` (batch rows from past tasks) and `isolation` (gradient/weight masks);
 * `standalone` strategies (finetune, multitask) are not combined with anything.
 */
export type StrategyKind = 'standalone' | 'regularizer' | 'rehearsal' | 'isolation';

export interface StrategyDefinition {
  name: string;
  description: string;
  kind: StrategyKind;
  /** Option names the strategy accepts (a composition routes each option to the part that has it). */
  optionKeys: readonly string[];
  /** Validates raw options and fills defaults; the output is what `create` receives. */
  schema: z.ZodType<Record<string, unknown>>;
  /** Knobs that may change while the run is going (e.g. `lambda`). */
  runtimeParams: readonly string[];
  /** Optional check of the raw options before the schema (for invalid combinations, with the fix). */
  check?(raw: unknown): void;
  create(options: Record<string, unknown>, setup: StrategySetup): Strategy;
}

/** Typed helper so each file keeps its option type. */
export function defineStrategy<S extends z.ZodType<Record<string, unknown>>>(def: {
  name: string;
  description: string;
  kind: StrategyKind;
  optionKeys: readonly string[];
  schema: S;
  runtimeParams: readonly string[];
  check?(raw: unknown): void;
  create(options: z.output<S>, setup: StrategySetup): Strategy;
}): StrategyDefinition {
  return def as unknown as StrategyDefinition;
}

/** Parse options with a clear error naming the strategy and each bad field. */
export function parseOptions<S extends z.ZodType>(strategy: string, schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(options)'}: ${i.message}`,
    );
    throw new Error(`Invalid options for strategy "${strategy}": ${detail.join('; ')}`);
  }
  return parsed.data;
}

/** Validate a run-time change of one knob; returns the new full options. */
export function setParamChecked<T extends Record<string, unknown>>(
  strategy: string,
  schema: z.ZodType<T>,
  runtime: readonly string[],
  current: T,
  name: string,
  value: StrategyParamValue,
): T {
  if (!runtime.includes(name)) {
    if (name in current)
      throw new Error(`Strategy "${strategy}": ${name} cannot change during a run (start a new run)`);
    unknownParam(strategy, name, runtime);
  }
  return parseOptions(strategy, schema, { ...current, [name]: value });
}

/** Options as display/recording values. */
export function paramsOf(options: Record<string, unknown>): Record<string, StrategyParamValue> {
  const out: Record<string, StrategyParamValue> = {};
  for (const [k, v] of Object.entries(options)) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}
