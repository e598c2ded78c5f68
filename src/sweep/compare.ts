/**
 * Comparison of finished runs: mean ± 90% seeded percentile bootstrap CI (src/continual/bootstrap.ts) per
 * group (sequence × strategy × λ) and metric, as rows, a text table and CSV; and the mean normalized-score
 * curve of every task per group with its CI band (the app's Sweeps chart). Pure: no files, no processes.
 */
import { bootstrapMean } from '../continual/bootstrap';
import type { SweepRunResult } from './results';

export const METRICS = ['acc', 'forgetting', 'bwt', 'fwt', 'auc', 'seconds'] as const;
export type Metric = (typeof METRICS)[number];

/** The runs a comparison needs (a sweep result, or a `run --json` summary with its λ). */
export type ComparableRun = Pick<SweepRunResult, 'sequence' | 'strategy' | 'lambda' | 'seed' | Metric> &
  Partial<Pick<SweepRunResult, 'labels' | 'curves'>>;

export interface GroupKey {
  sequence: string;
  strategy: string;
  lambda: number | null;
}

export interface CompareRow extends GroupKey {
  /** `strategy`, `strategy λ=X`, prefixed by `sequence/` when runs span several sequences. */
  label: string;
  metric: Metric;
  mean: number | null;
  low: number | null;
  high: number | null;
  n: number;
  values: number[];
}

export interface CurveBand {
  task: number;
  label: string;
  steps: number[];
  mean: number[];
  low: number[];
  high: number[];
}

export interface GroupCurves extends GroupKey {
  label: string;
  n: number;
  tasks: CurveBand[];
}

const CI = { level: 0.9, seed: 0 } as const;
/** Fewer resamples per curve point than per metric: a chart has hundreds of points. */
const CURVE_RESAMPLES = 2000;

/** Groups in order of first appearance. */
export function groupRuns<T extends GroupKey>(
  runs: readonly T[],
): { key: GroupKey; label: string; runs: T[] }[] {
  const multiSeq = new Set(runs.map((r) => r.sequence)).size > 1;
  const groups = new Map<string, { key: GroupKey; label: string; runs: T[] }>();
  for (const r of runs) {
    const id = JSON.stringify([r.sequence, r.strategy, r.lambda]);
    let g = groups.get(id);
    if (!g) {
      const label = `${multiSeq ? `${r.sequence}/` : ''}${r.strategy}${r.lambda !== null ? ` λ=${r.lambda}` : ''}`;
      g = { key: { sequence: r.sequence, strategy: r.strategy, lambda: r.lambda }, label, runs: [] };
      groups.set(id, g);
    }
    g.runs.push(r);
  }
  return [...groups.values()];
}

export function compareRuns(runs: readonly ComparableRun[]): CompareRow[] {
  const rows: CompareRow[] = [];
  for (const g of groupRuns(runs)) {
    for (const metric of METRICS) {
      const values = g.runs.map((r) => r[metric]).filter((v): v is number => typeof v === 'number');
      const ci = bootstrapMean(values, CI);
      rows.push({
        ...g.key,
        label: g.label,
        metric,
        mean: ci?.mean ?? null,
        low: ci?.low ?? null,
        high: ci?.high ?? null,
        n: values.length,
        values,
      });
    }
  }
  return rows;
}

/** Mean normalized-score curve per task with a 90% bootstrap band, per group (runs aligned by eval index). */
export function compareCurves(runs: readonly ComparableRun[]): GroupCurves[] {
  return groupRuns(runs).map((g) => {
    const withCurves = g.runs.filter((r) => r.curves && r.curves.length > 0);
    const taskCount = Math.max(0, ...withCurves.map((r) => r.curves!.length));
    const tasks: CurveBand[] = [];
    for (let t = 0; t < taskCount; t++) {
      const curves = withCurves.map((r) => r.curves![t]).filter((c) => c !== undefined);
      const length = curves.length ? Math.min(...curves.map((c) => c.steps.length)) : 0;
      const band: CurveBand = {
        task: t,
        label: withCurves.find((r) => r.labels?.[t])?.labels?.[t] ?? `task ${t}`,
        steps: [],
        mean: [],
        low: [],
        high: [],
      };
      for (let i = 0; i < length; i++) {
        const ci = bootstrapMean(
          curves.map((c) => c.normalized[i]!),
          { ...CI, resamples: CURVE_RESAMPLES },
        )!;
        band.steps.push(curves[0]!.steps[i]!);
        band.mean.push(ci.mean);
        band.low.push(ci.low);
        band.high.push(ci.high);
      }
      tasks.push(band);
    }
    return { ...g.key, label: g.label, n: withCurves.length, tasks };
  });
}

export function formatTable(rows: readonly CompareRow[]): string {
  const labels = [...new Set(rows.map((r) => r.label))];
  const header = ['strategy', ...METRICS];
  const lines = labels.map((label) => [
    label,
    ...METRICS.map((m) => {
      const r = rows.find((x) => x.label === label && x.metric === m);
      if (!r || r.mean === null) return '–';
      const digits = m === 'seconds' ? 0 : 2;
      return `${r.mean.toFixed(digits)} [${r.low!.toFixed(digits)}, ${r.high!.toFixed(digits)}]`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmtLine = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const ns = [...new Set(rows.filter((r) => r.metric === 'acc').map((r) => r.n))];
  return `${[fmtLine(header), fmtLine(widths.map((w) => '-'.repeat(w))), ...lines.map(fmtLine)].join('\n')}\n(mean [90% bootstrap CI] over ${ns.join('/')} seeds)\n`;
}

export const CSV_HEADER = 'sequence,strategy,lambda,metric,mean,ci90_low,ci90_high,n,values';

export function toCsv(rows: readonly CompareRow[]): string {
  const out = [CSV_HEADER];
  for (const r of rows) {
    out.push(
      [
        csvCell(r.sequence),
        csvCell(r.strategy),
        r.lambda ?? '',
        r.metric,
        r.mean ?? '',
        r.low ?? '',
        r.high ?? '',
        r.n,
        r.values.join(';'),
      ].join(','),
    );
  }
  return `${out.join('\n')}\n`;
}

function csvCell(s: string): string {
  return /[",\n]/u.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
