/**
 * The one code path by which a recorded run starts or resumes, shared by the CLI (`run`, `run --resume`) and
 * the trainer service (Start with recording, Resume session): the same folder guards, the same exclusive
 * writer lock and the same rule for which sessions can be resumed.
 *
 * The resume rule (docs/SESSION_FORMAT.md, "Resuming"): a session whose last run-end says `finished` is done
 * and is not resumed; any other session — stopped (Reset in the UI, Ctrl-C), ended by an error, or cut short
 * by a crash — continues from its last checkpoint (from step 0 when it has none).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SessionError } from './errors';
import { refuseSymlinkedSession } from './folder-guard';
import { SessionLock } from './lock';
import { SessionRecorder, type SessionRecorderOptions } from './recorder';
import { prepareResume, type PreparedResume } from './resume';

/** Why `prepared` cannot be resumed, or null when it can (the one rule above). */
export function whyNotResumable(prepared: PreparedResume): string | null {
  if (prepared.complete && prepared.endReason === 'finished') {
    return `${prepared.dir} already finished; there is nothing to resume.`;
  }
  return null;
}

/** A new recorded run: the recorder creates, guards and locks its folder when the run starts. */
export function startRecordedRun(opts: SessionRecorderOptions = {}): SessionRecorder {
  return new SessionRecorder(opts);
}

/**
 * Lock the session in `dir`, read it, apply the resume rule and return a recorder appending to it (holding
 * the lock until `close`). Throws SessionError (one sentence) when the session is missing, unreadable,
 * finished, a symbolic link, or being written by another process.
 */
export function resumeRecordedRun(
  dir: string,
  opts: Omit<SessionRecorderOptions, 'out' | 'root' | 'lock' | 'force'> = {},
): { prepared: PreparedResume; recorder: SessionRecorder } {
  const abs = path.resolve(dir);
  refuseSymlinkedSession(abs);
  if (!fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) {
    throw new SessionError(`${abs} is not a session folder (it does not exist or is not a folder).`, {
      file: abs,
    });
  }
  const lock = SessionLock.acquire(abs, opts.onNotice ? { onNotice: opts.onNotice } : {});
  try {
    const prepared = prepareResume(abs);
    const why = whyNotResumable(prepared);
    if (why) throw new SessionError(why, { file: abs });
    const recorder = SessionRecorder.resume(prepared, { ...opts, lock });
    return { prepared, recorder };
  } catch (error) {
    lock.release();
    throw error;
  }
}
