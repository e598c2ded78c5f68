/**
 * The one Pixi Application behind the live view and the small multiples (one WebGL context for all of them).
 * The canvas fills a host element; two transparent DOM boxes inside it (the live view and the multiples strip)
 * decide where each world is drawn, so CSS owns the layout and tests can screenshot each box.
 *
 * Pacing: frames are stored as they arrive and drawn on the next animation frame, at most once per frame and
 * only when something changed (the trainer is never slowed by the view). Replay episodes are animated at the
 * environment's natural rate × the replay speed.
 * Lifecycle: `await Stage.create(...)` → setFrame/setMultiples/playReplay … → destroy().
 */
import 'pixi.js/unsafe-eval';
import { Application } from 'pixi.js';
import type { EnvSnapshot } from '../../envs/types';
import { NATURAL_FPS } from './create-scene';
import { PALETTE } from './palette';
import { WorldView, type WorldExtras } from './world-view';

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

interface Pending {
  snapshot: EnvSnapshot;
  extras: WorldExtras;
  caption: string;
  sub: string;
}

const ACCENT = 0x3d8bfd;
const MULTIPLE_GAP = 8;

export class Stage {
  private readonly main: WorldView;
  private multiples: WorldView[] = [];
  private pendingMain: Pending | null = null;
  private pendingMultiples: { frames: readonly MultipleFrame[]; current: number | null } | null = null;
  private replay: { clip: ReplayClip; started: number; speed: number } | null = null;
  private dirty = true;
  private rafId = 0;
  private readonly observer: ResizeObserver;
  private destroyed = false;
  /** Animation frames drawn (for the fps readout). */
  framesDrawn = 0;

  private constructor(
    private readonly app: Application,
    private readonly host: HTMLElement,
    private readonly mainBox: HTMLElement,
    private readonly multiplesBox: HTMLElement,
  ) {
    this.main = new WorldView({ overlays: true, captionSize: 13 });
    app.stage.addChild(this.main.view);
    this.observer = new ResizeObserver(() => this.layout());
    this.observer.observe(host);
    this.observer.observe(mainBox);
    this.observer.observe(multiplesBox);
    this.layout();
    const loop = (): void => {
      if (this.destroyed) return;
      this.tick(performance.now());
      this.rafId = requestAnimationFrame(loop);
    };
    this.rafId = requestAnimationFrame(loop);
  }

  /** Creates the Pixi application (WebGL) inside `host`. Rejects with a readable message if WebGL is unavailable. */
  static async create(host: HTMLElement, mainBox: HTMLElement, multiplesBox: HTMLElement): Promise<Stage> {
    const app = new Application();
    await app.init({
      preference: 'webgl',
      background: PALETTE.background,
      backgroundAlpha: 0,
      antialias: false,
      autoDensity: true,
      resolution: Math.min(2, window.devicePixelRatio || 1),
      width: Math.max(1, host.clientWidth),
      height: Math.max(1, host.clientHeight),
      autoStart: false,
      sharedTicker: false,
    });
    app.ticker.stop();
    app.canvas.classList.add('stage-canvas');
    host.prepend(app.canvas);
    return new Stage(app, host, mainBox, multiplesBox);
  }

  get canvas(): HTMLCanvasElement {
    return this.app.canvas;
  }

  setOverlaysVisible(visible: boolean): void {
    this.main.setOverlaysVisible(visible);
    this.dirty = true;
  }

  /** The training env's latest picture (drawn on the next animation frame unless a replay is playing). */
  setFrame(snapshot: EnvSnapshot, extras: WorldExtras, caption: string, sub: string): void {
    this.pendingMain = { snapshot, extras, caption, sub };
  }

  setMultiples(frames: readonly MultipleFrame[], current: number | null): void {
    this.pendingMultiples = { frames, current };
  }

  /** Animates a recorded episode in the main view (loops) until `stopReplay`. */
  playReplay(clip: ReplayClip, speed = 1): void {
    this.replay = clip.snapshots.length > 0 ? { clip, started: performance.now(), speed } : null;
    if (!this.replay) this.main.setCaption(clip.label, 'no recorded episode before this step');
    this.dirty = true;
  }

  stopReplay(): void {
    this.replay = null;
  }

  private tick(now: number): void {
    if (this.replay) this.drawReplay(now);
    else if (this.pendingMain) {
      const p = this.pendingMain;
      this.pendingMain = null;
      this.main.show(p.snapshot, p.extras);
      this.main.setCaption(p.caption, p.sub);
      this.dirty = true;
    }
    if (this.pendingMultiples) {
      const { frames, current } = this.pendingMultiples;
      this.pendingMultiples = null;
      this.drawMultiples(frames, current);
      this.dirty = true;
    }
    if (this.dirty) {
      this.dirty = false;
      this.app.render();
      this.framesDrawn++;
    }
  }

  private drawReplay(now: number): void {
    const r = this.replay!;
    const snaps = r.clip.snapshots;
    const fps = NATURAL_FPS[snaps[0]!.kind] * r.speed;
    // Hold the last frame for half a second, then loop.
    const holdFrames = Math.ceil(fps / 2);
    const i = Math.floor(((now - r.started) / 1000) * fps) % (snaps.length + holdFrames);
    const index = Math.min(i, snaps.length - 1);
    this.main.show(snaps[index]!, {});
    const ret = r.clip.episodeReturn === null ? '' : ` · return ${r.clip.episodeReturn.toFixed(1)}`;
    this.main.setCaption(`Replay · ${r.clip.label}`, `step ${index + 1}/${snaps.length}${ret}`);
    this.dirty = true;
  }

  private drawMultiples(frames: readonly MultipleFrame[], current: number | null): void {
    while (this.multiples.length > frames.length) this.multiples.pop()?.destroy();
    while (this.multiples.length < frames.length) {
      const v = new WorldView({ overlays: false, captionSize: 11 });
      this.app.stage.addChild(v.view);
      this.multiples.push(v);
      this.layout();
    }
    frames.forEach((f, i) => {
      const v = this.multiples[i]!;
      v.show(f.snapshot);
      const last = f.lastReturn === null ? '' : `last ${f.lastReturn.toFixed(1)}`;
      v.setCaption(`${f.task + 1}. ${f.label}`, last);
      v.setAccent(f.task === current ? ACCENT : null);
    });
  }

  private layout(): void {
    if (this.destroyed) return;
    const w = this.host.clientWidth;
    const h = this.host.clientHeight;
    if (w > 0 && h > 0 && (this.app.renderer.width !== w || this.app.renderer.height !== h)) {
      this.app.renderer.resize(w, h);
    }
    const origin = this.host.getBoundingClientRect();
    const m = this.mainBox.getBoundingClientRect();
    this.main.setBounds(m.left - origin.left, m.top - origin.top, m.width, m.height);
    const s = this.multiplesBox.getBoundingClientRect();
    const n = this.multiples.length;
    if (n > 0) {
      const tileW = (s.width - MULTIPLE_GAP * (n - 1)) / n;
      this.multiples.forEach((v, i) => v.setBounds(s.left - origin.left + i * (tileW + MULTIPLE_GAP), s.top - origin.top, tileW, s.height));
    }
    this.dirty = true;
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.rafId);
    this.observer.disconnect();
    this.main.destroy();
    for (const v of this.multiples) v.destroy();
    this.multiples = [];
    this.app.destroy({ removeView: true }, { children: true });
  }
}
