/**
 * Turns per-task evaluation histories into uPlot's aligned columns (pure): one x column (the union of
 * evaluation steps, ascending) and one y column per task with null where that task was not evaluated.
 * `alignWithTraining` adds, per task, a column of its ε-greedy training return (moving average).
 */
import type { EvalPoint, TrainPoint } from '../state/run-view';

export type EvalMetric = 'normalized' | 'mean';

export interface AlignedSeries {
  xs: number[];
  ys: (number | null)[][];
}

export function alignEvalSeries(
  evals: readonly (readonly EvalPoint[])[],
  metric: EvalMetric,
  taskCount = evals.length,
): AlignedSeries {
  const steps = new Set<number>();
  for (const list of evals) for (const p of list) steps.add(p.step);
  const xs = [...steps].sort((a, b) => a - b);
  const index = new Map<number, number>();
  xs.forEach((x, i) => index.set(x, i));
  const ys: (number | null)[][] = [];
  for (let t = 0; t < taskCount; t++) {
    const col: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const p of evals[t] ?? []) {
      const v = metric === 'normalized' ? p.normalized : p.mean;
      col[index.get(p.step)!] = Number.isFinite(v) ? v : null;
    }
    ys.push(col);
  }
  return { xs, ys };
}

/**
 * Evaluation columns followed by one training-return column per task, on the union of both step sets.
 * In the 'normalized' metric a training return is mapped with the task's own normalization, read off its
 * evaluations (normalized = (mean − random) / (threshold − random) is linear in the mean): the latest two
 * evaluations with different means give the map; until they exist the task's training column stays empty.
 */
export function alignWithTraining(
  evals: readonly (readonly EvalPoint[])[],
  training: readonly (readonly TrainPoint[])[],
  metric: EvalMetric,
  taskCount = evals.length,
): AlignedSeries {
  const steps = new Set<number>();
  for (const list of evals) for (const p of list) steps.add(p.step);
  for (const list of training) for (const p of list) steps.add(p.step);
  const xs = [...steps].sort((a, b) => a - b);
  const index = new Map<number, number>();
  xs.forEach((x, i) => index.set(x, i));
  const column = () => new Array<number | null>(xs.length).fill(null);
  const ys: (number | null)[][] = [];
  for (let t = 0; t < taskCount; t++) {
    const col = column();
    for (const p of evals[t] ?? []) {
      const v = metric === 'normalized' ? p.normalized : p.mean;
      col[index.get(p.step)!] = Number.isFinite(v) ? v : null;
    }
    ys.push(col);
  }
  for (let t = 0; t < taskCount; t++) {
    const col = column();
    const map = metric === 'normalized' ? normalizationOf(evals[t] ?? []) : (x: number) => x;
    if (map) {
      for (const p of training[t] ?? []) {
        const v = map(p.avgReturn);
        col[index.get(p.step)!] = Number.isFinite(v) ? v : null;
      }
    }
    ys.push(col);
  }
  return { xs, ys };
}

/** mean → normalized from the latest two evaluations with different means (null when there are none). */
export function normalizationOf(points: readonly EvalPoint[]): ((mean: number) => number) | null {
  const last = points[points.length - 1];
  if (!last) return null;
  for (let i = points.length - 2; i >= 0; i--) {
    const p = points[i]!;
    if (p.mean !== last.mean) {
      const slope = (last.normalized - p.normalized) / (last.mean - p.mean);
      return (mean) => last.normalized + slope * (mean - last.mean);
    }
  }
  return null;
}
