/**
 * Strategy picker and log-scale λ slider, plus the seed and "record session" switch. It always shows the
 * settings of the run on screen:
 *   - no run: the settings of the next run (editable; the seed is validated inline and blocks Start);
 *   - a live run: that run's strategy and seed (fixed for the run, as the engine recorded them in run-start)
 *     and its λ, which can be changed while it trains (`lab.setLambda`, recorded as a param-change);
 *   - playback: the played-back session's recorded strategy, λ and seed, read-only.
 * λ is disabled (and says why) for strategies without it.
 */
import type { AppContext } from '../app/context';
import { formatLambda } from '../format/format';
import type { AppState } from '../state/app-state';
import { isRunning } from '../state/selectors';
import { h, panel, replaceChildren, setText } from '../ui/dom';
import { DEFAULT_LAMBDA_SCALE, lambdaToPosition, niceLambda, positionToLambda } from './lambda-scale';

/** What the panel shows: the played-back run's settings, the live run's, or the next run's. */
export interface ShownSettings {
  mode: 'next' | 'live' | 'playback';
  name: string;
  lambda: number | null;
  seed: number;
  record: boolean;
}

export function shownSettings(s: AppState): ShownSettings {
  const run = s.playback ? s.playback.run : isRunning(s) ? s.run : null;
  if (run && run.strategy !== null) {
    return {
      mode: s.playback ? 'playback' : 'live',
      name: run.strategy,
      lambda: run.lambda,
      seed: run.seed ?? 0,
      record: s.playback ? true : s.status?.recording === true,
    };
  }
  const st = s.settings;
  return { mode: 'next', name: st.name, lambda: st.lambda, seed: st.seed, record: st.record };
}

const CAPTIONS: Record<ShownSettings['mode'], string> = {
  next: 'Settings of the next run.',
  live: 'Settings of the run in progress: the strategy and seed are fixed for the run (Reset to change them); λ can be changed while it trains.',
  playback: 'Settings recorded in the played-back session (read-only).',
};

export function mountStrategyPanel(ctx: AppContext): HTMLElement {
  const { store } = ctx;
  const select = h('select', {
    testid: 'strategy',
    'aria-label': 'Strategy',
    onchange: () => store.dispatch({ type: 'ui/strategy', name: select.value }),
  });
  const slider = h('input', {
    type: 'range',
    testid: 'lambda',
    min: '0',
    max: String(DEFAULT_LAMBDA_SCALE.steps),
    step: '1',
    'aria-label': 'λ (log scale)',
    oninput: () =>
      store.dispatch({ type: 'ui/lambda', value: niceLambda(positionToLambda(Number(slider.value))) }),
    onchange: () => {
      const s = store.state;
      if (isRunning(s) && !s.playback) void ctx.run('λ', () => ctx.lab.setLambda(s.settings.lambda));
    },
  });
  const value = h('output', { class: 'lambda-value', testid: 'lambda-value' });
  const description = h('p', { class: 'muted small', testid: 'strategy-description' });
  const caption = h('p', { class: 'muted small settings-caption', testid: 'settings-caption' });
  const seed = h('input', {
    type: 'number',
    testid: 'seed',
    min: '0',
    max: String(2 ** 31 - 1),
    step: '1',
    'aria-label': 'Seed',
    oninput: () => store.dispatch({ type: 'ui/seed-text', raw: seed.value }),
  });
  const seedError = h('div', { class: 'field-error', testid: 'seed-error', role: 'alert' });
  const record = h('input', {
    type: 'checkbox',
    testid: 'record',
    onchange: () => store.dispatch({ type: 'ui/record', value: record.checked }),
  });

  const strategyInfo = (name: string) => store.state.info?.strategies.find((x) => x.name === name);

  store.select(
    (s) => s.info?.strategies,
    (strategies) => {
      replaceChildren(
        select,
        (strategies ?? [{ name: store.state.settings.name, description: '', usesLambda: true }]).map((st) =>
          h('option', { value: st.name }, st.name),
        ),
      );
      select.value = shownSettings(store.state).name;
    },
  );
  store.select(
    (s) =>
      [
        s.settings,
        s.run.strategy,
        s.run.lambda,
        s.run.seed,
        s.playback?.run,
        isRunning(s),
        s.status?.recording,
      ] as const,
    () => {
      const s = store.state;
      const shown = shownSettings(s);
      const mode = shown.mode;
      if (select.value !== shown.name) select.value = shown.name;
      select.disabled = mode !== 'next';
      select.title = mode === 'next' ? 'Strategy of the next run' : 'Fixed for this run';
      const strat = strategyInfo(shown.name);
      const on = strat?.usesLambda !== false && shown.lambda !== null;
      // While the user drags the slider of a live run, their value shows until the trainer records it.
      const lambda = mode === 'live' && document.activeElement === slider ? s.settings.lambda : shown.lambda;
      const pos = String(lambdaToPosition(lambda ?? 1));
      if (document.activeElement !== slider && slider.value !== pos) slider.value = pos;
      setText(value, on && lambda !== null ? formatLambda(lambda) : 'not used');
      slider.disabled = !on || mode === 'playback';
      slider.title = on ? 'Regularisation strength λ (log scale)' : `${shown.name} has no λ`;
      value.classList.toggle('muted', !on);
      if (document.activeElement !== seed || mode !== 'next') {
        const text = mode === 'next' && s.settings.seedError ? seed.value : String(shown.seed);
        if (seed.value !== text) seed.value = text;
      }
      seed.disabled = mode !== 'next';
      seed.classList.toggle('invalid', mode === 'next' && s.settings.seedError !== null);
      setText(seedError, mode === 'next' ? (s.settings.seedError ?? '') : '');
      record.checked = shown.record;
      record.disabled = mode !== 'next';
      setText(description, strat?.description ?? '');
      setText(caption, CAPTIONS[mode]);
      caption.dataset.mode = mode;
    },
    (a, b) => a.every((x, i) => x === b[i]),
  );

  return panel(
    'Strategy',
    'strategy-panel',
    caption,
    h('div', { class: 'field' }, h('label', {}, 'Strategy'), select),
    description,
    h(
      'div',
      { class: 'field' },
      h(
        'label',
        {
          title:
            'λ: how strongly the strategy holds the network near what earlier tasks needed. Higher = less forgetting, slower learning of the new task.',
        },
        'λ',
        h('span', { class: 'muted small' }, ' (log)'),
      ),
      h('div', { class: 'slider-row' }, slider, value),
    ),
    h(
      'div',
      { class: 'row two' },
      h('div', { class: 'field' }, h('label', {}, 'Seed'), seed, seedError),
      h('label', { class: 'check' }, record, ' Record session'),
    ),
  );
}
