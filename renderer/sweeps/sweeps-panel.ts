/**
 * Sweeps (`cli sweep run`, `compare`): the list of sweeps under the sweeps root with their progress, and for
 * the selected one the comparison — ACC and forgetting per group (strategy × λ) as mean with 90% bootstrap
 * whiskers, the mean normalized-score curve of every task with its band — and its runs. Clicking a finished
 * or started run opens its session for playback (the Sessions panel's scrubber then drives it). While the
 * selected sweep is unfinished the panel refreshes itself every few seconds.
 */
import type uPlot from 'uplot';
import type { SweepDetail, SweepSummary } from '../../src/protocol/messages';
import type { AppContext } from '../app/context';
import { TASK_COLORS } from '../charts/colors';
import { formatSteps } from '../format/format';
import { h, panel, replaceChildren } from '../ui/dom';
import { curveBandsChart } from './curve-bands';
import { whiskerChart } from './whisker-chart';

/** Refresh period while the selected sweep has unfinished runs (ms). */
const POLL_MS = 5000;

export function mountSweepsPanel(ctx: AppContext): HTMLElement {
  let sweeps: SweepSummary[] = [];
  let selected: string | null = null;
  let detail: SweepDetail | null = null;
  let plots: uPlot[] = [];

  const list = h('ul', { class: 'session-list sweep-list', testid: 'sweep-list' });
  const detailEl = h('div', { class: 'sweep-detail', testid: 'sweep-detail' });

  const refresh = async (): Promise<void> => {
    const got = await ctx.run('List sweeps', () => ctx.lab.listSweeps());
    if (!got) return;
    sweeps = got;
    if (selected === null || !sweeps.some((s) => s.id === selected)) selected = sweeps[0]?.id ?? null;
    renderList();
    await loadDetail();
  };

  const loadDetail = async (): Promise<void> => {
    if (selected === null) {
      detail = null;
      renderDetail();
      return;
    }
    const id = selected;
    const got = await ctx.run('Load sweep', () => ctx.lab.getSweep(id));
    if (got && id === selected) {
      detail = got;
      renderDetail();
    }
  };

  const renderList = (): void => {
    replaceChildren(
      list,
      sweeps.map((s, i) =>
        h(
          'li',
          {
            class: `session${s.id === selected ? ' selected' : ''}`,
            testid: `sweep-item-${i}`,
            title: s.id,
            onclick: () => {
              selected = s.id;
              renderList();
              void loadDetail();
            },
          },
          h('div', { class: 'session-name' }, s.id),
          h(
            'div',
            { class: 'session-meta' },
            `${s.done}/${s.jobs} runs done${s.started ? ` · ${s.started} started` : ''} · ${s.createdAt.slice(0, 16).replace('T', ' ')}`,
          ),
          progressBar(s.done / Math.max(1, s.jobs), s.started / Math.max(1, s.jobs)),
        ),
      ),
    );
    if (sweeps.length === 0) {
      list.append(
        h(
          'li',
          { class: 'muted small empty' },
          'No sweeps yet. Run one with `npm run cli -- sweep run SPEC` or `compare` (see README).',
        ),
      );
    }
  };

  const renderDetail = (): void => {
    for (const p of plots) p.destroy();
    plots = [];
    if (!detail) {
      detailEl.replaceChildren();
      return;
    }
    const d = detail;
    const colors = TASK_COLORS;
    const groups = d.groups;
    const legend = h(
      'div',
      { class: 'sweep-legend' },
      ...groups.map((g, i) =>
        h(
          'span',
          { class: 'sweep-legend-item' },
          h('span', { class: 'swatch', style: `background:${colors[i % colors.length]}` }),
          `${g.label} (n=${g.n})`,
        ),
      ),
    );
    const width = Math.max(240, detailEl.clientWidth || 300);
    const whiskers = h('div', { class: 'sweep-whiskers', testid: 'sweep-whiskers' });
    if (groups.length) {
      const w = Math.floor((width - 8) / 2);
      whiskers.append(
        whiskerChart('ACC', groups, 'acc', colors, w),
        whiskerChart('Forgetting', groups, 'forgetting', colors, w),
      );
    }
    const curves = h('div', { class: 'sweep-curves', testid: 'sweep-curves' });
    const taskCount = Math.max(0, ...groups.map((g) => g.curves.length));
    for (let t = 0; t < taskCount; t++) {
      const label = groups.find((g) => g.curves[t])?.curves[t]?.label ?? `task ${t + 1}`;
      const cell = h(
        'div',
        { class: 'sweep-curve' },
        h('div', { class: 'sweep-curve-title' }, `${t + 1}. ${label}`),
      );
      curves.append(cell);
    }
    const runs = h(
      'table',
      { class: 'sweep-runs', testid: 'sweep-runs' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'run'),
          h('th', {}, 'seed'),
          h('th', {}, 'state'),
          h('th', {}, 'ACC'),
          h('th', {}, 'F'),
        ),
      ),
      h(
        'tbody',
        {},
        ...d.runs.map((r, i) =>
          h(
            'tr',
            {
              class: `sweep-run ${r.state}`,
              testid: `sweep-run-${i}`,
              title: r.state === 'waiting' ? 'Not started yet' : 'Open this run for playback',
              onclick: () => void openRun(d.id, r.job, r.state),
            },
            h('td', {}, r.group),
            h('td', { class: 'mono' }, String(r.seed)),
            h(
              'td',
              {},
              r.state === 'done'
                ? 'done'
                : r.state === 'started'
                  ? `${Math.floor((100 * r.step) / Math.max(1, r.totalSteps))}% (${formatSteps(r.step)})`
                  : 'waiting',
            ),
            h('td', { class: 'mono' }, fmt(r.acc)),
            h('td', { class: 'mono' }, fmt(r.forgetting)),
          ),
        ),
      ),
    );
    detailEl.replaceChildren(
      h(
        'div',
        { class: 'sweep-progress', testid: 'sweep-progress' },
        `${d.done} of ${d.jobs} runs done${d.started ? `, ${d.started} started` : ''}`,
      ),
      groups.length
        ? h(
            'div',
            {},
            legend,
            whiskers,
            h('div', { class: 'sweep-sub' }, 'Mean normalized score per task (90% band)'),
            curves,
          )
        : h(
            'div',
            { class: 'muted small' },
            'No finished run yet: the comparison appears with the first one.',
          ),
      h('div', { class: 'sweep-sub' }, 'Runs (click to play back)'),
      h('div', { class: 'sweep-runs-box' }, runs),
    );
    const cells = [...curves.children] as HTMLElement[];
    const cw = Math.max(140, Math.floor((width - 8) / Math.min(2, Math.max(1, taskCount))));
    cells.forEach((cell, t) => plots.push(curveBandsChart(cell, groups, t, colors, cw - 4)));
  };

  const openRun = async (sweep: string, job: string, state: string): Promise<void> => {
    if (state === 'waiting') {
      ctx.store.dispatch({ type: 'ui/notice', kind: 'info', message: `${job} has not started yet.` });
      return;
    }
    const session = await ctx.run('Open run', () => ctx.lab.openSweepRun(sweep, job));
    if (session) ctx.store.dispatch({ type: 'ui/playback-open', session });
  };

  setInterval(() => {
    if (document.hidden || !detail || detail.done >= detail.jobs) return;
    void refresh();
  }, POLL_MS);
  // Once connected (and on reconnection), load the list.
  ctx.store.select(
    (s) => s.connection,
    () => void refresh(),
  );

  const refreshBtn = h(
    'button',
    { class: 'btn small', testid: 'sweeps-refresh', onclick: () => void refresh() },
    'Refresh',
  );
  return panel('Sweeps', 'sweeps-panel', h('div', { class: 'row buttons' }, refreshBtn), list, detailEl);
}

function progressBar(done: number, started: number): HTMLElement {
  return h(
    'div',
    { class: 'sweep-bar' },
    h('span', { class: 'sweep-bar-done', style: `width:${(100 * done).toFixed(1)}%` }),
    h('span', { class: 'sweep-bar-started', style: `width:${(100 * started).toFixed(1)}%` }),
  );
}

function fmt(v: number | null): string {
  return v === null ? '–' : v.toFixed(2);
}
