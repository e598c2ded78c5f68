/**
 * One readable sentence for a failed file-system call (Node's ErrnoException): what was being done, to which
 * path, and why, e.g. `Cannot create the folder /ro/x: the file system is read-only (EROFS).` The CLI prints
 * these instead of a stack trace.
 */

const CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it already exists',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EIO: 'an input/output error',
  EBUSY: 'it is busy',
  ENOTEMPTY: 'the folder is not empty',
  EXDEV: 'it is on another device',
  EINVAL: 'the operation is not supported there',
};

const ACTIONS: Record<string, string> = {
  mkdir: 'create the folder',
  open: 'open',
  read: 'read',
  write: 'write',
  rename: 'rename',
  link: 'create',
  unlink: 'remove',
  rmdir: 'remove the folder',
  scandir: 'list the folder',
  stat: 'look at',
  lstat: 'look at',
  fsync: 'flush',
  copyfile: 'copy',
};

/** True for an error thrown by a Node file-system call (it has an errno `code` and a `syscall`). */
export function isErrnoError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    typeof (error as NodeJS.ErrnoException).syscall === 'string'
  );
}

/** `Cannot <action> <path>: <cause> (<CODE>).` */
export function describeFsError(
  error: NodeJS.ErrnoException & { code: string },
  fallbackPath?: string,
): string {
  const action = ACTIONS[error.syscall ?? ''] ?? error.syscall ?? 'use';
  const file = error.path ?? fallbackPath;
  const cause = CAUSES[error.code] ?? error.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return `Cannot ${action}${file ? ` ${file}` : ''}: ${cause} (${error.code}).`;
}
