/**
 * `npm run bench -- inspect-rss [--mb 200] [--cli src/cli/main.ts] [--keep DIR] [--json]`: generate a
 * recorded session whose events.ndjson is about `--mb` MB (a long 4-task run: training episodes, evaluations
 * of every task, recorded evaluation episodes with their actions, checkpoints), then run `cli inspect --json`
 * on it in a fresh Node process and print that process's maximum resident set size (issue #14: ≤ 300 MB for
 * a 200 MB log). `--cli` points at another copy of the CLI (e.g. an older checkout) to compare.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RecordedBackendChoice, RunEvent } from '../src/session/events';
import { SESSION_FORMAT_VERSION, writeManifest } from '../src/session/manifest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TASKS = ['CartPole-v1', 'Acrobot-v1', 'MountainCar-v0', 'Grid-FourRooms-GoalNE-v0'];
const BACKEND: RecordedBackendChoice = {
  backend: 'cpu',
  forced: true,
  skipped: [],
  details: {},
  tfjsVersion: '4.22.0',
};

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Write a synthetic but schema-valid session of about `targetBytes` into `dir`; returns the log's size. */
export function generateSession(dir: string, targetBytes: number): number {
  fs.mkdirSync(path.join(dir, 'checkpoints'), { recursive: true });
  const config = { seed: 0, evalEvery: 2000, sequence: 'bench', strategy: 'ewc' };
  writeManifest(dir, {
    formatVersion: SESSION_FORMAT_VERSION,
    appVersion: 'bench',
    createdAt: new Date().toISOString(),
    config,
    sequence: 'bench',
    strategy: 'ewc',
    seed: 0,
    backend: BACKEND,
    backendWhy: 'cpu (bench)',
    resumes: [],
  });
  const fd = fs.openSync(path.join(dir, 'events.ndjson'), 'w');
  let bytes = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  const put = (e: RunEvent): void => {
    const line = `${JSON.stringify(e)}\n`;
    pending.push(line);
    pendingBytes += line.length;
    if (pendingBytes > 1 << 20) flush();
  };
  const flush = (): void => {
    fs.writeSync(fd, pending.join(''));
    bytes += pendingBytes;
    pending = [];
    pendingBytes = 0;
  };
  put({
    type: 'run-start',
    step: 0,
    t: 0,
    config,
    sequence: 'bench',
    strategy: 'ewc',
    seed: 0,
    backend: BACKEND,
  });
  const stageSteps = Math.max(10_000, Math.round(targetBytes / 4 / 2.45)); // ~2.45 bytes of log per env step
  let step = 0;
  let t = 0;
  let episode = 0;
  for (let task = 0; task < TASKS.length; task++) {
    put({
      type: 'task-start',
      step,
      t,
      task,
      label: `task ${task}`,
      envId: TASKS[task]!,
      params: {},
      source: 'scheduled',
    });
    const end = step + stageSteps;
    while (step < end) {
      const length = 20 + (episode % 180);
      step += length;
      t += length / 1000;
      put({ type: 'episode', step, t, task, episode: episode++, return: length * 0.97, length });
      if (Math.floor(step / 2000) !== Math.floor((step - length) / 2000)) {
        for (let k = 0; k < TASKS.length; k++) {
          const returns = Array.from({ length: 10 }, (_, i) => 100 + i + k);
          put({
            type: 'eval',
            step,
            t,
            task: k,
            mean: 104.5,
            normalized: 0.2 + 0.1 * k,
            episodes: 10,
            returns,
          });
          const actions = Array.from({ length: 200 }, (_, i) => (i * 7 + k) % 3);
          put({
            type: 'eval-episode',
            step,
            t,
            task: k,
            envId: TASKS[k]!,
            params: {},
            seed: step + k,
            actions,
            return: 200,
            length: 200,
          });
        }
      }
    }
    put({ type: 'task-end', step, t, task, matrixRow: TASKS.map((_, k) => (k <= task ? 0.5 : 0)) });
    const dirName = `checkpoints/step-${String(step).padStart(12, '0')}`;
    fs.mkdirSync(path.join(dir, dirName));
    put({ type: 'checkpoint', step, t, dir: dirName });
  }
  put({ type: 'run-end', step, t, metrics: { acc: 0.5, bwt: -0.1 }, reason: 'finished' });
  flush();
  fs.closeSync(fd);
  return bytes;
}

export async function run(args: string[]): Promise<void> {
  const mb = Number(flag(args, '--mb') ?? '200');
  const cli = path.resolve(ROOT, flag(args, '--cli') ?? 'src/cli/main.ts');
  const keep = flag(args, '--keep');
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-inspect-'));
  try {
    let bytes: number;
    if (keep && fs.existsSync(path.join(keep, 'events.ndjson'))) {
      bytes = fs.statSync(path.join(keep, 'events.ndjson')).size;
    } else {
      const started = performance.now();
      bytes = generateSession(dir, mb * 1e6);
      process.stderr.write(
        `generated ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
    // A fresh process: `cli inspect --json`, then its own peak RSS (KiB, from getrusage) on stderr.
    const script = [
      `const { main } = await import(${JSON.stringify(pathToFileURL(cli).href)});`,
      `const code = await main(['inspect', ${JSON.stringify(dir)}, '--json']);`,
      `process.stderr.write('MAXRSS_KB ' + process.resourceUsage().maxRSS + ' EXIT ' + code + '\\n');`,
    ].join('\n');
    const started = performance.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (performance.now() - started) / 1000;
    const m = /MAXRSS_KB (\d+) EXIT (\d+)/.exec(r.stderr);
    if (!m) throw new Error(`inspect did not report its RSS (exit ${r.status}): ${r.stderr.slice(-400)}`);
    const rssMb = Number(m[1]) / 1024;
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as {
      events?: number;
      complete?: boolean;
    };
    const load = os.loadavg()[0]!.toFixed(1);
    const result = {
      eventsMB: Number((bytes / 1e6).toFixed(1)),
      events: summary.events ?? null,
      complete: summary.complete ?? null,
      inspectExit: Number(m[2]),
      maxRssMB: Number(rssMb.toFixed(1)),
      seconds: Number(seconds.toFixed(1)),
      load1: Number(load),
      cli: path.relative(ROOT, cli),
    };
    process.stdout.write(
      `inspect of a ${result.eventsMB} MB events.ndjson (${result.events} events): max RSS ${result.maxRssMB} MB, ${result.seconds} s (exit ${result.inspectExit}; ${result.cli}; load average ${load} on ${os.cpus().length} cores)\n`,
    );
    if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
