/**
 * The charts column: metric tiles, the per-task evaluation chart (normalized score or mean return) and the
 * R-matrix heatmap. Shows the live run, or the played-back session up to the scrubber's cursor. Chart redraws are
 * coalesced (at most 4 per second) so a fast trainer never costs the UI its frame rate.
 */
import type { AppContext } from '../app/context';
import type { ScoresSummary } from '../../src/protocol/run-model';
import { shownRun } from '../state/selectors';
import { runScores, type RunView } from '../state/run-view';
import { h, panel } from '../ui/dom';
import { MetricTiles } from './metric-tiles';
import { tileValues } from './tile-values';
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
    matrix.update(scoresOf(run));
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
        )}|${shownRun(s).spans.length}|${shownRun(s).switches.length}|${shownRun(s).tasks.length}|${s.playback?.cursor ?? -1}|${s.playback?.session.dir ?? ''}|${shownRun(s).scores.stages.length}|${shownRun(s).markers.length}`,
    schedule,
  );

  // The metrics of the run on screen (live, or playback up to its cursor), folded from its events by the same
  // code as the engine's summary and the export; recomputed only when its scores change.
  let memo: { scores: RunView['scores']; summary: ScoresSummary | null } | null = null;
  const scoresOf = (run: RunView): ScoresSummary | null => {
    if (memo?.scores !== run.scores) memo = { scores: run.scores, summary: runScores(run) };
    return memo.summary;
  };
  store.select(
    (s) => [shownRun(s).scores, s.status, s.playback, s.run.ended] as const,
    () => tiles.update(tileValues(store.state, scoresOf(shownRun(store.state)))),
    (a, b) => a.every((x, i) => x === b[i]),
  );

  return {
    tiles: tiles.el,
    chart: panel(
      'Evaluation',
      'evaluation-panel',
      h('div', { class: 'panel-tools' }, toggle),
      chartHost,
      h(
        'p',
        {
          class: 'muted small chart-key',
          title: 'Normalized score: 0 = a random policy, 1 = the task solved (its reward threshold).',
        },
        'Each task’s greedy score (0 = random policy, 1 = solved) over env steps. Shaded background labelled T1, T2, …: which task was being trained (not data). Dashed line: a manual switch.',
      ),
    ),
    matrix: panel('R matrix', 'r-matrix-panel', matrix.el),
  };
}
