// The one atomic writer (issue #14 item 10): temp + fsync of the file + rename + fsync of the folder, an
// exclusive mode that never replaces a file, no temp left behind on failure, and no other whole-file writer
// anywhere in src/ or electron/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ opened: new Map<number, string>(), fsynced: [] as string[] }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const spied = {
    ...actual,
    openSync: (...args: Parameters<typeof actual.openSync>): number => {
      const fd = actual.openSync(...args);
      calls.opened.set(fd, String(args[0]));
      return fd;
    },
    fsyncSync: (fd: number): void => {
      calls.fsynced.push(calls.opened.get(fd) ?? `fd ${fd}`); // fds are reused: note the path now
      actual.fsyncSync(fd);
    },
  };
  return { ...spied, default: spied };
});

const { writeFileAtomic, writeFileAtomicSync } = await import('../../src/fs/write-file-atomic');

const ROOT = path.resolve(__dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-atomic-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fsyncedPaths(): string[] {
  return [...calls.fsynced];
}

describe('writeFileAtomic', () => {
  it('fsyncs the temp file before the rename and the folder after it', async () => {
    for (const write of [writeFileAtomicSync, writeFileAtomic]) {
      calls.fsynced.length = 0;
      const file = path.join(dir, 'a.json');
      await write(file, '{"a":1}');
      expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}');
      const synced = fsyncedPaths();
      expect(synced.some((p) => path.dirname(p) === dir && p.includes('.a.json.tmp-'))).toBe(true);
      expect(synced).toContain(dir);
      expect(fs.readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    }
  });

  it('exclusive: refuses to replace an existing file and leaves it and no temp file behind', () => {
    const file = path.join(dir, 'keep.txt');
    fs.writeFileSync(file, 'theirs');
    expect(() => writeFileAtomicSync(file, 'mine', { exclusive: true })).toThrow(/EEXIST/);
    expect(fs.readFileSync(file, 'utf8')).toBe('theirs');
    expect(fs.readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    writeFileAtomicSync(path.join(dir, 'new.txt'), 'mine', { exclusive: true });
    expect(fs.readFileSync(path.join(dir, 'new.txt'), 'utf8')).toBe('mine');
  });

  it('a failed write (missing folder) throws and leaves nothing', async () => {
    await expect(writeFileAtomic(path.join(dir, 'nope', 'x'), 'x')).rejects.toThrow(/ENOENT/);
  });
});

describe('one atomic writer in the code base', () => {
  it('no file under src/ or electron/ writes a whole file any other way', () => {
    const offenders: string[] = [];
    const walk = (d: string): void => {
      for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, ent.name);
        if (ent.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith(path.join('src', 'fs', 'write-file-atomic.ts'))) {
          const text = fs.readFileSync(p, 'utf8');
          if (/\bwriteFileSync\(|\bwriteFile\(|function writeFileAtomic|function writeAtomic/.test(text)) {
            offenders.push(path.relative(ROOT, p));
          }
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    walk(path.join(ROOT, 'electron'));
    expect(offenders).toEqual([]);
  });
});
