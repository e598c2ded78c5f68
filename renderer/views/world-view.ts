/**
 * One world on the stage: the scene for the snapshot's family (swapped when the family changes) and, for the
 * main view, the gridworld policy arrows. It draws nothing else: frames, captions and backgrounds are DOM
 * (cheaper to composite, crisp text). Lifecycle: new WorldView(arrows) → setBounds(x, y, w, h) →
 * show(snapshot, policy?) … → destroy().
 */
import { Container } from 'pixi.js';
import type { EnvSnapshot } from '../../envs/types';
import { createScene } from './create-scene';
import type { GridworldScene } from './gridworld-scene';
import { PolicyArrows } from './policy-arrows';
import type { Scene } from './scene';

export class WorldView {
  readonly view = new Container();
  private scene: Scene | null = null;
  private arrows: PolicyArrows | null;
  private w = 0;
  private h = 0;
  private showArrows = true;
  /** The last picture shown, redrawn when the bounds change (the arrows follow the scene's new layout). */
  private last: { snapshot: EnvSnapshot; policy: readonly number[] | undefined } | null = null;

  constructor(withArrows: boolean) {
    this.arrows = withArrows ? new PolicyArrows() : null;
    if (this.arrows) this.view.addChild(this.arrows.view);
  }

  setBounds(x: number, y: number, width: number, height: number): void {
    this.view.position.set(x, y);
    if (width === this.w && height === this.h) return;
    this.w = width;
    this.h = height;
    this.scene?.resize(width, height);
    if (this.last) this.show(this.last.snapshot, this.last.policy);
  }

  /** Width / height of the picture shown (null before the first snapshot). */
  aspect(): number | null {
    return this.scene ? this.scene.aspect() : null;
  }

  setArrowsVisible(visible: boolean): void {
    this.showArrows = visible;
    if (this.arrows && !visible) this.arrows.view.visible = false;
  }

  show(snapshot: EnvSnapshot, policy?: readonly number[]): void {
    this.last = { snapshot, policy };
    if (!this.scene || this.scene.kind !== snapshot.kind) {
      this.scene?.destroy();
      this.scene = createScene(snapshot.kind);
      // Above the arrows: arrows sit on free (transparent) cells, and the agent is drawn over its arrow.
      this.view.addChild(this.scene.view);
      this.scene.resize(this.w, this.h);
    }
    (this.scene as Scene<typeof snapshot.kind>).update(snapshot as never);
    if (!this.arrows) return;
    if (this.showArrows && snapshot.kind === 'Gridworld') {
      const layout = (this.scene as unknown as GridworldScene).layout();
      this.arrows.update(policy, snapshot.width, snapshot.height, layout);
    } else {
      this.arrows.view.visible = false;
    }
  }

  destroy(): void {
    this.scene?.destroy();
    this.scene = null;
    this.arrows = null;
    this.last = null;
    this.view.destroy({ children: true });
  }
}
