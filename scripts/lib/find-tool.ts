/**
 * Find an outside program (Debian's Chromium, redis-server) on fixed paths or PATH. Shared by the tests'
 * requirement checks (test/support/requirements.ts), the web-shell helper (web-shell.ts) and bench/ui.ts.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Tool {
  /** Program name as users know it. */
  name: string;
  /** Absolute paths tried first, then `name` and `aliases` on PATH. */
  paths: string[];
  aliases?: string[];
  /** Debian package that provides it (the summary's install command). */
  aptPackage: string;
}

export const CHROMIUM: Tool = {
  name: 'chromium',
  paths: ['/usr/bin/chromium'],
  aliases: ['chromium-browser'],
  aptPackage: 'chromium',
};

export const REDIS: Tool = { name: 'redis-server', paths: [], aptPackage: 'redis-server' };

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false; // absent or not executable: not this candidate
  }
}

/** The program's path, or null when it is missing (or pretended missing through LAB_TEST_MISSING). */
export function findTool(tool: Tool, env: NodeJS.ProcessEnv = process.env): string | null {
  const missing = (env.LAB_TEST_MISSING ?? '').split(',').map((s) => s.trim());
  if (missing.includes(tool.name)) return null;
  for (const p of tool.paths) if (executable(p)) return p;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of [tool.name, ...(tool.aliases ?? [])]) {
      const file = path.join(dir, name);
      if (executable(file)) return file;
    }
  }
  return null;
}
