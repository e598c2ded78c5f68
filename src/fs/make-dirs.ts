/**
 * Create a folder and its missing parents, one level at a time. Node's own `mkdir({ recursive: true })`
 * loops forever on some pseudo-filesystems (e.g. `/proc/x`), so outside paths never go through it: this walks
 * up to the nearest existing ancestor, checks it is a folder, and creates each missing level, failing at
 * once with the real cause (EACCES, EROFS, ENOENT, ENOTDIR) on the level that could not be made.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Ensure `dir` exists as a folder (symbolic links to folders are followed, as `mkdir -p` does). */
export function makeDirs(dir: string): void {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let at = target;
  for (;;) {
    const stat = fs.statSync(at, { throwIfNoEntry: false });
    if (stat) {
      if (!stat.isDirectory()) throw errnoError('ENOTDIR', 'mkdir', at, 'not a folder');
      break;
    }
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing.reverse()) {
    try {
      fs.mkdirSync(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(level).isDirectory()) continue;
      throw error;
    }
  }
}

function errnoError(code: string, syscall: string, file: string, what: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${what}, ${syscall} '${file}'`);
  error.code = code;
  error.syscall = syscall;
  error.path = file;
  return error;
}
