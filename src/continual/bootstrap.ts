/**
 * Seeded percentile bootstrap of the mean (Continual World reports 90% bootstrap intervals over seeds).
 * Resamples the values with replacement `resamples` times and returns the (1−level)/2 and (1+level)/2
 * quantiles of the resampled means. Deterministic for a given seed (envs/rng.ts).
 */
import { Rng } from '../../envs/rng';

export interface BootstrapInterval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

export interface BootstrapOptions {
  /** Confidence level in (0, 1); default 0.9. */
  level?: number;
  /** Number of resamples; default 10,000. */
  resamples?: number;
  /** Seed of the resampling generator; default 0. */
  seed?: number;
}

export function bootstrapMean(
  values: readonly number[],
  options: BootstrapOptions = {},
): BootstrapInterval | null {
  const level = options.level ?? 0.9;
  const resamples = options.resamples ?? 10_000;
  if (!(level > 0 && level < 1)) throw new Error(`bootstrapMean: level must be in (0, 1), got ${level}`);
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new Error(`bootstrapMean: resamples must be a positive integer, got ${resamples}`);
  }
  const n = values.length;
  if (n === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  const center = sum / n;
  if (n === 1) return { mean: center, low: center, high: center, n };
  const rng = new Rng(options.seed ?? 0);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.integer(n)]!;
    means[r] = s / n;
  }
  means.sort();
  return { mean: center, low: quantile(means, (1 - level) / 2), high: quantile(means, (1 + level) / 2), n };
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
