// renderer/lab-api/page-token.ts: the token leaves the URL (history.replaceState keeps path, other query
// parameters and hash), is kept in sessionStorage for reloads, and a page with neither has no token.
import { describe, expect, it } from 'vitest';
import { TOKEN_KEY, takePageToken, type PageWindow } from '../../renderer/lab-api/page-token';

function fakeWindow(href: string, stored: Record<string, string> = {}, storageWorks = true) {
  const calls: { state: unknown; url?: string }[] = [];
  const storage = new Map(Object.entries(stored));
  const win: PageWindow = {
    location: { href },
    history: {
      state: { keep: 1 },
      replaceState: (state, _unused, url) => {
        calls.push({ state, url });
        win.location.href = new URL(url ?? '', href).href;
      },
    },
    sessionStorage: {
      getItem: (k) => storage.get(k) ?? null,
      setItem: (k, v) => {
        if (!storageWorks) throw new Error('QuotaExceededError');
        storage.set(k, v);
      },
    },
  };
  return { win, calls, storage };
}

describe('takePageToken', () => {
  it('takes the token from the URL once, removes it from the address bar and keeps it for reloads', () => {
    const { win, calls, storage } = fakeWindow('http://127.0.0.1:4000/?demo=0&token=abc_-1#x');
    expect(takePageToken(win)).toBe('abc_-1');
    expect(calls).toEqual([{ state: { keep: 1 }, url: '/?demo=0#x' }]);
    expect(win.location.href).toBe('http://127.0.0.1:4000/?demo=0#x');
    expect(storage.get(TOKEN_KEY)).toBe('abc_-1');
    // The reload: no token in the URL, the tab's storage has it; the address bar is left alone.
    expect(takePageToken(win)).toBe('abc_-1');
    expect(calls).toHaveLength(1);
  });

  it('still connects this page when storage is unavailable, and gives null with neither', () => {
    const { win, calls } = fakeWindow('http://127.0.0.1:4000/?token=t', {}, false);
    expect(takePageToken(win)).toBe('t');
    expect(calls[0]!.url).toBe('/');
    expect(takePageToken(fakeWindow('http://127.0.0.1:4000/').win)).toBeNull();
  });
});
