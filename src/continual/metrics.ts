/**
 * Continual-learning metrics (definitions and sources: docs/METRICS.md).
 *
 * The score matrix R has one ROW per training stage (a stretch of training on one task, in order) and one
 * COLUMN per distinct task: R[s][j] = normalized score of task j at the end of stage s. Without repeats
 * (stage s trains task s) this is exactly GEM's square matrix. A missing entry (a stage cut short before it
 * was evaluated) is `null` and is skipped.
 *
 * Every function is pure and allocation-light; none touches tfjs.
 */

/** Normalized score clip((R − R_random) / (R_threshold − R_random), 0, 1). */
export function normalizeScore(meanReturn: number, randomReturn: number, threshold: number): number {
  const span = threshold - randomReturn;
  if (!(Math.abs(span) > 0))
    throw new Error(`normalizeScore: threshold ${threshold} equals random return ${randomReturn}`);
  const x = (meanReturn - randomReturn) / span;
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** One point of a task's continual-evaluation curve. */
export interface CurvePoint {
  step: number;
  normalized: number;
}

export interface MetricsInput {
  /** R[stage][task], normalized scores (null = not evaluated). */
  matrix: readonly (readonly (number | null)[])[];
  /** The task trained in each stage (same length as `matrix`). */
  stageTasks: readonly number[];
  /** b_j: score of each task under the untrained (random-init) agent, for FWT. */
  baseline?: readonly (number | null)[];
  /** Continual-evaluation curve per task (steps ascending), for AUC. */
  curves?: readonly (readonly CurvePoint[])[];
}

export interface ContinualMetrics {
  /** Mean final score over all tasks (GEM ACC / Continual World "average performance"). */
  acc: number | null;
  /** Continual World forgetting: score at the end of a task's (last) training − final score, averaged. */
  forgetting: number | null;
  /** GEM backward transfer: final score − score at the end of the task's (last) training, averaged. */
  bwt: number | null;
  /** GEM forward transfer: score just before a task's first training − baseline score, averaged. */
  fwt: number | null;
  /** Mean over tasks of the time-average of the normalized evaluation curve (area under it / duration). */
  auc: number | null;
  /** Per-task forgetting (null for the last-trained task and for tasks never trained). */
  forgettingPerTask: (number | null)[];
  /** Final row of R. */
  final: (number | null)[];
  /** R itself, as given. */
  matrix: (number | null)[][];
}

/** All metrics for a (possibly partial) run. Tasks never evaluated are skipped, not counted as zero. */
export function computeMetrics(input: MetricsInput): ContinualMetrics {
  const { matrix, stageTasks } = input;
  if (stageTasks.length !== matrix.length) {
    throw new Error(`computeMetrics: ${matrix.length} matrix rows but ${stageTasks.length} stage tasks`);
  }
  const taskCount = matrix.reduce((n, row) => Math.max(n, row.length), 0);
  const copy = matrix.map((row) => Array.from({ length: taskCount }, (_, j) => row[j] ?? null));
  const last = copy.length - 1;
  const final = last >= 0 ? copy[last]! : Array.from({ length: taskCount }, () => null);
  const lastTask = last >= 0 ? stageTasks[last]! : -1;

  // Stage at which each task's training last ended / first started.
  const lastStage = new Array<number>(taskCount).fill(-1);
  const firstStage = new Array<number>(taskCount).fill(-1);
  stageTasks.forEach((task, s) => {
    if (task < 0 || task >= taskCount)
      throw new Error(`computeMetrics: stage ${s} trains task ${task}, outside R`);
    lastStage[task] = s;
    if (firstStage[task] === -1) firstStage[task] = s;
  });

  const forgettingPerTask: (number | null)[] = [];
  const bwtTerms: number[] = [];
  for (let j = 0; j < taskCount; j++) {
    const s = lastStage[j]!;
    const atEnd = s >= 0 ? copy[s]![j] : null;
    const now = final[j];
    if (j === lastTask || atEnd === null || atEnd === undefined || now === null || now === undefined) {
      forgettingPerTask.push(null);
      continue;
    }
    forgettingPerTask.push(atEnd - now);
    bwtTerms.push(now - atEnd);
  }

  const fwtTerms: number[] = [];
  if (input.baseline) {
    for (let j = 0; j < taskCount; j++) {
      const s = firstStage[j]!;
      const b = input.baseline[j];
      if (s <= 0 || b === null || b === undefined) continue;
      const before = copy[s - 1]![j];
      if (before === null || before === undefined) continue;
      fwtTerms.push(before - b);
    }
  }

  let auc: number | null = null;
  if (input.curves) {
    const areas = input.curves.map(curveAverage).filter((a): a is number => a !== null);
    auc = mean(areas);
  }

  return {
    acc: mean(final.filter((x): x is number => x !== null)),
    forgetting: mean(forgettingPerTask.filter((x): x is number => x !== null)),
    bwt: mean(bwtTerms),
    fwt: mean(fwtTerms),
    auc,
    forgettingPerTask,
    final: [...final],
    matrix: copy,
  };
}

/** Time-average of a piecewise-linear curve (trapezoid rule), or its single value; null when empty. */
export function curveAverage(curve: readonly CurvePoint[]): number | null {
  if (curve.length === 0) return null;
  if (curve.length === 1) return curve[0]!.normalized;
  let area = 0;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1]!;
    const b = curve[i]!;
    area += ((a.normalized + b.normalized) / 2) * (b.step - a.step);
  }
  const span = curve[curve.length - 1]!.step - curve[0]!.step;
  return span > 0 ? area / span : mean(curve.map((p) => p.normalized));
}

/** Arithmetic mean, or null for an empty list. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
