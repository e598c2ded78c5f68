/**
 * Suites that need a program the machine may lack (Chromium for browser tests, redis-server for the sweep
 * tests): one place that finds the program, skips the suite when it is missing and records the skip, so
 * `npm test` can end by naming every skipped suite and the one command that enables them
 * (test/support/skip-summary.ts). With CI=true a missing program is a failure, never a skip.
 *
 *   const chromium = requireTool(CHROMIUM, 'test/web/token-isolation.test.ts', it);   // vitest
 *   describe.skipIf(!chromium)('…', () => { … });
 *   const chromium = requireToolOrExit(CHROMIUM, 'test/e2e');                       // plain scripts (tsx)
 *
 * LAB_TEST_MISSING=chromium,redis-server pretends those programs are absent (to see what a machine without
 * them does): `LAB_TEST_MISSING=chromium npm test`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { CHROMIUM, findTool, REDIS, type Tool } from '../../scripts/lib/find-tool';
import { findTool, type Tool } from '../../scripts/lib/find-tool';

export interface SkipRecord {
  suite: string;
  tool: string;
  aptPackage: string;
}

/** Where skips are recorded (LAB_TEST_SKIP_DIR overrides it, for the helper's own tests). */
export function skipDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.LAB_TEST_SKIP_DIR ??
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/skipped')
  );
}

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

export function missingMessage(tool: Tool, suite: string): string {
  return `${suite} needs ${tool.name}, which is not installed (apt-get install -y ${tool.aptPackage}).`;
}

/** Note that `suite` was skipped for want of `tool` (one file per suite, so parallel workers never clash). */
export function recordSkip(tool: Tool, suite: string, dir = skipDir()): void {
  fs.mkdirSync(dir, { recursive: true });
  const record: SkipRecord = { suite, tool: tool.name, aptPackage: tool.aptPackage };
  const file = path.join(dir, `${suite.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(record)}\n`);
}

/** Every recorded skip, sorted by suite. */
export function readSkips(dir = skipDir()): SkipRecord[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as SkipRecord)
    .sort((a, b) => a.suite.localeCompare(b.suite));
}

/** The closing lines of `npm test`: which suites were skipped and the one command that enables them. */
export function skipSummary(skips: SkipRecord[], ci: boolean): { text: string; ok: boolean } {
  if (skips.length === 0) return { text: 'No test suite was skipped.', ok: true };
  const packages = [...new Set(skips.map((s) => s.aptPackage))].sort();
  const lines = [
    `${skips.length} test suite${skips.length === 1 ? ' was' : 's were'} skipped:`,
    ...skips.map((s) => `  - ${s.suite} (needs ${s.tool})`),
    `Enable ${skips.length === 1 ? 'it' : 'them'} with: sudo apt-get install -y ${packages.join(' ')}`,
  ];
  if (ci) lines.push('CI=true: a skipped suite is a failure.');
  return { text: lines.join('\n'), ok: !ci };
}

/**
 * For a vitest file: the program's path, or null after recording the skip. With CI=true a missing program
 * registers a failing test instead (vitest's `it` is passed in so this file does not import vitest).
 */
export function requireTool(
  tool: Tool,
  suite: string,
  failingTest: (name: string, fn: () => void) => void,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const found = findTool(tool, env);
  if (found) return found;
  if (isCi(env)) {
    failingTest(`${tool.name} is installed (CI=true)`, () => {
      throw new Error(missingMessage(tool, suite));
    });
  } else {
    recordSkip(tool, suite, skipDir(env));
  }
  return null;
}

/** For a plain script: the program's path; when missing, record the skip and exit 0 (CI=true: exit 1). */
export function requireToolOrExit(tool: Tool, suite: string, env: NodeJS.ProcessEnv = process.env): string {
  const found = findTool(tool, env);
  if (found) return found;
  process.stdout.write(`${missingMessage(tool, suite)}\n`);
  if (isCi(env)) {
    process.stdout.write('CI=true: a skipped suite is a failure.\n');
    process.exit(1);
  }
  recordSkip(tool, suite, skipDir(env));
  process.stdout.write(`Skipped ${suite}.\n`);
  process.exit(0);
}
