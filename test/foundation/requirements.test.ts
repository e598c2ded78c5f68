// The skip mechanism for suites that need a program (test/support/requirements.ts): a missing program skips
// the suite and records it; npm test's closing summary names every skipped suite and the one command that
// enables them; with CI=true a missing program fails (a failing test in vitest, exit 1 in scripts and in the
// summary). The end-to-end script is run for real with Chromium pretended missing (LAB_TEST_MISSING).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  REDIS,
  findTool,
  readSkips,
  recordSkip,
  requireTool,
  skipSummary,
  type Tool,
} from '../support/requirements';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const temps: string[] = [];
function temp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-req-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('findTool', () => {
  it('finds a program on PATH, not a missing or non-executable one, and honours LAB_TEST_MISSING', () => {
    const bin = temp();
    fs.writeFileSync(path.join(bin, 'labtool'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'notexec'), '#!/bin/sh\n', { mode: 0o644 });
    const tool: Tool = { name: 'labtool', paths: [], aptPackage: 'labtool' };
    expect(findTool(tool, { PATH: bin })).toBe(path.join(bin, 'labtool'));
    expect(findTool(tool, { PATH: bin, LAB_TEST_MISSING: 'x,labtool' })).toBeNull();
    expect(findTool({ ...tool, name: 'notexec' }, { PATH: bin })).toBeNull();
    expect(findTool(tool, { PATH: temp() })).toBeNull();
  });
});

describe('skips', () => {
  it('records each skipped suite once and sums them up with one install command', () => {
    const dir = temp();
    recordSkip(CHROMIUM, 'test/e2e', dir);
    recordSkip(REDIS, 'test/sweep/queue.test.ts', dir);
    recordSkip(CHROMIUM, 'test/e2e', dir);
    const skips = readSkips(dir);
    expect(skips.map((s) => s.suite)).toEqual(['test/e2e', 'test/sweep/queue.test.ts']);
    const local = skipSummary(skips, false);
    expect(local.ok).toBe(true);
    expect(local.text).toContain('2 test suites were skipped');
    expect(local.text).toContain('test/e2e (needs chromium)');
    expect(local.text).toContain('test/sweep/queue.test.ts (needs redis-server)');
    expect(local.text).toContain('Enable them with: sudo apt-get install -y chromium redis-server');
    expect(skipSummary(skips, true).ok).toBe(false);
    expect(skipSummary([], true)).toEqual({ text: 'No test suite was skipped.', ok: true });
  });

  it('in vitest: skips and records without CI; registers a failing test with CI=true', () => {
    const dir = temp();
    const registered: { name: string; fn: () => void }[] = [];
    const collect = (name: string, fn: () => void): void => void registered.push({ name, fn });
    const env = { PATH: '', LAB_TEST_SKIP_DIR: dir };
    expect(requireTool(REDIS, 'test/sweep/x.test.ts', collect, env)).toBeNull();
    expect(registered).toHaveLength(0);
    expect(readSkips(dir)).toEqual([
      { suite: 'test/sweep/x.test.ts', tool: 'redis-server', aptPackage: 'redis-server' },
    ]);
    expect(requireTool(REDIS, 'test/sweep/y.test.ts', collect, { ...env, CI: 'true' })).toBeNull();
    expect(registered).toHaveLength(1);
    expect(registered[0]!.fn).toThrow(
      /test\/sweep\/y\.test\.ts needs redis-server.*apt-get install -y redis-server/,
    );
    expect(readSkips(dir)).toHaveLength(1);
  });
});

describe('on a machine without Chromium', () => {
  const run = (file: string, env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ['--import', 'tsx', file], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, LAB_TEST_MISSING: 'chromium', ...env },
      timeout: 60_000,
    });

  it('the end-to-end suite is skipped and named by the summary; with CI=true both fail', () => {
    const dir = temp();
    const e2e = run('test/e2e/run.ts', { CI: '', LAB_TEST_SKIP_DIR: dir });
    expect(e2e.status).toBe(0);
    expect(e2e.stdout).toContain('test/e2e (npm run test:e2e) needs chromium');
    const summary = run('test/support/skip-summary.ts', { CI: '', LAB_TEST_SKIP_DIR: dir });
    expect(summary.status).toBe(0);
    expect(summary.stdout).toContain('- test/e2e (npm run test:e2e) (needs chromium)');
    expect(summary.stdout).toContain('Enable it with: sudo apt-get install -y chromium');
    expect(run('test/support/skip-summary.ts', { CI: 'true', LAB_TEST_SKIP_DIR: dir }).status).toBe(1);

    const ci = run('test/e2e/run.ts', { CI: 'true', LAB_TEST_SKIP_DIR: temp() });
    expect(ci.status).toBe(1);
    expect(ci.stdout).toContain('CI=true: a skipped suite is a failure.');
  });
});
