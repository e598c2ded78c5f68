/**
 * Pendulum drawn like Gymnasium's render (classic_control/pendulum.py): a square world ±2.2 rod lengths
 * wide, the rod (0.2 wide, Gymnasium's red) swinging about a black axle, θ = 0 pointing straight up and
 * positive counter-clockwise, and the last torque as an arc around the axle whose length grows with |τ|
 * (Gymnasium scales its clockwise-arrow image by |τ|/2), arrowhead in the torque's direction.
 */
import { Container, Graphics } from 'pixi.js';
import { fitBox, type Box } from './fit';
import { PALETTE } from './palette';
import { defineScene, type Scene, type SnapshotOf } from './scene';

/** Gymnasium's geometry in rod lengths: world half-width 2.2, rod width 0.2, axle radius 0.05. */
const BOUND = 2.2;
const ROD_W = 0.2;
const AXLE_R = 0.05;
/** Radius of the torque arc (rod lengths) and its largest sweep (radians, at the largest torque). */
const ARC_R = 0.45;
const ARC_MAX = 1.5 * Math.PI;
const ROD_COLOR = 0xcc4d4d; // Gymnasium's (204, 77, 77)
const AXLE_COLOR = 0x000000;

export class PendulumScene implements Scene<'Pendulum'> {
  readonly kind = 'Pendulum' as const;
  readonly view = new Container();
  private readonly backdrop = new Graphics();
  private readonly rod = new Graphics();
  private readonly torque = new Graphics();
  private readonly axle = new Graphics();
  private box: Box = { x: 0, y: 0, width: 0, height: 0 };
  private geometryKey = '';
  private shownTorque = Number.NaN;
  private last: SnapshotOf<'Pendulum'> | undefined;

  constructor() {
    this.view.addChild(this.backdrop, this.torque, this.rod, this.axle);
  }

  aspect(): number {
    return 1;
  }

  resize(width: number, height: number): void {
    this.box = fitBox(width, height, this.aspect(), 4);
    this.geometryKey = '';
    if (this.last) this.update(this.last);
  }

  update(s: SnapshotOf<'Pendulum'>): void {
    this.last = s;
    const scale = this.box.width / (2 * BOUND * s.length); // px per metre
    const cx = this.box.x + this.box.width / 2;
    const cy = this.box.y + this.box.height / 2;
    const key = `${this.box.width}|${this.box.height}|${s.length}`;
    if (key !== this.geometryKey) {
      this.geometryKey = key;
      this.drawStatic(s, scale, cx, cy);
      this.shownTorque = Number.NaN;
    }
    // The rod is drawn pointing up; Pixi rotates clockwise on screen, so −θ turns it counter-clockwise.
    this.rod.position.set(cx, cy);
    this.rod.rotation = -s.theta;
    if (s.torque !== this.shownTorque) {
      this.shownTorque = s.torque;
      this.drawTorque(s, scale, cx, cy);
    }
  }

  private drawStatic(s: SnapshotOf<'Pendulum'>, scale: number, cx: number, cy: number): void {
    const half = BOUND * s.length * scale;
    this.backdrop
      .clear()
      .rect(cx - half, cy - half, 2 * half, 2 * half)
      .fill({ color: PALETTE.grid, alpha: 0.35 });
    // A faint upright mark: where the reward is 0.
    this.backdrop
      .moveTo(cx, cy - s.length * scale * 1.15)
      .lineTo(cx, cy - s.length * scale * 1.3)
      .stroke({ width: Math.max(1, scale * 0.02), color: PALETTE.goal });
    const w = ROD_W * s.length * scale;
    const l = s.length * scale;
    this.rod
      .clear()
      .roundRect(-w / 2, -l - w / 2, w, l + w, w / 2)
      .fill(ROD_COLOR);
    this.axle
      .clear()
      .circle(cx, cy, Math.max(2, AXLE_R * s.length * scale))
      .fill(AXLE_COLOR)
      .stroke({ width: 1, color: PALETTE.textDim });
  }

  /** An arc around the axle, its sweep ∝ |τ|, arrowhead at the end in the torque's direction (CCW for τ > 0). */
  private drawTorque(s: SnapshotOf<'Pendulum'>, scale: number, cx: number, cy: number): void {
    const g = this.torque.clear();
    const frac = Math.min(1, Math.abs(s.torque) / s.maxTorque);
    if (!(frac > 0.01)) return;
    const r = ARC_R * s.length * scale;
    const sweep = ARC_MAX * frac;
    // Screen angles grow clockwise; start at the bottom (π/2) and sweep against the torque on screen.
    const ccw = s.torque > 0;
    const start = Math.PI / 2;
    const end = ccw ? start - sweep : start + sweep;
    const width = Math.max(1.5, scale * 0.05);
    g.arc(cx, cy, r, start, end, ccw).stroke({ width, color: PALETTE.text, alpha: 0.85 });
    // Arrowhead: a triangle at the arc's end pointing along the direction of travel.
    const ex = cx + r * Math.cos(end);
    const ey = cy + r * Math.sin(end);
    const tangent = end + (ccw ? -Math.PI / 2 : Math.PI / 2);
    const size = Math.max(5, scale * 0.14);
    const back = tangent + Math.PI;
    g.poly([
      ex + size * Math.cos(tangent),
      ey + size * Math.sin(tangent),
      ex + size * 0.6 * Math.cos(back + Math.PI / 2),
      ey + size * 0.6 * Math.sin(back + Math.PI / 2),
      ex + size * 0.6 * Math.cos(back - Math.PI / 2),
      ey + size * 0.6 * Math.sin(back - Math.PI / 2),
    ]).fill({ color: PALETTE.text, alpha: 0.85 });
  }

  destroy(): void {
    this.view.destroy({ children: true });
  }
}

/** Found by create-scene.ts: draws 'Pendulum' snapshots. */
export const scene = defineScene('Pendulum', () => new PendulumScene());
