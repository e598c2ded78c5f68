/**
 * MountainCar drawn like Gymnasium's render (classic_control/mountain_car.py): the hill y = 0.45·sin(3x) + 0.55
 * over [minPosition, maxPosition], the car (40×20 at 600 px, 10 px clearance, two wheels) tilted with the slope,
 * and the yellow flag at the goal position.
 */
import { Container, Graphics } from 'pixi.js';
import { fitBox, type Box } from './fit';
import { PALETTE } from './palette';
import { defineScene, type Scene, type SnapshotOf } from './scene';

const SCREEN_W = 600;
const SCREEN_H = 400;
const CAR_W = 40;
const CAR_H = 20;
const CLEARANCE = 10;
const FLAG_H = 50;
const CURVE_POINTS = 100;

/** Height of the hill at position x (Gymnasium's `_height`). */
export function hillHeight(x: number): number {
  return Math.sin(3 * x) * 0.45 + 0.55;
}

export class MountainCarScene implements Scene<'MountainCar'> {
  readonly kind = 'MountainCar' as const;
  readonly view = new Container();
  private readonly hill = new Graphics();
  private readonly car = new Graphics();
  private box: Box = { x: 0, y: 0, width: 0, height: 0 };
  private geometryKey = '';
  private last: SnapshotOf<'MountainCar'> | undefined;

  constructor() {
    this.view.addChild(this.hill, this.car);
  }

  aspect(): number {
    return SCREEN_W / SCREEN_H;
  }

  resize(width: number, height: number): void {
    this.box = fitBox(width, height, this.aspect(), 4);
    this.geometryKey = '';
    if (this.last) this.update(this.last);
  }

  update(s: SnapshotOf<'MountainCar'>): void {
    this.last = s;
    const k = this.box.width / SCREEN_W;
    const scale = this.box.width / (s.maxPosition - s.minPosition);
    const toX = (p: number): number => this.box.x + (p - s.minPosition) * scale;
    const toY = (h: number): number => this.box.y + this.box.height - h * scale;
    const key = `${this.box.width}|${this.box.height}|${s.minPosition}|${s.maxPosition}|${s.goalPosition}`;
    if (key !== this.geometryKey) {
      this.geometryKey = key;
      this.drawStatic(s, k, toX, toY);
    }
    // Tilt with the true slope of the drawn curve: d/dx(0.45·sin 3x) = 1.35·cos 3x.
    this.car.position.set(toX(s.position), toY(hillHeight(s.position)));
    this.car.rotation = -Math.atan(1.35 * Math.cos(3 * s.position));
  }

  private drawStatic(
    s: SnapshotOf<'MountainCar'>,
    k: number,
    toX: (p: number) => number,
    toY: (h: number) => number,
  ): void {
    const g = this.hill.clear();
    const points: number[] = [];
    for (let i = 0; i <= CURVE_POINTS; i++) {
      const p = s.minPosition + ((s.maxPosition - s.minPosition) * i) / CURVE_POINTS;
      points.push(toX(p), toY(hillHeight(p)));
    }
    const bottom = this.box.y + this.box.height;
    g.poly([toX(s.minPosition), bottom, ...points, toX(s.maxPosition), bottom], true).fill({
      color: PALETTE.hillFill,
    });
    g.poly(points, false).stroke({ width: Math.max(1.5, 2.5 * k), color: PALETTE.hillLine });
    // The flag at the goal.
    const fx = toX(s.goalPosition);
    const fy = toY(hillHeight(s.goalPosition));
    g.moveTo(fx, fy)
      .lineTo(fx, fy - FLAG_H * k)
      .stroke({ width: Math.max(1, 2 * k), color: PALETTE.text });
    g.poly([fx, fy - FLAG_H * k, fx, fy - (FLAG_H - 10) * k, fx + 25 * k, fy - (FLAG_H - 5) * k], true).fill(
      PALETTE.flag,
    );

    const c = this.car.clear();
    const wheel = (CAR_H / 2.5) * k;
    c.roundRect((-CAR_W / 2) * k, -(CLEARANCE + CAR_H) * k, CAR_W * k, CAR_H * k, 3 * k).fill(PALETTE.car);
    c.rect(2 * k, -(CLEARANCE + CAR_H - 4) * k, 10 * k, 7 * k).fill({
      color: PALETTE.background,
      alpha: 0.6,
    });
    for (const wx of [-CAR_W / 4, CAR_W / 4])
      c.circle(wx * k, -CLEARANCE * k + wheel * 0.4, wheel).fill(PALETTE.wheel);
  }

  destroy(): void {
    this.view.destroy({ children: true });
  }
}

/** Found by create-scene.ts: draws 'MountainCar' snapshots. */
export const scene = defineScene('MountainCar', () => new MountainCarScene());
