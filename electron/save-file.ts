/**
 * Saving a file for the user from the Electron shell: the renderer sends the bytes (IPC `lab:save-file`,
 * sender and payload checked), main asks where with the native save dialog (in the Downloads folder by
 * default, filtered by the file's extension) and writes atomically (temp file, then rename). The same path
 * serves File → Export in the menu. Cancelling the dialog is not an error: the result is `{ saved: null }`.
 */
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { writeFileAtomic } from '../src/fs/write-file-atomic';
import type { SaveFileRequest, SaveFileResult } from '../src/protocol/lab-api';
import { describeZodError } from '../src/protocol/messages';
import { saveFilePayloadSchema, type IpcReply } from './ipc-contract';
import { trustedInvoke } from './trusted-invoke';

export interface SaveDeps {
  /** Ask the user where to save a file called `name`; null when they cancel. */
  choosePath(name: string): Promise<string | null>;
}

/** Save dialog filters for a file name: its own extension first, then any file. */
export function filtersFor(name: string): { name: string; extensions: string[] }[] {
  const ext = path.extname(name).slice(1).toLowerCase();
  const any = { name: 'All files', extensions: ['*'] };
  return ext ? [{ name: `${ext.toUpperCase()} file`, extensions: [ext] }, any] : [any];
}

/** Ask where, then write. */
export async function saveWithDialog(deps: SaveDeps, file: SaveFileRequest): Promise<SaveFileResult> {
  const target = await deps.choosePath(file.name);
  if (!target) return { saved: null };
  await writeFileAtomic(target, file.data);
  return { saved: target };
}

/** The `lab:save-file` invoke: check the sender, validate the payload, save. */
export async function handleSaveFile(
  deps: SaveDeps,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  payload: unknown,
): Promise<IpcReply> {
  const parsed = saveFilePayloadSchema.safeParse(payload);
  return trustedInvoke(
    event,
    async () => {
      if (!parsed.success) return { ok: false, error: describeZodError(parsed.error, 'file to save') };
      return { ok: true, result: await saveWithDialog(deps, parsed.data) };
    },
    (message) => `Could not save ${parsed.data?.name ?? 'the file'}: ${message}`,
  );
}
