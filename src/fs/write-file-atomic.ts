/**
 * Atomic file writes (the project's rule: writes are append-only or atomic): write a temp file in the same
 * folder, then rename it over the target, so a reader sees the old file or the new one, never a torn one.
 * Shared by checkpoints (src/dqn, src/continual) and Electron's save dialog (electron/save-file.ts).
 */
import { rename, rm, writeFile } from 'node:fs/promises';

let tempCounter = 0;

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  // pid + counter: two writes to the same target at once never share a temp file.
  const temp = `${file}.tmp-${process.pid}-${tempCounter++}`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
