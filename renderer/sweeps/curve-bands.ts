/**
 * Mean normalized-score curves of one task (uPlot): one line per sweep group with its 90% bootstrap band
 * shaded, over env steps. One small chart per task, side by side in the Sweeps panel.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SweepDetail } from '../../src/protocol/messages';
import { withAlpha } from '../charts/colors';

const AXIS = {
  stroke: '#8b98a8',
  grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 },
  ticks: { stroke: 'rgba(255,255,255,0.1)', width: 1 },
  size: 28,
  font: '10px system-ui',
};

/** Data aligned on the union of the groups' evaluation steps (a group without a point there: null). */
export function alignBands(groups: SweepDetail['groups'], task: number): uPlot.AlignedData {
  const xs = [...new Set(groups.flatMap((g) => g.curves[task]?.steps ?? []))].sort((a, b) => a - b);
  const columns: (number | null)[][] = [];
  for (const g of groups) {
    const c = g.curves[task];
    const at = new Map<number, number>();
    c?.steps.forEach((s, i) => at.set(s, i));
    for (const key of ['mean', 'low', 'high'] as const) {
      columns.push(xs.map((s) => (c && at.has(s) ? c[key][at.get(s)!]! : null)));
    }
  }
  return [xs, ...columns] as uPlot.AlignedData;
}

export function curveBandsChart(
  host: HTMLElement,
  groups: SweepDetail['groups'],
  task: number,
  colors: readonly string[],
  width: number,
): uPlot {
  const series: uPlot.Series[] = [{}];
  const bands: uPlot.Band[] = [];
  groups.forEach((g, i) => {
    const color = colors[i % colors.length]!;
    const base = 1 + 3 * i;
    series.push(
      { label: g.label, stroke: color, width: 1.5, points: { show: false } },
      { label: `${g.label} low`, stroke: 'transparent', points: { show: false } },
      { label: `${g.label} high`, stroke: 'transparent', points: { show: false } },
    );
    bands.push({ series: [base + 2, base + 1], fill: withAlpha(color, 0.18) });
  });
  return new uPlot(
    {
      width,
      height: 110,
      padding: [4, 6, 0, 0],
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false },
        y: { range: (_u, min, max) => [Math.min(-0.05, min), Math.max(1.05, max)] },
      },
      axes: [
        {
          ...AXIS,
          values: (_u, vals) => vals.map((v) => (v >= 1000 ? `${Math.round(v / 100) / 10}k` : String(v))),
        },
        { ...AXIS, size: 30 },
      ],
      series,
      bands,
    },
    alignBands(groups, task),
    host,
  );
}
