// Issue #14 items 3, 5 and 6 through the CLI (in-process `main`): one writer per session, one resume rule
// shared with the UI, no overwritten or mixed-in files without --force, no writes through links, strict
// flags, bounded regular-file inputs, and every failure one sentence naming the path and cause, exit 2.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { tinyConfig } from '../continual/helpers';
import { hashTree, leaveStaleLock, recordSynthetic, tempDir } from './helpers';

let work: string;
let sequenceFile: string;
/** A recorded tiny run cut after its stage-1 checkpoint (resumable), made once and copied per test. */
let cutSession: string;
let sleeper: ChildProcess;

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

/** Exit 2 with exactly one `error: …` sentence and no stack trace. */
function expectOneSentence(r: { code: number; err: string }, pattern: RegExp): void {
  expect(r.code, r.err).toBe(2);
  const errors = r.err.split('\n').filter((l) => l.startsWith('error: '));
  expect(errors, r.err).toHaveLength(1);
  expect(errors[0]).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
}

function copyOf(dir: string, name: string): string {
  const to = path.join(work, name);
  fs.cpSync(dir, to, { recursive: true });
  return to;
}

function readEvents(dir: string): { type: string; step: number; reason?: string }[] {
  return fs
    .readFileSync(path.join(dir, 'events.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; step: number; reason?: string });
}

beforeAll(async () => {
  work = tempDir('lab-harden-');
  sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  sequenceFile = path.join(work, 'tiny.json');
  fs.writeFileSync(sequenceFile, JSON.stringify(tinyConfig('finetune').sequence));
  const full = path.join(work, 'full');
  const r = await capture(['run', '--sequence', sequenceFile, '--out', full, '--json']);
  expect(r.code, r.err).toBe(0);
  // A crash after the stage-1 checkpoint: the events after it never reached the disk.
  cutSession = copyOf(full, 'cut');
  const lines = fs.readFileSync(path.join(cutSession, 'events.ndjson'), 'utf8').trim().split('\n');
  const cp = lines.findIndex((l) => l.includes('"type":"checkpoint"'));
  fs.writeFileSync(path.join(cutSession, 'events.ndjson'), `${lines.slice(0, cp + 1).join('\n')}\n`);
  const manifest = JSON.parse(fs.readFileSync(path.join(cutSession, 'session.json'), 'utf8'));
  delete manifest.ended;
  fs.writeFileSync(path.join(cutSession, 'session.json'), JSON.stringify(manifest));
});
afterAll(() => {
  sleeper.kill();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('item 3: one writer per session, one resume rule', () => {
  it('two `run --resume DIR` at once: one resumes, the other exits 2 naming the holder; the log stays whole', async () => {
    const dir = copyOf(cutSession, 'race');
    const [a, b] = await Promise.all([
      capture(['run', '--resume', dir, '--json']),
      capture(['run', '--resume', dir, '--json']),
    ]);
    const codes = [a.code, b.code].sort();
    expect(codes, `${a.err}\n${b.err}`).toEqual([0, 2]);
    const loser = a.code === 2 ? a : b;
    expectOneSentence(loser, /is being written by this process .*session\.lock/);
    const events = readEvents(dir);
    expect(events.filter((e) => e.type === 'resume')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'run-end')).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'session.lock'))).toBe(false);
  });

  it('a session another process is writing: exit 2 naming its pid and host, nothing written', async () => {
    const dir = copyOf(cutSession, 'held');
    fs.writeFileSync(
      path.join(dir, 'session.lock'),
      JSON.stringify({ pid: sleeper.pid, host: os.hostname(), startedAt: '2025-01-02T03:04:05.000Z' }),
    );
    const before = hashTree(dir);
    const r = await capture(['run', '--resume', dir]);
    expectOneSentence(r, new RegExp(`being written by process ${sleeper.pid} on ${os.hostname()}`));
    expect(hashTree(dir)).toEqual(before);
  });

  it("a dead writer's stale lock is taken over with a note, and the resume completes", async () => {
    const dir = copyOf(cutSession, 'stale');
    leaveStaleLock(dir);
    const r = await capture(['run', '--resume', dir, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/note: Took over the stale lock .* no longer exists/);
    expect(fs.existsSync(path.join(dir, 'session.lock'))).toBe(false);
  });

  it('the UI rule: a stopped session resumes from the CLI too; a finished one is refused', async () => {
    const stopped = copyOf(cutSession, 'stopped');
    const last = readEvents(stopped).at(-1)!;
    fs.appendFileSync(
      path.join(stopped, 'events.ndjson'),
      `${JSON.stringify({ type: 'run-end', step: last.step, t: 1, metrics: {}, reason: 'stopped' })}\n`,
    );
    const r = await capture(['run', '--resume', stopped, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(readEvents(stopped).at(-1)).toMatchObject({ type: 'run-end', reason: 'finished' });
    const again = await capture(['run', '--resume', stopped]);
    expectOneSentence(again, /already finished; there is nothing to resume/);
  });
});

describe('item 5: no overwritten or mixed-in files', () => {
  it('run --out into a non-empty folder that is not a session: exit 2 unless --force', async () => {
    const dir = path.join(work, 'foreign');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'thesis.tex'), 'precious');
    const before = hashTree(dir);
    const r = await capture(['run', '--sequence', sequenceFile, '--out', dir]);
    expectOneSentence(r, /foreign is not empty and is not a session .*thesis\.tex.*--force/);
    expect(hashTree(dir)).toEqual(before);
    const forced = await capture(['run', '--sequence', sequenceFile, '--out', dir, '--force', '--json']);
    expect(forced.code, forced.err).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'thesis.tex'), 'utf8')).toBe('precious');
    expect(fs.existsSync(path.join(dir, 'session.json'))).toBe(true);
    // A session is never started on top of another one, even with --force.
    const over = await capture(['run', '--sequence', sequenceFile, '--out', dir, '--force']);
    expectOneSentence(over, /already holds a session/);
  });

  it('never writes through a symlinked session folder', async () => {
    const outside = tempDir('lab-outside-');
    const link = path.join(work, 'link-out');
    fs.symlinkSync(outside, link);
    const r = await capture(['run', '--sequence', sequenceFile, '--out', link]);
    expectOneSentence(r, /link-out is a symbolic link .*never written through links/);
    const session = copyOf(cutSession, 'real-session');
    const linkToSession = path.join(work, 'link-session');
    fs.symlinkSync(session, linkToSession);
    const before = hashTree(session);
    const resumed = await capture(['run', '--resume', linkToSession]);
    expectOneSentence(resumed, /link-session is a symbolic link/);
    expect(hashTree(session)).toEqual(before);
    expect(fs.readdirSync(outside)).toEqual([]);
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('train --out refuses a folder holding a checkpoint (meta.json, weights.bin) unless --force', async () => {
    const dir = path.join(work, 'ckpt');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'meta.json'), '{"mine":true}');
    fs.writeFileSync(path.join(dir, 'weights.bin'), 'w');
    const r = await capture(['train', '--env', 'CartPole-v1', '--steps', '50', '--out', dir]);
    expectOneSentence(r, /ckpt already holds meta\.json, weights\.bin; .*--force/);
    expect(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')).toBe('{"mine":true}');
  });

  it('export --out never replaces an existing file (another session’s events.ndjson) unless --force', async () => {
    const session = await recordSynthetic(path.join(work, 'synthetic'));
    const other = copyOf(session, 'other');
    const target = path.join(other, 'events.ndjson');
    const before = fs.readFileSync(target);
    const r = await capture(['export', session, '--format', 'json', '--out', target]);
    expectOneSentence(r, /other\/events\.ndjson already exists; .*--force/);
    expect(fs.readFileSync(target)).toEqual(before);
    const csvDir = path.join(work, 'csv');
    fs.mkdirSync(csvDir);
    fs.writeFileSync(path.join(csvDir, 'evals.csv'), 'mine');
    const csv = await capture(['export', session, '--format', 'csv', '--out', csvDir]);
    expectOneSentence(csv, /evals\.csv already exists/);
    expect(fs.readdirSync(csvDir)).toEqual(['evals.csv']); // nothing half-written either
    const forced = await capture(['export', session, '--format', 'csv', '--out', csvDir, '--force']);
    expect(forced.code, forced.err).toBe(0);
    expect(fs.readFileSync(path.join(csvDir, 'evals.csv'), 'utf8')).toMatch(/^step,task/);
  });
});

describe('item 6: strict flags, bounded inputs, one sentence per failure', () => {
  it('parses every number strictly: --lambda "" and friends are errors, not 0', async () => {
    for (const bad of ['', ' ', '0x10', 'Infinity', '1,5', 'NaN', '-1']) {
      const r = await capture(['run', '--strategy', 'ewc', '--lambda', bad, '--no-record']);
      expectOneSentence(r, /--lambda must be a number ≥ 0/);
    }
    const empty = await capture(['run', '--seed', '', '--no-record']);
    expectOneSentence(empty, /--seed/);
    const out = await capture(['run', '--out', '', '--no-record']);
    expectOneSentence(out, /--out/);
  });

  it('reads a sequence only from a regular file of at most 1 MiB', async () => {
    const started = Date.now();
    const zero = await capture(['run', '--sequence', '/dev/zero', '--no-record']);
    expectOneSentence(zero, /Sequence file \/dev\/zero is not a regular file/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const big = path.join(work, 'big.json');
    fs.writeFileSync(big, `{"name":"x","tasks":[],"pad":"${'x'.repeat(1024 * 1024)}"}`);
    const r = await capture(['run', '--sequence', big, '--no-record']);
    expectOneSentence(r, /big\.json is \d+ bytes, over the 1048576-byte limit/);
    const folder = await capture(['run', '--sequence', `${work}/`, '--no-record']);
    expect(folder.code).toBe(2);
  });

  it('run --out /proc/x fails fast with the path and the cause', async () => {
    const started = Date.now();
    const r = await capture(['run', '--sequence', sequenceFile, '--out', '/proc/lab-x/session']);
    expectOneSentence(r, /Cannot create the folder \/proc\/lab-x: .*\(E[A-Z]+\)\.$/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a file-system failure is one sentence with path and cause, exit 2 (a file where a folder should be)', async () => {
    const file = path.join(work, 'plain-file');
    fs.writeFileSync(file, 'x');
    const r = await capture(['run', '--sequence', sequenceFile, '--out', path.join(file, 'sub')]);
    expectOneSentence(r, /plain-file.*(not a folder|ENOTDIR)/);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only folder reports EACCES, not ENOENT', async () => {
    const ro = path.join(work, 'ro');
    fs.mkdirSync(ro, { mode: 0o555 });
    const r = await capture(['run', '--sequence', sequenceFile, '--out', path.join(ro, 'a', 'b')]);
    expectOneSentence(r, /Cannot create the folder .*ro\/a: permission denied \(EACCES\)\./);
  });
});
