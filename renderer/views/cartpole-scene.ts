/**
 * CartPole drawn like Gymnasium's render (classic_control/cartpole.py): world width 2·xThreshold·2, a track
 * line, the cart (50×30 at 600 px), the pole (width 10, length ∝ pole length) hinged at an axle a quarter of
 * the cart height above its centre, leaning by θ. Red ticks mark the ±xThreshold termination bounds.
 */
import { Container, Graphics } from 'pixi.js';
import { fitBox, type Box } from './fit';
import { PALETTE } from './palette';
import { defineScene, type Scene, type SnapshotOf } from './scene';

/** Gymnasium's render geometry at its 600×400 screen, in pixels. */
const SCREEN_W = 600;
const SCREEN_H = 400;
const CART_W = 50;
const CART_H = 30;
const POLE_W = 10;
const TRACK_Y = 100; // px above the bottom edge
const AXLE_OFFSET = CART_H / 4;

export class CartPoleScene implements Scene<'CartPole'> {
  readonly kind = 'CartPole' as const;
  readonly view = new Container();
  private readonly ground = new Graphics();
  private readonly cart = new Graphics();
  private readonly pole = new Graphics();
  private box: Box = { x: 0, y: 0, width: 0, height: 0 };
  private geometryKey = '';
  private last: SnapshotOf<'CartPole'> | undefined;

  constructor() {
    this.view.addChild(this.ground, this.cart, this.pole);
  }

  aspect(): number {
    return SCREEN_W / SCREEN_H;
  }

  resize(width: number, height: number): void {
    this.box = fitBox(width, height, this.aspect(), 4);
    this.geometryKey = '';
    if (this.last) this.update(this.last);
  }

  update(s: SnapshotOf<'CartPole'>): void {
    this.last = s;
    const k = this.box.width / SCREEN_W; // screen px per Gymnasium px
    const scale = (SCREEN_W / (s.xThreshold * 4)) * k; // px per metre
    const trackY = this.box.y + this.box.height - TRACK_Y * k;
    const key = `${this.box.width}|${this.box.height}|${s.xThreshold}|${s.poleLength}`;
    if (key !== this.geometryKey) {
      this.geometryKey = key;
      this.drawStatic(s, k, scale, trackY);
    }
    const cx = this.box.x + this.box.width / 2 + s.x * scale;
    this.cart.position.set(cx, trackY);
    this.pole.position.set(cx, trackY - AXLE_OFFSET * k);
    this.pole.rotation = s.theta;
  }

  private drawStatic(s: SnapshotOf<'CartPole'>, k: number, scale: number, trackY: number): void {
    const { x, width } = this.box;
    const mid = x + width / 2;
    this.ground.clear();
    this.ground
      .rect(x, trackY, width, this.box.y + this.box.height - trackY)
      .fill({ color: PALETTE.ground, alpha: 0.35 });
    this.ground
      .moveTo(x, trackY)
      .lineTo(x + width, trackY)
      .stroke({ width: Math.max(1, k * 1.5), color: PALETTE.groundLine });
    for (const sign of [-1, 1]) {
      const bx = mid + sign * s.xThreshold * scale;
      this.ground
        .moveTo(bx, trackY - 14 * k)
        .lineTo(bx, trackY + 14 * k)
        .stroke({ width: Math.max(1, 2 * k), color: PALETTE.danger, alpha: 0.7 });
    }
    this.cart.clear();
    this.cart
      .roundRect((-CART_W / 2) * k, (-CART_H / 2) * k, CART_W * k, CART_H * k, 3 * k)
      .fill(PALETTE.cart);
    this.pole.clear();
    const len = s.poleLength * scale;
    this.pole
      .roundRect((-POLE_W / 2) * k, -len, POLE_W * k, len + (POLE_W / 2) * k, 2 * k)
      .fill(PALETTE.pole);
    this.pole.circle(0, 0, (POLE_W / 2) * k).fill(PALETTE.axle);
  }

  destroy(): void {
    this.view.destroy({ children: true });
  }
}

/** Found by create-scene.ts: draws 'CartPole' snapshots. */
export const scene = defineScene('CartPole', () => new CartPoleScene());
