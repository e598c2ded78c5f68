/**
 * Metric tiles: ACC, forgetting, BWT and FWT (continual-learning metrics, docs/METRICS.md) plus env steps/s,
 * the global step and ε. Each tile shows '—' until its value exists.
 */
import { formatMetric, formatRate, formatSteps } from '../format/format';
import { h, setText } from '../ui/dom';

export interface TileValues {
  acc: number | null;
  forgetting: number | null;
  bwt: number | null;
  fwt: number | null;
  stepsPerSec: number | null;
  step: number | null;
  epsilon: number | null;
}

const TILES: {
  key: keyof TileValues;
  label: string;
  title: string;
  fmt: (v: number | null) => string;
  testid: string;
}[] = [
  {
    key: 'acc',
    label: 'ACC',
    title: 'Average normalized score over all tasks at the latest task end',
    fmt: (v) => formatMetric(v),
    testid: 'metric-acc',
  },
  {
    key: 'forgetting',
    label: 'Forgetting',
    title: 'Mean drop from each task’s score at its end of training to now',
    fmt: (v) => formatMetric(v),
    testid: 'metric-forgetting',
  },
  {
    key: 'bwt',
    label: 'BWT',
    title: 'Backward transfer (GEM): mean R[T,j] − R[j,j]',
    fmt: (v) => formatMetric(v, { signed: true }),
    testid: 'metric-bwt',
  },
  {
    key: 'fwt',
    label: 'FWT',
    title: 'Forward transfer (GEM): mean R[j−1,j] − b_j',
    fmt: (v) => formatMetric(v, { signed: true }),
    testid: 'metric-fwt',
  },
  {
    key: 'stepsPerSec',
    label: 'Steps/s',
    title: 'Env steps per second of the trainer',
    fmt: formatRate,
    testid: 'steps-per-sec',
  },
  { key: 'step', label: 'Step', title: 'Global env step', fmt: formatSteps, testid: 'global-step' },
  { key: 'epsilon', label: 'ε', title: 'Exploration rate', fmt: (v) => formatMetric(v), testid: 'epsilon' },
];

export class MetricTiles {
  readonly el = h('div', { class: 'tiles', testid: 'metric-tiles' });
  private readonly values = new Map<keyof TileValues, HTMLElement>();

  constructor() {
    for (const t of TILES) {
      const value = h('div', { class: 'tile-value', testid: t.testid }, '—');
      this.values.set(t.key, value);
      this.el.append(
        h(
          'div',
          { class: `tile tile-${t.key}`, title: t.title },
          h('div', { class: 'tile-label' }, t.label),
          value,
        ),
      );
    }
  }

  update(v: TileValues): void {
    for (const t of TILES) {
      const el = this.values.get(t.key)!;
      const value = v[t.key];
      setText(el, t.fmt(value));
      el.classList.toggle(
        'bad',
        (t.key === 'forgetting' && value !== null && value > 0.2) ||
          (t.key === 'bwt' && value !== null && value < -0.2),
      );
    }
  }
}
