/** Test helpers: temp folders and a small synthetic recorded session (no training engine needed). */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordedBackendChoice, RunEvent } from '../../src/session/events';
import { SessionRecorder } from '../../src/session/recorder';

export const BACKEND: RecordedBackendChoice = {
  backend: 'cpu',
  forced: true,
  skipped: [],
  details: {},
  tfjsVersion: '4.22.0',
};

export function tempDir(prefix = 'lab-session-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The events of a small two-task run (CartPole then Acrobot) with one checkpoint per task. */
export function syntheticEvents(opts: { complete?: boolean } = {}): RunEvent[] {
  const ev: RunEvent[] = [
    {
      type: 'run-start',
      step: 0,
      t: 0,
      config: { seed: 7, evalEvery: 100 },
      sequence: 'classic-pair',
      strategy: { name: 'ewc', lambda: 400 },
      seed: 7,
      backend: BACKEND,
    },
    {
      type: 'task-start',
      step: 0,
      t: 1,
      task: 0,
      label: 'cart',
      envId: 'CartPole-v1',
      params: {},
      source: 'scheduled',
    },
    { type: 'episode', step: 20, t: 2, task: 0, episode: 0, return: 20, length: 20 },
    { type: 'episode', step: 45, t: 3, task: 0, episode: 1, return: 25, length: 25 },
    { type: 'eval', step: 100, t: 4, task: 0, mean: 30, normalized: 0.02, episodes: 2, returns: [29, 31] },
    { type: 'eval', step: 100, t: 4, task: 1, mean: -500, normalized: 0, episodes: 2, returns: [-500, -500] },
    { type: 'marker', step: 120, t: 5, label: 'look here' },
    { type: 'task-end', step: 200, t: 6, task: 0, matrixRow: [0.5, 0] },
    {
      type: 'task-start',
      step: 200,
      t: 7,
      task: 1,
      label: 'acro',
      envId: 'Acrobot-v1',
      params: {},
      source: 'scheduled',
      from: 0,
    },
    { type: 'param-change', step: 250, t: 8, what: 'strategy.lambda', value: 1000 },
    { type: 'episode', step: 300, t: 9, task: 1, episode: 0, return: -300, length: 300 },
    { type: 'eval', step: 400, t: 10, task: 0, mean: 28, normalized: 0.01, episodes: 2, returns: [27, 29] },
    {
      type: 'eval',
      step: 400,
      t: 10,
      task: 1,
      mean: -200,
      normalized: 0.6,
      episodes: 2,
      returns: [-190, -210],
    },
    { type: 'task-end', step: 400, t: 11, task: 1, matrixRow: [0.4, 0.6] },
  ];
  if (opts.complete !== false) {
    ev.push({
      type: 'run-end',
      step: 400,
      t: 12,
      metrics: {
        acc: 0.5,
        bwt: -0.1,
        matrix: [
          [0.5, 0],
          [0.4, 0.6],
        ],
      },
      reason: 'finished',
    });
  }
  return ev;
}

/**
 * Record `events` into `dir` with a real SessionRecorder; a checkpoint (one small file) is saved after every
 * task-end. Returns the recorder's session folder.
 */
export async function recordSynthetic(dir: string, events = syntheticEvents()): Promise<string> {
  const rec = new SessionRecorder({ out: dir, flushMs: 50, now: () => new Date('2025-01-02T03:04:05Z') });
  for (const e of events) {
    rec.onEvent(e);
    if (e.type === 'task-end') {
      await rec.saveCheckpoint(e.step, e.t, (d) =>
        fs.writeFileSync(path.join(d, 'state.json'), `{"step":${e.step}}`),
      );
    }
  }
  rec.close();
  return rec.dir!;
}

/** sha256 of every file under `dir` (relative path → hash), to prove nothing changed. */
export function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.isSymbolicLink()) out.set(path.relative(dir, p), `link:${fs.readlinkSync(p)}`);
      else
        out.set(path.relative(dir, p), crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** The pid of a process that has exited (so `kill(pid, 0)` fails with ESRCH). */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

/**
 * Make `dir`'s writer lock look as a `kill -9` leaves it: held by a process of this host that is gone. Used by
 * tests that simulate a crash inside the test process (whose own lock would otherwise still be live).
 */
export function leaveStaleLock(dir: string, pid = deadPid()): void {
  const holder = { pid, host: os.hostname(), startedAt: '2025-01-02T03:04:05.000Z', token: 'crashed' };
  fs.writeFileSync(path.join(dir, 'session.lock'), `${JSON.stringify(holder)}\n`);
}
