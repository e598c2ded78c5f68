/**
 * The renderer's entry: picks the LabApi (`window.lab` from the Electron preload, else the web shell's
 * WebSocket client from the page URL's token; `?demo=1` without either uses the development fake), builds
 * the store and the three-column layout, routes high-rate frames straight to the Pixi stage and every other
 * event through the reducer, and reports any failure in the UI instead of leaving a blank page.
 */
import './styles.css';
import { getLab } from './lab-api';
import type { LabApi } from '../src/protocol/lab-api';
import type { LabEvent } from '../src/protocol/messages';
import { createContext, type AppContext } from './app/context';
import { mountHeader } from './app/header';
import { mountLivePanel } from './app/live-panel';
import { installShortcuts } from './app/shortcuts';
import { mountCharts } from './charts/charts-panel';
import { mountRunControls } from './controls/run-controls';
import { mountSequenceEditor } from './controls/sequence-editor';
import { mountStrategyPanel } from './controls/strategy-panel';
import { mountTaskSwitcher } from './controls/task-switcher';
import { mountSessionsPanel } from './sessions/sessions-panel';
import { mountSweepsPanel } from './sweeps/sweeps-panel';
import { initialState, type AppState } from './state/app-state';
import type { Action } from './state/actions';
import { reduce } from './state/reducer';
import { Store } from './state/store';
import { h } from './ui/dom';
import { mountNotices } from './ui/notices';
import type { Stage } from './views/stage';

/**
 * The real LabApi, or with `&demo=1` on the web shell's URL (token included, as printed by `npm run web`) the
 * demo's simulated trainer, whose envs, strategies and sequences come from the real trainer's registries.
 */
async function pickLab(): Promise<{ lab: LabApi; demo: boolean }> {
  const demo = new URLSearchParams(window.location.search).get('demo') === '1';
  const lab = getLab();
  if (demo && lab.platform === 'web') {
    const { createFakeLab } = await import('./dev/fake-lab');
    return { lab: createFakeLab(() => lab.getInfo()), demo: true };
  }
  return { lab, demo: false };
}

function fatal(root: HTMLElement, message: string): void {
  root.replaceChildren(
    h(
      'div',
      { class: 'fatal', testid: 'error-banner', role: 'alert' },
      h('h1', {}, 'Continual RL Lab could not start'),
      h('p', {}, message),
    ),
  );
}

function routeFrames(ctx: AppContext, stage: Stage): (e: LabEvent) => void {
  return (e) => {
    const s = ctx.store.state;
    if (e.type === 'frame') {
      const task = s.run.tasks[e.task];
      const env = s.info?.envs.find((x) => x.id === task?.envId);
      const label = task?.label ?? s.status?.label ?? `task ${e.task + 1}`;
      stage.setFrame({
        snapshot: e.snapshot,
        qValues: e.qValues,
        policy: e.policy,
        actionNames: env?.actionNames ?? [],
        caption: `Training ${e.task + 1}. ${label}`,
        sub: `step ${e.step.toLocaleString('en-US')}`,
      });
    } else if (e.type === 'multiples') {
      stage.setMultiples(e.frames, s.status?.taskIndex ?? s.run.currentTask);
    } else if (e.type === 'playback-frame') {
      stage.playClip({ label: e.frame.label, snapshots: e.frame.snapshots, episodeReturn: e.frame.return });
    }
  };
}

function layout(
  ctx: AppContext,
  root: HTMLElement,
): { stage: Promise<Stage | null>; setFps: (v: number) => void } {
  const header = mountHeader(ctx);
  const live = mountLivePanel(ctx);
  const charts = mountCharts(ctx);
  const onPlaybackFrame = (frame: Parameters<Parameters<typeof mountSessionsPanel>[1]>[0]): void => {
    void live.stage.then((stage) => {
      if (!stage) return;
      if (frame)
        stage.playClip({ label: frame.label, snapshots: frame.snapshots, episodeReturn: frame.return });
      else stage.stopClip();
    });
  };
  const sessions = mountSessionsPanel(ctx, onPlaybackFrame);
  // The playback timeline sits with the views it drives: above the live view, in the centre column.
  live.el.prepend(sessions.timeline);
  const left = h(
    'aside',
    { class: 'left' },
    mountRunControls(ctx),
    mountTaskSwitcher(ctx),
    mountStrategyPanel(ctx),
    mountSequenceEditor(ctx),
  );
  const right = h(
    'aside',
    { class: 'right' },
    charts.tiles,
    charts.chart,
    charts.matrix,
    sessions.panel,
    mountSweepsPanel(ctx),
  );
  root.replaceChildren(header.el, mountNotices(ctx), h('div', { class: 'columns' }, left, live.el, right));
  return { stage: live.stage, setFps: header.setFps };
}

/**
 * Once a second, how many pictures the live view drew. (Counting animation frames instead would need an
 * animation-frame loop of its own, which keeps the browser compositing 60 times a second for nothing.)
 */
function startFpsMeter(stage: Stage, setFps: (v: number) => void): void {
  let renders = stage.stats.renders;
  let since = performance.now();
  setInterval(() => {
    const now = performance.now();
    setFps(((stage.stats.renders - renders) * 1000) / (now - since));
    renders = stage.stats.renders;
    since = now;
  }, 1000);
}

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  let picked: { lab: LabApi; demo: boolean };
  try {
    picked = await pickLab();
  } catch (error) {
    fatal(root, error instanceof Error ? error.message : String(error));
    return;
  }
  const store = new Store<AppState, Action>(initialState(), reduce, (error) => {
    console.error(error);
    store.dispatch({
      type: 'ui/notice',
      kind: 'error',
      message: `UI error: ${error instanceof Error ? error.message : String(error)}`,
    });
  });
  const { lab, demo } = picked;
  const ctx = createContext(store, lab, demo);
  window.addEventListener('error', (e) =>
    store.dispatch({ type: 'ui/notice', kind: 'error', message: `Unexpected error: ${e.message}` }),
  );
  window.addEventListener('unhandledrejection', (e) => {
    const r: unknown = e.reason;
    store.dispatch({
      type: 'ui/notice',
      kind: 'error',
      message: `Unexpected error: ${r instanceof Error ? r.message : String(r)}`,
    });
  });

  const { stage, setFps } = layout(ctx, root);
  let route: ((e: LabEvent) => void) | null = null;
  const early: LabEvent[] = [];
  lab.onEvent((e) => {
    if (route) route(e);
    else if (e.type === 'frame' || e.type === 'multiples' || e.type === 'playback-frame')
      early.splice(0, early.length, e);
    store.dispatch(e);
  });
  void stage.then((s) => {
    if (!s) return;
    // Diagnostics for tools and benchmarks (read-only numbers).
    (window as unknown as { __labStats: unknown }).__labStats = s.stats;
    route = routeFrames(ctx, s);
    for (const e of early) route(e);
    startFpsMeter(s, setFps);
  });
  installShortcuts(ctx);

  const info = await ctx.run('Connect to the trainer', () => lab.getInfo());
  if (info) store.dispatch({ type: 'ui/info', info });
  // Opened while a run goes on (another tab started it, or this page was reloaded): show it from its start
  // (the trainer answers with a run-restored event).
  if (info) await ctx.run('Load the current run', () => lab.getRun());
}

void boot();
