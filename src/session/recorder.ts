/**
 * SessionRecorder: records a run into a session folder (docs/SESSION_FORMAT.md). Pass it to the
 * ContinualRunner as its RunObserver (or combine it with others via `combineObservers`).
 *
 * Lifecycle:
 *   const rec = new SessionRecorder({ out?, root?, enabled? });   // nothing touches the disk yet
 *   runner emits run-start → folder created, events.ndjson created, session.json written atomically
 *   every event → appended to an in-memory buffer, written to events.ndjson at least every `flushMs` (≤ 1 s)
 *   await rec.saveCheckpoint(step, t, (dir) => runner.saveCheckpoint(dir))  → checkpoints/step-…/ + event
 *   rec.close()  → final flush, fsync, manifest `ended` (if a run-end was seen)
 * Resume: `resumeRecordedRun(dir)` (recorded-run.ts) locks the session, prepares and checks the resume and
 * returns a recorder appending to the same session.
 *
 * Exclusive writer: from start (or resume) to close the recorder holds the session's lock file (lock.ts), so a
 * second writer of the same folder is refused. A new session is never written through a symbolic link, into a
 * folder holding another session, or into a non-empty foreign folder without `force` (folder-guard.ts).
 *
 * Crash safety: events are written with plain synchronous appends, so a `kill -9` loses at most the buffer
 * of the last `flushMs`; checkpoint, resume and run-end events are written (and fsynced) immediately. A
 * checkpoint folder is built under a temporary name and renamed into place before its event is written, so
 * every recorded checkpoint event names a complete checkpoint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeDirs } from '../fs/make-dirs';
import { fsyncDir } from '../fs/write-file-atomic';
import { APP_VERSION } from '../version';
import { nameOf, type CheckpointEvent, type RunEvent, type RunObserver, type RunStartEvent } from './events';
import {
  describeBackendChoice,
  SESSION_FORMAT_VERSION,
  writeManifest,
  type SessionManifest,
} from './manifest';
import {
  CHECKPOINTS_DIR,
  DEFAULT_SESSIONS_ROOT,
  EVENTS_FILE,
  checkpointRelDir,
  defaultSessionName,
} from './paths';
import { SessionError } from './errors';
import { holdsSession, prepareNewSessionFolder, refuseSymlinkedSession } from './folder-guard';
import { SessionLock } from './lock';
import type { PreparedResume } from './resume';

export interface SessionRecorderOptions {
  /** Record into exactly this folder (`--out`). It must not already hold a session. */
  out?: string;
  /** Parent of default session folders (default `./sessions`); ignored when `out` is given. */
  root?: string;
  /** Recording can be turned off: every method becomes a no-op (checkpoints are not saved). */
  enabled?: boolean;
  /** Longest time an event stays in memory before it is written (ms, default 500, at most 1000). */
  flushMs?: number;
  /** Version written to the manifest (default: package.json's). */
  appVersion?: string;
  /** Clock for the folder name and manifest dates (tests). */
  now?: () => Date;
  /**
   * How many periodic checkpoints (saveCheckpoint's `kind: 'periodic'`) stay on disk: once a newer one is
   * saved, the folders of older periodic checkpoints this recorder saved are deleted (their events stay in
   * the log; readers see `exists: false`). Stage-end checkpoints, and any saved before a resume, are always
   * kept. Default 2 (the newest and, should it be damaged, the one before); Infinity keeps all.
   */
  keepPeriodic?: number;
  /** Record into a non-empty `out` folder that holds no session (`--force`); never over a session. */
  force?: boolean;
  /** Told (one sentence) when a stale writer lock of a dead process was taken over. */
  onNotice?: (message: string) => void;
  /** The writer lock, when the caller already holds it (`resumeRecordedRun`); released by `close`. */
  lock?: SessionLock;
}

/** Default of `keepPeriodic`. */
export const DEFAULT_KEEP_PERIODIC = 2;

/** Events written to disk immediately (and fsynced) instead of waiting for the timer. */
const IMMEDIATE: ReadonlySet<RunEvent['type']> = new Set(['checkpoint', 'run-end', 'resume']);
/** Buffered bytes that trigger an early write. */
const MAX_BUFFERED_BYTES = 256 * 1024;

export class SessionRecorder implements RunObserver {
  readonly enabled: boolean;
  private readonly opts: SessionRecorderOptions;
  private readonly flushMs: number;
  private sessionDir: string | undefined;
  private manifest: SessionManifest | undefined;
  private fd: number | undefined;
  private buffer: string[] = [];
  private bufferedBytes = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Events seen before run-start (kept until the folder exists). */
  private early: RunEvent[] = [];
  private closed = false;
  private resuming: PreparedResume | undefined;
  private readonly onExit = (): void => this.flush();
  /** Folders of the periodic checkpoints this recorder saved, oldest first. */
  private periodicDirs: string[] = [];
  /** The session's exclusive writer lock (session.lock), held from start/resume until close. */
  private lock: SessionLock | undefined;

  constructor(opts: SessionRecorderOptions = {}) {
    this.opts = opts;
    this.enabled = opts.enabled ?? true;
    this.flushMs = Math.min(1000, Math.max(10, opts.flushMs ?? 500));
  }

  /** A recorder that appends to the session `prepared` was made from (see `prepareResume`). */
  static resume(
    prepared: PreparedResume,
    opts: Omit<SessionRecorderOptions, 'out' | 'root'> = {},
  ): SessionRecorder {
    const rec = new SessionRecorder({ ...opts, out: prepared.dir });
    if (!rec.enabled) {
      opts.lock?.release();
      return rec;
    }
    refuseSymlinkedSession(prepared.dir);
    rec.lock =
      opts.lock ?? SessionLock.acquire(prepared.dir, opts.onNotice ? { onNotice: opts.onNotice } : {});
    const size = fs.statSync(path.join(prepared.dir, EVENTS_FILE)).size;
    if (size !== prepared.eventsBytes) {
      rec.lock.release();
      throw new SessionError(
        `${path.join(prepared.dir, EVENTS_FILE)} changed since the resume was prepared (is the run still going?); try again once it has stopped.`,
      );
    }
    rec.resuming = prepared;
    rec.sessionDir = prepared.dir;
    rec.manifest = prepared.manifest;
    rec.openEvents();
    // A torn last line (crash mid-write) must not swallow the marker: end it first. It lies inside the
    // superseded range, so readers skip it.
    const prefix = endsWithNewline(path.join(prepared.dir, EVENTS_FILE)) ? '' : '\n';
    const marker: RunEvent = {
      type: 'resume',
      step: prepared.step,
      t: prepared.t,
      checkpoint: prepared.checkpoint?.relDir ?? null,
      truncatedFrom: prepared.truncatedCount > 0 ? prepared.truncatedFrom : 0,
      truncatedCount: prepared.truncatedCount,
    };
    fs.writeSync(rec.fd!, `${prefix}${JSON.stringify(marker)}\n`);
    fs.fsyncSync(rec.fd!);
    rec.manifest = {
      ...prepared.manifest,
      ended: undefined,
      resumes: [
        ...prepared.manifest.resumes,
        { at: rec.now().toISOString(), step: prepared.step, checkpoint: marker.checkpoint },
      ],
    };
    writeManifest(prepared.dir, rec.manifest);
    return rec;
  }

  /** The session folder (absolute), once the run has started; undefined before or when disabled. */
  get dir(): string | undefined {
    return this.sessionDir;
  }

  onEvent(e: RunEvent): void {
    if (!this.enabled || this.closed) return;
    if (this.fd === undefined) {
      if (e.type !== 'run-start') {
        this.early.push(e); // kept until run-start creates the folder
        return;
      }
      this.start(e);
      this.append(e);
      for (const ev of this.early.splice(0)) this.append(ev);
      return;
    }
    if (e.type === 'run-start' && this.resuming) this.noteResumedStart(e);
    this.append(e);
    if (e.type === 'run-end') this.markEnded(e.step, e.reason);
  }

  /**
   * Absolute path of the folder for a checkpoint at `step` (not created). Prefer `saveCheckpoint`, which
   * also makes the write atomic and records the event.
   */
  checkpointDir(step: number): string {
    if (!this.sessionDir) throw new Error('The session folder does not exist yet: the run has not started.');
    return path.join(this.sessionDir, ...freeCheckpointRelDir(this.sessionDir, step).split('/'));
  }

  /**
   * Save a checkpoint atomically: `write(tmpDir)` fills a temporary folder, which is renamed to
   * `checkpoints/step-<step>` before the `checkpoint` event is written (and fsynced). Returns the event,
   * or undefined when recording is off. The caller passes the run's `step` and `t` at the checkpoint.
   * `periodic` checkpoints (taken on a timer rather than at a stage end) are pruned to the newest
   * `keepPeriodic`, after the new one is safely recorded.
   */
  async saveCheckpoint(
    step: number,
    t: number,
    write: (dir: string) => Promise<void> | void,
    kind: 'stage' | 'periodic' = 'stage',
  ): Promise<CheckpointEvent | undefined> {
    if (!this.enabled || this.closed) return undefined;
    if (!this.sessionDir)
      throw new Error('Cannot save a checkpoint before the run has started (no run-start yet).');
    const rel = freeCheckpointRelDir(this.sessionDir, step);
    const finalDir = path.join(this.sessionDir, ...rel.split('/'));
    const tmpDir = path.join(
      this.sessionDir,
      CHECKPOINTS_DIR,
      `.tmp-${path.basename(finalDir)}-${process.pid}`,
    );
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.mkdirSync(tmpDir);
    try {
      await write(tmpDir);
    } catch (error) {
      fs.rmSync(tmpDir, { recursive: true, force: true });
      throw error;
    }
    fs.renameSync(tmpDir, finalDir);
    fsyncDir(path.dirname(finalDir)); // the checkpoint's name survives a power cut before its event does
    const event: CheckpointEvent = { type: 'checkpoint', step, t, dir: rel };
    this.flush(); // everything before the checkpoint reaches the disk before the checkpoint event
    this.append(event);
    if (kind === 'periodic') {
      this.periodicDirs.push(finalDir);
      const keep = Math.max(1, this.opts.keepPeriodic ?? DEFAULT_KEEP_PERIODIC);
      while (this.periodicDirs.length > keep) removeCheckpointDir(this.periodicDirs.shift()!);
    }
    return event;
  }

  /** Write buffered events now (synchronously). Safe to call at any time. */
  flush(): void {
    if (this.fd === undefined || this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.bufferedBytes = 0;
    fs.writeSync(this.fd, text);
  }

  /** Final flush; closes the file. Further events are ignored. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    process.off('exit', this.onExit);
    try {
      if (this.fd !== undefined) {
        this.flush();
        fs.fsyncSync(this.fd);
        fs.closeSync(this.fd);
        this.fd = undefined;
      }
    } finally {
      this.lock?.release();
    }
  }

  private start(e: RunStartEvent): void {
    const now = this.now();
    const dir = this.opts.out
      ? prepareNewSessionFolder(this.opts.out, { force: this.opts.force ?? false })
      : claimUniqueDir(
          path.resolve(this.opts.root ?? DEFAULT_SESSIONS_ROOT),
          defaultSessionName({ date: now, sequence: nameOf(e.sequence), strategy: nameOf(e.strategy) }),
        );
    this.lock = SessionLock.acquire(dir, this.opts.onNotice ? { onNotice: this.opts.onNotice } : {});
    try {
      // Checked again under the lock: another writer may have started a session here meanwhile.
      if (holdsSession(dir)) {
        throw new SessionError(
          `${dir} already holds a session; choose another --out folder or continue it with --resume.`,
          { file: dir },
        );
      }
      const checkpoints = path.join(dir, CHECKPOINTS_DIR);
      if (!fs.statSync(checkpoints, { throwIfNoEntry: false })?.isDirectory()) fs.mkdirSync(checkpoints);
    } catch (error) {
      this.lock.release();
      this.lock = undefined;
      throw error;
    }
    this.sessionDir = dir;
    this.manifest = {
      formatVersion: SESSION_FORMAT_VERSION,
      appVersion: this.opts.appVersion ?? APP_VERSION,
      createdAt: now.toISOString(),
      config: e.config,
      sequence: e.sequence,
      strategy: e.strategy,
      seed: e.seed,
      backend: e.backend,
      backendWhy: describeBackendChoice(e.backend),
      host: { node: process.version, platform: process.platform, arch: process.arch },
      resumes: [],
    };
    this.openEvents();
    writeManifest(dir, this.manifest);
  }

  private openEvents(): void {
    this.fd = fs.openSync(path.join(this.sessionDir!, EVENTS_FILE), 'a');
    this.timer = setInterval(() => this.flush(), this.flushMs);
    this.timer.unref();
    process.on('exit', this.onExit);
  }

  private append(e: RunEvent): void {
    if (this.fd === undefined) return;
    const line = `${JSON.stringify(e)}\n`;
    this.buffer.push(line);
    this.bufferedBytes += line.length;
    if (IMMEDIATE.has(e.type)) {
      this.flush();
      fs.fsyncSync(this.fd);
    } else if (this.bufferedBytes >= MAX_BUFFERED_BYTES) {
      this.flush();
    }
  }

  /** The resumed run announced itself: record its backend on this resume's manifest entry. */
  private noteResumedStart(e: RunStartEvent): void {
    this.resuming = undefined;
    const resumes = [...this.manifest!.resumes];
    const last = resumes[resumes.length - 1];
    if (last) resumes[resumes.length - 1] = { ...last, backend: e.backend };
    this.manifest = { ...this.manifest!, resumes };
    writeManifest(this.sessionDir!, this.manifest);
  }

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
  }

  private markEnded(step: number, reason: 'finished' | 'stopped' | 'error'): void {
    const at = this.now().toISOString();
    this.manifest = { ...this.manifest!, ended: { at, step, reason } };
    writeManifest(this.sessionDir!, this.manifest);
  }
}

/** True when the file is empty or its last byte is a newline. */
function endsWithNewline(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Delete a pruned checkpoint folder: renamed away first (one atomic step, so a crash mid-delete never leaves
 * a half checkpoint under its recorded name), then removed. Best effort: pruning only saves disk space, so a
 * failure never stops the run; a `.trash-…` folder left behind holds nothing any reader looks at.
 */
function removeCheckpointDir(dir: string): void {
  const trash = path.join(path.dirname(dir), `.trash-${path.basename(dir)}-${process.pid}`);
  try {
    fs.renameSync(dir, trash);
    fs.rmSync(trash, { recursive: true, force: true });
  } catch (error) {
    // See above: the run goes on; say what was left behind so the disk space can be reclaimed by hand.
    process.stderr.write(`Could not remove the pruned checkpoint ${dir}: ${(error as Error).message}\n`);
  }
}

/** `checkpoints/step-N`, or `step-N.1`, `.2`, … when an earlier (superseded) run already used the name. */
function freeCheckpointRelDir(sessionDir: string, step: number): string {
  for (let attempt = 0; ; attempt++) {
    const rel = checkpointRelDir(step, attempt);
    if (!fs.existsSync(path.join(sessionDir, ...rel.split('/')))) return rel;
  }
}

/** Create and return `root/name`, or `root/name-2`, `-3`, … when taken (`root` is created if missing). */
function claimUniqueDir(root: string, name: string): string {
  makeDirs(root);
  for (let i = 1; ; i++) {
    const dir = path.join(root, i === 1 ? name : `${name}-${i}`);
    try {
      fs.mkdirSync(dir); // not recursive: EEXIST means another run took the name first
      fsyncDir(root);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
