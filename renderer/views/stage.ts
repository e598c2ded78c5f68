/**
 * The live view and the small multiples: two canvas layers (canvas-layer.ts), one over the live view's world
 * box and one over the multiples strip, each redrawn only when its pictures changed and at its own rate
 * (the trainer is never slowed by the view). DOM boxes carry backgrounds, borders and captions, and the tiles'
 * rectangles decide where each world is drawn; so CSS owns the layout, text stays crisp, and the canvases only
 * draw the worlds.
 *
 * Pacing: frames are stored as they arrive and drawn on the next animation frame; animation frames are
 * requested only while there is something to draw, so an idle view asks the browser for nothing (on a
 * software-rendered machine every needless frame takes CPU from the trainer). Playback episodes are animated
 * at the environment's natural rate × the playback speed.
 * Lifecycle: `await Stage.create(...)` → setFrame/setMultiples/playClip … → destroy().
 */
import { distinguishingLabels } from '../format/format';
import type { EnvSnapshot } from '../../envs/types';
import { h, setText } from '../ui/dom';
import { CanvasLayer } from './canvas-layer';
import { renderFps } from '../../envs/catalog';
import type { QBars } from './q-bars';
import { WorldView } from './world-view';
import { chooseRenderer, rendererOverride, type RendererKind } from './render-quality';
import { isSoftwareWebGL } from './webgl-probe';
import { qPanelPlacement } from './fit';

export interface MultipleFrame {
  task: number;
  label: string;
  snapshot: EnvSnapshot;
  episodeReturn: number;
  lastReturn: number | null;
}

export interface PlaybackClip {
  label: string;
  snapshots: readonly EnvSnapshot[];
  episodeReturn: number | null;
}

export interface MainFrame {
  snapshot: EnvSnapshot;
  qValues?: readonly number[];
  policy?: readonly number[];
  actionNames: readonly string[];
  caption: string;
  sub: string;
}

/** DOM pieces of the live view that the stage fills in. */
export interface StageElements {
  /** Where the main world is drawn (its canvas is placed in it). */
  mainWorld: HTMLElement;
  mainCaption: HTMLElement;
  mainSub: HTMLElement;
  qBars: QBars;
  /** The strip that receives one tile per task (and the strip's canvas). */
  multiples: HTMLElement;
}

/**
 * At most this many renders per second of the live view. Trainer frames arrive at up to ~30/s (10/s at max
 * speed); rendering more often only costs fill time, which without a GPU is CPU time.
 */
const MAX_RENDER_FPS = 30;
/** The strip's rate: the trainer plays the multiples at 10 steps a second. */
const MAX_STRIP_FPS = 15;

interface Tile {
  el: HTMLElement;
  world: HTMLElement;
  caption: HTMLElement;
  sub: HTMLElement;
  view: WorldView;
}

export class Stage {
  private readonly main = new WorldView(true);
  private tiles: Tile[] = [];
  private pendingMain: MainFrame | null = null;
  private pendingMultiples: { frames: readonly MultipleFrame[]; current: number | null } | null = null;
  /** The playback being animated, and the index of the snapshot on screen (-1: none yet). */
  private playback: { clip: PlaybackClip; started: number; speed: number; shown: number } | null = null;
  private overlays = true;
  private layoutDirty = true;
  /** The live picture's aspect at the last layout (a new family may move the Q-values panel). */
  private laidOutAspect: number | null = null;
  private captionKey = '';
  private shortLabels: string[] = [];
  private rafId = 0;
  private readonly observer: ResizeObserver;
  private destroyed = false;
  /**
   * For diagnostics and benchmarks: renders of the live view (`renders`) and of the strip, time spent in
   * renders and in the whole per-frame tick (ms), and the renderer used.
   */
  readonly stats = { renders: 0, stripRenders: 0, renderMs: 0, tickMs: 0, renderer: 'webgl' as RendererKind };

  private constructor(
    private readonly mainLayer: CanvasLayer,
    private readonly stripLayer: CanvasLayer,
    private readonly els: StageElements,
  ) {
    this.stats.renderer = mainLayer.kind;
    mainLayer.app.stage.addChild(this.main.view);
    this.observer = new ResizeObserver(() => {
      this.layoutDirty = true;
      this.requestTick();
    });
    this.observer.observe(els.mainWorld);
    this.observer.observe(els.multiples);
    this.requestTick();
  }

  /** Ask for one animation frame (at most one is pending). */
  private requestTick(): void {
    if (this.rafId !== 0 || this.destroyed) return;
    this.rafId = requestAnimationFrame(() => {
      this.rafId = 0;
      // performance.now(), not the frame's timestamp: that can be earlier than a playback's start.
      if (!this.destroyed) this.tick(performance.now());
    });
  }

  /**
   * Creates the two canvas layers (WebGL with a GPU, Canvas 2D on software WebGL; see render-quality.ts).
   * Rejects with the reason if neither can start.
   */
  static async create(els: StageElements): Promise<Stage> {
    const choice = chooseRenderer(isSoftwareWebGL(), window.devicePixelRatio);
    const preferred = rendererOverride(window.location.search) ?? choice.renderer;
    const mainLayer = await CanvasLayer.create(els.mainWorld, preferred, choice.resolution, MAX_RENDER_FPS);
    try {
      const stripLayer = await CanvasLayer.create(els.multiples, preferred, choice.resolution, MAX_STRIP_FPS);
      return new Stage(mainLayer, stripLayer, els);
    } catch (error) {
      mainLayer.destroy();
      throw error;
    }
  }

  /** The live view's canvas (the world being trained; what the video export records). */
  get canvas(): HTMLCanvasElement {
    return this.mainLayer.app.canvas;
  }

  setOverlaysVisible(visible: boolean): void {
    this.overlays = visible;
    this.main.setArrowsVisible(visible);
    if (!visible) this.els.qBars.update(undefined, []);
    this.mainLayer.markDirty();
    this.requestTick();
  }

  /** The training env's latest picture (drawn on the next animation frame unless a playback is playing). */
  setFrame(frame: MainFrame): void {
    this.pendingMain = frame;
    this.requestTick();
  }

  setMultiples(frames: readonly MultipleFrame[], current: number | null): void {
    this.pendingMultiples = { frames, current };
    this.requestTick();
  }

  /** Animates a recorded episode in the main view (loops) until `stopClip`. */
  playClip(clip: PlaybackClip, speed = 1): void {
    this.playback = clip.snapshots.length > 0 ? { clip, started: performance.now(), speed, shown: -1 } : null;
    this.els.qBars.update(undefined, []);
    if (!this.playback) {
      setText(this.els.mainCaption, `Playback · ${clip.label}`);
      setText(this.els.mainSub, 'no recorded episode before this step');
    }
    this.mainLayer.markDirty();
    this.requestTick();
  }

  stopClip(): void {
    this.playback = null;
  }

  /** No run to show (none started, reset, or finished): an empty world with `message` as its caption. */
  showIdle(message: string): void {
    this.pendingMain = null;
    this.main.view.visible = false;
    this.els.qBars.update(undefined, []);
    setText(this.els.mainCaption, message);
    setText(this.els.mainSub, '');
    this.mainLayer.markDirty();
    this.requestTick();
  }

  private tick(now: number): void {
    const t0 = performance.now();
    if (this.layoutDirty) this.layout();
    if (this.playback) this.drawClip(now);
    else if (this.pendingMain) {
      const p = this.pendingMain;
      this.pendingMain = null;
      this.main.view.visible = true;
      this.main.show(p.snapshot, this.overlays ? p.policy : undefined);
      this.els.qBars.update(this.overlays ? p.qValues : undefined, p.actionNames);
      setText(this.els.mainCaption, p.caption);
      setText(this.els.mainSub, p.sub);
      this.mainLayer.markDirty();
    }
    if (this.pendingMultiples) {
      const { frames, current } = this.pendingMultiples;
      this.pendingMultiples = null;
      this.drawMultiples(frames, current);
      this.stripLayer.markDirty();
    }
    if (this.main.aspect() !== this.laidOutAspect) this.layout();
    this.mainLayer.renderIfDue(now);
    this.stripLayer.renderIfDue(now);
    this.stats.renders = this.mainLayer.renders;
    this.stats.stripRenders = this.stripLayer.renders;
    this.stats.renderMs = this.mainLayer.renderMs + this.stripLayer.renderMs;
    this.stats.tickMs += performance.now() - t0;
    // A playback animates; a change that came too soon after the last render waits for a later frame.
    if (this.playback || this.mainLayer.isDirty || this.stripLayer.isDirty) this.requestTick();
  }

  private drawClip(now: number): void {
    const r = this.playback!;
    const snaps = r.clip.snapshots;
    const fps = renderFps(snaps[0]!.kind) * r.speed;
    // Hold the last frame for half a second, then loop.
    const holdFrames = Math.ceil(fps / 2);
    const i = Math.floor((Math.max(0, now - r.started) / 1000) * fps) % (snaps.length + holdFrames);
    const index = Math.min(i, snaps.length - 1);
    if (index === r.shown) return; // the picture has not changed since the last animation frame
    r.shown = index;
    this.main.view.visible = true;
    this.main.show(snaps[index]!);
    setText(this.els.mainCaption, `Playback · ${r.clip.label}`);
    const ret = r.clip.episodeReturn === null ? '' : ` · return ${r.clip.episodeReturn.toFixed(1)}`;
    setText(this.els.mainSub, `frame ${index + 1}/${snaps.length}${ret}`);
    this.mainLayer.markDirty();
  }

  private drawMultiples(frames: readonly MultipleFrame[], current: number | null): void {
    while (this.tiles.length > frames.length) {
      const t = this.tiles.pop()!;
      t.view.destroy();
      t.el.remove();
    }
    while (this.tiles.length < frames.length) {
      const i = this.tiles.length;
      const caption = h('span', { class: 'tile-caption' });
      const sub = h('span', { class: 'tile-sub' });
      const world = h('div', { class: 'world' });
      const el = h(
        'div',
        { class: 'multiple', testid: `multiple-${i}` },
        h('div', { class: 'caption-bar' }, caption, sub),
        world,
      );
      this.els.multiples.append(el);
      const view = new WorldView(false);
      this.stripLayer.app.stage.addChild(view.view);
      this.tiles.push({ el, world, caption, sub, view });
      this.observer.observe(world);
      this.layoutDirty = true;
    }
    if (this.layoutDirty) this.layout();
    // Tile captions name the distinguishing part of each task (four "CartPole …" tiles stay apart when
    // truncated); the full name is the caption's tooltip. Recomputed only when the labels change.
    const key = frames.map((f) => f.label).join('\u0001');
    if (key !== this.captionKey) {
      this.captionKey = key;
      this.shortLabels = distinguishingLabels(frames.map((f) => f.label));
      frames.forEach((f, i) => (this.tiles[i]!.caption.title = `${f.task + 1}. ${f.label}`));
    }
    frames.forEach((f, i) => {
      const t = this.tiles[i]!;
      t.view.show(f.snapshot);
      setText(t.caption, `${f.task + 1}. ${this.shortLabels[i] ?? f.label}`);
      setText(t.sub, f.lastReturn === null ? '' : `last ${f.lastReturn.toFixed(1)}`);
      t.el.classList.toggle('current', f.task === current);
    });
  }

  private layout(): void {
    this.layoutDirty = false;
    this.placeQPanel();
    const place = (view: WorldView, el: HTMLElement, origin: DOMRect): void => {
      const r = el.getBoundingClientRect();
      view.setBounds(r.left - origin.left, r.top - origin.top, r.width, r.height);
    };
    place(this.main, this.els.mainWorld, this.mainLayer.fitToBox());
    const strip = this.stripLayer.fitToBox();
    for (const t of this.tiles) place(t.view, t.world, strip);
  }

  /**
   * Puts the Q-values beside or above the live world, whichever lets the picture fill more of the view (a 3:2
   * CartPole in a tall view gets the full width). The world box then changes size and is placed as usual.
   */
  private placeQPanel(): void {
    const aspect = this.main.aspect();
    this.laidOutAspect = aspect;
    const body = this.els.mainWorld.parentElement;
    const q = this.els.qBars.el;
    if (!body || aspect === null || q.hidden) return;
    const style = getComputedStyle(q);
    const qWidth = q.offsetWidth + parseFloat(style.marginLeft) + parseFloat(style.marginRight);
    const qHeight = q.offsetHeight + parseFloat(style.marginTop) + parseFloat(style.marginBottom);
    const where = qPanelPlacement(body.clientWidth, body.clientHeight, qWidth, qHeight, aspect);
    body.classList.toggle('q-above', where === 'above');
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.rafId);
    this.observer.disconnect();
    this.main.destroy();
    for (const t of this.tiles) {
      t.view.destroy();
      t.el.remove();
    }
    this.tiles = [];
    this.mainLayer.destroy();
    this.stripLayer.destroy();
  }
}
