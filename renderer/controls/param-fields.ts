/**
 * Validation of the sequence editor's text fields (pure, zod): an environment parameter typed by the user is
 * checked against its ParamSpec (number, range, integer) and a task label against length rules. Errors are
 * one sentence naming the field, the bad value and what is valid, shown inline next to the field.
 */
import { z } from 'zod';
import type { ParamSpec } from '../../envs/types';

export type FieldResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** zod schema for one parameter's text field: a finite number in [min, max], integer when the spec says so. */
export function paramFieldSchema(spec: ParamSpec): z.ZodType<number, string> {
  const range = `between ${spec.min} and ${spec.max}`;
  return z
    .string()
    .trim()
    .min(1, `${spec.name} is required (${range})`)
    .transform((s, ctx) => {
      const n = Number(s);
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: 'custom', message: `${spec.name} must be a number ${range}, got "${s}"` });
        return z.NEVER;
      }
      return n;
    })
    .pipe(
      z
        .number()
        .refine((n) => n >= spec.min && n <= spec.max, {
          error: (iss) => `${spec.name} must be ${range}, got ${String(iss.input)}`,
        })
        .refine((n) => !spec.integer || Number.isInteger(n), {
          error: (iss) => `${spec.name} must be a whole number ${range}, got ${String(iss.input)}`,
        }),
    );
}

/** Validates one parameter field's raw text. */
export function validateParamField(spec: ParamSpec, raw: string): FieldResult<number> {
  const r = paramFieldSchema(spec).safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: r.error.issues[0]?.message ?? `${spec.name} is invalid` };
}

/** A task label: 1–60 printable characters. */
export const taskLabelSchema = z
  .string()
  .trim()
  .min(1, 'label is required')
  .max(60, 'label must be at most 60 characters')
  .refine((s) => !/\p{Cc}/u.test(s), 'label must not contain control characters');

export function validateLabel(raw: string): FieldResult<string> {
  const r = taskLabelSchema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: r.error.issues[0]?.message ?? 'label is invalid' };
}

/** Steps budget of a task: a whole number from 1,000 to 10,000,000. */
export const taskStepsSchema = z
  .string()
  .trim()
  .min(1, 'steps is required')
  .transform((s, ctx) => {
    const n = Number(s.replace(/[_,\s]/g, ''));
    if (!Number.isInteger(n) || n < 1000 || n > 10_000_000) {
      ctx.addIssue({
        code: 'custom',
        message: `steps must be a whole number from 1,000 to 10,000,000, got "${s}"`,
      });
      return z.NEVER;
    }
    return n;
  });

export function validateSteps(raw: string): FieldResult<number> {
  const r = taskStepsSchema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: r.error.issues[0]?.message ?? 'steps is invalid' };
}

/**
 * Validates every parameter of a task at once. Returns the values (only the fields present) or a map of
 * field name → error message.
 */
export function validateParams(
  specs: readonly ParamSpec[],
  raw: Readonly<Record<string, string>>,
): FieldResult<Record<string, number>> & { errors?: Record<string, string> } {
  const values: Record<string, number> = {};
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    const text = raw[spec.name];
    if (text === undefined) continue;
    const r = validateParamField(spec, text);
    if (r.ok) values[spec.name] = r.value;
    else errors[spec.name] = r.error;
  }
  const first = Object.values(errors)[0];
  if (first !== undefined) return { ok: false, error: first, errors };
  return { ok: true, value: values };
}

/** The run's seed: a whole number from 0 to 2^31 − 1 (what the start command accepts). */
export const seedFieldSchema = z
  .string()
  .trim()
  .min(1, 'seed is required (a whole number from 0 to 2147483647)')
  .transform((s, ctx) => {
    const n = Number(s);
    if (!/^[+-]?\d+$/.test(s) || !Number.isSafeInteger(n) || n < 0 || n > 2 ** 31 - 1) {
      ctx.addIssue({
        code: 'custom',
        message: `seed must be a whole number from 0 to 2147483647, got "${s}"`,
      });
      return z.NEVER;
    }
    return n;
  });

export function validateSeed(raw: string): FieldResult<number> {
  const r = seedFieldSchema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: r.error.issues[0]?.message ?? 'seed is invalid' };
}
