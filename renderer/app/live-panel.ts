/**
 * The centre column: toolbar (task being trained, overlay toggle, video export), the stage host with the
 * live view box (data-testid `env-view`) and the small-multiples strip (data-testid `multiples`). The Pixi
 * stage is created here; if WebGL is unavailable the boxes show a plain message instead of a blank area.
 */
import { mountVideoExport } from '../sessions/video-export';
import { h } from '../ui/dom';
import { Stage } from '../views/stage';
import type { AppContext } from './context';

export interface LivePanel {
  el: HTMLElement;
  /** Resolves with the stage, or null when it could not be created (the error is shown in the view). */
  stage: Promise<Stage | null>;
}

export function mountLivePanel(ctx: AppContext): LivePanel {
  const { store } = ctx;
  const envView = h('div', { class: 'env-view', testid: 'env-view' }, h('div', { class: 'paused-badge', testid: 'paused-badge', hidden: true }, 'Paused'));
  const multiplesLabel = h('div', { class: 'strip-label' }, 'Every task, played by the current greedy policy');
  const multiples = h('div', { class: 'multiples', testid: 'multiples' });
  const host = h('div', { class: 'stage-host' }, envView, multiplesLabel, multiples);

  let stageRef: Stage | null = null;
  const overlay = h('input', { type: 'checkbox', testid: 'overlay-toggle', onchange: () => store.dispatch({ type: 'ui/overlay', value: overlay.checked }) });
  const video = mountVideoExport(
    () => stageRef?.canvas ?? null,
    (message) => store.dispatch({ type: 'ui/notice', kind: 'error', message }),
  );
  const toolbar = h('div', { class: 'live-toolbar' }, h('label', { class: 'check', title: 'Q-values and greedy-policy arrows · Q' }, overlay, ' Q-values & policy'), h('div', { class: 'spacer' }), video);

  const stage = Stage.create(host, envView, multiples).then(
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
      envView.append(h('div', { class: 'view-error' }, message));
      store.dispatch({ type: 'ui/notice', kind: 'error', message });
      return null;
    },
  );

  store.select(
    (s) => s.status?.paused === true && s.status.running && !s.replay,
    (paused) => {
      (envView.firstElementChild as HTMLElement).hidden = !paused;
    },
  );

  return { el: h('main', { class: 'center' }, toolbar, host), stage };
}
