// The launch token in Chromium (playwright-core, Debian's /usr/bin/chromium): the page takes the token from
// its URL once and removes it from the address bar (history.replaceState); a reload still connects; another
// server on 127.0.0.1 (another port: another user's, or a hostile local service), visited in the same
// browser, never receives the token in any URL, header or cookie; and what it does receive (a cookie, since
// cookies ignore ports) opens no WebSocket to the lab. The page is the renderer's real bootstrap
// (renderer/lab-api), bundled with esbuild.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium as playwright, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebShell, type WebShell } from '../../src/web/server';
import { CHROMIUM, requireTool } from '../support/requirements';
import { inProcessTrainer } from '../trainer/in-process';

const here = path.dirname(fileURLToPath(import.meta.url));
const chromiumPath = requireTool(CHROMIUM, 'test/web/token-isolation.test.ts', it);

describe.skipIf(!chromiumPath)('the launch token stays with the page (Chromium)', () => {
  let tmp: string;
  let shell: WebShell;
  let browser: Browser;
  let other: http.Server;
  let otherPort = 0;
  /** Every request the other server saw: its URL and all its headers. */
  const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-token-'));
    const site = path.join(tmp, 'site');
    fs.mkdirSync(path.join(site, 'assets'), { recursive: true });
    await build({
      entryPoints: [path.join(here, 'fixtures', 'token-page.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile: path.join(site, 'assets', 'page.js'),
      logLevel: 'silent',
    });
    fs.writeFileSync(
      path.join(site, 'index.html'),
      '<!doctype html><title>loading</title><script type="module" src="/assets/page.js"></script>',
    );
    fs.mkdirSync(path.join(tmp, 'sessions'));
    shell = await startWebShell({
      staticDir: site,
      spawnTrainer: () => inProcessTrainer(path.join(tmp, 'sessions')),
      log: () => undefined,
    });
    other = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>other</title><img src="/pixel.png">');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    otherPort = (other.address() as AddressInfo).port;
    browser = await playwright.launch({
      executablePath: chromiumPath!,
      headless: true,
      args: ['--no-sandbox'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => other?.close(r));
    await shell?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is exchanged once, leaves the address bar, and never reaches another local port', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(shell.url);
    await page.waitForFunction("document.title !== 'loading'");
    expect(await page.title()).toMatch(/^connected /);
    expect(new URL(page.url()).search).toBe('');
    expect(page.url()).not.toContain(shell.token);

    // A reload (the address bar has no token now) still connects.
    await page.reload();
    await page.waitForFunction("document.title !== 'loading'");
    expect(await page.title()).toMatch(/^connected /);
    expect(page.url()).not.toContain(shell.token);

    // The same browser visits another server on 127.0.0.1: top-level, a subresource, and a link from the lab.
    const visitor = await context.newPage();
    await visitor.goto(`http://127.0.0.1:${otherPort}/`);
    await visitor.waitForLoadState('load');
    await page.evaluate(`new Image().src = 'http://127.0.0.1:${otherPort}/from-lab.png'`);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const request of seen) {
      expect(request.url).not.toContain(shell.token);
      for (const [name, value] of Object.entries(request.headers)) {
        expect(String(value), name).not.toContain(shell.token);
      }
    }

    // Whatever cookie the other server got cannot open the lab's WebSocket.
    const cookies = seen.map((r) => r.headers.cookie).filter((c): c is string => !!c);
    for (const cookie of cookies.length > 0 ? cookies : ['']) {
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws`, {
          origin: `http://127.0.0.1:${shell.port}`,
          headers: { Cookie: cookie },
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
      expect(status).toBe(403);
    }
    await context.close();
  });
});
