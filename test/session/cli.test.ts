// The inspect and export commands as real processes: exit codes, one JSON line, one-sentence errors.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, recordSynthetic, syntheticEvents, tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, [path.join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let work: string;
let complete: string;
let crashed: string;
beforeAll(async () => {
  work = tempDir('lab-cli-');
  complete = await recordSynthetic(path.join(work, 'complete'));
  crashed = await recordSynthetic(
    path.join(work, 'crashed'),
    syntheticEvents({ complete: false }).slice(0, 9),
  );
  fs.appendFileSync(path.join(crashed, 'events.ndjson'), '{"type":"epi');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('cli inspect / export', () => {
  it('inspect --json prints one line for complete and incomplete sessions and writes nothing', () => {
    const before = hashTree(work);
    const a = cli('inspect', complete, '--json');
    expect(a.code).toBe(0);
    expect(a.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(a.stdout)).toMatchObject({
      formatVersion: 1,
      complete: true,
      lastStep: 400,
      lastCheckpointStep: 400,
    });
    const b = cli('inspect', crashed, '--json');
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ complete: false, lastStep: 200, lastCheckpointStep: 200 });
    expect(hashTree(work)).toEqual(before);
  });

  it('inspect of an unreadable session: exit 2, one sentence naming the file, no stack', () => {
    const bad = path.join(work, 'bad');
    fs.cpSync(complete, bad, { recursive: true });
    fs.appendFileSync(path.join(bad, 'events.ndjson'), 'garbage\n');
    const r = cli('inspect', bad, '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: \S+events\.ndjson line 18 is not valid JSON[^\n]*\n$/);
  });

  it('export writes CSV files and JSON, refuses to write inside the session', () => {
    const out = path.join(work, 'export-csv');
    const r = cli('export', complete, '--format', 'csv', '--out', out);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([
      'episodes.csv',
      'evals.csv',
      'matrix.csv',
      'metrics.csv',
      'tasks.csv',
    ]);
    const inside = cli('export', complete, '--format', 'csv', '--out', path.join(complete, 'x'));
    expect(inside.code).toBe(2);
    expect(fs.existsSync(path.join(complete, 'x'))).toBe(false);
  });
});
