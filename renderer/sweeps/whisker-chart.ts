/**
 * Dot-and-whisker chart (SVG): one row per sweep group, the mean as a dot and the 90% bootstrap interval as a
 * whisker, for one metric (ACC or forgetting). Pure DOM; redrawn whole on every update (a few dozen nodes).
 */
import type { SweepDetail } from '../../src/protocol/messages';

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 18;
const LEFT = 4;
const RIGHT = 8;
const TOP = 16;

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function whiskerChart(
  title: string,
  groups: SweepDetail['groups'],
  metric: 'acc' | 'forgetting',
  colors: readonly string[],
  width = 150,
): SVGSVGElement {
  const height = TOP + ROW * Math.max(1, groups.length) + 14;
  const svg = el('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    class: 'whisker-chart',
    role: 'img',
  });
  svg.setAttribute('aria-label', `${title}: mean and 90% interval per group`);
  const values = groups.flatMap((g) => (g[metric] ? [g[metric].low, g[metric].high] : []));
  const lo = Math.min(0, ...values);
  const hi = Math.max(1, ...values);
  const x = (v: number): number => LEFT + ((v - lo) / (hi - lo)) * (width - LEFT - RIGHT);
  svg.append(el('text', { x: LEFT, y: 11, class: 'whisker-title' }, title));
  // Axis: ticks at lo, 0 (if inside), 0.5, 1, hi.
  const ticks = [...new Set([lo, 0, 0.5, 1, hi].map((t) => Math.round(t * 100) / 100))].filter(
    (t) => t >= lo && t <= hi,
  );
  const axisY = TOP + ROW * Math.max(1, groups.length);
  for (const t of ticks) {
    svg.append(
      el('line', {
        x1: x(t),
        x2: x(t),
        y1: TOP - 2,
        y2: axisY,
        class: t === 0 ? 'whisker-zero' : 'whisker-grid',
      }),
    );
    svg.append(
      el('text', { x: x(t), y: axisY + 11, class: 'whisker-tick', 'text-anchor': 'middle' }, String(t)),
    );
  }
  groups.forEach((g, i) => {
    const ci = g[metric];
    const y = TOP + ROW * i + ROW / 2;
    const color = colors[i % colors.length]!;
    const row = el('g', { 'data-group': g.label });
    const tip = el('title', {});
    tip.textContent = ci
      ? `${g.label}: ${metric === 'acc' ? 'ACC' : 'forgetting'} ${ci.mean.toFixed(3)} [${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}] over ${g.n} run${g.n === 1 ? '' : 's'}`
      : `${g.label}: no finished run`;
    row.append(tip);
    if (ci) {
      row.append(
        el('line', { x1: x(ci.low), x2: x(ci.high), y1: y, y2: y, stroke: color, 'stroke-width': 2 }),
      );
      for (const v of [ci.low, ci.high]) {
        row.append(
          el('line', { x1: x(v), x2: x(v), y1: y - 4, y2: y + 4, stroke: color, 'stroke-width': 1.5 }),
        );
      }
      row.append(el('circle', { cx: x(ci.mean), cy: y, r: 3.5, fill: color }));
    }
    svg.append(row);
  });
  return svg;
}
