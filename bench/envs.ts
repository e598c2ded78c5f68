/**
 * Environment throughput benchmark (`npm run bench -- envs [--seconds S] [--only id,id] [--json]`).
 * For each environment: one instance, uniformly random actions from a seeded Rng, reset when an episode
 * ends; prints steps per wall-clock second and per CPU-second of this process (after a short warm-up; the
 * CPU figure is the fairer one on a machine shared with other jobs). `--json` prints one JSON line instead.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { listEnvs, makeEnv } from '../envs';
import { Rng } from '../envs/rng';

/** Gymnasium's Python steps/s measured on this machine (issue 3) and the required speed-up. */
export const GYMNASIUM_STEPS_PER_SECOND: Readonly<Record<string, number>> = {
  'CartPole-v1': 190_000,
  'MountainCar-v0': 135_000,
  'Acrobot-v1': 38_000,
};
export const REQUIRED_SPEEDUP = 40;

export interface EnvBenchResult {
  id: string;
  /** Steps per wall-clock second. */
  stepsPerSecond: number;
  /** Steps per second of this process's CPU time (less sensitive to other processes on a shared machine). */
  stepsPerCpuSecond: number;
  steps: number;
  seconds: number;
  episodes: number;
}

const CHUNK = 4096;

/** Runs random actions on a fresh `id` environment for about `seconds` seconds. */
export function benchEnv(id: string, seconds: number, seed = 0): EnvBenchResult {
  const env = makeEnv(id);
  const rng = new Rng(seed);
  const n = env.actionCount;
  env.reset(seed);
  let episodes = 0;
  const runChunk = (): void => {
    for (let i = 0; i < CHUNK; i++) {
      const r = env.step(rng.integer(n));
      if (r.terminated || r.truncated) {
        env.reset();
        episodes++;
      }
    }
  };
  const warmUpEnd = performance.now() + Math.min(300, seconds * 200);
  while (performance.now() < warmUpEnd) runChunk();
  episodes = 0;
  let steps = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    runChunk();
    steps += CHUNK;
    now = performance.now();
  }
  const elapsed = (now - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    id,
    stepsPerSecond: steps / elapsed,
    stepsPerCpuSecond: steps / cpuSeconds,
    steps,
    seconds: elapsed,
    episodes,
  };
}

function parseArgs(args: string[]): { seconds: number; only: string[] | null; json: boolean } {
  let seconds = 3;
  let only: string[] | null = null;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') json = true;
    else if (a === '--seconds') {
      seconds = Number(args[++i]);
      if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
        throw new Error(`--seconds must be a number in (0, 600], got ${JSON.stringify(args[i])}`);
      }
    } else if (a === '--only') {
      only = (args[++i] ?? '').split(',').filter((s) => s.length > 0);
      if (only.length === 0) throw new Error('--only needs a comma-separated list of environment ids');
    } else
      throw new Error(
        `bench envs: unknown argument ${JSON.stringify(a)} (use --seconds S, --only ids, --json)`,
      );
  }
  return { seconds, only, json };
}

export async function run(args: string[]): Promise<void> {
  const { seconds, only, json } = parseArgs(args);
  const ids = only ?? listEnvs().map((s) => s.id);
  const results: EnvBenchResult[] = [];
  for (const id of ids) {
    const classic = id in GYMNASIUM_STEPS_PER_SECOND;
    const r = benchEnv(id, classic ? seconds : Math.max(0.5, seconds / 4));
    results.push(r);
    if (!json) {
      const base = GYMNASIUM_STEPS_PER_SECOND[id];
      const vs = base
        ? `  wall ${(r.stepsPerSecond / base).toFixed(1)}× Gymnasium (target ${REQUIRED_SPEEDUP}× = ${((base * REQUIRED_SPEEDUP) / 1e6).toFixed(2)}M)`
        : '';
      const wall = (r.stepsPerSecond / 1e6).toFixed(2).padStart(7);
      const cpu = (r.stepsPerCpuSecond / 1e6).toFixed(2).padStart(7);
      console.log(`${id.padEnd(26)} ${wall}M steps/s (${cpu}M per CPU-second)${vs}`);
    }
  }
  if (json) {
    const cpu = os.cpus()[0]?.model ?? 'unknown';
    const load = os.loadavg()[0];
    console.log(
      JSON.stringify({
        bench: 'envs',
        node: process.version,
        cpu,
        cores: os.cpus().length,
        loadAverage1m: load,
        seconds,
        results,
      }),
    );
  }
}

// Allow `npx tsx bench/envs.ts [args]` until bench/main.ts dispatches here.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  run(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
