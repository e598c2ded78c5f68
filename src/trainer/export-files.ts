/**
 * A recorded session's export as file contents for the UI to save (nothing is written here; the session
 * folder stays as recorded): JSON → one `<session>.json`; CSV → one file per table (episodes, evals,
 * matrix, tasks, metrics), which the UI saves together as `<session>-csv.zip`.
 */
import path from 'node:path';
import { sessionCsvFiles, sessionJsonText } from '../session/export';
import { openSession } from '../session/reader';
import type { ExportResult } from '../protocol/messages';

export function exportFiles(dir: string, format: 'csv' | 'json'): ExportResult {
  const session = openSession(dir);
  const base = path.basename(session.dir);
  if (format === 'json') {
    const name = `${base}.json`;
    return { name, files: [{ name, mime: 'application/json', text: sessionJsonText(session) }] };
  }
  const files = sessionCsvFiles(session).map((f) => ({ ...f, mime: 'text/csv' }));
  return { name: `${base}-csv.zip`, files };
}
