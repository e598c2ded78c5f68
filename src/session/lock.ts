/**
 * The exclusive writer lock of a session folder: `session.lock`, created with O_EXCL (so exactly one process
 * can create it) and holding `{"pid","host","startedAt","token"}` as JSON. Every writer (a recording `run`,
 * `run --resume`, the trainer service starting or resuming a run) holds it for as long as it appends to the
 * session; readers (`inspect`, `export`, playback) never need it.
 *
 * A second writer is refused with a SessionLockedError naming the holder. A lock left by a process that no
 * longer exists on this host (a `kill -9`, a power cut) is stale: it is taken over, and the caller is told so
 * (one sentence for the user). A lock from another host is never taken over (we cannot know whether that
 * process lives): the user deletes it by hand. docs/SESSION_FORMAT.md documents the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { SessionError } from './errors';
import { parseJsonSafe } from './safe-json';

export const LOCK_FILE = 'session.lock';

/** A lock file is a few dozen bytes; anything bigger is not ours. */
const MAX_LOCK_BYTES = 4096;

/** An empty or half-written lock younger than this belongs to a writer that is creating it right now. */
const FRESH_LOCK_MS = 10_000;

const holderSchema = z.object({
  pid: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31),
  host: z.string().max(256),
  startedAt: z.string().max(64),
  token: z.string().max(64).optional(),
});
export type LockHolder = z.infer<typeof holderSchema>;

/** Another writer holds the session. */
export class SessionLockedError extends SessionError {
  readonly holder: LockHolder | null;
  constructor(message: string, holder: LockHolder | null, file: string) {
    super(message, { file });
    this.holder = holder;
  }
}

export interface AcquireOptions {
  /** Told (one sentence) when a stale lock of a dead process was taken over. */
  onNotice?: (message: string) => void;
}

/** True when process `pid` exists on this machine (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SessionLock {
  private released = false;
  private readonly onExit = (): void => this.release();

  private constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {
    process.on('exit', this.onExit);
  }

  /** Take the writer lock of the session folder `dir` (which must exist), or throw SessionLockedError. */
  static acquire(dir: string, opts: AcquireOptions = {}): SessionLock {
    const file = path.join(path.resolve(dir), LOCK_FILE);
    const me: LockHolder = {
      pid: process.pid,
      host: os.hostname(),
      startedAt: new Date().toISOString(),
      token: crypto.randomBytes(8).toString('hex'),
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      if (tryCreate(file, me)) return new SessionLock(file, me);
      const found = readHolder(file);
      if (found === 'gone') continue; // released between our two calls: try again
      if (found === 'unreadable') {
        const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
        if (age < FRESH_LOCK_MS) throw locked(dir, file, null, 'a writer that is starting right now');
        if (takeOver(file, null)) {
          opts.onNotice?.(`Took over the unreadable lock ${file} (older than ${FRESH_LOCK_MS / 1000} s).`);
        }
        continue;
      }
      const sameHost = found.host === me.host;
      if (sameHost && found.pid !== process.pid && !processAlive(found.pid)) {
        if (takeOver(file, found)) {
          opts.onNotice?.(
            `Took over the stale lock of ${dir}: process ${found.pid} on ${found.host}, which started writing at ${found.startedAt}, no longer exists.`,
          );
        }
        continue;
      }
      throw locked(dir, file, found, describeHolder(found, sameHost));
    }
    throw locked(dir, file, null, 'another writer (the lock kept changing hands)');
  }

  /** Give the lock up (only if the file is still ours). Safe to call more than once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    const found = readHolder(this.file);
    if (typeof found === 'object' && found.token === this.holder.token) fs.rmSync(this.file, { force: true });
  }
}

/** The lock holder recorded in `dir`, or null when the session has no (readable) lock. */
export function readSessionLock(dir: string): LockHolder | null {
  const found = readHolder(path.join(dir, LOCK_FILE));
  return typeof found === 'object' ? found : null;
}

function tryCreate(file: string, me: LockHolder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, `${JSON.stringify(me)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function readHolder(file: string): LockHolder | 'gone' | 'unreadable' {
  let text: string;
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile() || stat.size > MAX_LOCK_BYTES) return 'unreadable';
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  const parsed = parseJsonSafe(text);
  if (!parsed.ok) return 'unreadable';
  const holder = holderSchema.safeParse(parsed.value);
  return holder.success ? holder.data : 'unreadable';
}

/**
 * Remove a stale lock so the caller can create its own: it is renamed aside (atomic: of two processes taking
 * over at once, one rename wins), then checked to be the stale one we judged; if a live writer's fresh lock
 * was moved by mistake, it is linked back. Returns true when a stale lock was removed.
 */
function takeOver(file: string, stale: LockHolder | null): boolean {
  const aside = `${file}.stale-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const moved = readHolder(aside);
  const same =
    stale === null
      ? typeof moved !== 'object'
      : typeof moved === 'object' &&
        moved.pid === stale.pid &&
        moved.startedAt === stale.startedAt &&
        moved.token === stale.token;
  if (!same) {
    try {
      fs.linkSync(aside, file); // put the live writer's lock back (fails if yet another lock appeared)
    } catch {
      // that other lock now guards the session; the one we moved belongs to a writer that will notice
    }
    fs.rmSync(aside, { force: true });
    return false;
  }
  fs.rmSync(aside, { force: true });
  return true;
}

function describeHolder(h: LockHolder, sameHost: boolean): string {
  const who = h.pid === process.pid && sameHost ? 'this process' : `process ${h.pid} on ${h.host}`;
  return `${who} (writing since ${h.startedAt})`;
}

function locked(dir: string, file: string, holder: LockHolder | null, who: string): SessionLockedError {
  return new SessionLockedError(
    `${path.resolve(dir)} is being written by ${who}; wait for it to stop, or delete ${file} if that writer is gone.`,
    holder,
    file,
  );
}
