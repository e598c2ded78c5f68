/**
 * Asks the browser which WebGL implementation it has, by creating (and at once releasing) a WebGL context
 * on a detached canvas. Software rasterisers (SwiftShader, llvmpipe, softpipe) name themselves in the
 * renderer string. Used by render-quality.ts' choice.
 */

/** True when WebGL is implemented in software on this machine (or missing altogether). */
export function isSoftwareWebGL(): boolean {
  const probe = document.createElement('canvas');
  const gl = (probe.getContext('webgl2') ?? probe.getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return true;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software/i.test(renderer);
}
