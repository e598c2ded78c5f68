/**
 * Strategy picker and log-scale λ slider (plus the seed and "record session" switch for the next run).
 * While a run is active, a strategy change calls `lab.setStrategy` and a released λ slider calls
 * `lab.setLambda`; the trainer records both as param-change events. λ is disabled for strategies without it.
 */
import type { AppContext } from '../app/context';
import { formatLambda } from '../format/format';
import { isRunning } from '../state/selectors';
import { h, panel, replaceChildren, setText } from '../ui/dom';
import { DEFAULT_LAMBDA_SCALE, lambdaToPosition, niceLambda, positionToLambda } from './lambda-scale';

export function mountStrategyPanel(ctx: AppContext): HTMLElement {
  const { store } = ctx;
  const select = h('select', {
    testid: 'strategy',
    onchange: () => {
      store.dispatch({ type: 'ui/strategy', name: select.value });
      const s = store.state;
      if (isRunning(s))
        void ctx.run('Strategy', () =>
          ctx.lab.setStrategy(s.settings.name, usesLambda() ? s.settings.lambda : undefined),
        );
    },
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
      if (isRunning(s)) void ctx.run('λ', () => ctx.lab.setLambda(s.settings.lambda));
    },
  });
  const value = h('output', { class: 'lambda-value', testid: 'lambda-value' });
  const description = h('p', { class: 'muted small', testid: 'strategy-description' });
  const seed = h('input', {
    type: 'number',
    testid: 'seed',
    min: '0',
    max: String(2 ** 31 - 1),
    step: '1',
    onchange: () => {
      const n = seed.value.trim() === '' ? Number.NaN : Number(seed.value);
      if (Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1) {
        seed.classList.remove('invalid');
        seedError.textContent = '';
        store.dispatch({ type: 'ui/seed', value: n });
      } else {
        seed.classList.add('invalid');
        seedError.textContent = `seed must be a whole number from 0 to ${2 ** 31 - 1}, got "${seed.value}"`;
      }
    },
  });
  const seedError = h('div', { class: 'field-error', testid: 'seed-error' });
  const record = h('input', {
    type: 'checkbox',
    testid: 'record',
    onchange: () => store.dispatch({ type: 'ui/record', value: record.checked }),
  });

  const usesLambda = (): boolean =>
    store.state.info?.strategies.find((x) => x.name === store.state.settings.name)?.usesLambda !== false;

  store.select(
    (s) => s.info?.strategies,
    (strategies) => {
      replaceChildren(
        select,
        (strategies ?? [{ name: store.state.settings.name, description: '', usesLambda: true }]).map((st) =>
          h('option', { value: st.name }, st.name),
        ),
      );
      select.value = store.state.settings.name;
    },
  );
  store.select(
    (s) => s.settings,
    (st) => {
      if (select.value !== st.name) select.value = st.name;
      const pos = String(lambdaToPosition(st.lambda));
      if (document.activeElement !== slider && slider.value !== pos) slider.value = pos;
      setText(value, formatLambda(st.lambda));
      if (document.activeElement !== seed) seed.value = String(st.seed);
      record.checked = st.record;
      const on = usesLambda();
      slider.disabled = !on;
      value.classList.toggle('muted', !on);
      setText(description, store.state.info?.strategies.find((x) => x.name === st.name)?.description ?? '');
    },
  );
  store.select(
    (s) => isRunning(s),
    (running) => {
      seed.disabled = running;
      record.disabled = running;
    },
  );

  return panel(
    'Strategy',
    'strategy-panel',
    h('div', { class: 'field' }, h('label', {}, 'Strategy'), select),
    description,
    h(
      'div',
      { class: 'field' },
      h('label', {}, 'λ', h('span', { class: 'muted small' }, ' (log)')),
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
