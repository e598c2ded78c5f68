/**
 * `saveFile` for the web shell: the file becomes a browser download (a Blob behind a hidden `<a download>`),
 * which lands where the user's browser puts downloads (or asks, if they set it to).
 */
import type { SaveFileRequest, SaveFileResult } from '../../src/protocol/lab-api';
import { fileNameSchema } from '../../src/protocol/messages';

/** How long a download's object URL is kept (the browser has started the download long before). */
const REVOKE_AFTER_MS = 60_000;

export async function downloadFile(file: SaveFileRequest): Promise<SaveFileResult> {
  const name = fileNameSchema.safeParse(file.name);
  if (!name.success) throw new Error(`Cannot save "${file.name.slice(0, 100)}": not a plain file name.`);
  // A fresh copy: a Blob part must be backed by an ArrayBuffer (not a SharedArrayBuffer).
  const url = URL.createObjectURL(new Blob([new Uint8Array(file.data)], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name.data;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  return { saved: name.data };
}
