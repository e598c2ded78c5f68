/**
 * The Q-value overlay of the live view, in DOM (crisp text, no texture uploads): one bar per action for the
 * current observation, scaled from the smallest to the largest Q, the greedy action's bar highlighted.
 * Lives in a column of its own beside the world (data-testid `q-values`), so it never covers the world.
 */
import { h, replaceChildren, setText } from '../ui/dom';

export class QBars {
  readonly el = h('div', { class: 'q-bars', testid: 'q-values', hidden: true });
  private rows: { name: HTMLElement; bar: HTMLElement; value: HTMLElement }[] = [];
  private namesKey = '';

  update(qValues: readonly number[] | undefined, actionNames: readonly string[]): void {
    if (!qValues || qValues.length === 0) {
      this.el.hidden = true;
      return;
    }
    this.el.hidden = false;
    const names = qValues.map((_, i) => actionNames[i] ?? `a${i}`);
    const key = names.join('\u0001');
    if (key !== this.namesKey) {
      this.namesKey = key;
      this.rows = names.map((n) => ({
        name: h('span', { class: 'q-name' }, n),
        bar: h('span', { class: 'q-bar' }),
        value: h('span', { class: 'q-value' }),
      }));
      replaceChildren(this.el, [
        h('div', { class: 'q-title' }, 'Q-values'),
        ...this.rows.map((r) =>
          h('div', { class: 'q-row' }, r.name, h('span', { class: 'q-track' }, r.bar), r.value),
        ),
      ]);
    }
    let lo = Infinity;
    let hi = -Infinity;
    let best = 0;
    qValues.forEach((q, i) => {
      lo = Math.min(lo, q);
      hi = Math.max(hi, q);
      if (q > qValues[best]!) best = i;
    });
    const span = hi - lo || 1;
    qValues.forEach((q, i) => {
      const r = this.rows[i]!;
      r.bar.style.width = `${(6 + ((q - lo) / span) * 94).toFixed(1)}%`;
      r.bar.classList.toggle('best', i === best);
      setText(r.value, Math.abs(q) >= 100 ? q.toFixed(0) : q.toFixed(2));
    });
  }
}
