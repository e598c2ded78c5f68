/**
 * Acrobot drawn like Gymnasium's render (classic_control/acrobot.py): a fixed pivot, two links hanging down at
 * θ = 0 (link 1 at angle θ1 from straight down, link 2 at θ1 + θ2), yellow joints, cyan links, and the target
 * line one link length above the pivot that the tip must cross.
 */
import { Container, Graphics } from 'pixi.js';
import { fitBox, type Box } from './fit';
import { PALETTE } from './palette';
import { defineScene, type Scene, type SnapshotOf } from './scene';

/** Link width and joint radius as fractions of a metre, as in Gymnasium (0.1 wide links, 0.1 joints). */
const LINK_W = 0.1;
const JOINT_R = 0.1;
const MARGIN_M = 0.2;

export class AcrobotScene implements Scene<'Acrobot'> {
  readonly kind = 'Acrobot' as const;
  readonly view = new Container();
  private readonly backdrop = new Graphics();
  private readonly link1 = new Graphics();
  private readonly link2 = new Graphics();
  private readonly tip = new Graphics();
  private box: Box = { x: 0, y: 0, width: 0, height: 0 };
  private geometryKey = '';
  private last: SnapshotOf<'Acrobot'> | undefined;

  constructor() {
    this.view.addChild(this.backdrop, this.link1, this.link2, this.tip);
  }

  aspect(): number {
    return 1;
  }

  resize(width: number, height: number): void {
    this.box = fitBox(width, height, this.aspect(), 4);
    this.geometryKey = '';
    if (this.last) this.update(this.last);
  }

  update(s: SnapshotOf<'Acrobot'>): void {
    this.last = s;
    const bound = s.link1 + s.link2 + MARGIN_M;
    const scale = this.box.width / (2 * bound);
    const cx = this.box.x + this.box.width / 2;
    const cy = this.box.y + this.box.height / 2;
    const key = `${this.box.width}|${this.box.height}|${s.link1}|${s.link2}`;
    if (key !== this.geometryKey) {
      this.geometryKey = key;
      this.drawStatic(s, scale, cx, cy, bound);
    }
    // Screen y points down, so a link drawn downward rotates by −θ to swing counter-clockwise for θ > 0.
    this.link1.position.set(cx, cy);
    this.link1.rotation = -s.theta1;
    const ex = cx + Math.sin(s.theta1) * s.link1 * scale;
    const ey = cy + Math.cos(s.theta1) * s.link1 * scale;
    this.link2.position.set(ex, ey);
    this.link2.rotation = -(s.theta1 + s.theta2);
    const a = s.theta1 + s.theta2;
    this.tip.position.set(ex + Math.sin(a) * s.link2 * scale, ey + Math.cos(a) * s.link2 * scale);
  }

  private drawStatic(s: SnapshotOf<'Acrobot'>, scale: number, cx: number, cy: number, bound: number): void {
    const g = this.backdrop.clear();
    const targetY = cy - s.link1 * scale; // the goal: tip height above the pivot ≥ link 1's length
    g.rect(cx - bound * scale, cy - bound * scale, 2 * bound * scale, (bound - s.link1) * scale).fill({
      color: PALETTE.goal,
      alpha: 0.06,
    });
    g.moveTo(cx - bound * scale, targetY)
      .lineTo(cx + bound * scale, targetY)
      .stroke({ width: Math.max(1, scale * 0.02), color: PALETTE.target });
    const w = LINK_W * scale;
    const r = JOINT_R * scale;
    this.link1
      .clear()
      .roundRect(-w / 2, 0, w, s.link1 * scale, w / 2)
      .fill(PALETTE.link);
    this.link1.circle(0, 0, r).fill(PALETTE.joint);
    this.link2
      .clear()
      .roundRect(-w / 2, 0, w, s.link2 * scale, w / 2)
      .fill(PALETTE.link);
    this.link2.circle(0, 0, r).fill(PALETTE.joint);
    this.tip
      .clear()
      .circle(0, 0, r * 0.6)
      .fill({ color: PALETTE.joint, alpha: 0.8 });
  }

  destroy(): void {
    this.view.destroy({ children: true });
  }
}

/** Found by create-scene.ts: draws 'Acrobot' snapshots. */
export const scene = defineScene('Acrobot', () => new AcrobotScene());
