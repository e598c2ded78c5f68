/**
 * Screenshots one environment's scene as the app draws it: starts the real web shell (`src/web/main.ts`) on a
 * free port with a scratch sessions folder, opens it in headless Debian Chromium, starts an unrecorded
 * single-task run on the given env through the page's own `window.lab`, lets it train for a while at the
 * env's real-time pace, and saves the whole page and the live view (`env-view`). Look at the pictures.
 *   npm run build   (or `npx vite build`: the shell serves dist/renderer)
 *   npx tsx scripts/screenshot-env.ts [ENV_ID] [--out DIR] [--train-ms 6000] [--speed realtime|max]
 * ENV_ID defaults to PendulumDiscrete-v1; DIR to .tmp/env-shots. Exits 1 on a page error.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { getEnvSpec } from '../envs';
import type { LabApi } from '../src/protocol/lab-api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** Starts the web shell and resolves with its URL (its first stdout line) and a stop function. */
async function startShell(sessionsDir: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/web/main.ts', '--port', '0', '--no-open', '--sessions-dir', sessionsDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the web shell printed no URL in 60 s:\n${err}`)),
      60_000,
    );
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.split('\n')[0]!.trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`the web shell exited with code ${code}:\n${err}`)));
  });
  return { url, stop: () => void child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const positional = process.argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const envId = positional[0] ?? 'PendulumDiscrete-v1';
  getEnvSpec(envId); // throws with the list of known ids
  const out = path.resolve(flag('--out', '.tmp/env-shots'));
  const trainMs = Number(flag('--train-ms', '6000'));
  const speed = flag('--speed', 'realtime');
  if (speed !== 'realtime' && speed !== 'max')
    throw new Error(`--speed must be realtime or max, got ${speed}`);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build` (or `npx vite build`) first');
  }
  fs.mkdirSync(out, { recursive: true });
  const sessions = fs.mkdtempSync(path.join(out, 'sessions-'));
  const shell = await startShell(sessions);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const errors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    await page.goto(shell.url);
    await page.waitForSelector('[data-testid=start]:not([disabled])', { timeout: 30_000 });
    await page.evaluate(
      async ({ envId, speed }) => {
        const lab = (globalThis as unknown as { lab: LabApi }).lab; // the page's window.lab
        await lab.setSpeed({ mode: speed as 'realtime' | 'max' });
        await lab.start({
          sequence: { name: `${envId} screenshot`, tasks: [{ env: envId, steps: 1_000_000 }] },
          strategy: 'finetune',
          seed: 1,
          record: false,
        });
      },
      { envId, speed },
    );
    await page.waitForTimeout(trainMs);
    const base = path.join(out, envId);
    await page.screenshot({ path: `${base}-page.png` });
    await page.getByTestId('env-view').screenshot({ path: `${base}-view.png` });
    console.log(`saved ${base}-page.png and ${base}-view.png`);
    console.log('caption:', await page.getByTestId('view-caption').textContent());
  } finally {
    await browser.close();
    shell.stop();
    fs.rmSync(sessions, { recursive: true, force: true });
  }
  if (errors.length > 0) {
    console.error(errors.join('\n'));
    process.exitCode = 1;
  }
}

await main();
