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

/** A flag holding a finite number ≥ 0 (e.g. λ). */
export const numberFlag = (flag: string) =>
  z
    .string()
    .transform(Number)
    .refine((n) => Number.isFinite(n) && n >= 0, `${flag} must be a number ≥ 0`);
