/**
 * Picks how the world views are drawn. With a GPU: Pixi's WebGL renderer at the device pixel ratio (at most
 * 2). On a software WebGL rasteriser (SwiftShader, llvmpipe — machines without a GPU) every WebGL pixel costs
 * CPU time that the trainer also needs, and worse, the browser's software compositor must read each new WebGL
 * frame back (glReadPixels) while the page's main thread waits — about 15 ms a frame here, which alone broke
 * 60 fps. There, Pixi's Canvas 2D renderer draws the same scenes straight into a bitmap the compositor uses
 * as is (no readback), so it renders at full resolution and stays crisp. The probe that tells them apart
 * is webgl-probe.ts (it needs the DOM; this file is pure).
 */

export type RendererKind = 'webgl' | 'canvas';

export interface RenderChoice {
  renderer: RendererKind;
  /** Pixi `resolution` (canvas pixels per CSS pixel). */
  resolution: number;
}

/** WebGL with a GPU, Canvas 2D without one; always the device pixel ratio (capped at 2). */
export function chooseRenderer(softwareWebGL: boolean, devicePixelRatio: number): RenderChoice {
  const resolution = Math.min(2, devicePixelRatio || 1);
  return { renderer: softwareWebGL ? 'canvas' : 'webgl', resolution };
}

/** `?renderer=webgl|canvas` in the page URL overrides the choice (diagnostics and benchmarks). */
export function rendererOverride(search: string): RendererKind | null {
  const v = new URLSearchParams(search).get('renderer');
  return v === 'webgl' || v === 'canvas' ? v : null;
}
