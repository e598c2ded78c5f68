// `cli run` when stderr is not a terminal (issue 15, ask 5): plain progress lines, at most one per interval,
// plus one at every stage change and one at the end; and a real `cli run` piped to a file prints them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProgressLine, PlainProgress } from '../../src/cli/plain-progress';
import type { RunnerStatus } from '../../src/continual/runner';

const status = (over: Partial<RunnerStatus>): RunnerStatus => ({
  step: 0,
  totalSteps: 2000,
  stage: 0,
  stageCount: 2,
  taskIndex: 0,
  taskLabel: 'CartPole',
  taskStep: 0,
  taskSteps: 1000,
  epsilon: 1,
  episodes: [0, 0],
  lastEpisodeReturn: null,
  lastLoss: null,
  stepsPerSec: 0,
  done: false,
  strategy: 'finetune',
  strategyParams: {},
  ...over,
});

describe('plain progress lines', () => {
  it('prints by interval, at stage changes and once at the end', () => {
    const lines: string[] = [];
    let now = 0;
    const p = new PlainProgress(
      (l) => lines.push(l),
      10_000,
      () => now,
    );
    p.update(status({ step: 100, taskStep: 100 }), ['–', '–']);
    now = 5000;
    p.update(status({ step: 500, taskStep: 500 }), ['–', '–']); // within the interval: nothing
    now = 10_001;
    p.update(status({ step: 900, taskStep: 900 }), ['0.10', '–']);
    now = 10_002;
    p.update(status({ step: 1000, stage: 1, taskStep: 0, taskLabel: 'Acrobot' }), ['0.10', '–']); // new stage
    now = 10_003;
    p.update(status({ step: 2000, stage: 1, done: true }), ['0.10', '0.50']);
    p.update(status({ step: 2000, stage: 1, done: true }), ['0.10', '0.50']); // the end only once
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      'progress: step 900/2000 (45%) · stage 1/2 CartPole 900/1000 · ε 1.00 · scores 0.10 –',
    );
    expect(lines[2]).toMatch(/stage 2\/2 Acrobot 0\/1000/);
    expect(lines[3]).toMatch(/^progress: step 2000\/2000 \(100%\) · done · scores 0.10 0.50$/);
  });

  it('shows the training return and speed when known', () => {
    expect(formatProgressLine(status({ lastEpisodeReturn: 21.5, stepsPerSec: 412.4 }), ['–'])).toMatch(
      /last episode 21.5 · 412 steps\/s$/,
    );
  });

  it('a piped `cli run` prints progress lines to stderr', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plain-progress-'));
    const file = path.join(dir, 'seq.json');
    writeFileSync(
      file,
      JSON.stringify({
        tasks: [
          { env: 'CartPole-v1', steps: 300 },
          { env: 'Acrobot-v1', steps: 300, dqn: { batchSize: 16 } },
        ],
        dqn: { hiddenSizes: [8], learningStarts: 50, batchSize: 8 },
      }),
    );
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'run', '--sequence', file, '--no-record', '--eval-every', '300'],
      {
        cwd: path.resolve(__dirname, '../..'),
        encoding: 'utf8',
        env: { ...process.env, LAB_BACKEND: 'cpu' },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    // Each task's settings first, then progress lines (stderr is a pipe here, not a terminal).
    expect(run.stderr).toMatch(/task 1 CartPole-v1 \(sequence\): lr 0.0001 · batch 8 · /);
    expect(run.stderr).toMatch(/task 2 Acrobot-v1 \(Acrobot-v1 preset \+ own\): lr 0.00063 · batch 16 · /);
    expect(run.stderr).toMatch(/^progress: step \d+\/600 .*stage 2\/2 Acrobot-v1/m);
    expect(run.stderr).toMatch(/^progress: step 600\/600 \(100%\) · done/m);
  }, 120_000);
});
