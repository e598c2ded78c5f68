// `cli train --json`: exactly one JSON line on stdout; flags validated with clear messages; --out saves.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'src/cli/main.ts', ...args],
      { encoding: 'utf8', env: { ...process.env, LAB_BACKEND: 'cpu' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const TINY = JSON.stringify({
  hiddenSizes: [8],
  learningStarts: 50,
  batchSize: 8,
  evalEpisodes: 2,
  trainFreq: 4,
});

describe('cli train', () => {
  it('prints exactly one JSON line on stdout with --json and saves a checkpoint with --out', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'dqn-cli-'));
    try {
      const r = await cli([
        'train',
        '--env',
        'CartPole-v1',
        '--steps',
        '200',
        '--seed',
        '3',
        '--config',
        TINY,
        '--out',
        out,
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.split('\n').filter((l) => l.length > 0);
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]!);
      expect(Object.keys(line)).toEqual([
        'env',
        'seed',
        'steps',
        'evalReturn',
        'evalEpisodes',
        'seconds',
        'backend',
      ]);
      expect(line).toMatchObject({
        env: 'CartPole-v1',
        seed: 3,
        steps: 200,
        evalEpisodes: 2,
        backend: 'cpu',
      });
      expect((await readdir(out)).sort()).toEqual(['meta.json', 'replay.bin', 'weights.bin']);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('evaluates every --eval-freq steps and, with --keep-best, reports the best weights', async () => {
    const r = await cli(
      ['train', '--env', 'CartPole-v1', '--steps', '300', '--config', TINY, '--json'].concat([
        '--eval-freq',
        '100',
        '--eval-freq-episodes',
        '2',
        '--keep-best',
      ]),
    );
    expect(r.code, r.stderr).toBe(0);
    const evals = [...r.stderr.matchAll(/eval at step (\d+): mean ([\d.]+) over 2 episodes/g)];
    expect(evals.map((m) => Number(m[1]))).toEqual([100, 200, 300]);
    const bestMean = Math.max(...evals.map((m) => Number(m[2])));
    const bestStep = evals.find((m) => Number(m[2]) === bestMean)![1];
    expect(r.stderr).toContain(`--keep-best: evaluating the weights of step ${bestStep}`);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('rejects bad flags naming the flag, with exit code 2', async () => {
    const [steps, config, env, keepBest] = await Promise.all([
      cli(['train', '--env', 'CartPole-v1', '--steps', 'ten']),
      cli(['train', '--env', 'CartPole-v1', '--config', '{"gama":0.9}']),
      cli(['train', '--env', 'NoSuchEnv-v0']),
      cli(['train', '--env', 'CartPole-v1', '--keep-best']),
    ]);
    expect(keepBest.code).toBe(2);
    expect(keepBest.stderr).toMatch(/--keep-best .*--eval-freq/);
    expect(steps.code).toBe(2);
    expect(steps.stderr).toMatch(/--steps/);
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/--config.*gama/);
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/--env/);
  });
});
