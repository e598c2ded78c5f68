/**
 * A folder of named typed arrays: `arrays.bin` (the raw little-endian bytes, concatenated) plus
 * `arrays.json` (name → dtype, offset, length). Used by continual checkpoints for weights, optimizer
 * moments, replay contents and strategy state. Each file is written with the one atomic writer (src/fs/write-file-atomic.ts).
 * Reading validates the index with zod and every range against the file size.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { makeDirs } from '../fs/make-dirs';
import { writeFileAtomicSync } from '../fs/write-file-atomic';

export type NamedArray = Float32Array | Int32Array | Uint8Array | Uint16Array;

const DTYPES = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array, uint16: Uint16Array } as const;
type Dtype = keyof typeof DTYPES;

const indexSchema = z.record(
  z.string().max(300),
  z.strictObject({
    dtype: z.enum(['float32', 'int32', 'uint8', 'uint16']),
    offset: z.number().int().min(0),
    length: z.number().int().min(0),
  }),
);

function dtypeOf(a: NamedArray): Dtype {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint16Array) return 'uint16';
  return 'uint8';
}

export function writeArrays(dir: string, arrays: Record<string, NamedArray>): void {
  makeDirs(dir);
  const index: z.infer<typeof indexSchema> = {};
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const [name, a] of Object.entries(arrays)) {
    const align = a.BYTES_PER_ELEMENT;
    const pad = (align - (offset % align)) % align;
    if (pad) {
      parts.push(new Uint8Array(pad));
      offset += pad;
    }
    index[name] = { dtype: dtypeOf(a), offset, length: a.length };
    parts.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    offset += a.byteLength;
  }
  const bin = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) {
    bin.set(p, at);
    at += p.byteLength;
  }
  writeFileAtomicSync(path.join(dir, 'arrays.bin'), bin);
  writeFileAtomicSync(path.join(dir, 'arrays.json'), JSON.stringify(index));
}

export function readArrays(dir: string): Record<string, NamedArray> {
  const indexFile = path.join(dir, 'arrays.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read checkpoint index ${indexFile}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = indexSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`Checkpoint index ${indexFile} is malformed: ${parsed.error.issues[0]?.message}`);
  const bin = fs.readFileSync(path.join(dir, 'arrays.bin'));
  const buffer = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  const out: Record<string, NamedArray> = {};
  for (const [name, { dtype, offset, length }] of Object.entries(parsed.data)) {
    const Ctor = DTYPES[dtype];
    const bytes = length * Ctor.BYTES_PER_ELEMENT;
    if (offset % Ctor.BYTES_PER_ELEMENT !== 0 || offset + bytes > buffer.byteLength) {
      throw new Error(`Checkpoint array "${name}" lies outside ${path.join(dir, 'arrays.bin')}`);
    }
    out[name] = new Ctor(buffer, offset, length);
  }
  return out;
}
