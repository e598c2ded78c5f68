/**
 * Per-task evaluation chart (uPlot): normalized score (or mean return) of every task over env steps, with
 * the span of each task's training faintly shaded in its colour (labelled T1, T2, … at the top), manual switches as dashed white lines, and markers
 * as dotted lines; each task's ε-greedy training return (moving average) as a thin dashed line in its colour,
 * beside the greedy evaluation (learning often shows there first). Lifecycle: new ReturnsChart(el) → update(run, metric) … → destroy(). The uPlot instance
 * is rebuilt only when the task count or metric changes; otherwise data is swapped in place.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RunView, TaskSpan } from '../state/run-view';
import { taskColor, withAlpha } from './colors';
import { alignWithTraining, type EvalMetric } from './series';

const AXIS = {
  stroke: '#8b98a8',
  grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 },
  ticks: { stroke: 'rgba(255,255,255,0.1)', width: 1 },
};

export class ReturnsChart {
  private plot: uPlot | null = null;
  private shape = '';
  private spans: TaskSpan[] = [];
  private switches: number[] = [];
  private markers: number[] = [];
  private lastStep = 0;
  private readonly observer: ResizeObserver;
  /** The plot (sized by CSS) and, below it, the legend (mounted there by uPlot's legend.mount). */
  private readonly plotEl = document.createElement('div');
  private readonly legendEl = document.createElement('div');

  constructor(host: HTMLElement) {
    this.plotEl.className = 'chart-plot';
    this.legendEl.className = 'chart-legend';
    host.append(this.plotEl, this.legendEl);
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(this.plotEl);
  }

  update(run: RunView, metric: EvalMetric): void {
    const taskCount = Math.max(run.tasks.length, run.evals.length);
    const labels = Array.from({ length: taskCount }, (_, i) => run.tasks[i]?.label ?? `task ${i + 1}`);
    const shape = `${metric}|${labels.join('\u0001')}`;
    this.spans = run.spans;
    this.switches = run.switches;
    this.markers = run.markers.map((m) => m.step);
    this.lastStep = run.lastStep;
    const { xs, ys } = alignWithTraining(run.evals, run.training, metric, taskCount);
    const data = [xs, ...ys] as uPlot.AlignedData;
    if (shape !== this.shape || !this.plot) {
      this.shape = shape;
      this.plot?.destroy();
      this.legendEl.replaceChildren();
      this.plot = new uPlot(this.options(labels, metric), data, this.plotEl);
      this.resize();
    } else {
      this.plot.setData(data, true);
    }
  }

  private options(labels: string[], metric: EvalMetric): uPlot.Options {
    return {
      width: Math.max(200, this.plotEl.clientWidth),
      height: Math.max(100, this.plotEl.clientHeight),
      padding: [8, 8, 0, 0],
      legend: { live: true, mount: (_u, el) => this.legendEl.append(el) },
      cursor: { drag: { x: true, y: false } },
      scales: {
        x: { time: false, range: (_u, min, max) => [0, Math.max(max, this.lastStep, min + 1)] },
        y:
          metric === 'normalized'
            ? { range: (_u, min, max) => [Math.min(-0.05, min), Math.max(1.05, max)] }
            : {},
      },
      axes: [
        {
          ...AXIS,
          label: 'env steps',
          labelSize: 16,
          labelGap: 0,
          size: 44,
          values: (_u, vals) => vals.map((v) => (v >= 1000 ? `${Math.round(v / 100) / 10}k` : String(v))),
        },
        {
          ...AXIS,
          size: 44,
          label: metric === 'normalized' ? 'score' : 'return',
          labelSize: 14,
          labelGap: 0,
        },
      ],
      series: [
        {
          // The legend's first entry: the env step under the cursor, else the run's current step.
          label: 'env step',
          value: (_u: uPlot, v: number | null, _s: number, idx: number | null) =>
            (idx === null ? this.lastStep : (v ?? this.lastStep)).toLocaleString('en-US'),
        },
        ...labels.map((label, i) => ({
          label,
          stroke: taskColor(i),
          width: 2,
          spanGaps: true,
          points: { show: true, size: 4 },
          // Under the cursor: the value there; otherwise the task's latest value.
          value: (u: uPlot, v: number | null, sidx: number, idx: number | null) => {
            const shown = idx === null ? latest(u.data[sidx]) : v;
            return shown === null || shown === undefined ? '—' : shown.toFixed(2);
          },
        })),
        ...labels.map((label, i) => ({
          label: `${label} (ε-greedy training)`,
          stroke: withAlpha(taskColor(i), 0.6),
          width: 1,
          dash: [4, 3],
          spanGaps: true,
          points: { show: false },
          value: (u: uPlot, v: number | null, sidx: number, idx: number | null) => {
            const shown = idx === null ? latest(u.data[sidx]) : v;
            return shown === null || shown === undefined ? '—' : shown.toFixed(2);
          },
        })),
      ],
      hooks: { drawClear: [(u) => this.drawBands(u)], draw: [(u) => this.drawLines(u)] },
    };
  }

  /** Shades the training span of each task under the lines. */
  private drawBands(u: uPlot): void {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    for (const s of this.spans) {
      const x0 = u.valToPos(s.start, 'x', true);
      const x1 = u.valToPos(s.end ?? this.lastStep, 'x', true);
      if (!(x1 > x0)) continue;
      // Faint (a context band, not data): the task's colour at 6 %, its number written at the top when it fits
      // (no coloured strip or line that could be read as a curve).
      ctx.fillStyle = withAlpha(taskColor(s.task), 0.06);
      ctx.fillRect(x0, top, x1 - x0, height);
      const name = `T${s.task + 1}`;
      ctx.font = `${10 * devicePixelRatio}px sans-serif`;
      if (ctx.measureText(name).width + 6 * devicePixelRatio < x1 - x0) {
        ctx.fillStyle = withAlpha(taskColor(s.task), 0.7);
        ctx.fillText(name, x0 + 3 * devicePixelRatio, top + 11 * devicePixelRatio);
      }
    }
    ctx.restore();
  }

  /** Manual switches (dashed) and markers (dotted) on top. */
  private drawLines(u: uPlot): void {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    ctx.lineWidth = 1.5 * devicePixelRatio;
    const line = (step: number, dash: number[], color: string): void => {
      const x = Math.round(u.valToPos(step, 'x', true));
      ctx.strokeStyle = color;
      ctx.setLineDash(dash.map((d) => d * devicePixelRatio));
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    };
    for (const s of this.switches) line(s, [6, 4], 'rgba(255,255,255,0.8)');
    for (const m of this.markers) line(m, [2, 3], 'rgba(227,179,65,0.8)');
    ctx.restore();
  }

  private resize(): void {
    if (!this.plot) return;
    const w = Math.max(200, this.plotEl.clientWidth);
    const h = Math.max(100, this.plotEl.clientHeight);
    if (this.plot.width !== w || this.plot.height !== h) this.plot.setSize({ width: w, height: h });
  }

  destroy(): void {
    this.observer.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}

/** The last non-null value of a series (null when it has none). */
function latest(values: ArrayLike<number | null | undefined> | undefined): number | null {
  if (!values) return null;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}
