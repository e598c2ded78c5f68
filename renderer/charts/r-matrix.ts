/**
 * The R-matrix heatmap (DOM grid): cell (i, j) is the normalized score on task j after training task i,
 * coloured red (0) → amber → green (1); the diagonal is outlined, cells above it (not yet trained) are faded.
 */
import { formatMetric } from '../format/format';
import { h, replaceChildren } from '../ui/dom';
import { scoreColor } from './colors';

export class RMatrixView {
  readonly el = h('div', { class: 'rmatrix', testid: 'r-matrix' });
  private key = '';

  update(matrix: readonly (readonly (number | null)[])[], labels: readonly string[]): void {
    const n = Math.max(labels.length, matrix.length, ...matrix.map((r) => r.length));
    const key = JSON.stringify([matrix, labels]);
    if (key === this.key) return;
    this.key = key;
    if (n === 0) {
      replaceChildren(this.el, [
        h('p', { class: 'muted small' }, 'The R matrix fills in as each task finishes training.'),
      ]);
      return;
    }
    const grid = h('div', {
      class: 'rmatrix-grid',
      style: `grid-template-columns: 5.5em repeat(${n}, minmax(0, 1fr))`,
    });
    grid.append(h('div', { class: 'rm-corner' }, 'after ↓ / on →'));
    for (let j = 0; j < n; j++)
      grid.append(h('div', { class: 'rm-head', title: labels[j] ?? '' }, `T${j + 1}`));
    for (let i = 0; i < n; i++) {
      grid.append(h('div', { class: 'rm-row', title: labels[i] ?? '' }, `T${i + 1} ${labels[i] ?? ''}`));
      for (let j = 0; j < n; j++) {
        const v = matrix[i]?.[j] ?? null;
        const cell = h(
          'div',
          {
            class: `rm-cell${i === j ? ' diag' : ''}${j > i ? ' future' : ''}`,
            style: `background:${scoreColor(v)}`,
            title: `after task ${i + 1}, score on task ${j + 1}: ${formatMetric(v)}`,
            testid: `r-${i}-${j}`,
          },
          v === null ? '' : formatMetric(v),
        );
        grid.append(cell);
      }
    }
    replaceChildren(this.el, [grid]);
  }
}
