/**
 * The web shell's security rules as pure functions: the per-launch token and page key, the request checks
 * (token or page cookie, Host header against DNS rebinding, WebSocket Origin), the response headers with a strict Content-Security-Policy,
 * and static-file path resolution that refuses traversal. The server (server.ts) only wires them up.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { contentSecurityPolicy as sharedContentSecurityPolicy } from '../security/csp';

/**
 * Name of the cookie that lets the page's own asset requests (and a reload) through. Cookies ignore ports, so
 * the browser also sends it to every other server on 127.0.0.1: it holds a page key that only serves the
 * renderer's static files, never the launch token, and the name carries our port so two labs do not
 * overwrite each other's cookie. The WebSocket (everything that matters) needs the token itself.
 */
export function pageCookieName(port: number): string {
  return `lab_page_${port}`;
}

/** A random token (256 bits, URL-safe). */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Constant-time comparison; false for a missing or differently sized candidate. */
export function tokenMatches(expected: string, candidate: string | null | undefined): boolean {
  if (typeof candidate !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(candidate);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The value of cookie `name` in a Cookie header, if present. */
export function cookieValue(cookieHeader: string | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/**
 * The path and query of an HTTP request target (`/path?query`), or null when it is not one. Parsed by hand:
 * `new URL(target, base)` throws on targets such as `/\/%zz` (read as a protocol-relative URL with an
 * invalid host), and a throw in the request handler would take the whole shell down.
 */
export function parseRequestTarget(
  target: string | undefined,
): { pathname: string; params: URLSearchParams } | null {
  if (typeof target !== 'string' || !target.startsWith('/')) return null;
  const q = target.indexOf('?');
  const pathname = q === -1 ? target : target.slice(0, q);
  return { pathname, params: new URLSearchParams(q === -1 ? '' : target.slice(q + 1)) };
}

/** True when the Host header names exactly our loopback address and port (defeats DNS rebinding). */
export function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}`;
}

/** True when a WebSocket's Origin is our own page. */
export function originAllowed(originHeader: string | undefined, port: number): boolean {
  return originHeader === `http://127.0.0.1:${port}`;
}

/**
 * Strict CSP for the renderer: only our own scripts (Pixi runs without eval through `pixi.js/unsafe-eval`),
 * styles from our own files (uPlot sets styles through the DOM, which CSP allows), the WebSocket back to us,
 * images and media from blob:/data: (textures, WebM export), no plugins, no framing, no base tag, no forms.
 */
export function contentSecurityPolicy(port: number): string {
  return sharedContentSecurityPolicy({ connectSources: [`ws://127.0.0.1:${port}`] });
}

/** Headers sent with every response (also errors). */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The token is in the URL: never send it anywhere in a Referer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), payment=()',
    'Cache-Control': 'no-store',
  };
}

/**
 * The file under `root` that a URL path names, or null when the path is malformed or leaves `root`
 * (encoded `..`, backslashes, NUL, absolute segments). `/` maps to index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.' || (s.startsWith('.') && s.length > 0))) return null;
  const relative = decoded === '/' ? 'index.html' : segments.join('/');
  if (relative === '' || relative.endsWith('/')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  const rel = path.relative(base, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return file;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Content type for a file name; unknown extensions are served as opaque bytes. */
export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
