/**
 * The one Pixi Application behind the live view and the small multiples (one WebGL context for all).
 * The transparent canvas covers a host element; DOM boxes inside the host (the live view's world box and one
 * tile per task in the multiples strip) carry backgrounds, borders and captions, and their rectangles decide
 * where each world is drawn. So CSS owns the layout, text stays crisp, and the GPU only draws the worlds.
 *
 * Pacing: frames are stored as they arrive; the canvas is rendered on an animation frame only when something
 * changed and at most MAX_RENDER_FPS times a second (the trainer is never slowed by the view). Replay episodes are animated at the
 * environment's natural rate × the replay speed.
 * Lifecycle: `await Stage.create(...)` → setFrame/setMultiples/playReplay … → destroy().
 */
import 'pixi.js/unsafe-eval';
import { Application } from 'pixi.js';
import type { EnvSnapshot } from '../../envs/types';
import { h, setText } from '../ui/dom';
import { NATURAL_FPS } from './create-scene';
import type { QBars } from './q-bars';
import { WorldView } from './world-view';
import { chooseRenderer, rendererOverride, type RendererKind } from './render-quality';
import { isSoftwareWebGL } from './webgl-probe';

export interface MultipleFrame {
  task: number;
  label: string;
  snapshot: EnvSnapshot;
  episodeReturn: number;
  lastReturn: number | null;
}

export interface ReplayClip {
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
  /** Covers both boxes; the canvas is placed in it. */
  host: HTMLElement;
  /** Where the main world is drawn. */
  mainWorld: HTMLElement;
  mainCaption: HTMLElement;
  mainSub: HTMLElement;
  qBars: QBars;
  /** The strip that receives one tile per task. */
  multiples: HTMLElement;
}

/**
 * At most this many canvas renders per second. Trainer frames arrive at ~30/s; rendering more often only
 * costs GPU time (fill rate), which on software WebGL is what limits the whole UI's frame rate.
 */
const MAX_RENDER_FPS = 30;

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
  private replay: { clip: ReplayClip; started: number; speed: number } | null = null;
  private overlays = true;
  private dirty = true;
  private layoutDirty = true;
  private rafId = 0;
  private lastRender = 0;
  private readonly observer: ResizeObserver;
  private destroyed = false;
  /** Renders done and the time spent in them (ms), and the renderer used, for diagnostics and benchmarks. */
  readonly stats: { renders: number; renderMs: number; tickMs: number; renderer: RendererKind };

  private constructor(
    private readonly app: Application,
    private readonly els: StageElements,
    renderer: RendererKind,
  ) {
    this.stats = { renders: 0, renderMs: 0, tickMs: 0, renderer };
    app.stage.addChild(this.main.view);
    this.observer = new ResizeObserver(() => (this.layoutDirty = true));
    this.observer.observe(els.host);
    this.observer.observe(els.mainWorld);
    this.observer.observe(els.multiples);
    const loop = (): void => {
      if (this.destroyed) return;
      this.tick(performance.now());
      this.rafId = requestAnimationFrame(loop);
    };
    this.rafId = requestAnimationFrame(loop);
  }

  /**
   * Creates the Pixi application in `els.host` (WebGL with a GPU, Canvas 2D on software WebGL; see
   * render-quality.ts). Rejects with the reason if neither can start.
   */
  static async create(els: StageElements): Promise<Stage> {
    const choice = chooseRenderer(isSoftwareWebGL(), window.devicePixelRatio);
    const preferred = rendererOverride(window.location.search) ?? choice.renderer;
    const app = new Application();
    await app.init({
      preference: preferred === 'canvas' ? ['canvas', 'webgl'] : ['webgl', 'canvas'],
      backgroundAlpha: 0,
      // MSAA multiplies the fill cost; shapes are large and axis-aligned or thick, so it is not missed.
      antialias: false,
      autoDensity: true,
      resolution: choice.resolution,
      width: Math.max(1, els.host.clientWidth),
      height: Math.max(1, els.host.clientHeight),
      autoStart: false,
      sharedTicker: false,
    });
    app.ticker.stop();
    app.canvas.classList.add('stage-canvas');
    els.host.prepend(app.canvas);
    return new Stage(app, els, app.renderer.name === 'canvas' ? 'canvas' : 'webgl');
  }

  get canvas(): HTMLCanvasElement {
    return this.app.canvas;
  }

  setOverlaysVisible(visible: boolean): void {
    this.overlays = visible;
    this.main.setArrowsVisible(visible);
    if (!visible) this.els.qBars.update(undefined, []);
    this.dirty = true;
  }

  /** The training env's latest picture (drawn on the next animation frame unless a replay is playing). */
  setFrame(frame: MainFrame): void {
    this.pendingMain = frame;
  }

  setMultiples(frames: readonly MultipleFrame[], current: number | null): void {
    this.pendingMultiples = { frames, current };
  }

  /** Animates a recorded episode in the main view (loops) until `stopReplay`. */
  playReplay(clip: ReplayClip, speed = 1): void {
    this.replay = clip.snapshots.length > 0 ? { clip, started: performance.now(), speed } : null;
    this.els.qBars.update(undefined, []);
    if (!this.replay) {
      setText(this.els.mainCaption, `Replay · ${clip.label}`);
      setText(this.els.mainSub, 'no recorded episode before this step');
    }
    this.dirty = true;
  }

  stopReplay(): void {
    this.replay = null;
  }

  private tick(now: number): void {
    const t0 = performance.now();
    if (this.layoutDirty) this.layout();
    if (this.replay) this.drawReplay(now);
    else if (this.pendingMain) {
      const p = this.pendingMain;
      this.pendingMain = null;
      this.main.show(p.snapshot, this.overlays ? p.policy : undefined);
      this.els.qBars.update(this.overlays ? p.qValues : undefined, p.actionNames);
      setText(this.els.mainCaption, p.caption);
      setText(this.els.mainSub, p.sub);
      this.dirty = true;
    }
    if (this.pendingMultiples) {
      const { frames, current } = this.pendingMultiples;
      this.pendingMultiples = null;
      this.drawMultiples(frames, current);
      this.dirty = true;
    }
    // Half a frame of slack so a 60 Hz display alternates render / no render instead of skipping two.
    if (this.dirty && now - this.lastRender >= 1000 / MAX_RENDER_FPS - 8) {
      this.dirty = false;
      this.lastRender = now;
      const r0 = performance.now();
      this.app.render();
      this.stats.renders++;
      this.stats.renderMs += performance.now() - r0;
    }
    this.stats.tickMs += performance.now() - t0;
  }

  private drawReplay(now: number): void {
    const r = this.replay!;
    const snaps = r.clip.snapshots;
    const fps = NATURAL_FPS[snaps[0]!.kind] * r.speed;
    // Hold the last frame for half a second, then loop.
    const holdFrames = Math.ceil(fps / 2);
    const i = Math.floor(((now - r.started) / 1000) * fps) % (snaps.length + holdFrames);
    const index = Math.min(i, snaps.length - 1);
    this.main.show(snaps[index]!);
    setText(this.els.mainCaption, `Replay · ${r.clip.label}`);
    const ret = r.clip.episodeReturn === null ? '' : ` · return ${r.clip.episodeReturn.toFixed(1)}`;
    setText(this.els.mainSub, `frame ${index + 1}/${snaps.length}${ret}`);
    this.dirty = true;
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
      this.app.stage.addChild(view.view);
      this.tiles.push({ el, world, caption, sub, view });
      this.observer.observe(world);
      this.layoutDirty = true;
    }
    if (this.layoutDirty) this.layout();
    frames.forEach((f, i) => {
      const t = this.tiles[i]!;
      t.view.show(f.snapshot);
      setText(t.caption, `${f.task + 1}. ${f.label}`);
      setText(t.sub, f.lastReturn === null ? '' : `last ${f.lastReturn.toFixed(1)}`);
      t.el.classList.toggle('current', f.task === current);
    });
  }

  private layout(): void {
    this.layoutDirty = false;
    const host = this.els.host;
    const w = host.clientWidth;
    const hgt = host.clientHeight;
    if (w > 0 && hgt > 0 && (this.app.renderer.width !== w || this.app.renderer.height !== hgt)) {
      this.app.renderer.resize(w, hgt);
    }
    const origin = host.getBoundingClientRect();
    const place = (view: WorldView, el: HTMLElement): void => {
      const r = el.getBoundingClientRect();
      view.setBounds(r.left - origin.left, r.top - origin.top, r.width, r.height);
    };
    place(this.main, this.els.mainWorld);
    for (const t of this.tiles) place(t.view, t.world);
    this.dirty = true;
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
    this.app.destroy({ removeView: true }, { children: true });
  }
}
