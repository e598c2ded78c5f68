/**
 * CanvasLayer: one Pixi application whose transparent canvas covers one DOM box, rendered on demand and at
 * most `maxFps` times a second. The stage has two: the live view's world, and the small-multiples strip.
 * Separate canvases let each redraw at its own rate and only over its own area: a browser without a GPU
 * copies and composites every changed canvas pixel on the CPU, so a frame of the live view must not also
 * repaint the strip. Lifecycle: `await CanvasLayer.create(box, …)` → markDirty / renderIfDue … → destroy().
 */
import 'pixi.js/unsafe-eval';
import { Application, Ticker } from 'pixi.js';
import type { RendererKind } from './render-quality';

export class CanvasLayer {
  private dirty = true;
  private lastRender = -Infinity;
  /** Renders done and the time spent in them (ms). */
  renders = 0;
  renderMs = 0;

  private constructor(
    readonly app: Application,
    readonly box: HTMLElement,
    private readonly maxFps: number,
  ) {}

  /** A Pixi application in `box` (WebGL or Canvas 2D as `preferred` says, the other as a fallback). */
  static async create(
    box: HTMLElement,
    preferred: RendererKind,
    resolution: number,
    maxFps: number,
  ): Promise<CanvasLayer> {
    // Pixi's system ticker (texture GC and other housekeeping) would run an animation-frame loop forever,
    // keeping the browser compositing 60 times a second; renders advance it instead. Stopped before init,
    // which would otherwise start it.
    Ticker.system.autoStart = false;
    Ticker.system.stop();
    const app = new Application();
    try {
      await initApp(app, box, preferred, resolution);
    } catch (error) {
      try {
        app.destroy();
      } catch {
        // a half-initialised application may not destroy cleanly; the init error is what matters
      }
      throw error;
    }
    app.ticker.stop();
    app.canvas.classList.add('stage-canvas');
    box.prepend(app.canvas);
    return new CanvasLayer(app, box, maxFps);
  }

  get kind(): RendererKind {
    return this.app.renderer.name === 'canvas' ? 'canvas' : 'webgl';
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  markDirty(): void {
    this.dirty = true;
  }

  /** Match the canvas to its box; returns the box's rectangle (where the layer's worlds are placed from). */
  fitToBox(): DOMRect {
    const w = this.box.clientWidth;
    const h = this.box.clientHeight;
    const renderer = this.app.renderer;
    if (w > 0 && h > 0 && (renderer.width !== w || renderer.height !== h)) renderer.resize(w, h);
    this.dirty = true;
    return this.box.getBoundingClientRect();
  }

  /** Render if something changed and the rate allows it (half a frame of slack at 60 Hz). */
  renderIfDue(now: number): void {
    if (!this.dirty || now - this.lastRender < 1000 / this.maxFps - 8) return;
    this.dirty = false;
    this.lastRender = now;
    const t0 = performance.now();
    Ticker.system.update(now);
    this.app.render();
    this.renders++;
    this.renderMs += performance.now() - t0;
  }

  destroy(): void {
    this.app.destroy({ removeView: true }, { children: true });
  }
}

async function initApp(
  app: Application,
  box: HTMLElement,
  preferred: RendererKind,
  resolution: number,
): Promise<void> {
  await app.init({
    preference: preferred === 'canvas' ? ['canvas', 'webgl'] : ['webgl', 'canvas'],
    backgroundAlpha: 0,
    // MSAA multiplies the fill cost; shapes are large and axis-aligned or thick, so it is not missed.
    antialias: false,
    autoDensity: true,
    resolution,
    width: Math.max(1, box.clientWidth),
    height: Math.max(1, box.clientHeight),
    autoStart: false,
    sharedTicker: false,
  });
}
