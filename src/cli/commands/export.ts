/**
 * `cli export DIR --format csv|json [--out PATH]`: episode returns, evaluation series, R matrix, task spans
 * and final metrics of a recorded session. CSV → a folder of files (or stdout), JSON → a file (or stdout).
 * Files are written atomically; the session itself is only read.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { exportSession, type ExportFormat } from '../../session/export';
import { UserError } from '../user-error';
import { openSessionForCli } from './inspect';

export function register(program: Command): void {
  program
    .command('export')
    .description('export a session as CSV files or JSON: episode returns, evaluations, R matrix, metrics')
    .argument('<dir>', 'session folder')
    .addOption(
      new Option('--format <format>', 'output format').choices(['csv', 'json']).makeOptionMandatory(),
    )
    .option('--out <path>', 'CSV: folder to write; JSON: file to write (default: print to stdout)')
    .action((dir: string, options: { format: ExportFormat; out?: string }) => {
      const session = openSessionForCli(dir);
      if (options.out !== undefined) {
        const out = path.resolve(options.out);
        const rel = path.relative(session.dir, out);
        if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
          throw new UserError(`--out ${options.out} is inside the session folder; export somewhere else.`);
        }
      }
      let result;
      try {
        result = exportSession(session, { format: options.format, out: options.out });
      } catch (error) {
        throw new UserError(error instanceof Error ? error.message : String(error));
      }
      if (result.text !== undefined) process.stdout.write(result.text);
      else for (const f of result.files) process.stderr.write(`wrote ${f}\n`);
    });
}
