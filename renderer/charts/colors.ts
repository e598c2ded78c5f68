/**
 * Chart colours (pure): one distinct colour per task (cycled), and the R-matrix heat scale from red (0, or
 * below) through amber to green (1, solved), with grey for "not measured".
 */

export const TASK_COLORS = [
  '#4ea1ff',
  '#f0883e',
  '#57d38c',
  '#d2a8ff',
  '#ff7b72',
  '#e3b341',
  '#39c5cf',
  '#f778ba',
] as const;

export function taskColor(task: number): string {
  return TASK_COLORS[((task % TASK_COLORS.length) + TASK_COLORS.length) % TASK_COLORS.length]!;
}

/** `#rrggbb` → `rgba(r, g, b, alpha)`. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

const STOPS: [number, [number, number, number]][] = [
  [0, [178, 54, 54]],
  [0.5, [204, 150, 40]],
  [1, [46, 160, 90]],
];

/** Heat colour of a normalized score; values are clamped to [0, 1]; null/NaN → grey. */
export function scoreColor(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'rgb(48, 56, 66)';
  const x = Math.min(1, Math.max(0, v));
  for (let i = 1; i < STOPS.length; i++) {
    const [x1, c1] = STOPS[i]!;
    const [x0, c0] = STOPS[i - 1]!;
    if (x <= x1) {
      const f = (x - x0) / (x1 - x0);
      const c = c0.map((a, k) => Math.round(a + (c1[k]! - a) * f));
      return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
    }
  }
  return 'rgb(46, 160, 90)';
}
