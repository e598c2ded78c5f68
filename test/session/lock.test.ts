// The session writer lock (issue #14 item 3): one writer at a time, the holder named, stale locks of dead
// processes taken over with a message, foreign-host and live locks never taken, and the recorder holding it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSessionError } from '../../src/session/errors';
import { LOCK_FILE, SessionLock, SessionLockedError, readSessionLock } from '../../src/session/lock';
import { resumeRecordedRun } from '../../src/session/recorded-run';
import { SessionRecorder } from '../../src/session/recorder';
import { hashTree, leaveStaleLock, recordSynthetic, syntheticEvents, tempDir } from './helpers';

let work: string;
let sleeper: ChildProcess;
beforeAll(() => {
  work = tempDir('lab-lock-');
  sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
});
afterAll(() => {
  sleeper.kill();
  fs.rmSync(work, { recursive: true, force: true });
});

function holdBy(dir: string, pid: number, host = os.hostname()): void {
  const holder = { pid, host, startedAt: '2025-01-02T03:04:05.000Z', token: 'other' };
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(holder));
}

describe('SessionLock', () => {
  it('is exclusive: a second acquire fails naming the holder; release frees it', () => {
    const dir = fs.mkdtempSync(path.join(work, 'a-'));
    const lock = SessionLock.acquire(dir);
    expect(readSessionLock(dir)).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(() => SessionLock.acquire(dir)).toThrow(SessionLockedError);
    lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    SessionLock.acquire(dir).release();
  });

  it('refuses a lock held by a live process, naming its pid and host', () => {
    const dir = fs.mkdtempSync(path.join(work, 'b-'));
    holdBy(dir, sleeper.pid!);
    let error: unknown;
    try {
      SessionLock.acquire(dir);
    } catch (e) {
      error = e;
    }
    expect(isSessionError(error)).toBe(true);
    expect((error as Error).message).toContain(`process ${sleeper.pid} on ${os.hostname()}`);
    expect((error as Error).message).toContain(path.join(dir, LOCK_FILE));
    expect(readSessionLock(dir)?.pid).toBe(sleeper.pid); // untouched
  });

  it('takes over the stale lock of a dead process and says so', () => {
    const dir = fs.mkdtempSync(path.join(work, 'c-'));
    leaveStaleLock(dir);
    const notices: string[] = [];
    const lock = SessionLock.acquire(dir, { onNotice: (m) => notices.push(m) });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/Took over the stale lock .* no longer exists/);
    expect(readSessionLock(dir)?.pid).toBe(process.pid);
    expect(fs.readdirSync(dir)).toEqual([LOCK_FILE]); // nothing left aside
    lock.release();
  });

  it('never takes over a lock of another host (it cannot know whether that process lives)', () => {
    const dir = fs.mkdtempSync(path.join(work, 'd-'));
    holdBy(dir, 999_999, 'some-other-host');
    expect(() => SessionLock.acquire(dir)).toThrow(/process 999999 on some-other-host/);
  });

  it('a garbage lock file: refused while fresh, taken over once old', () => {
    const dir = fs.mkdtempSync(path.join(work, 'e-'));
    const file = path.join(dir, LOCK_FILE);
    fs.writeFileSync(file, '\u0000garbage');
    expect(() => SessionLock.acquire(dir)).toThrow(/a writer that is starting right now/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const notices: string[] = [];
    SessionLock.acquire(dir, { onNotice: (m) => notices.push(m) }).release();
    expect(notices[0]).toMatch(/unreadable lock/);
  });
});

describe('the recorder holds the lock', () => {
  it('from run-start to close; the folder is left as it was found (no lock file)', async () => {
    const dir = path.join(work, 'rec');
    const rec = new SessionRecorder({ out: dir, flushMs: 50 });
    rec.onEvent(syntheticEvents()[0]!);
    expect(readSessionLock(dir)?.pid).toBe(process.pid);
    expect(() => resumeRecordedRun(dir)).toThrow(/being written by this process/);
    rec.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const done = await recordSynthetic(path.join(work, 'done'));
    expect(fs.readdirSync(done).sort()).toEqual(['checkpoints', 'events.ndjson', 'session.json']);
  });

  it('a resume of a session held by a live process changes nothing', async () => {
    const dir = await recordSynthetic(
      path.join(work, 'held'),
      syntheticEvents({ complete: false }).slice(0, 9),
    );
    holdBy(dir, sleeper.pid!);
    const before = hashTree(dir);
    expect(() => resumeRecordedRun(dir)).toThrow(SessionLockedError);
    expect(hashTree(dir)).toEqual(before);
  });
});
