/**
 * `npm run bench -- sweep [--steps-per-task N] [--sequence NAME] [--no-redis] [--json]`: one 12-job sweep
 * (finetune, ewc, l2 × 4 seeds) run three ways, one after the other on fresh folders:
 *   1. embedded, --jobs 1          2. embedded, --jobs 2          → speed-up = wall 1 / wall 2
 *   3. through Redis (a redis-server started here on a free loopback port) with 2 workers of 1 job each
 *      → overhead per job beyond the run itself = (2 × wall 3 − Σ run time) / 12
 * The same overhead is printed for the embedded --jobs 1 sweep (process start-up, backend load, session
 * writes), so the part that BullMQ adds is the difference. Run time = each run's own clock (run-end `t`).
 * Default 3,000 env steps per task (12,000 per job): shorter jobs measure the job processes' start-up more than
 * the sweep (BENCHMARKS.md, session 4 quiet re-run). Record the output in BENCHMARKS.md with the load average
 * it prints.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openQueue, submitSweep, waitForSweep } from '../src/sweep/distributed';
import { runEmbedded } from '../src/sweep/embedded';
import { connectRedis } from '../src/sweep/redis';
import type { SweepRunResult } from '../src/sweep/results';
import { parseSweepSpec, planSweep, type SweepPlan } from '../src/sweep/spec';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.join(here, '..', 'src', 'cli', 'main.ts');

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const stepsPerTask = Number(flag(args, '--steps-per-task', '3000'));
  const sequence = flag(args, '--sequence', 'cartpole-physics');
  const plan = planSweep(
    parseSweepSpec({
      name: 'bench',
      sequence,
      strategies: ['finetune', 'ewc', 'l2'],
      seeds: 4,
      stepsPerTask,
    }),
  );
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-sweep-'));
  const loadStart = os.loadavg();
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  log(
    `sweep ${plan.id}: ${plan.jobs.length} jobs of ${plan.jobs[0]!.steps} env steps (${sequence}, ${stepsPerTask} per task); load average ${loadStart.map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`,
  );
  try {
    const one = await timed(() => runEmbedded(plan, path.join(work, 'jobs1'), { jobs: 1, progress: false }));
    log(`embedded --jobs 1: ${one.seconds.toFixed(1)} s`);
    const two = await timed(() => runEmbedded(plan, path.join(work, 'jobs2'), { jobs: 2, progress: false }));
    log(`embedded --jobs 2: ${two.seconds.toFixed(1)} s`);
    const runSum1 = sumRun(one.value.results);
    let redis: { seconds: number; results: SweepRunResult[] } | null = null;
    const bin = findRedisServer();
    if (args.includes('--no-redis')) log('redis: skipped (--no-redis)');
    else if (!bin) log('redis: skipped (redis-server not installed)');
    else redis = await viaRedis(bin, plan, path.join(work, 'redis'));
    const out = {
      jobs: plan.jobs.length,
      stepsPerJob: plan.jobs[0]!.steps,
      loadAverageStart: loadStart,
      loadAverageEnd: os.loadavg(),
      cores: os.cpus().length,
      embedded1: {
        wallSeconds: one.seconds,
        runSeconds: runSum1,
        overheadPerJob: (one.seconds - runSum1) / plan.jobs.length,
      },
      embedded2: { wallSeconds: two.seconds, runSeconds: sumRun(two.value.results) },
      speedup: one.seconds / two.seconds,
      redis: redis
        ? {
            workers: 2,
            wallSeconds: redis.seconds,
            runSeconds: sumRun(redis.results),
            overheadPerJob: (2 * redis.seconds - sumRun(redis.results)) / plan.jobs.length,
          }
        : null,
      sameResults: redis
        ? sameNumbers(one.value.results, redis.results) && sameNumbers(one.value.results, two.value.results)
        : sameNumbers(one.value.results, two.value.results),
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(out)}\n`);
      return;
    }
    const lines = [
      `12-job sweep (${sequence}, ${out.stepsPerJob} env steps per job), ${out.cores} cores, load average ${loadStart[0]!.toFixed(2)} at start, ${out.loadAverageEnd[0]!.toFixed(2)} at end`,
      `embedded --jobs 1: ${one.seconds.toFixed(1)} s wall, Σ run time ${runSum1.toFixed(1)} s, overhead per job ${out.embedded1.overheadPerJob.toFixed(2)} s`,
      `embedded --jobs 2: ${two.seconds.toFixed(1)} s wall → speed-up ${out.speedup.toFixed(2)}×`,
      out.redis
        ? `redis, 2 workers × 1 job: ${out.redis.wallSeconds.toFixed(1)} s wall, Σ run time ${out.redis.runSeconds.toFixed(1)} s, overhead per job beyond the run ${out.redis.overheadPerJob.toFixed(2)} s (embedded --jobs 1: ${out.embedded1.overheadPerJob.toFixed(2)} s)`
        : 'redis: not measured',
      `same ACC/forgetting/matrix in every mode: ${out.sameResults ? 'yes' : 'NO'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

function sumRun(results: readonly SweepRunResult[]): number {
  return results.reduce((s, r) => s + r.seconds, 0);
}

function sameNumbers(a: readonly SweepRunResult[], b: readonly SweepRunResult[]): boolean {
  const key = (r: SweepRunResult): string => JSON.stringify([r.job, r.acc, r.forgetting, r.matrix]);
  return a.length === b.length && a.map(key).sort().join() === b.map(key).sort().join();
}

function findRedisServer(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Start redis-server and two workers (waiting until both listen), then time the sweep from submit to end. */
async function viaRedis(
  bin: string,
  plan: SweepPlan,
  root: string,
): Promise<{ seconds: number; results: SweepRunResult[] }> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const server = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const workers: ChildProcess[] = [];
  try {
    await waitForOutput(server, 'Ready to accept connections');
    for (let i = 0; i < 2; i++) {
      const w = spawn(process.execPath, ['--import', 'tsx', MAIN, 'worker', '--redis', url, '--jobs', '1'], {
        env: { ...process.env, LAB_CLI_ENTRY: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      workers.push(w);
      await waitForOutput(w, 'at a time from', 'stderr');
    }
    const connection = connectRedis(url);
    const queue = openQueue(connection);
    try {
      const t0 = performance.now();
      await submitSweep(queue, plan, root);
      const { results, failed } = await waitForSweep(queue, plan, { progress: false, pollMs: 100 });
      const seconds = (performance.now() - t0) / 1000;
      if (failed.length)
        throw new Error(`redis sweep: ${failed.length} job(s) failed: ${failed[0]!.message}`);
      process.stderr.write(`redis, 2 workers: ${seconds.toFixed(1)} s\n`);
      return { seconds, results };
    } finally {
      await queue.close();
      connection.disconnect();
    }
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    server.kill('SIGTERM');
  }
}

function waitForOutput(
  child: ChildProcess,
  text: string,
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${text}": ${out}`)), 300_000);
    child[stream]!.on('data', (d: Buffer) => {
      out += String(d);
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before "${text}": ${out}`));
    });
  });
}
