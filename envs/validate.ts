/**
 * Hand-written validation for environment inputs (hot-path checks, no zod; zod only declares snapshot shapes):
 * parameters against their `ParamSpec` ranges, actions against the action count, and states
 * passed to `setState`. Every error names the environment, the offending value and what is valid.
 */
import type { ParamSpec } from './types';

/** Resolved parameter values, one number per `ParamSpec` (defaults filled in). */
export type ParamValues = Readonly<Record<string, number>>;

/**
 * Checks user-supplied `params` against `specs` and returns every parameter's value (defaults filled in).
 * Throws on a non-object, an unknown key, a non-number, a value out of range or a non-integer
 * value for an integer parameter.
 */
export function resolveParams(envId: string, specs: readonly ParamSpec[], params?: object): ParamValues {
  const out: Record<string, number> = {};
  for (const spec of specs) out[spec.name] = spec.default;
  if (params === undefined || params === null) return out;
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new Error(`${envId}: params must be an object, got ${describe(params)}`);
  }
  const known = specs.map((s) => s.name);
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const spec = specs.find((s) => s.name === key);
    if (!spec) {
      const valid = known.length > 0 ? `valid parameters: ${known.join(', ')}` : 'it takes no parameters';
      throw new Error(`${envId}: unknown parameter '${key}' (${valid})`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`${envId}: parameter '${key}' must be a finite number, got ${describe(value)}`);
    }
    if (value < spec.min || value > spec.max) {
      throw new Error(`${envId}: parameter '${key}' = ${value} is out of range [${spec.min}, ${spec.max}]`);
    }
    if (spec.integer && !Number.isInteger(value)) {
      throw new Error(
        `${envId}: parameter '${key}' must be an integer in [${spec.min}, ${spec.max}], got ${value}`,
      );
    }
    out[key] = value;
  }
  return out;
}

/** Throws unless `action` is an integer in [0, actionCount). Cheap enough for the hot path. */
export function checkAction(envId: string, action: number, actionCount: number): void {
  // One comparison chain covers NaN (all comparisons false), non-integers and out-of-range values.
  if (!(action >= 0 && action < actionCount && (action | 0) === action)) {
    throw new Error(
      `${envId}: invalid action ${describe(action)}; expected an integer in [0, ${actionCount - 1}]`,
    );
  }
}

/** Throws unless `state` is an array of `length` finite numbers; `names` label the components. */
export function checkStateVector(envId: string, state: readonly number[], names: readonly string[]): void {
  if (!Array.isArray(state) && !(ArrayBuffer.isView(state) && !(state instanceof DataView))) {
    throw new Error(`${envId}: setState expects an array [${names.join(', ')}], got ${describe(state)}`);
  }
  if (state.length !== names.length) {
    throw new Error(
      `${envId}: setState expects ${names.length} numbers [${names.join(', ')}], got ${state.length}`,
    );
  }
  for (let i = 0; i < names.length; i++) {
    const v = state[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${envId}: state component '${names[i]}' must be a finite number, got ${describe(v)}`);
    }
  }
}

/** A short printable form of any value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}
