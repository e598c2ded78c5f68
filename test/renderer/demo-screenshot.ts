/**
 * Development tool (not a test): serves dist/renderer, opens it with the fake lab (`?demo=1`) in headless
 * Debian Chromium, optionally clicks Start, waits, and saves screenshots. Run after `npx vite build`:
 *   npx tsx test/renderer/demo-screenshot.ts OUT_DIR [--no-start] [--sequence NAME] [--width 1600 --height 1000]
 *     [--wait 4000]
 * Prints page errors and console errors; exits 1 if there were any.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { contentSecurityPolicy } from '../../src/security/csp';
import { launchBrowser } from '../e2e/harness';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? '.tmp/shots';
  fs.mkdirSync(out, { recursive: true });
  const root = path.resolve('dist/renderer');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = path.join(root, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname));
    if (!file.startsWith(root) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      // The same strict CSP as the shells, so CSP violations show up here too.
      'Content-Security-Policy': contentSecurityPolicy({ connectSources: [] }),
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const browser = await launchBrowser();
  const errors: string[] = [];
  try {
    const page = await browser.newPage({
      viewport: { width: Number(arg('--width', '1600')), height: Number(arg('--height', '1000')) },
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    await page.goto(`http://127.0.0.1:${port}/?demo=1`);
    await page.waitForSelector('[data-testid=start]:not([disabled])', { timeout: 15_000 });
    const seq = arg('--sequence', '');
    if (seq) await page.selectOption('[data-testid=sequence-select]', seq);
    await page.screenshot({ path: path.join(out, 'idle.png') });
    if (!process.argv.includes('--no-start')) {
      await page.click('[data-testid=start]');
      await page.waitForTimeout(Number(arg('--wait', '4000')));
      await page.screenshot({ path: path.join(out, 'running.png') });
      await page.locator('[data-testid=env-view]').screenshot({ path: path.join(out, 'env-view.png') });
      console.log('current-task:', await page.textContent('[data-testid=current-task]'));
      console.log('fps:', await page.textContent('[data-testid=fps]'));
    }
  } finally {
    await browser.close();
    server.close();
  }
  for (const e of errors) console.log(e);
  process.exitCode = errors.length > 0 ? 1 : 0;
}

void main();
