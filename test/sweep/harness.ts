/**
 * Test harness for the distributed-sweep tests: a real redis-server on a free loopback port (no
 * persistence, or append-only persistence in a temp folder so a restart keeps the queue), and CLI processes
 * (workers, `sweep run`) started as single node processes so kill -9 hits the process itself.
 * Finding redis-server (and skipping without it) is test/support/requirements.ts's job.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export class RedisServer {
  private proc: ChildProcess | undefined;
  readonly url: string;

  constructor(
    private readonly bin: string,
    readonly port: number,
    /** Folder for the append-only file (persistence across restarts), or undefined for none. */
    private readonly dir?: string,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--protected-mode',
      'yes',
    ];
    if (this.dir) args.push('--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always');
    else args.push('--appendonly', 'no');
    const proc = spawn(this.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 15_000);
      proc.stdout!.on('data', (d) => {
        out += String(d);
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${out}`));
      });
    });
  }

  /** SIGTERM (Redis flushes its append-only file) and wait for the exit. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }
}

export interface CliProcess {
  child: ChildProcess;
  output(): string;
  stdout(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node --import tsx src/cli/main.ts ARGS` as one process. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, LAB_BACKEND: 'cpu', LAB_CLI_ENTRY: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  child.stdout!.on('data', (d) => {
    stdout += String(d);
    out += String(d);
  });
  child.stderr!.on('data', (d) => (out += String(d)));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, stdout: () => stdout, done };
}

/** Stop a process started here and wait for it (SIGKILL after `graceMs`). */
export async function stopCli(p: CliProcess, graceMs = 5000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.done;
  clearTimeout(timer);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  timeoutMs: number,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Lines of a session's events.ndjson whose type is `type` (superseded lines included). */
export function countEventLines(sessionDir: string, type: string): number {
  const text = fs.readFileSync(path.join(sessionDir, 'events.ndjson'), 'utf8');
  return text.split('\n').filter((l) => l.includes(`"type":"${type}"`)).length;
}

/** A tiny two-task gridworld sequence: seconds per run, with checkpoints every `checkpointEvery` steps. */
export function tinySweepSpec(opts: { stepsPerTask: number; checkpointEvery: number; seeds: number }) {
  return {
    name: 'itest',
    sequence: {
      name: 'itest-grid',
      tasks: [
        { env: 'Grid-FourRooms-GoalNE-v0', steps: opts.stepsPerTask, label: 'NE' },
        { env: 'Grid-FourRooms-GoalNW-v0', steps: opts.stepsPerTask, label: 'NW' },
      ],
      dqn: {
        hiddenSizes: [16],
        batchSize: 16,
        bufferSize: 2000,
        learningStarts: 50,
        trainFreq: 1,
        gradientSteps: 1,
        targetUpdateInterval: 50,
        explorationFraction: 0.5,
      },
    },
    strategies: ['finetune', 'ewc'],
    strategyOptions: { ewc: { fisherBatches: 2 } },
    seeds: opts.seeds,
    evalEvery: 250,
    evalEpisodes: 2,
    checkpointEvery: opts.checkpointEvery,
  };
}
