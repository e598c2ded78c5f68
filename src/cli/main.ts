/**
 * The lab's command-line entry (`npm run cli -- <command>`). Each command lives in its own file under
 * commands/ and registers itself here. User errors, unusable sessions and failed file-system calls print one
 * clear sentence naming the path and the cause and exit 2; other failures exit 1; nothing prints a stack
 * trace unless LAB_DEBUG=1.
 */
import { Command, CommanderError } from 'commander';
import { APP_VERSION } from '../version';
import { describeFsError, isErrnoError } from '../fs/describe-error';
import { isSessionError } from '../session/errors';
import { UserError } from './user-error';
import type { CommandModule } from './command-module';

/**
 * Every command, loaded on demand: running one command imports only its own file (so `inspect` does not
 * load tfjs, and a broken engine file cannot break it); help and unknown commands load them all.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  info: () => import('./commands/info'),
  train: () => import('./commands/train'),
  run: () => import('./commands/run'),
  compare: () => import('./commands/compare'),
  inspect: () => import('./commands/inspect'),
  export: () => import('./commands/export'),
  sweep: () => import('./commands/sweep'),
  worker: () => import('./commands/worker'),
};

export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('lab')
    .description('Continual RL Lab: train DQN agents on task sequences, measure forgetting, record sessions.')
    .version(APP_VERSION)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  const first = argv[0];
  const names = first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]!()).register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit with code 0; usage errors (printed by commander already) exit 2, like
      // every other mistake in the command line.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UserError) {
      process.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    // A session that cannot be used, or a file-system call that failed (read-only folder, disk full, no
    // permission): the user's environment, not a bug. One sentence naming the path and the cause, exit 2.
    const sentence = isSessionError(error)
      ? error.message
      : isErrnoError(error)
        ? describeFsError(error)
        : undefined;
    if (sentence !== undefined) {
      process.stderr.write(`error: ${sentence}\n`);
      if (process.env.LAB_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      return 2;
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
