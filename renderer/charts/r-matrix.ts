/**
 * The R-matrix heatmap (DOM grid). Columns are the run's distinct tasks in sequence order ("T2 · long pole",
 * full name on hover); rows are stages, labelled "stage k · task trained" (a manual switch or a repeated task
 * adds a row, never a column). Cell (k, j) = normalized score of task j when stage k ended, coloured red (0) →
 * amber → green (1); the trained task's cell is outlined. A tag on each row says which metrics read it: the
 * last row gives ACC; a task's last training stage is its reference for forgetting and BWT. Data: the shared
 * fold (src/session/run-scores.ts).
 */
import type { RowUse, ScoresSummary } from '../../src/protocol/run-model';
import { distinguishingLabels, formatMetric } from '../format/format';
import { h, replaceChildren } from '../ui/dom';
import { scoreColor } from './colors';

const USE_TAGS: Record<RowUse, { tag: string; title: string } | null> = {
  final: { tag: 'ACC', title: 'Last row: ACC averages it; forgetting and BWT compare each task against it' },
  'last-training': {
    tag: 'ref',
    title: "The end of this task's last training: its reference for forgetting and BWT",
  },
  'before-first-training': null,
};

export class RMatrixView {
  readonly el = h('div', { class: 'rmatrix', testid: 'r-matrix' });
  private key: string | null = null;

  update(scores: ScoresSummary | null): void {
    const key = scores ? JSON.stringify([scores.matrix, scores.columns, scores.rows]) : '';
    if (key === this.key) return;
    this.key = key;
    if (!scores || scores.columns.length === 0) {
      replaceChildren(this.el, [
        h(
          'p',
          { class: 'muted small' },
          'One row per training stage, one column per task: it fills in as each stage ends.',
        ),
      ]);
      return;
    }
    const cols = scores.columns;
    const short = distinguishingLabels(cols.map((c) => c.label));
    const grid = h('div', {
      class: 'rmatrix-grid',
      testid: 'r-matrix-grid',
      style: `grid-template-columns: minmax(7em, 1.6fr) repeat(${cols.length}, minmax(0, 1fr)) 2.6em`,
    });
    grid.append(h('div', { class: 'rm-corner' }, 'stage ↓ · task →'));
    cols.forEach((c, j) =>
      grid.append(
        h(
          'div',
          { class: 'rm-head', title: `Task ${j + 1}: ${c.label}`, testid: `r-col-${j}` },
          `T${j + 1} · ${short[j]}`,
        ),
      ),
    );
    grid.append(h('div', { class: 'rm-corner' }, ''));
    if (scores.rows.length === 0) {
      grid.append(
        h(
          'div',
          { class: 'rm-empty muted small', style: `grid-column: 1 / span ${cols.length + 2}` },
          'No stage has ended yet.',
        ),
      );
    }
    for (const r of scores.rows) {
      grid.append(
        h(
          'div',
          {
            class: `rm-row${r.source === 'manual' ? ' manual' : ''}`,
            title: `${r.label}${r.source === 'manual' ? ' (a manual switch)' : ''}`,
            testid: `r-row-${r.stage}`,
          },
          // The distinguishing part of the task's name; the full "stage k · task" label is the tooltip.
          `stage ${r.stage + 1} · ${short[r.task] ?? r.label}${r.source === 'manual' ? ' ⇄' : ''}`,
        ),
      );
      const row = scores.matrix[r.stage] ?? [];
      cols.forEach((c, j) => {
        const v = row[j] ?? null;
        grid.append(
          h(
            'div',
            {
              class: `rm-cell${j === r.task ? ' diag' : ''}`,
              style: `background:${scoreColor(v)}`,
              title: `${r.label} ended: score on ${c.label} ${formatMetric(v)}`,
              testid: `r-${r.stage}-${j}`,
            },
            v === null ? '' : formatMetric(v),
          ),
        );
      });
      const tags = r.uses.map((u) => USE_TAGS[u]).filter((t) => t !== null);
      grid.append(
        h(
          'div',
          { class: 'rm-use', title: tags.map((t) => t.title).join('\n') },
          tags.map((t) => t.tag).join(' '),
        ),
      );
    }
    replaceChildren(this.el, [
      grid,
      h(
        'p',
        { class: 'muted small rm-legend' },
        `${scores.rows.length} stage${scores.rows.length === 1 ? '' : 's'} × ${cols.length} task${cols.length === 1 ? '' : 's'}. ⇄ = a manual switch. ACC: mean of the last row over the tasks trained so far; "ref": a task’s last training, compared with the last row for forgetting.`,
      ),
    ]);
  }
}
