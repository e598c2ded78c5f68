/**
 * The charts column: metric tiles, the per-task evaluation chart (normalized score or mean return) and the
 * R-matrix heatmap. Shows the live run, or the replayed session up to the scrubber's cursor. Chart redraws are
 * coalesced (at most 4 per second) so a fast trainer never costs the UI its frame rate.
 */
import type { AppContext } from '../app/context';
import { shownMatrix, shownRun } from '../state/selectors';
import { runMetrics } from '../state/run-view';
import { h, panel } from '../ui/dom';
import { MetricTiles } from './metric-tiles';
import { RMatrixView } from './r-matrix';
import { ReturnsChart } from './returns-chart';
import type { EvalMetric } from './series';

const MIN_REDRAW_MS = 250;

export function mountCharts(ctx: AppContext): {
  tiles: HTMLElement;
  chart: HTMLElement;
  matrix: HTMLElement;
} {
  const { store } = ctx;
  const tiles = new MetricTiles();
  const chartHost = h('div', { class: 'chart-host', testid: 'returns-chart' });
  const chart = new ReturnsChart(chartHost);
  const matrix = new RMatrixView();
  let metric: EvalMetric = 'normalized';
  const toggle = h(
    'div',
    { class: 'segmented small', testid: 'chart-metric' },
    ...(['normalized', 'mean'] as const).map((m) =>
      h(
        'button',
        {
          class: `seg${m === metric ? ' active' : ''}`,
          testid: `chart-metric-${m}`,
          onclick: (ev: Event) => {
            metric = m;
            for (const b of toggle.children) b.classList.toggle('active', b === ev.currentTarget);
            chart.update(shownRun(store.state), metric);
          },
        },
        m === 'normalized' ? 'Score' : 'Return',
      ),
    ),
  );

  let scheduled = false;
  let lastDraw = 0;
  const redraw = (): void => {
    scheduled = false;
    lastDraw = performance.now();
    const s = store.state;
    const run = shownRun(s);
    chart.update(run, metric);
    matrix.update(
      shownMatrix(s),
      run.tasks.map((t) => t.label),
    );
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    const wait = Math.max(0, MIN_REDRAW_MS - (performance.now() - lastDraw));
    setTimeout(() => requestAnimationFrame(redraw), wait);
  };
  store.select(
    (s) =>
      `${shownRun(s)
        .evals.map((e) => e.length)
        .join(
          ',',
        )}|${shownRun(s).spans.length}|${shownRun(s).switches.length}|${shownRun(s).tasks.length}|${s.replay?.cursor ?? -1}|${s.replay?.session.dir ?? ''}|${s.metrics.matrix.length}|${shownRun(s).matrixRows.length}|${shownRun(s).markers.length}`,
    schedule,
  );

  store.select(
    (s) => [s.metrics, s.status, s.replay] as const,
    () => {
      const s = store.state;
      // A replay shows the metrics as of its cursor (the run view is rebuilt up to it).
      const m = s.replay ? runMetrics(s.replay.run) : s.metrics;
      tiles.update({
        acc: m?.acc ?? null,
        forgetting: m?.forgetting ?? null,
        bwt: m?.bwt ?? null,
        fwt: m?.fwt ?? null,
        stepsPerSec: s.replay ? null : (s.status?.stepsPerSec ?? null),
        step: s.replay ? s.replay.cursor : (s.status?.step ?? null),
        epsilon: s.replay ? null : (s.status?.epsilon ?? null),
      });
    },
    (a, b) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2],
  );

  return {
    tiles: tiles.el,
    chart: panel('Evaluation', 'evaluation-panel', h('div', { class: 'panel-tools' }, toggle), chartHost),
    matrix: panel('R matrix', 'r-matrix-panel', matrix.el),
  };
}
