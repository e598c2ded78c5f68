/**
 * zod schemas for CLI flag values (commander hands them over as strings); each error names the flag.
 */
import { z } from 'zod';

/** A flag holding a JSON object, e.g. `--params '{"gravity":12}'`. */
export const jsonObjectFlag = (flag: string) =>
  z.string().transform((text, ctx) => {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return value as Record<string, unknown>;
      }
      ctx.addIssue({ code: 'custom', message: `${flag} must be a JSON object` });
    } catch {
      ctx.addIssue({ code: 'custom', message: `${flag} is not valid JSON: ${text}` });
    }
    return z.NEVER;
  });

/** A flag holding an integer in [min, 2^32 − 1] (seeds and step counts). */
export const intFlag = (flag: string, min: number) =>
  z
    .string()
    .regex(/^\d+$/u, `${flag} must be a non-negative integer`)
    .transform(Number)
    .refine(
      (n) => Number.isSafeInteger(n) && n >= min && n <= 0xffffffff,
      `${flag} must be an integer from ${min} to 4294967295`,
    );

/** A decimal number as a person types it: `400`, `0.5`, `.5`, `1e3`, `-2` (no blanks, hex or Infinity). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/u;

/** A flag holding a finite number ≥ 0 (e.g. λ). `""`, `" "`, `0x10` and `Infinity` are errors, not 0. */
export const numberFlag = (flag: string) =>
  z
    .string()
    .regex(DECIMAL, `${flag} must be a number ≥ 0`)
    .transform(Number)
    .refine((n) => Number.isFinite(n) && n >= 0, `${flag} must be a number ≥ 0`);
