/**
 * Read a small input file (a sequence spec, a config) safely: only a regular file (not a device such as
 * /dev/zero, a FIFO or a folder), and never more than `maxBytes` (a bigger file is refused before it is read,
 * and a file that grows while being read is cut off and refused too). Errors are one sentence naming the path.
 */
import fs from 'node:fs';
import { describeFsError, isErrnoError } from './describe-error';

export class InputFileError extends Error {
  override readonly name = 'InputFileError';
}

/** The text of `file` (UTF-8), or an InputFileError saying why it cannot be used as `what`. */
export function readBoundedTextFile(file: string, maxBytes: number, what: string): string {
  let fd: number | undefined;
  try {
    const before = fs.statSync(file); // follows links; checked before open so a FIFO never blocks us
    if (!before.isFile()) throw new InputFileError(`${what} ${file} is not a regular file.`);
    if (before.size > maxBytes) {
      throw new InputFileError(`${what} ${file} is ${before.size} bytes, over the ${maxBytes}-byte limit.`);
    }
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    if (!fs.fstatSync(fd).isFile()) throw new InputFileError(`${what} ${file} is not a regular file.`);
    const buf = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buf.length) {
      const n = fs.readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw new InputFileError(`${what} ${file} is over the ${maxBytes}-byte limit.`);
    return buf.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    if (isErrnoError(error)) throw new InputFileError(`${what}: ${describeFsError(error, file)}`);
    throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
