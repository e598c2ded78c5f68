// `cli run` and `cli compare` on a tiny sequence file: the one JSON line, the CSV, and clear user errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { tinyConfig } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-cli-'));
/** The summary of the recorded run, which the resume test reproduces. */
let firstRun: { matrix?: unknown; acc?: unknown } | undefined;
const sequenceFile = path.join(dir, 'tiny.json');
fs.writeFileSync(sequenceFile, JSON.stringify(tinyConfig('finetune').sequence));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('cli run', () => {
  it('prints exactly one JSON line with the documented keys and records a session', async () => {
    const out = path.join(dir, 'session');
    const r = await capture([
      'run',
      '--sequence',
      sequenceFile,
      '--strategy',
      'ewc',
      '--lambda',
      '10',
      '--options',
      '{"fisherBatches":2}',
      '--seed',
      '3',
      '--out',
      out,
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!);
    for (const key of [
      'sequence',
      'strategy',
      'seed',
      'acc',
      'forgetting',
      'bwt',
      'fwt',
      'matrix',
      'envSteps',
      'seconds',
      'backend',
    ]) {
      expect(summary).toHaveProperty(key);
    }
    expect(summary).toMatchObject({ sequence: 'tiny', strategy: 'ewc', seed: 3, envSteps: 240 });
    firstRun = summary;
    expect(fs.existsSync(path.join(out, 'events.ndjson'))).toBe(true);
    // One checkpoint at the end of stage 1 (the run's end needs none).
    expect(fs.readdirSync(path.join(out, 'checkpoints')).filter((d) => d.startsWith('step-'))).toHaveLength(
      1,
    );
  });

  it('resumes a recorded session that was cut after its first stage', async () => {
    const out = path.join(dir, 'session');
    // Simulate a crash after the checkpoint: drop the events after the checkpoint line.
    const events = fs.readFileSync(path.join(out, 'events.ndjson'), 'utf8').trim().split('\n');
    const cut = events.findIndex((l) => l.includes('"type":"checkpoint"'));
    fs.writeFileSync(path.join(out, 'events.ndjson'), `${events.slice(0, cut + 1).join('\n')}\n`);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'session.json'), 'utf8'));
    delete manifest.ended;
    fs.writeFileSync(path.join(out, 'session.json'), JSON.stringify(manifest));
    const r = await capture(['run', '--resume', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const resumed = JSON.parse(r.out.trim());
    expect(resumed).toMatchObject({ strategy: 'ewc', seed: 3, envSteps: 240 });
    // The resume started from the stage-1 checkpoint (step 120), not from scratch, and, the checkpoint
    // being at a stage end, it reproduces the uninterrupted run exactly.
    const after = fs
      .readFileSync(path.join(out, 'events.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .slice(cut + 1)
      .map((l) => JSON.parse(l) as { type: string; step?: number; checkpoint?: string | null });
    expect(after[0]).toMatchObject({ type: 'resume', step: 120 });
    expect(after[0]!.checkpoint).toBeTruthy();
    const firstStep = after.slice(1).find((e) => e.step !== undefined);
    expect(firstStep?.step).toBeGreaterThanOrEqual(120);
    expect(resumed.matrix).toEqual(firstRun?.matrix);
    expect(resumed.acc).toBe(firstRun?.acc);
  });

  it('rejects bad flags with one clear sentence and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['run', '--strategy', 'finetune', '--lambda', '5', '--no-record'], /has no λ/],
      [['run', '--strategy', 'nope', '--no-record'], /Unknown strategy "nope"/],
      [['run', '--sequence', 'nope', '--no-record'], /Unknown sequence "nope"/],
      [['run', '--seed', '-1', '--no-record'], /--seed/],
      [['run', '--options', '{bad', '--no-record'], /--options is not valid JSON/],
      [['run', '--keep-checkpoints', '0'], /--keep-checkpoints must be a whole number ≥ 1, or "all"/],
      [['run', '--keep-checkpoints', 'x'], /--keep-checkpoints must be a whole number ≥ 1, or "all"/],
      [['run', '--keep-checkpoints', 'all', '--no-record'], /--keep-checkpoints needs a recorded run/],
      [['compare', '--strategies', 'finetune,nope', '--seeds', '1'], /Unknown strategy "nope"/],
    ];
    for (const [argv, message] of cases) {
      const r = await capture(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    }
  });
});

describe('cli compare', () => {
  it('prints mean and 90% CI per strategy and writes the CSV', async () => {
    const csv = path.join(dir, 'cmp.csv');
    const r = await capture([
      'compare',
      '--sequence',
      sequenceFile,
      '--strategies',
      'finetune,rehearsal',
      '--seeds',
      '2',
      '--out',
      path.join(dir, 'sweeps'),
      '--csv',
      csv,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/strategy\s+acc\s+forgetting\s+bwt\s+fwt\s+auc\s+seconds/);
    expect(r.out).toMatch(/^finetune\s+\d\.\d\d \[/m);
    expect(r.out).toMatch(/^rehearsal\s+\d\.\d\d \[/m);
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('sequence,strategy,lambda,metric,mean,ci90_low,ci90_high,n,values');
    expect(rows).toHaveLength(1 + 2 * 6);
    expect(rows[1]).toMatch(/^tiny,finetune,,acc,[\d.]+,[\d.]+,[\d.]+,2,[\d.]+;[\d.]+$/);

    // Every run went to the results store; the same command again resumes from it and trains nothing.
    const again = await capture([
      'compare',
      '--sequence',
      sequenceFile,
      '--strategies',
      'finetune,rehearsal',
      '--seeds',
      '2',
      '--out',
      path.join(dir, 'sweeps'),
      '--json',
    ]);
    expect(again.code, again.err).toBe(0);
    expect(again.err).not.toMatch(/ACC/u);
    const json = JSON.parse(again.out.trim()) as { label: string; metric: string; values: number[] }[];
    const acc = fs.readFileSync(csv, 'utf8').split('\n')[1]!.split(',').at(-1)!.split(';').map(Number);
    expect(json.find((r) => r.label === 'finetune' && r.metric === 'acc')!.values).toEqual(acc);

    // compare --sweep ID summarizes the same store.
    const sweepId = fs.readdirSync(path.join(dir, 'sweeps'))[0]!;
    const bySweep = await capture(['compare', '--sweep', sweepId, '--out', path.join(dir, 'sweeps')]);
    expect(bySweep.code, bySweep.err).toBe(0);
    expect(bySweep.out).toBe(r.out);
  });
});
