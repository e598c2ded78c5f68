/**
 * Turns an export (src/protocol/messages.ts `ExportResult`) into the one file the user gets: a single file as
 * is (e.g. `<session>.json`), several files as a `.zip` (e.g. the CSV tables in `<session>-csv.zip`, deflated
 * with fflate). Used by the renderer (web download, Electron save dialog) alike. No Node or DOM imports.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { ExportResult } from './messages';
import type { SaveFileRequest } from './lab-api';

export function packExport(result: ExportResult): SaveFileRequest {
  if (result.files.length === 1) {
    const f = result.files[0]!;
    return { name: result.name, mime: f.mime, data: strToU8(f.text) };
  }
  const entries: Zippable = {};
  for (const f of result.files) entries[f.name] = strToU8(f.text);
  return { name: result.name, mime: 'application/zip', data: zipSync(entries, { level: 6 }) };
}
