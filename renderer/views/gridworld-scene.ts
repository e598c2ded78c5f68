/**
 * Gridworlds drawn like Minigrid's render: a dark floor (the box's background) with grid lines, grey walls, orange lava with dark
 * waves, a green goal, a yellow key (until picked up), a yellow door (filled while locked, outlined when open)
 * and the agent as a red triangle pointing in its last move's direction (the envs' convention: 0 up, 1 right,
 * 2 down, 3 left). The static cells are redrawn only when the map, the key or the door changes; a move only
 * transforms the agent.
 */
import { Container, Graphics } from 'pixi.js';
import { fitBox, type Box } from './fit';
import { PALETTE } from './palette';
import { defineScene, type Scene, type SnapshotOf } from './scene';

/** Rotation (radians, y down) of a shape drawn pointing right, for direction/action 0 up, 1 right, 2 down, 3 left. */
export function dirToRotation(dir: number): number {
  return ((dir - 1) * Math.PI) / 2;
}

export class GridworldScene implements Scene<'Gridworld'> {
  readonly kind = 'Gridworld' as const;
  readonly view = new Container();
  private readonly cells = new Graphics();
  private readonly agent = new Graphics();
  private box: Box = { x: 0, y: 0, width: 0, height: 0 };
  private areaW = 0;
  private areaH = 0;
  private cellKey = '';
  private cell = 0;
  private last: SnapshotOf<'Gridworld'> | undefined;

  constructor() {
    this.view.addChild(this.cells, this.agent);
  }

  aspect(): number {
    return this.last ? this.last.width / Math.max(1, this.last.height) : 1;
  }

  resize(width: number, height: number): void {
    this.areaW = width;
    this.areaH = height;
    this.cellKey = '';
    if (this.last) this.update(this.last);
  }

  /** Cell size in pixels and the grid's origin, for overlays drawn on top of the grid. */
  layout(): { x: number; y: number; cell: number } {
    return { x: this.box.x, y: this.box.y, cell: this.cell };
  }

  update(s: SnapshotOf<'Gridworld'>): void {
    this.last = s;
    const key = `${this.areaW}|${this.areaH}|${s.width}|${s.height}|${s.hasKey}|${s.doorOpen}|${s.rows.join('/')}`;
    if (key !== this.cellKey) {
      this.cellKey = key;
      this.box = fitBox(this.areaW, this.areaH, this.aspect(), 4);
      this.cell = s.width > 0 ? this.box.width / s.width : 0;
      this.drawCells(s);
      this.drawAgentShape();
    }
    const c = this.cell;
    this.agent.position.set(this.box.x + (s.agent.x + 0.5) * c, this.box.y + (s.agent.y + 0.5) * c);
    this.agent.rotation = dirToRotation(s.agent.dir);
  }

  private drawCells(s: SnapshotOf<'Gridworld'>): void {
    const g = this.cells.clear();
    const c = this.cell;
    const { x: ox, y: oy } = this.box;
    // The floor is the DOM box's background (no full-area fill: fill rate is the cost in software WebGL).
    for (let y = 0; y < s.height; y++) {
      const row = s.rows[y] ?? '';
      for (let x = 0; x < s.width; x++) {
        const ch = row[x] ?? '.';
        const px = ox + x * c;
        const py = oy + y * c;
        switch (ch) {
          case '#':
            g.rect(px, py, c, c).fill(PALETTE.wall);
            break;
          case 'L':
            this.drawLava(px, py, c);
            break;
          case 'G':
            g.rect(px + c * 0.04, py + c * 0.04, c * 0.92, c * 0.92).fill(PALETTE.goal);
            break;
          case 'K':
            if (!s.hasKey) this.drawKey(px, py, c);
            break;
          case 'D':
            this.drawDoor(px, py, c, s.doorOpen);
            break;
          default:
            break;
        }
      }
    }
    const lw = Math.max(1, c * 0.03);
    for (let x = 0; x <= s.width; x++) g.moveTo(ox + x * c, oy).lineTo(ox + x * c, oy + s.height * c);
    for (let y = 0; y <= s.height; y++) g.moveTo(ox, oy + y * c).lineTo(ox + s.width * c, oy + y * c);
    g.stroke({ width: lw, color: PALETTE.gridLine });
  }

  private drawLava(px: number, py: number, c: number): void {
    const g = this.cells;
    g.rect(px, py, c, c).fill(PALETTE.lava);
    for (let i = 0; i < 3; i++) {
      const y = py + c * (0.3 + i * 0.2);
      g.moveTo(px + c * 0.1, y);
      for (let j = 1; j <= 4; j++) g.lineTo(px + c * (0.1 + j * 0.2), y + (j % 2 === 1 ? -c * 0.05 : 0));
    }
    g.stroke({ width: Math.max(1, c * 0.04), color: PALETTE.lavaWave });
  }

  private drawKey(px: number, py: number, c: number): void {
    const g = this.cells;
    g.rect(px + c * 0.5, py + c * 0.3, c * 0.1, c * 0.5).fill(PALETTE.key);
    g.rect(px + c * 0.38, py + c * 0.6, c * 0.14, c * 0.06).fill(PALETTE.key);
    g.rect(px + c * 0.38, py + c * 0.72, c * 0.14, c * 0.06).fill(PALETTE.key);
    g.circle(px + c * 0.56, py + c * 0.28, c * 0.19).fill(PALETTE.key);
    g.circle(px + c * 0.56, py + c * 0.28, c * 0.08).fill(PALETTE.floor);
  }

  private drawDoor(px: number, py: number, c: number, open: boolean): void {
    const g = this.cells;
    if (open) {
      g.rect(px + c * 0.88, py, c * 0.12, c).fill(PALETTE.door);
      g.rect(px + c * 0.06, py + c * 0.06, c * 0.88, c * 0.88).stroke({
        width: Math.max(1, c * 0.04),
        color: PALETTE.door,
        alpha: 0.35,
      });
      return;
    }
    g.rect(px, py, c, c).fill(PALETTE.door);
    g.rect(px + c * 0.06, py + c * 0.06, c * 0.88, c * 0.88).fill({ color: 0x000000, alpha: 0.25 });
    g.rect(px + c * 0.52, py + c * 0.46, c * 0.26, c * 0.06).fill(PALETTE.door);
  }

  private drawAgentShape(): void {
    const c = this.cell;
    // A triangle pointing right (+x) at rotation 0, centred on the cell centre.
    this.agent
      .clear()
      .poly([c * 0.36, 0, -c * 0.3, -c * 0.28, -c * 0.3, c * 0.28], true)
      .fill(PALETTE.agent)
      .stroke({ width: Math.max(1, c * 0.03), color: 0x000000, alpha: 0.4 });
  }

  destroy(): void {
    this.view.destroy({ children: true });
  }
}

/** Found by create-scene.ts: draws 'Gridworld' snapshots. */
export const scene = defineScene('Gridworld', () => new GridworldScene());
