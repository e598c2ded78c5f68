/**
 * The lab's command-line entry (`npm run cli -- <command>`). Each command lives in its own file under
 * commands/ and registers itself here. User errors print one clear sentence and exit 2; nothing prints a
 * stack trace unless LAB_DEBUG=1.
 */
import { Command, CommanderError } from 'commander';
import { APP_VERSION } from '../version';
import { UserError } from './user-error';
import { register as registerInfo } from './commands/info';
import { register as registerInspect } from './commands/inspect';
import { register as registerExport } from './commands/export';
import { register as registerTrain } from './commands/train';
import { register as registerRun } from './commands/run';
import { register as registerCompare } from './commands/compare';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('lab')
    .description('Continual RL Lab: train DQN agents on task sequences, measure forgetting, record sessions.')
    .version(APP_VERSION)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerInfo(program);
  registerInspect(program);
  registerExport(program);
  registerTrain(program);
  registerRun(program);
  registerCompare(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit with code 0; usage errors were already printed by commander.
      return error.exitCode;
    }
    if (error instanceof UserError) {
      process.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.LAB_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

const isEntry =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isEntry || process.env.LAB_CLI_ENTRY === '1') {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
