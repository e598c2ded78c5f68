/**
 * End-to-end suite "ui-truth" (issue #13): the UI tells the truth about the run on screen. In the web shell
 * with Debian's Chromium, as a user steering by hand:
 *   first-run state · inline seed validation blocks Start (4) · the schedule before/after a switch (6) ·
 *   the R matrix after 3 manual switches on a 4-task sequence: stage rows, task columns (1) · ACC over the
 *   tasks seen so far (5) · a reloaded page shows the running run's strategy and seed (3) · Reset clears
 *   stale numbers (5) · playback is its own mode: its tasks, settings, no REC (3) · tasks come from the
 *   engine's resolved run, never re-derived from typed params (2) · a finished run shows no ε (5) ·
 *   demo mode as the README says, with a badge, header and view naming the same task (7).
 * Screenshots go to test-results/ui-truth-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { assert, text, waitFor, type Checks } from './checks';
import { ROOT, launchBrowser, startShell, type RunningShell } from '../../scripts/lib/web-shell';

const RESULTS = path.join(ROOT, 'test-results');
const shot = (name: string): string => path.join(RESULTS, `ui-truth-${name}.png`);

async function openPage(browser: Browser, url: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  await page.goto(url);
  await waitFor('the connection', async () => (await text(page, 'connection')) === 'connected', 90_000);
  return page;
}

/** The global step tile ("1,234", "45.3k", "1.25M") as a number. */
async function step(page: Page): Promise<number> {
  const t = (await text(page, 'global-step')).replace(/,/g, '');
  const n = Number.parseFloat(t);
  if (!Number.isFinite(n)) return 0;
  return t.endsWith('M') ? n * 1e6 : t.endsWith('k') ? n * 1e3 : n;
}

/** Starts a run through the page's own LabApi (`window.lab`, the web shell's WebSocket client). */
async function startThroughPage(page: Page, options: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    (o) => (globalThis as unknown as { lab: { start(o: unknown): Promise<unknown> } }).lab.start(o),
    options,
  );
}

/** Clicks the switch button of `index` once the current stage has trained a little. */
async function switchTo(page: Page, index: number, label: RegExp): Promise<void> {
  const before = await step(page);
  await waitFor('some training in this stage', async () => (await step(page)) > before + 300, 60_000);
  await page.getByTestId(`switch-task-${index}`).click();
  await waitFor(`current-task ${label}`, async () => label.test(await text(page, 'current-task')), 60_000);
}

export async function uiTruthSuite(
  checks: Checks,
  setOnFailure: (f: () => Promise<void>) => void,
): Promise<void> {
  const { check } = checks;
  const sessionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-e2e-truth-'));
  const errors: string[] = [];
  let shell: RunningShell | undefined;
  const browser = await launchBrowser();
  let page!: Page;
  setOnFailure(async () => {
    for (const e of errors) process.stdout.write(`  ${e}\n`);
    if (page as Page | undefined) await page.screenshot({ path: shot('failure') });
    if (shell)
      process.stdout.write(`  web shell stderr:\n${shell.stderr().split('\n').slice(-15).join('\n')}\n`);
  });
  try {
    await check('ui-truth: a first visit says what to do, and is not "waiting" once connected', async () => {
      shell = await startShell(sessionsDir);
      page = await openPage(browser, shell.url, errors);
      await waitFor('the first-run panel', () => page.getByTestId('first-run').isVisible(), 30_000);
      const panel = await text(page, 'first-run');
      assert(/Pick a sequence/.test(panel) && /Start/.test(panel), `first-run says "${panel}"`);
      const caption = await text(page, 'view-caption');
      assert(!/Waiting for the trainer/.test(caption), `connected, yet the view says "${caption}"`);
      await page.screenshot({ path: shot('first-run') });
    });

    await check(
      'ui-truth 4: an invalid seed blocks Start with the reason next to it; fixing it unblocks',
      async () => {
        await page.getByTestId('seed').fill('-1');
        await waitFor('Start disabled', async () => !(await page.getByTestId('start').isEnabled()), 5000);
        assert(/seed/i.test(await text(page, 'seed-error')), 'no seed error shown at the field');
        assert(/seed/i.test(await text(page, 'start-blocker')), 'Start does not say why it is disabled');
        await page.getByTestId('seed').fill('7');
        await waitFor('Start enabled', () => page.getByTestId('start').isEnabled(), 5000);
        assert((await text(page, 'start-blocker')) === '', 'the fixed error is still shown');
        assert((await page.getByTestId('error-banner').count()) === 0, 'an error banner stayed');
      },
    );

    await check('ui-truth 6: the schedule and what a switch will do are shown before switching', async () => {
      await page.getByTestId('strategy').selectOption('finetune');
      await page.getByTestId('speed-max').click();
      await page.getByTestId('start').click();
      await waitFor(
        'the schedule line',
        async () => /Stage 1 of 4/.test(await text(page, 'schedule')),
        120_000,
      );
      const title = (await page.getByTestId('switch-task-2').getAttribute('title')) ?? '';
      assert(
        /trains .* for .* steps/.test(title) && /run grows to/.test(title),
        `switch tooltip: "${title}"`,
      );
    });

    await check(
      'ui-truth 1: after 3 manual switches the R matrix has stage rows and the 4 task columns',
      async () => {
        await switchTo(page, 1, /goal NW/);
        const notice = await waitFor('the switch notice', async () => {
          const t = await page.getByTestId('info-banner').allTextContents();
          return t.find((x) => /Switched to .*run grows to/.test(x)) ?? '';
        });
        assert(
          /Stage 2 of 5/.test(await text(page, 'schedule')),
          `after a switch: "${await text(page, 'schedule')}"`,
        );
        process.stdout.write(`  ${notice}\n`);
        await switchTo(page, 2, /goal SW/);
        await switchTo(page, 0, /goal NE/);
        await waitFor('3 stage rows', () => page.getByTestId('r-row-2').isVisible(), 60_000);
        const cols = await page.locator('[data-testid^="r-col-"]').count();
        assert(cols === 4, `the R matrix has ${cols} columns, expected the 4 tasks`);
        const rows = await page.locator('[data-testid^="r-row-"]').allTextContents();
        const titles = await page
          .locator('[data-testid^="r-row-"]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
        assert(titles[1] === 'stage 2 · FourRooms goal NW (a manual switch)', `row 2 tooltip "${titles[1]}"`);
        assert(rows.length === 3, `${rows.length} rows: ${rows.join(' | ')}`);
        assert(/^stage 1 · NE$/.test(rows[0]!), `row 1 is "${rows[0]}"`);
        assert(/^stage 2 · NW ⇄$/.test(rows[1]!), `row 2 is "${rows[1]}"`);
        assert(/^stage 3 · SW ⇄$/.test(rows[2]!), `row 3 is "${rows[2]}"`);
        const heads = await page.locator('[data-testid^="r-col-"]').allTextContents();
        assert(new Set(heads).size === 4, `column heads are not distinct: ${heads.join(', ')}`);
        await page.getByTestId('r-matrix-panel').screenshot({ path: shot('r-matrix') });
        await page.getByTestId('evaluation-panel').screenshot({ path: shot('chart') });
      },
    );

    await check('ui-truth 5: mid-run ACC is over the tasks seen so far and says so', async () => {
      const label = await text(page, 'metric-acc-label');
      assert(/3\/4 seen/.test(label), `the ACC tile is labelled "${label}" after 3 of 4 tasks`);
      const chart = await text(page, 'evaluation-panel');
      assert(/env step/.test(chart), 'the chart names its x unit');
    });

    await check("ui-truth 3: a page reloaded mid-run shows the running run's strategy and seed", async () => {
      await page.reload();
      await waitFor(
        'the run on the reloaded page',
        async () => /goal NE/.test(await text(page, 'current-task')),
        60_000,
      );
      await waitFor(
        'the run settings',
        async () => (await page.getByTestId('strategy').inputValue()) === 'finetune',
        30_000,
      );
      assert(
        (await page.getByTestId('seed').inputValue()) === '7',
        `seed shows ${await page.getByTestId('seed').inputValue()}`,
      );
      assert(
        await page.getByTestId('strategy').isDisabled(),
        'the strategy picker can still be changed mid-run',
      );
      await page.screenshot({ path: shot('live') });
    });

    await check('ui-truth 5: Reset leaves no stale ACC, forgetting or ε', async () => {
      await page.getByTestId('reset').click();
      await waitFor('No run', async () => (await text(page, 'current-task')) === 'No run', 30_000);
      await waitFor('ε cleared', async () => (await text(page, 'epsilon')) === '—', 10_000);
      for (const id of ['metric-acc', 'metric-forgetting', 'steps-per-sec'])
        assert((await text(page, id)) === '—', `${id} shows "${await text(page, id)}" after Reset`);
    });

    await check(
      "ui-truth 3: playback is its own mode, with the recorded run's tasks and settings and no REC",
      async () => {
        await page.getByTestId('strategy').selectOption('ewc'); // the next run's settings differ from the recording
        await page.getByTestId('sessions-refresh').click();
        await waitFor('the session', () => page.getByTestId('session-item-0').isVisible(), 30_000);
        await page.getByTestId('session-item-0').click();
        await page.getByTestId('open-session').click();
        await waitFor(
          'the PLAYBACK badge',
          async () => (await text(page, 'mode-badge')) === 'PLAYBACK',
          30_000,
        );
        assert(!(await page.getByTestId('record-indicator').isVisible()), 'REC is lit during playback');
        assert(
          (await page.getByTestId('strategy').inputValue()) === 'finetune',
          'the picker shows the next run, not the recording',
        );
        assert((await page.getByTestId('seed').inputValue()) === '7', 'the seed is not the recording');
        assert(
          /played-back session/.test(await text(page, 'task-switcher-caption')),
          'the task list does not say it is the playback',
        );
        assert(await page.getByTestId('switch-task-0').isDisabled(), 'played-back tasks can be "switched"');
        assert(
          /hidden while a recording/.test(await text(page, 'strip-label')),
          'the strip does not explain itself in playback',
        );
        const rows = await page.locator('[data-testid^="r-row-"]').count();
        assert(rows >= 3, `the played-back R matrix has ${rows} rows`);
        await page.screenshot({ path: shot('playback') });
        await page.getByTestId('close-playback').click();
        await waitFor('LIVE', async () => (await text(page, 'mode-badge')) === 'LIVE', 10_000);
        assert(
          (await page.getByTestId('strategy').inputValue()) === 'ewc',
          'closing the playback lost the next run settings',
        );
      },
    );

    await check(
      "ui-truth 2: the task list is the engine's, not re-derived from the typed params",
      async () => {
        // Task 1 and 3 are the same task (params typed in another order): the engine trains 2 tasks.
        await startThroughPage(page, {
          sequence: {
            tasks: [
              { env: 'CartPole-v1', params: { length: 1, gravity: 12 }, steps: 5000, label: 'long pole' },
              { env: 'Acrobot-v1', steps: 5000, label: 'acrobot' },
              { env: 'CartPole-v1', params: { gravity: 12, length: 1 }, steps: 5000 },
            ],
          },
          strategy: 'finetune',
          seed: 3,
          record: false,
        });
        await waitFor('the run', async () => /long pole/.test(await text(page, 'current-task')), 60_000);
        const buttons = await page.locator('[data-testid^="switch-task-"]').count();
        assert(buttons === 2, `${buttons} task buttons for a run of 2 tasks`);
        await page.getByTestId('reset').click();
        await waitFor('No run', async () => (await text(page, 'current-task')) === 'No run', 30_000);
      },
    );

    await check('ui-truth 5: a finished run shows its final ACC and no ε', async () => {
      await startThroughPage(page, {
        sequence: {
          tasks: [
            { env: 'Grid-FourRooms-GoalNE-v0', steps: 600, label: 'NE' },
            { env: 'Grid-FourRooms-GoalNW-v0', steps: 600, label: 'NW' },
          ],
          base: 'fourrooms',
        },
        strategy: 'finetune',
        seed: 2,
        record: false,
        config: { evalEvery: 300, evalEpisodes: 1 },
      });
      await waitFor('finished', async () => /finished/.test(await text(page, 'run-state')), 120_000);
      await waitFor('ε cleared', async () => (await text(page, 'epsilon')) === '—', 10_000);
      assert(
        /final/.test(await text(page, 'metric-acc-label')),
        `ACC label "${await text(page, 'metric-acc-label')}"`,
      );
      assert((await text(page, 'metric-acc')) !== '—', 'the finished run has no ACC');
    });

    await check(
      'ui-truth 7: demo mode opens as the README says, with a badge, and names one task',
      async () => {
        const demo = await openPage(browser, `${shell!.url}&demo=1`, errors);
        try {
          assert(/DEMO/.test(await text(demo, 'mode-badge')), 'no DEMO badge');
          await demo.getByTestId('start').click();
          await waitFor(
            'the demo run',
            async () =>
              (await text(demo, 'current-task')).length > 3 &&
              (await text(demo, 'current-task')) !== 'No run',
            30_000,
          );
          // Header and live view name the same task (sampled together; a frame may lag a switch by a tick).
          let seen = '';
          await waitFor(
            'the header and the live view to name the same task',
            async () => {
              const header = await text(demo, 'current-task');
              const caption = await text(demo, 'view-caption');
              seen = `header "${header}" vs live view "${caption}"`;
              return /^Training /.test(caption) && caption.endsWith(header);
            },
            5000,
          ).catch(() => {
            throw new Error(seen);
          });
          await demo.screenshot({ path: shot('demo') });
        } finally {
          await demo.close();
        }
      },
    );

    await check('ui-truth: no page errors or console errors', async () => {
      assert(errors.length === 0, errors.join(' | '));
    });
  } finally {
    await browser.close();
    await shell?.stop();
    fs.rmSync(sessionsDir, { recursive: true, force: true });
  }
}
