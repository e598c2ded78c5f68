/**
 * Greedy-policy arrows over a gridworld: one small arrow per free cell pointing along the greedy action
 * (actions 0 up, 1 right, 2 down, 3 left; −1 = no arrow). All arrows are one Graphics, rebuilt only when
 * the policy or the layout changes (one batched draw; the policy changes far less often than frames arrive).
 */
import { Graphics } from 'pixi.js';
import { PALETTE } from './palette';

/** Unit vectors of the four moves (screen y down). */
const DX = [0, 1, 0, -1];
const DY = [-1, 0, 1, 0];

export class PolicyArrows {
  readonly view = new Graphics();
  private key = '';

  update(
    policy: readonly number[] | undefined,
    width: number,
    height: number,
    layout: { x: number; y: number; cell: number },
  ): void {
    if (!policy || policy.length !== width * height) {
      this.view.visible = false;
      return;
    }
    this.view.visible = true;
    const key = `${layout.x}|${layout.y}|${layout.cell}|${width}|${policy.join('')}`;
    if (key === this.key) return;
    this.key = key;
    const g = this.view.clear();
    const c = layout.cell;
    // One filled 7-point arrow per cell (fills tessellate far faster than round-capped strokes).
    const len = c * 0.26;
    const head = c * 0.13;
    const half = Math.max(0.5, c * 0.025);
    for (let i = 0; i < policy.length; i++) {
      const a = policy[i]!;
      if (a < 0 || a > 3) continue;
      const cx = layout.x + ((i % width) + 0.5) * c;
      const cy = layout.y + (Math.floor(i / width) + 0.5) * c;
      const dx = DX[a]!;
      const dy = DY[a]!;
      // Along (dx, dy) and across (−dy, dx).
      const p = (along: number, across: number): [number, number] => [
        cx + dx * along - dy * across,
        cy + dy * along + dx * across,
      ];
      g.poly([
        ...p(-len, -half),
        ...p(len - head, -half),
        ...p(len - head, -head * 0.8),
        ...p(len, 0),
        ...p(len - head, head * 0.8),
        ...p(len - head, half),
        ...p(-len, half),
      ]);
    }
    g.fill({ color: PALETTE.arrow, alpha: 0.3 });
  }

  destroy(): void {
    this.view.destroy();
  }
}
