/**
 * The Q-value overlay: one horizontal bar per action for the current observation (the greedy action's bar
 * highlighted), drawn in a translucent panel in a corner of the live view. Bars are scaled from the smallest
 * to the largest Q so small differences stay visible; the numbers are printed beside the bars.
 */
import { Container, Graphics, Text } from 'pixi.js';
import { PALETTE } from './palette';

const ROW_H = 16;
const PAD = 8;
const NAME_W = 56;
const BAR_W = 90;
const VALUE_W = 52;

export class QOverlay {
  readonly view = new Container();
  private readonly panel = new Graphics();
  private readonly bars = new Graphics();
  private names: Text[] = [];
  private values: Text[] = [];
  private readonly title: Text;

  constructor() {
    this.title = new Text({ text: 'Q-values', style: { fill: PALETTE.textDim, fontSize: 11, fontFamily: 'system-ui, sans-serif' } });
    this.view.addChild(this.panel, this.bars, this.title);
    this.view.visible = false;
  }

  /** Width of the panel (for placing it at the right edge). */
  get width(): number {
    return PAD * 2 + NAME_W + BAR_W + VALUE_W;
  }

  update(qValues: readonly number[] | undefined, actionNames: readonly string[]): void {
    if (!qValues || qValues.length === 0) {
      this.view.visible = false;
      return;
    }
    this.view.visible = true;
    this.ensureRows(qValues.length, actionNames);
    let lo = Infinity;
    let hi = -Infinity;
    let best = 0;
    for (let i = 0; i < qValues.length; i++) {
      const q = qValues[i]!;
      if (q < lo) lo = q;
      if (q > hi) hi = q;
      if (q > qValues[best]!) best = i;
    }
    const span = hi - lo || 1;
    const h = PAD * 2 + 16 + qValues.length * ROW_H;
    this.panel.clear().roundRect(0, 0, this.width, h, 6).fill({ color: 0x000000, alpha: 0.55 });
    const g = this.bars.clear();
    for (let i = 0; i < qValues.length; i++) {
      const q = qValues[i]!;
      const y = PAD + 16 + i * ROW_H;
      const w = 4 + ((q - lo) / span) * (BAR_W - 4);
      g.roundRect(PAD + NAME_W, y + 3, w, ROW_H - 6, 2).fill(i === best ? PALETTE.barBest : PALETTE.bar);
      const v = this.values[i]!;
      const s = Math.abs(q) >= 100 ? q.toFixed(0) : q.toFixed(2);
      if (v.text !== s) v.text = s;
    }
  }

  private ensureRows(n: number, actionNames: readonly string[]): void {
    const style = { fill: PALETTE.text, fontSize: 11, fontFamily: 'system-ui, sans-serif' };
    while (this.names.length < n) {
      const i = this.names.length;
      const name = new Text({ text: '', style });
      const value = new Text({ text: '', style: { ...style, fill: PALETTE.textDim } });
      name.position.set(PAD, PAD + 16 + i * ROW_H + 1);
      value.position.set(PAD + NAME_W + BAR_W + 6, PAD + 16 + i * ROW_H + 1);
      this.view.addChild(name, value);
      this.names.push(name);
      this.values.push(value);
    }
    while (this.names.length > n) {
      this.names.pop()?.destroy();
      this.values.pop()?.destroy();
    }
    this.title.position.set(PAD, PAD - 2);
    for (let i = 0; i < n; i++) {
      const label = actionNames[i] ?? `a${i}`;
      const t = this.names[i]!;
      if (t.text !== label) t.text = label;
    }
  }

  destroy(): void {
    this.view.destroy({ children: true });
  }
}
