/**
 * The renderer's Content-Security-Policy, one definition for both shells: only our own scripts (Pixi runs
 * without eval through `pixi.js/unsafe-eval`), our own styles, images and media from blob:/data: (textures, WebM
 * export), no plugins, no framing, no base tag, no forms. Each shell adds only where the page may connect.
 */
export function contentSecurityPolicy(options: { connectSources: readonly string[] }): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...options.connectSources].join(' ')}`,
    "worker-src 'self' blob:",
    "media-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
