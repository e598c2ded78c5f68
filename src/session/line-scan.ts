/**
 * Read a file line by line in fixed-size chunks, so memory stays bounded whatever the file's size (a 200 MB
 * events.ndjson costs one 1 MiB chunk plus the longest line, not the file). Each line is handed over as a
 * Buffer view that is valid only during the callback, with its 1-based number and byte offset; a line longer
 * than `maxLine` is not kept at all (`bytes` is null) but still counted. Only the first `limit` bytes are read
 * (the file's size when the reader looked at it), so an appending writer never shows half a line as whole.
 */
import fs from 'node:fs';

const CHUNK_BYTES = 1 << 20;

export interface ScannedLine {
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Length in bytes, without the newline. */
  length: number;
  /** The line's bytes (a view: copy what you keep), or null when it is longer than `maxLine`. */
  bytes: Buffer | null;
  /** The line ends with a newline (false only for a last line cut short). */
  terminated: boolean;
}

/** Call `fn` for every line of the first `limit` bytes of `file`; returns the number of lines. */
export function scanLines(
  file: string,
  limit: number,
  maxLine: number,
  fn: (l: ScannedLine) => void,
): number {
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let lineNo = 0;
  let lineStart = 0;
  let pos = 0;
  const emit = (tail: Buffer, terminated: boolean): void => {
    const length = carryBytes + tail.length;
    let bytes: Buffer | null = null;
    if (length <= maxLine) bytes = carry.length === 0 ? tail : Buffer.concat([...carry, tail], length);
    fn({ line: ++lineNo, offset: lineStart, length, bytes, terminated });
    lineStart += length + (terminated ? 1 : 0);
    carry = [];
    carryBytes = 0;
  };
  try {
    while (pos < limit) {
      const n = fs.readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, limit - pos), pos);
      if (n === 0) break;
      pos += n;
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        if (nl === -1 || nl >= n) break;
        emit(chunk.subarray(start, nl), true);
        start = nl + 1;
      }
      if (start < n) {
        const rest = chunk.subarray(start, n);
        if (carryBytes + rest.length <= maxLine)
          carry.push(Buffer.from(rest)); // a copy: the chunk is reused
        else carry = []; // too long to keep: only its length counts
        carryBytes += rest.length;
      }
    }
    if (carryBytes > 0) {
      // Last line without a newline. When it was too long, `carry` is empty and the length says so.
      const tooLong = carryBytes > maxLine;
      const length = carryBytes;
      const bytes = tooLong ? null : Buffer.concat(carry, carryBytes);
      fn({ line: ++lineNo, offset: lineStart, length, bytes, terminated: false });
    }
  } finally {
    fs.closeSync(fd);
  }
  return lineNo;
}
