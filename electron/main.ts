/**
 * Electron main entry (bundled to dist/electron/main.js): start the desktop app from the bundle's folder.
 * Everything else lives in app.ts so tests can import it with a fake `electron`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { startApp } from './app';

startApp(path.dirname(fileURLToPath(import.meta.url))).catch((error: unknown) => {
  process.stderr.write(
    `The app could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  app.exit(1);
});
