/**
 * The Electron shell's security rules as pure functions (unit-tested with a fake `electron`): the one
 * window's options (context isolation and sandbox on, Node off, web security on), the app:// origin and its
 * strict CSP, the checks that every IPC sender is our own page, and the denial of navigation, new windows
 * and permission requests.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { resolveStaticPath } from '../src/web/security';
import { contentSecurityPolicy as sharedContentSecurityPolicy } from '../src/security/csp';

/** Our pages are served from app://lab/… (a standard, secure custom scheme). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'lab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#11151c',
    title: 'Continual RL Lab',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/**
 * CSP for app:// pages: our own scripts only (Pixi imports `pixi.js/unsafe-eval`, so no eval is needed),
 * our own styles, images and media from blob:/data:, no network at all (the trainer is reached over IPC).
 */
export function contentSecurityPolicy(): string {
  return sharedContentSecurityPolicy({ connectSources: [] });
}

/** Headers for every app:// response. */
export function responseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

/** True for a URL of our own pages (app://lab/…); false for anything else, including malformed URLs. */
export function isAppUrl(url: string | undefined | null): boolean {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Minimal shape of an IPC event's sender frame (`event.senderFrame`). */
export interface SenderFrameLike {
  url: string;
  /** The top frame has no parent. */
  parent?: unknown;
}

/** Every IPC message must come from the top frame of one of our own pages. */
export function isTrustedSender(frame: SenderFrameLike | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent !== null && frame.parent !== undefined) return false;
  return isAppUrl(frame.url);
}

/**
 * Navigation is never allowed: the app is one page. (A reload of the same page does not emit will-navigate.)
 * Kept as a function so the rule is stated and tested in one place.
 */
export function allowNavigation(_url: string): boolean {
  return false;
}

/** `setWindowOpenHandler` answer: never open a window. */
export function windowOpenHandler(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Permission requests (camera, notifications, …) are all refused. */
export function permissionRequestHandler(
  _contents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

/** The file in `rendererDir` an app:// request names, or null (wrong host, traversal, malformed). */
export function resolveAppRequest(rendererDir: string, url: string): string | null {
  if (!isAppUrl(url)) return null;
  const { pathname } = new URL(url);
  return resolveStaticPath(rendererDir, pathname);
}
