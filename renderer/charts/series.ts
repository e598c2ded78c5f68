/**
 * Turns per-task evaluation histories into uPlot's aligned columns (pure): one x column (the union of
 * evaluation steps, ascending) and one y column per task with null where that task was not evaluated.
 */
import type { EvalPoint } from '../state/run-view';

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
