/**
 * `cli export DIR --format csv|json [--out PATH [--force]]`: episode returns, evaluation series, R matrix,
 * task spans and final metrics of a recorded session. CSV → a folder of files (or stdout), JSON → a file (or
 * stdout). Files are written atomically and an existing file is never replaced without --force (exit 2 with
 * one sentence); the session itself is only read.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { describeFsError, isErrnoError } from '../../fs/describe-error';
import { isSessionError } from '../../session/errors';
import { exportSessionStreamed, type ExportFormat } from '../../session/export';
import { UserError } from '../user-error';

export function register(program: Command): void {
  program
    .command('export')
    .description('export a session as CSV files or JSON: episode returns, evaluations, R matrix, metrics')
    .argument('<dir>', 'session folder')
    .addOption(
      new Option('--format <format>', 'output format').choices(['csv', 'json']).makeOptionMandatory(),
    )
    .option('--out <path>', 'CSV: folder to write; JSON: file to write (default: print to stdout)')
    .option('--force', 'replace files that already exist at --out')
    .action((dir: string, options: { format: ExportFormat; out?: string; force?: boolean }) => {
      if (options.out === '') throw new UserError('--out needs a file or folder.');
      if (options.force && options.out === undefined)
        throw new UserError('--force applies to --out, so it needs --out.');
      const sessionDir = path.resolve(dir);
      if (options.out !== undefined) {
        const out = path.resolve(options.out);
        const rel = path.relative(sessionDir, out);
        if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
          throw new UserError(`--out ${options.out} is inside the session folder; export somewhere else.`);
        }
      }
      let result;
      try {
        // Streamed: the log is read in bounded memory and the episode rows go straight to the output.
        result = exportSessionStreamed(
          sessionDir,
          { format: options.format, out: options.out, force: options.force ?? false },
          (text) => void process.stdout.write(text),
        );
      } catch (error) {
        if (isSessionError(error)) throw new UserError(error.message);
        if (isErrnoError(error)) throw new UserError(describeFsError(error));
        throw new UserError(error instanceof Error ? error.message : String(error));
      }
      for (const f of result.files) process.stderr.write(`wrote ${f}\n`);
    });
}
