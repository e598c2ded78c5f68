/**
 * Test helper: `src/web/main.ts` as a real process (its own trainer child, forked as users get it), serving a
 * one-line page from a temporary folder. Gives the URL, port and token it printed, lists its live child
 * processes (from /proc), and checks that processes are gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ShellProcess {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  stderr: () => string;
  /** Pids of the shell's live child processes. */
  children(): number[];
  /** Send `signal` and wait for the shell to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  dir: string;
}

export function childPids(pid: number): number[] {
  try {
    const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** True while `pid` names a process that has not exited (zombies count as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

export async function waitUntil(what: string, fn: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startShellProcess(): Promise<ShellProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-shellproc-'));
  fs.mkdirSync(path.join(dir, 'site'));
  fs.writeFileSync(path.join(dir, 'site', 'index.html'), '<!doctype html><title>lab</title>');
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
      path.join(dir, 'site'),
      '--sessions-dir',
      path.join(dir, 'sessions'),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LAB_BACKEND: 'cpu' } },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  await waitUntil('the shell prints its URL', () => out.includes('\n') || child.exitCode !== null, 60_000);
  if (!out.includes('\n')) throw new Error(`the web shell exited with ${child.exitCode}: ${err}`);
  const url = out.split('\n')[0]!.trim();
  const parsed = new URL(url);
  return {
    child,
    url,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token') ?? '',
    stderr: () => err,
    children: () => childPids(child.pid!).filter(alive),
    dir,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill(signal);
        await gone;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Open an authenticated WebSocket to `shell` (the page's origin and the launch token). */
export function connectToShell(shell: ShellProcess): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, {
    origin: `http://127.0.0.1:${shell.port}`,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}
