// Crash safety end to end: spawn a recorded `cli run`, kill -9 it after its first checkpoint, `inspect`
// (readable, incomplete), `run --resume` (continues in the same session), `inspect` again (complete,
// further along). A tiny two-stage CartPole sequence keeps it to seconds of training.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricSeries } from '../../src/session/metrics-series';
import { scoresFromEvents, scoresSummary } from '../../src/session/run-scores';
import { openSession } from '../../src/session/reader';
import { tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');
const FIRST_STAGE = 600;
const SECOND_STAGE = 10_000;
const SEQUENCE = {
  name: 'kill-test',
  tasks: [
    { env: 'CartPole-v1', steps: FIRST_STAGE, label: 'cart' },
    { env: 'CartPole-v1', params: { length: 1 }, steps: SECOND_STAGE, label: 'cart long' },
  ],
};
// 256×256 keeps the second stage at seconds (≈ 4 s here) on the fast wasm update: [32] ran all 10,000 steps
// within the 150 ms between the first checkpoint and the kill.
const DQN = { hiddenSizes: [256, 256], learningStarts: 100, bufferSize: 5000 };

interface Proc {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Start the CLI (one node process, no wrapper, so SIGKILL hits the process that writes). */
function start(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<Proc> } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, LAB_BACKEND: 'cpu', LAB_CLI_ENTRY: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += String(d)));
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const done = new Promise<Proc>((resolve) =>
    child.on('exit', (code, signal) =>
      resolve({
        code,
        signal,
        get stdout() {
          return stdout;
        },
        get stderr() {
          return stderr;
        },
      }),
    ),
  );
  return { child, done };
}

async function inspectJson(dir: string): Promise<Record<string, unknown>> {
  const r = await start(['inspect', dir, '--json']).done;
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let work: string;
beforeAll(() => {
  work = tempDir('lab-kill-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('kill -9 and resume', () => {
  it('survives kill -9 and resumes in the same session', { timeout: 300_000 }, async () => {
    const seqFile = path.join(work, 'sequence.json');
    fs.writeFileSync(seqFile, JSON.stringify(SEQUENCE));
    const dir = path.join(work, 'session');
    const events = path.join(dir, 'events.ndjson');
    const runArgs = ['--dqn', JSON.stringify(DQN), '--eval-every', '500', '--json'];

    const run = start(['run', '--sequence', seqFile, '--out', dir, ...runArgs]);
    let exited: Proc | undefined;
    void run.done.then((p) => (exited = p));
    // Wait for the first checkpoint (end of stage 1) to be recorded, then a little more, then kill -9.
    for (;;) {
      if (exited)
        throw new Error(`run exited before it could be killed (code ${exited.code}): ${exited.stderr}`);
      if (fs.existsSync(events) && fs.readFileSync(events, 'utf8').includes('"type":"checkpoint"')) break;
      await sleep(25);
    }
    await sleep(150);
    expect(exited, 'the run finished before kill -9; make SECOND_STAGE longer').toBeUndefined();
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');

    const first = await inspectJson(dir);
    expect(first).toMatchObject({ formatVersion: 1, complete: false });
    // The stage-end checkpoint at least; on a fast machine a periodic one may follow before the kill lands.
    expect(first.lastCheckpointStep as number).toBeGreaterThanOrEqual(FIRST_STAGE);
    expect(first.lastStep as number).toBeGreaterThanOrEqual(first.lastCheckpointStep as number);

    const resumed = await start(['run', '--resume', dir, ...runArgs]).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout.trim().split('\n').pop()!) as {
      envSteps: number;
      session?: string;
    };
    expect(summary.envSteps).toBe(FIRST_STAGE + SECOND_STAGE);

    const second = await inspectJson(dir);
    expect(second).toMatchObject({ complete: true, lastStep: FIRST_STAGE + SECOND_STAGE });
    expect(second.lastStep as number).toBeGreaterThan(first.lastStep as number);

    // The session reads as one run: one task-start and one task-end per stage, the resume recorded.
    const s = openSession(dir);
    const series = metricSeries(s.events);
    expect(series.tasks.map((t) => [t.label, t.startStep, t.endStep])).toEqual([
      ['cart', 0, FIRST_STAGE],
      ['cart long', FIRST_STAGE, FIRST_STAGE + SECOND_STAGE],
    ]);
    expect(scoresSummary(scoresFromEvents(s.events)).matrix).toHaveLength(2);
    const resumedFrom = s.checkpoints.find((c) => c.step === first.lastCheckpointStep)!;
    expect(series.resumes).toEqual([{ step: first.lastCheckpointStep, checkpoint: resumedFrom.dir }]);
    expect(s.manifest.resumes).toHaveLength(1);
    expect(s.manifest.ended?.reason).toBe('finished');
    // Evaluations are on the regular grid exactly once each, with no duplicates from the lost attempt.
    const evalSteps = series.evals[0]!.steps;
    expect(new Set(evalSteps).size).toBe(evalSteps.length);
  });
});
