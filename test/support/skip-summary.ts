/**
 * `npm test`'s first and last step: `--reset` clears the skip records of a previous run; without it, prints
 * which suites were skipped for want of a program and the one command that enables them, and exits 1 when
 * CI=true and anything was skipped.
 */
import fs from 'node:fs';
import { isCi, readSkips, skipDir, skipSummary } from './requirements';

if (process.argv.includes('--reset')) {
  fs.rmSync(skipDir(), { recursive: true, force: true });
} else {
  const { text, ok } = skipSummary(readSkips(), isCi());
  process.stdout.write(`\n${text}\n`);
  process.exit(ok ? 0 : 1);
}
