/**
 * `cli inspect DIR [--json]`: summarize a recorded session (human table, or one JSON line
 * {"formatVersion","complete","events","lastStep","tasks","lastCheckpointStep","metrics"}).
 * Exit 0 for any readable session, complete or not; an unreadable one is a UserError (one sentence naming the
 * file and the problem, exit 2). Never writes. The event log is streamed and only the events the summary
 * needs are kept, so a 200 MB log is inspected in bounded memory (`npm run bench -- inspect-rss`).
 */
import type { Command } from 'commander';
import { isSessionError } from '../../session/errors';
import { openSession, type OpenSessionOptions, type Session } from '../../session/reader';
import { SUMMARY_EVENTS } from '../../session/summary';
import { describeSession, summarizeSession } from '../../session/summary';
import { UserError } from '../user-error';

/** Open a session for a CLI command, turning any reading problem into a UserError. */
export function openSessionForCli(dir: string, opts: OpenSessionOptions = {}): Session {
  try {
    return openSession(dir, opts);
  } catch (error) {
    if (isSessionError(error)) throw new UserError(error.message);
    const why = error instanceof Error ? error.message : String(error);
    throw new UserError(`Cannot read the session in ${dir}: ${why}`);
  }
}

export function register(program: Command): void {
  program
    .command('inspect')
    .description('summarize a recorded session folder (complete or not); never writes')
    .argument('<dir>', 'session folder')
    .option('--json', 'print one JSON line instead of a summary')
    .action((dir: string, options: { json?: boolean }) => {
      // Streamed, keeping only what the summary reads: memory stays bounded for any size of log.
      const session = openSessionForCli(dir, { keep: (e) => SUMMARY_EVENTS.has(e.type) });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(summarizeSession(session))}\n`);
        return;
      }
      process.stdout.write(`${describeSession(session).join('\n')}\n`);
    });
}
