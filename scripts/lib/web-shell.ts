/**
 * Shared by the end-to-end test (test/e2e/run.ts), the UI benchmark (bench/ui.ts) and screenshots: start the web shell as
 * users do (`tsx src/web/main.ts`), read its one URL line, and launch Debian's Chromium with Playwright.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM as CHROMIUM_TOOL, findTool } from './find-tool';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Debian's Chromium (or another chromium on PATH; find-tool.ts finds it). */
export const CHROMIUM = findTool(CHROMIUM_TOOL) ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface RunningShell {
  url: string;
  process: ChildProcess;
  /** Everything the shell wrote to stderr (diagnostics). */
  stderr: () => string;
  stop(): Promise<void>;
}

/** Start `src/web/main.ts --port 0 --no-open --sessions-dir <dir>` and wait for its URL line. */
export async function startShell(sessionsDir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningShell> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/web/main.ts', '--port', '0', '--no-open', '--sessions-dir', sessionsDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the web shell printed no URL within 60 s; stderr:\n${err}`)),
      60_000,
    );
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.split('\n')[0]!.trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the web shell exited with code ${code}; stderr:\n${err}`));
    });
  });
  return {
    url,
    process: child,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
