/**
 * The web shell's launch token, taken from the page URL once: it is moved into this tab's sessionStorage
 * (scoped to our exact origin, port included; never sent anywhere by the browser) and removed from the
 * address bar and the history entry with `history.replaceState`. A reload of the tab finds it there; the
 * WebSocket (ws-client.ts) presents it. Why not a cookie: docs/SECURITY.md.
 */

/** The sessionStorage key holding the token. */
export const TOKEN_KEY = 'lab.token';

/** What this needs of `window` (a fake in unit tests). */
export interface PageWindow {
  location: { href: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

/** The token for this page (from the URL the first time, from sessionStorage after), or null. */
export function takePageToken(win: PageWindow): string | null {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl === null) return win.sessionStorage.getItem(TOKEN_KEY);
  try {
    win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
  } catch (error) {
    // Storage disabled or full: this page still connects; a reload will need the printed URL again.
    console.warn('Could not keep the lab token for reloads:', error);
  }
  url.searchParams.delete('token');
  win.history.replaceState(win.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return fromUrl;
}
