/**
 * Shared by the end-to-end suites (test/e2e/run.ts, test/e2e/ui-truth.ts): named checks that print one line
 * each and stop the suite after the first failure, polling, and small Playwright helpers.
 */
import type { Page } from 'playwright-core';

export interface Checks {
  check(name: string, fn: () => Promise<void>): Promise<void>;
  /** Called after a failed check (screenshot + page errors, for diagnosis). */
  onFailure: () => Promise<void>;
  readonly passed: number;
  readonly failed: number;
  /** Count a failure outside a check (e.g. the harness). */
  fail(): void;
}

export function createChecks(): Checks {
  let stopAll = false;
  const c = {
    passed: 0,
    failed: 0,
    onFailure: async () => undefined,
    fail() {
      c.failed++;
    },
    async check(name: string, fn: () => Promise<void>): Promise<void> {
      if (stopAll) {
        c.failed++;
        process.stdout.write(`✗ ${name}: skipped (an earlier step failed)\n`);
        return;
      }
      const t0 = Date.now();
      try {
        await fn();
        c.passed++;
        process.stdout.write(`✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
      } catch (error) {
        c.failed++;
        // E2E_KEEP_GOING=1: run every check even after a failure (e.g. to see which fail on an old build).
        stopAll = process.env.E2E_KEEP_GOING !== '1';
        process.stdout.write(`✗ ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
        await c.onFailure().catch(() => undefined);
      }
    },
  };
  return c;
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Poll `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T> | T,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const text = async (page: Page, id: string): Promise<string> =>
  ((await page.getByTestId(id).textContent()) ?? '').trim();
