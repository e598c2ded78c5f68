/**
 * The centre column: toolbar (overlay toggle, video export), the live view box (data-testid `env-view`: a
 * caption bar, then the world with the Q-value bars in a column of their own beside it, so they never cover
 * the world) and the small-multiples strip (data-testid `multiples`, one tile per task). The Pixi stage draws
 * into both; if it cannot start, the view shows a plain message instead. What is on screen is reported to the
 * trainer (view-demand.ts), which then computes no picture nobody sees.
 */
import { mountVideoExport } from '../sessions/video-export';
import { h } from '../ui/dom';
import { QBars } from '../views/q-bars';
import { Stage } from '../views/stage';
import type { AppContext } from './context';
import { reportViewDemand } from './view-demand';

export interface LivePanel {
  el: HTMLElement;
  /** Resolves with the stage, or null when it could not be created (the error is shown in the view). */
  stage: Promise<Stage | null>;
}

export function mountLivePanel(ctx: AppContext): LivePanel {
  const { store } = ctx;
  const mainCaption = h(
    'span',
    { class: 'view-caption', testid: 'view-caption' },
    'Waiting for the trainer…',
  );
  const mainSub = h('span', { class: 'view-sub mono', testid: 'view-step' });
  const mainWorld = h('div', { class: 'world' });
  const qBars = new QBars();
  const paused = h('span', { class: 'paused-badge', testid: 'paused-badge', hidden: true }, 'Paused');
  const envView = h(
    'div',
    { class: 'env-view', testid: 'env-view' },
    h('div', { class: 'caption-bar' }, mainCaption, paused, mainSub),
    h('div', { class: 'view-body' }, mainWorld, qBars.el),
  );
  const multiples = h('div', { class: 'multiples', testid: 'multiples' });
  const stripLabel = h(
    'div',
    { class: 'strip-label', testid: 'strip-label' },
    'Every task, played by the current greedy policy',
  );
  // First run: what to do and what will be seen (replaced by the live view as soon as a run starts).
  const firstRun = h(
    'div',
    { class: 'first-run', testid: 'first-run', hidden: true },
    h('h2', {}, 'Watch an agent learn tasks one after another — and forget them'),
    h(
      'ol',
      {},
      h('li', {}, h('strong', {}, 'Pick a sequence'), ' of tasks (left, Sequence).'),
      h(
        'li',
        {},
        h('strong', {}, 'Pick a strategy'),
        ': finetune shows forgetting; EWC and the others try to prevent it.',
      ),
      h('li', {}, 'Press ', h('strong', {}, 'Start'), ' (or Space).'),
    ),
    h(
      'p',
      {},
      'You will see the agent training here, every task played by its current policy below, each task’s score over env steps on the right (earlier tasks drop when forgotten), and the R matrix filling in stage by stage. Switch tasks by hand at any time with the task buttons.',
    ),
  );
  envView.append(firstRun);
  const host = h('div', { class: 'stage-host' }, envView, stripLabel, multiples);

  let stageRef: Stage | null = null;
  const overlay = h('input', {
    type: 'checkbox',
    testid: 'overlay-toggle',
    onchange: () => store.dispatch({ type: 'ui/overlay', value: overlay.checked }),
  });
  const video = mountVideoExport({
    getCanvas: () => stageRef?.canvas ?? null,
    save: (file) => ctx.lab.saveFile(file),
    onSaved: (where) => store.dispatch({ type: 'ui/notice', kind: 'info', message: `Saved video ${where}` }),
    onError: (message) => store.dispatch({ type: 'ui/notice', kind: 'error', message }),
    onRecordingChange: (value) => store.dispatch({ type: 'ui/video-recording', value }),
    describe: () => {
      const s = store.state;
      if (s.playback)
        return {
          session: s.playback.session.dir,
          strategy: s.playback.run.strategy,
          step: s.playback.cursor,
        };
      const dir = s.status?.sessionDir ?? null;
      return {
        session: dir ? dir.replace(/^.*[\\/]/, '') : null,
        strategy: s.run.strategy,
        step: s.status?.step ?? 0,
      };
    },
  });
  const marker = h(
    'button',
    {
      class: 'btn small',
      testid: 'add-marker',
      title: 'Mark this moment in the recorded session (shown as a dotted line on the chart)',
      onclick: () => {
        const step = store.state.status?.step ?? 0;
        void ctx.run('Marker', () => ctx.lab.marker(`marker at step ${step}`));
      },
    },
    '⚑ Marker',
  );
  store.select(
    (s) => s.status?.running === true,
    (running) => {
      marker.disabled = !running;
    },
  );
  const toolbar = h(
    'div',
    { class: 'live-toolbar' },
    h(
      'label',
      { class: 'check', title: 'Q-values and greedy-policy arrows · Q' },
      overlay,
      ' Q-values & policy arrows',
    ),
    h('div', { class: 'spacer' }),
    marker,
    video,
  );

  const stage = Stage.create({ mainWorld, mainCaption, mainSub, qBars, multiples }).then(
    (s) => {
      stageRef = s;
      store.select(
        (st) => st.overlay,
        (on) => {
          overlay.checked = on;
          s.setOverlaysVisible(on);
        },
      );
      return s;
    },
    (error: unknown) => {
      const message = `The live view could not start (WebGL unavailable?): ${error instanceof Error ? error.message : String(error)}`;
      mainWorld.append(h('div', { class: 'view-error' }, message));
      store.dispatch({ type: 'ui/notice', kind: 'error', message });
      return null;
    },
  );

  // "Waiting for the trainer…" only while it is really not connected.
  store.select(
    (s) => s.connection,
    (c) => {
      if (c !== 'ready')
        mainCaption.textContent = c === 'lost' ? 'Trainer disconnected' : 'Waiting for the trainer…';
      else if (mainCaption.textContent === 'Waiting for the trainer…') mainCaption.textContent = 'No run';
    },
  );
  store.select(
    (s) =>
      s.connection === 'ready' &&
      !s.playback &&
      s.status?.running !== true &&
      s.status?.done !== true &&
      s.run.tasks.length === 0,
    (show) => {
      firstRun.hidden = !show;
    },
  );
  // The strip plays the live trainer's tasks; a playback has no live policy to play.
  store.select(
    (s) => s.playback !== null,
    (playback) => {
      multiples.hidden = playback;
      stripLabel.textContent = playback
        ? 'Playback: the strip of every task plays the live policy and is hidden while a recording is shown.'
        : 'Every task, played by the current greedy policy';
    },
  );

  // Without a run the view says so instead of keeping the last run's picture.
  const idleMessage = (s: typeof store.state): string | null => {
    if (s.connection !== 'ready' || s.playback || !s.status || s.status.running) return null;
    return s.status.done
      ? 'The run finished. Start a new one, or open its session to play it back.'
      : 'No run. Press Start, or open a recorded session.';
  };
  void stage.then((s) => {
    if (!s) return;
    store.select(idleMessage, (message) => {
      if (message) s.showIdle(message);
    });
  });

  store.select(
    (s) => s.status?.paused === true && s.status.running && !s.playback,
    (isPaused) => {
      paused.hidden = !isPaused;
    },
  );

  reportViewDemand(ctx, envView, multiples);
  return { el: h('main', { class: 'center' }, toolbar, host), stage };
}
