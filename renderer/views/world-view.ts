/**
 * One framed world on the stage: a rounded backdrop, the scene for the snapshot's family (swapped when the
 * family changes), a caption, and for the main view the Q-value bars and gridworld policy arrows.
 * Lifecycle: new WorldView(opts) → setBounds(x, y, w, h) → show(snapshot, extras) … → destroy().
 */
import { Container, Graphics, Text } from 'pixi.js';
import type { EnvSnapshot } from '../../envs/types';
import { createScene } from './create-scene';
import type { GridworldScene } from './gridworld-scene';
import { PALETTE } from './palette';
import { PolicyArrows } from './policy-arrows';
import { QOverlay } from './q-overlay';
import type { Scene } from './scene';

export interface WorldExtras {
  qValues?: readonly number[];
  policy?: readonly number[];
  actionNames?: readonly string[];
}

export interface WorldViewOptions {
  /** Show Q bars / policy arrows (main view only). */
  overlays: boolean;
  /** Caption font size in px. */
  captionSize: number;
  /** Highlight colour of the frame (e.g. the task being trained); null for none. */
  accent?: number | null;
}

const CAPTION_H = 20;

export class WorldView {
  readonly view = new Container();
  private readonly backdrop = new Graphics();
  private readonly sceneLayer = new Container();
  private readonly caption: Text;
  private readonly subCaption: Text;
  private scene: Scene | null = null;
  private q: QOverlay | null = null;
  private arrows: PolicyArrows | null = null;
  private w = 0;
  private h = 0;
  private accent: number | null;
  private showOverlays = true;

  constructor(private readonly opts: WorldViewOptions) {
    const style = { fill: PALETTE.text, fontSize: opts.captionSize, fontFamily: 'system-ui, sans-serif', fontWeight: '600' as const };
    this.caption = new Text({ text: '', style });
    this.subCaption = new Text({ text: '', style: { ...style, fill: PALETTE.textDim, fontWeight: '400' as const } });
    this.accent = opts.accent ?? null;
    this.view.addChild(this.backdrop, this.sceneLayer, this.caption, this.subCaption);
    if (opts.overlays) {
      this.arrows = new PolicyArrows();
      this.q = new QOverlay();
      this.view.addChild(this.arrows.view, this.q.view);
    }
  }

  setBounds(x: number, y: number, width: number, height: number): void {
    this.view.position.set(x, y);
    if (width === this.w && height === this.h) return;
    this.w = width;
    this.h = height;
    this.drawBackdrop();
    this.layoutScene();
  }

  setCaption(text: string, sub = ''): void {
    if (this.caption.text !== text) this.caption.text = text;
    if (this.subCaption.text !== sub) this.subCaption.text = sub;
    this.subCaption.position.set(this.w - 8 - this.subCaption.width, 4);
  }

  setAccent(color: number | null): void {
    if (color === this.accent) return;
    this.accent = color;
    this.drawBackdrop();
  }

  setOverlaysVisible(visible: boolean): void {
    this.showOverlays = visible;
    if (this.q) this.q.view.visible = visible && this.q.view.visible;
    if (this.arrows) this.arrows.view.visible = visible && this.arrows.view.visible;
  }

  show(snapshot: EnvSnapshot, extras: WorldExtras = {}): void {
    if (!this.scene || this.scene.kind !== snapshot.kind) {
      this.scene?.destroy();
      this.scene = createScene(snapshot.kind);
      this.sceneLayer.addChild(this.scene.view);
      this.layoutScene();
    }
    (this.scene as Scene<typeof snapshot.kind>).update(snapshot as never);
    if (this.q) {
      this.q.update(this.showOverlays ? extras.qValues : undefined, extras.actionNames ?? []);
      this.q.view.position.set(this.w - this.q.width - 8, CAPTION_H + 8);
    }
    if (this.arrows) {
      if (this.showOverlays && snapshot.kind === 'Gridworld') {
        const layout = (this.scene as unknown as GridworldScene).layout();
        this.arrows.view.position.set(0, CAPTION_H);
        this.arrows.update(extras.policy, snapshot.width, snapshot.height, layout);
      } else {
        this.arrows.view.visible = false;
      }
    }
  }

  private layoutScene(): void {
    this.sceneLayer.position.set(0, CAPTION_H);
    this.scene?.resize(this.w, Math.max(0, this.h - CAPTION_H));
    this.caption.position.set(8, 4);
    this.subCaption.position.set(this.w - 8 - this.subCaption.width, 4);
  }

  private drawBackdrop(): void {
    const g = this.backdrop.clear();
    g.roundRect(0, 0, this.w, this.h, 8).fill(PALETTE.background);
    if (this.accent !== null) g.roundRect(0.5, 0.5, this.w - 1, this.h - 1, 8).stroke({ width: 2, color: this.accent });
    else g.roundRect(0.5, 0.5, this.w - 1, this.h - 1, 8).stroke({ width: 1, color: PALETTE.grid });
  }

  destroy(): void {
    this.scene?.destroy();
    this.scene = null;
    this.q = null;
    this.arrows = null;
    this.view.destroy({ children: true });
  }
}
