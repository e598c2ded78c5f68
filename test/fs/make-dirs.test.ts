// makeDirs and describeFsError (issue #14 item 6): a folder that cannot be made is reported with its real
// cause (EROFS, EACCES), never as ENOENT and never by spinning (Node's recursive mkdir loops on /proc). A
// read-only file system is simulated (tests often run as root, for whom chmod does not bite).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readOnly = vi.hoisted(() => ({ root: '' }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const spied = {
    ...actual,
    mkdirSync: (...args: Parameters<typeof actual.mkdirSync>) => {
      const target = String(args[0]);
      if (readOnly.root && target.startsWith(`${readOnly.root}${path.sep}`)) {
        const error: NodeJS.ErrnoException = new Error(`EROFS: read-only file system, mkdir '${target}'`);
        Object.assign(error, { code: 'EROFS', syscall: 'mkdir', path: target });
        throw error;
      }
      return actual.mkdirSync(...args);
    },
  };
  return { ...spied, default: spied };
});

const { makeDirs } = await import('../../src/fs/make-dirs');
const { describeFsError, isErrnoError } = await import('../../src/fs/describe-error');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-make-dirs-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('makeDirs', () => {
  it('creates missing levels and accepts an existing folder', () => {
    makeDirs(path.join(work, 'a', 'b', 'c'));
    expect(fs.statSync(path.join(work, 'a', 'b', 'c')).isDirectory()).toBe(true);
    makeDirs(path.join(work, 'a', 'b', 'c'));
  });

  it('a read-only file system: EROFS on the first level that could not be made, in one sentence', () => {
    const ro = path.join(work, 'ro');
    fs.mkdirSync(ro);
    readOnly.root = ro;
    try {
      let error: unknown;
      try {
        makeDirs(path.join(ro, 'x', 'y'));
      } catch (e) {
        error = e;
      }
      expect(isErrnoError(error)).toBe(true);
      expect(describeFsError(error as NodeJS.ErrnoException & { code: string })).toBe(
        `Cannot create the folder ${path.join(ro, 'x')}: the file system is read-only (EROFS).`,
      );
    } finally {
      readOnly.root = '';
    }
  });

  it('a file in the way is ENOTDIR naming it; /proc fails at once instead of spinning', () => {
    fs.writeFileSync(path.join(work, 'file'), 'x');
    expect(() => makeDirs(path.join(work, 'file', 'sub'))).toThrow(/ENOTDIR.*file/);
    const started = Date.now();
    expect(() => makeDirs('/proc/lab-make-dirs/x')).toThrow(/ENOENT|EACCES|EPERM/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
