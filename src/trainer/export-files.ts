/**
 * A recorded session's export as file contents for the UI to save (nothing is written here; the session
 * folder stays as recorded): JSON → one `<session>.json`; CSV → one file per table (episodes, evals,
 * matrix, tasks, metrics), which the UI saves together as `<session>-csv.zip`.
 */
import path from 'node:path';
import { sessionExportObject, sessionTables, toCsv } from '../session/export';
import { openSession } from '../session/reader';
import type { ExportResult } from '../protocol/messages';

export function exportFiles(dir: string, format: 'csv' | 'json'): ExportResult {
  const session = openSession(dir);
  const base = path.basename(session.dir);
  if (format === 'json') {
    const name = `${base}.json`;
    const text = `${JSON.stringify(sessionExportObject(session), null, 2)}\n`;
    return { name, files: [{ name, mime: 'application/json', text }] };
  }
  const files = Object.entries(sessionTables(session)).map(([table, t]) => ({
    name: `${table}.csv`,
    mime: 'text/csv',
    text: toCsv(t),
  }));
  return { name: `${base}-csv.zip`, files };
}
