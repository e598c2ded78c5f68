/**
 * File and folder names inside a session, and the checks that keep every path inside it.
 *
 *   <root>/<YYYYMMDD-HHMMSS>-<sequence>-<strategy>/   default session folder (root defaults to ./sessions)
 *     session.json        manifest (atomic rewrite)
 *     events.ndjson       append-only event log
 *     checkpoints/step-000000012000/   one learner checkpoint per folder (12-digit zero-padded step)
 */
import fs from 'node:fs';
import path from 'node:path';
import { SessionError } from './errors';

export const MANIFEST_FILE = 'session.json';
export const EVENTS_FILE = 'events.ndjson';
export const CHECKPOINTS_DIR = 'checkpoints';
export const DEFAULT_SESSIONS_ROOT = 'sessions';

/** Digits of the zero-padded step in checkpoint folder names (sorts correctly up to 10^12 steps). */
const STEP_DIGITS = 12;

/**
 * The checkpoint folder for `step`, relative to the session folder (always with forward slashes):
 * `checkpoints/step-000000012000`, or `checkpoints/step-000000012000.1` for the second one at that step.
 */
export function checkpointRelDir(step: number, attempt = 0): string {
  if (!Number.isInteger(step) || step < 0)
    throw new Error(`checkpoint step must be a non-negative integer, got ${step}`);
  const name = `step-${String(step).padStart(STEP_DIGITS, '0')}${attempt > 0 ? `.${attempt}` : ''}`;
  return `${CHECKPOINTS_DIR}/${name}`;
}

/** A name reduced to safe folder-name characters (letters, digits, `.`, `_`, `-`), at most 40 long. */
export function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return (cleaned || 'unnamed').slice(0, 40);
}

/** `YYYYMMDD-HHMMSS` in local time. */
export function timestampName(date: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${p(date.getFullYear(), 4)}${p(date.getMonth() + 1)}${p(date.getDate())}-` +
    `${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`
  );
}

/** Default session folder name: `<YYYYMMDD-HHMMSS>-<sequence>-<strategy>`. */
export function defaultSessionName(opts: { date: Date; sequence: string; strategy: string }): string {
  return `${timestampName(opts.date)}-${safeName(opts.sequence)}-${safeName(opts.strategy)}`;
}

/** True when `child` (absolute) is `parent` or inside it (both already resolved). */
function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolve a session-relative path (already checked by `sessionRelativePathSchema`) to an absolute path and
 * make sure it stays inside the session folder, also through symbolic links when the target exists.
 * Throws SessionError naming `file` (where the path came from) otherwise.
 */
export function resolveInsideSession(
  sessionDir: string,
  relPath: string,
  file: string,
  line?: number,
): string {
  const root = path.resolve(sessionDir);
  const target = path.resolve(root, relPath);
  const where = line === undefined ? file : `${file} line ${line}`;
  if (path.isAbsolute(relPath) || !isInside(root, target)) {
    throw new SessionError(`${where} names the path "${relPath}", which is outside the session folder.`, {
      file,
      line,
    });
  }
  if (fs.existsSync(target)) {
    const realRoot = fs.realpathSync(root);
    const realTarget = fs.realpathSync(target);
    if (!isInside(realRoot, realTarget)) {
      throw new SessionError(
        `${where} names the path "${relPath}", which links outside the session folder.`,
        {
          file,
          line,
        },
      );
    }
  }
  return target;
}
