// `npm run web` (src/web/main.ts): prints exactly one stdout line, the tokenised loopback URL, when ready.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

it('prints exactly one line, http://127.0.0.1:PORT/?token=…, and serves the page', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-webmain-'));
  fs.writeFileSync(path.join(tmp, 'index.html'), '<!doctype html><title>ok</title>');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/web/main.ts',
      '--port',
      '0',
      '--no-open',
      '--renderer-dir',
      tmp,
      '--sessions-dir',
      tmp,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  try {
    const deadline = Date.now() + 30_000;
    while (!out.includes('\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const url = out.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+$/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>ok</title>');
    expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(403);
    await new Promise((r) => setTimeout(r, 300));
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

it('fails with a clear message when the renderer has not been built', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/web/main.ts', '--no-open', '--renderer-dir', '/nonexistent'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  let out = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise((r) => child.once('exit', r));
  expect(code).toBe(2);
  expect(out).toBe('');
  expect(err).toMatch(/index\.html does not exist: build the renderer first \(npm run build\)/);
});
