/**
 * Metric tiles: ACC, forgetting, BWT and FWT (continual-learning metrics, docs/METRICS.md) plus env steps/s,
 * the global step and ε. Each tile shows '—' until its value exists.
 */
import { formatMetric, formatRate, formatSteps } from '../format/format';
import { h, setText } from '../ui/dom';
import type { TileValues } from './tile-values';

const TILES: {
  key: Exclude<keyof TileValues, 'accLabel'>;
  label: string;
  title: string;
  fmt: (v: number | null) => string;
  testid: string;
}[] = [
  {
    key: 'acc',
    label: 'ACC',
    title:
      'ACC (average accuracy): the mean normalized score (0 = random policy, 1 = solved) of the tasks trained so far, measured when the latest stage ended. Over all tasks once every task has been trained.',
    fmt: (v) => formatMetric(v),
    testid: 'metric-acc',
  },
  {
    key: 'forgetting',
    label: 'Forgetting',
    title:
      'Forgetting: how much each earlier task’s score dropped from the end of its (last) training to the latest stage end, averaged. 0 = nothing forgotten.',
    fmt: (v) => formatMetric(v),
    testid: 'metric-forgetting',
  },
  {
    key: 'bwt',
    label: 'BWT',
    title:
      'BWT (backward transfer, GEM): how training later tasks changed earlier ones: mean of (latest score − score when its training ended). Negative = forgetting.',
    fmt: (v) => formatMetric(v, { signed: true }),
    testid: 'metric-bwt',
  },
  {
    key: 'fwt',
    label: 'FWT',
    title:
      'FWT (forward transfer, GEM): how much a task was already learned before its own training, compared with the untrained network. Positive = earlier tasks helped.',
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
  {
    key: 'epsilon',
    label: 'ε',
    title:
      'ε (exploration rate): the chance the agent acts at random instead of greedily. It decays within each stage; shown only while training.',
    fmt: (v) => formatMetric(v),
    testid: 'epsilon',
  },
];

export class MetricTiles {
  readonly el = h('div', { class: 'tiles', testid: 'metric-tiles' });
  private readonly values = new Map<keyof TileValues, HTMLElement>();
  private readonly accLabel = h('div', { class: 'tile-label', testid: 'metric-acc-label' }, 'ACC');

  constructor() {
    for (const t of TILES) {
      const value = h('div', { class: 'tile-value', testid: t.testid }, '—');
      this.values.set(t.key, value);
      this.el.append(
        h(
          'div',
          { class: `tile tile-${t.key}`, title: t.title },
          t.key === 'acc' ? this.accLabel : h('div', { class: 'tile-label' }, t.label),
          value,
        ),
      );
    }
  }

  update(v: TileValues): void {
    setText(this.accLabel, v.accLabel);
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
