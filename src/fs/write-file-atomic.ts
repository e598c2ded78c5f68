/**
 * The project's one atomic file writer (the rule: writes are append-only or atomic). The data goes to a temp
 * file in the same folder, which is fsynced, renamed over the target, and then the folder itself is fsynced,
 * so after a crash or power cut a reader finds the old file or the new one, complete, never a torn or empty
 * one. Used by session manifests, exports, checkpoints (src/dqn, src/continual) and Electron's save dialog.
 *
 * `exclusive: true` refuses to replace an existing target (EEXIST): the rename becomes a hard link, which
 * fails when the name is taken, so two writers can never silently overwrite each other.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** Fail with EEXIST instead of replacing an existing file. */
  exclusive?: boolean;
}

let tempCounter = 0;

/** pid + counter: two writes to the same target at once never share a temp file. */
function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${tempCounter++}`);
}

/** fsync a folder so a rename inside it survives a crash; some filesystems cannot, which is not an error. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * A file written in pieces (for outputs too big to hold in memory), with the same guarantees: nothing appears
 * under `file` until `commit()`, which fsyncs, renames (or, exclusive, links) and fsyncs the folder; `abort()`
 * (or any failure) removes the temp file.
 */
export class AtomicFileWriter {
  private readonly temp: string;
  private fd: number | undefined;

  constructor(
    readonly file: string,
    private readonly opts: AtomicWriteOptions = {},
  ) {
    this.temp = tempNameFor(file);
    this.fd = fs.openSync(this.temp, 'wx', 0o644);
  }

  write(data: string | Uint8Array): void {
    if (this.fd === undefined) throw new Error(`${this.file}: write after commit or abort`);
    try {
      fs.writeFileSync(this.fd, data);
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  commit(): void {
    const fd = this.fd;
    if (fd === undefined) throw new Error(`${this.file}: commit after commit or abort`);
    try {
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      this.fd = undefined;
      if (this.opts.exclusive) {
        fs.linkSync(this.temp, this.file); // EEXIST when the target exists: nothing is overwritten
        fs.unlinkSync(this.temp);
      } else {
        fs.renameSync(this.temp, this.file);
      }
    } catch (error) {
      this.abort();
      throw error;
    }
    fsyncDir(path.dirname(this.file));
  }

  abort(): void {
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already failing: the temp file is removed below either way
      }
      this.fd = undefined;
    }
    fs.rmSync(this.temp, { force: true });
  }
}

/** Write `data` to `file` atomically and durably (temp + fsync + rename + fsync of the folder). */
export function writeFileAtomicSync(
  file: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): void {
  const writer = new AtomicFileWriter(file, opts);
  writer.write(data);
  writer.commit();
}

/**
 * The same, as a promise (for callers on async paths; the work is synchronous, so a file is never seen
 * half-renamed by code running between the steps).
 */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  try {
    writeFileAtomicSync(file, data, opts);
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
