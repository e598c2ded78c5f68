// Pure security rules of the Electron shell: window options, CSP, sender checks, navigation and permission
// denial, app:// path resolution.
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  allowNavigation,
  contentSecurityPolicy,
  isAppUrl,
  isTrustedSender,
  permissionRequestHandler,
  resolveAppRequest,
  responseHeaders,
  windowOpenHandler,
  windowOptions,
} from '../../electron/security';

describe('window options', () => {
  it('turn isolation and the sandbox on, Node off, web security on', () => {
    const o = windowOptions('/app/preload.cjs');
    expect(o.show).toBe(false);
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('CSP', () => {
  it('allows only our own scripts and styles, no eval, no inline, no network, no framing', () => {
    const csp = contentSecurityPolicy();
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-(eval|inline)|\*|http:|https:/);
    expect(responseHeaders('text/html')['Content-Security-Policy']).toBe(csp);
  });
});

describe('sender checks', () => {
  it('trusts only the top frame of app://lab pages', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://lab/index.html#x', parent: null })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: {} })).toBe(false); // a sub-frame
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'app://user:pw@lab/',
      'lab',
      '',
      'devtools://x',
    ]) {
      expect(isTrustedSender({ url, parent: null }), url).toBe(false);
    }
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });
});

describe('navigation, windows, permissions', () => {
  it('are all denied', () => {
    expect(allowNavigation('https://example.com')).toBe(false);
    expect(allowNavigation(APP_ENTRY_URL)).toBe(false);
    expect(windowOpenHandler()).toEqual({ action: 'deny' });
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read'])
      permissionRequestHandler({}, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
  });
});

describe('app:// requests', () => {
  it('map to files inside the renderer folder and refuse traversal and other hosts', () => {
    expect(resolveAppRequest('/r', 'app://lab/index.html')).toBe('/r/index.html');
    expect(resolveAppRequest('/r', 'app://lab/')).toBe('/r/index.html');
    expect(resolveAppRequest('/r', 'app://lab/assets/a.js')).toBe('/r/assets/a.js');
    // The URL parser folds dot segments (also %2e%2e) before we see the path: the result stays inside.
    expect(resolveAppRequest('/r', 'app://lab/%2e%2e/secret')).toBe('/r/secret');
    expect(resolveAppRequest('/r', 'app://lab/a/../../../secret')).toBe('/r/secret');
    // An encoded slash or backslash is decoded by us, then refused.
    expect(resolveAppRequest('/r', 'app://lab/..%2fsecret')).toBeNull();
    expect(resolveAppRequest('/r', 'app://lab/..%5csecret')).toBeNull();
    expect(resolveAppRequest('/r', 'app://other/index.html')).toBeNull();
    expect(resolveAppRequest('/r', 'file:///r/index.html')).toBeNull();
  });
});
