/**
 * The λ slider's log mapping (pure): the slider moves linearly over [0, STEPS], λ moves geometrically over
 * [min, max], so each decade gets the same travel. Slider positions snap to 1–2–5 values per decade when asked.
 */

export interface LogScale {
  /** Smallest λ (> 0). */
  min: number;
  /** Largest λ. */
  max: number;
  /** Slider resolution: positions 0…steps. */
  steps: number;
}

/**
 * EWC's useful range spans 1 (too weak) to 1e5 (frozen); the bottom decades let users see "almost off" and
 * reach L2's default of 0.01 (its importance is 1 everywhere, so its λ sits far lower).
 */
export const DEFAULT_LAMBDA_SCALE: LogScale = { min: 0.001, max: 1e5, steps: 800 };

function check(scale: LogScale): void {
  if (!(scale.min > 0) || !(scale.max > scale.min) || !(scale.steps >= 1)) {
    throw new Error(
      `invalid log scale: min ${scale.min}, max ${scale.max}, steps ${scale.steps} (need 0 < min < max)`,
    );
  }
}

/** Slider position (0…steps) → λ. Positions outside the range are clamped. */
export function positionToLambda(position: number, scale: LogScale = DEFAULT_LAMBDA_SCALE): number {
  check(scale);
  const p = Math.min(scale.steps, Math.max(0, position)) / scale.steps;
  const lo = Math.log10(scale.min);
  const hi = Math.log10(scale.max);
  return 10 ** (lo + p * (hi - lo));
}

/** λ → nearest slider position (0…steps). λ ≤ 0 or below min maps to 0, above max to `steps`. */
export function lambdaToPosition(lambda: number, scale: LogScale = DEFAULT_LAMBDA_SCALE): number {
  check(scale);
  if (!(lambda > scale.min)) return 0;
  if (lambda >= scale.max) return scale.steps;
  const lo = Math.log10(scale.min);
  const hi = Math.log10(scale.max);
  return Math.round(((Math.log10(lambda) - lo) / (hi - lo)) * scale.steps);
}

/** Rounds λ to two significant digits so the value sent to the trainer reads well (e.g. 398.1 → 400). */
export function niceLambda(lambda: number): number {
  if (!(lambda > 0) || !Number.isFinite(lambda)) return lambda;
  return Number(lambda.toPrecision(2));
}
