/**
 * Guards for writing a session folder (issue #14): a session is never written through a symbolic link, never
 * mixed into a folder holding someone else's files, and never started on top of another session.
 * Errors are SessionErrors: one sentence naming the folder and what to do (the CLI exits 2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeDirs } from '../fs/make-dirs';
import { SessionError } from './errors';
import { LOCK_FILE } from './lock';
import { EVENTS_FILE, MANIFEST_FILE } from './paths';

/** Refuse a session folder that is a symbolic link (it could lead anywhere, e.g. out of the sessions root). */
export function refuseSymlinkedSession(dir: string): void {
  const abs = path.resolve(dir);
  const stat = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) {
    let to: string;
    try {
      to = ` (to ${fs.realpathSync(abs)})`;
    } catch {
      to = ' (a dangling link)';
    }
    throw new SessionError(
      `${abs} is a symbolic link${to}; sessions are never written through links: give the real folder.`,
      { file: abs },
    );
  }
}

/** True when `dir` holds a session (its manifest or event log). */
export function holdsSession(dir: string): boolean {
  return (
    fs.lstatSync(path.join(dir, MANIFEST_FILE), { throwIfNoEntry: false }) !== undefined ||
    fs.lstatSync(path.join(dir, EVENTS_FILE), { throwIfNoEntry: false }) !== undefined
  );
}

/**
 * Check that `dir` may receive a new session and create it (with missing parents): it must not be a link,
 * a file, or a folder holding a session; a non-empty folder holding something else is refused unless
 * `force`. Returns the absolute folder. `create: false` only checks (a CLI's early check, before any work).
 */
export function prepareNewSessionFolder(
  dir: string,
  opts: { force?: boolean; create?: boolean } = {},
): string {
  const abs = path.resolve(dir);
  refuseSymlinkedSession(abs);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) {
    throw new SessionError(`${abs} is a file, not a folder; choose another --out folder.`, { file: abs });
  }
  if (stat) {
    if (holdsSession(abs)) {
      throw new SessionError(
        `${abs} already holds a session; choose another --out folder or continue it with --resume ${dir}.`,
        { file: abs },
      );
    }
    const entries = fs.readdirSync(abs).filter((n) => n !== LOCK_FILE);
    if (entries.length > 0 && !opts.force) {
      const sample = entries.slice(0, 3).join(', ');
      throw new SessionError(
        `${abs} is not empty and is not a session (it holds ${entries.length} item${entries.length > 1 ? 's' : ''}: ${sample}${entries.length > 3 ? ', …' : ''}); choose an empty or new folder, or pass --force to record into it anyway.`,
        { file: abs },
      );
    }
    return abs;
  }
  if (opts.create !== false) makeDirs(abs);
  return abs;
}
