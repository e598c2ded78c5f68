/**
 * Development tool (not a test): starts the real web shell (`src/web/main.ts`) on a free port with a scratch
 * sessions folder, drives the renderer in headless Debian Chromium through a short session (start, switch task,
 * pause, open the recorded session, scrub) and saves screenshots. Run after `npx vite build`:
 *   npx tsx test/renderer/web-screenshot.ts OUT_DIR [--sequence NAME] [--train-ms 15000]
 * Prints page errors; exits 1 if there were any.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, startShell } from '../../scripts/lib/web-shell';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function shot(page: Page, out: string, name: string): Promise<void> {
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  console.log('saved', path.join(out, `${name}.png`));
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? '.tmp/web-shots';
  fs.mkdirSync(out, { recursive: true });
  const sessions = fs.mkdtempSync(path.join(out, 'sessions-'));
  const shell = await startShell(sessions);
  const url = shell.url;
  const browser = await launchBrowser();
  const errors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    await page.goto(url);
    await page.waitForSelector('[data-testid=start]:not([disabled])', { timeout: 30_000 });
    const seq = arg('--sequence', '');
    if (seq) await page.selectOption('[data-testid=sequence-select]', seq);
    await shot(page, out, 'web-idle');
    await page.click('[data-testid=start]');
    const trainMs = Number(arg('--train-ms', '15000'));
    await page.waitForTimeout(trainMs / 2);
    await shot(page, out, 'web-training');
    await page.click('[data-testid=switch-task-1]');
    await page.waitForTimeout(trainMs / 2);
    console.log('current-task:', await page.textContent('[data-testid=current-task]'));
    console.log(
      'fps:',
      await page.textContent('[data-testid=fps]'),
      'steps/s:',
      await page.textContent('[data-testid=steps-per-sec]'),
    );
    await shot(page, out, 'web-switched');
    await page.click('[data-testid=add-marker]');
    await page.click('[data-testid=video-record]');
    await page.waitForTimeout(2500);
    const [video] = await Promise.all([
      page.waitForEvent('download', { timeout: 10_000 }),
      page.click('[data-testid=video-record]'),
    ]);
    console.log('video:', video.suggestedFilename());
    await page.click('[data-testid=pause]');
    await page.waitForTimeout(1000);
    await shot(page, out, 'web-paused');
    await page.click('[data-testid=sessions-refresh]');
    await page.waitForSelector('[data-testid=session-item-0]', { timeout: 10_000 });
    await page.click('[data-testid=session-item-0]');
    await page.click('[data-testid=open-session]');
    await page.waitForSelector('[data-testid=scrubber]', { state: 'visible', timeout: 15_000 });
    const max = Number(await page.getAttribute('[data-testid=scrubber]', 'max'));
    await page.fill('[data-testid=scrubber]', String(Math.round(max * 0.6)));
    await page.waitForTimeout(2500);
    await shot(page, out, 'web-playback');
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.waitForTimeout(1000);
    await shot(page, out, 'web-playback-1100');
  } finally {
    await browser.close();
    await shell.stop();
  }
  for (const e of errors) console.log(e);
  process.exitCode = errors.length > 0 ? 1 : 0;
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
