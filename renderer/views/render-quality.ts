/**
 * Picks the canvas resolution. On a software WebGL rasteriser (SwiftShader, llvmpipe — machines without a GPU)
 * every pixel costs CPU time that the trainer also needs, so the world views render at half resolution there
 * (the browser scales the canvas up); with a GPU they render at the device pixel ratio (at most 2).
 */

/** True when WebGL is implemented in software on this machine. */
export function isSoftwareWebGL(): boolean {
  const probe = document.createElement('canvas');
  const gl = (probe.getContext('webgl2') ?? probe.getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software/i.test(renderer);
}

/** The resolution to give Pixi: half on software WebGL, else the device pixel ratio (capped at 2). */
export function canvasResolution(softwareWebGL: boolean, devicePixelRatio: number): number {
  const native = Math.min(2, devicePixelRatio || 1);
  return softwareWebGL ? native / 2 : native;
}
