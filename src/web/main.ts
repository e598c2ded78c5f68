/**
 * `npm run web`: the loopback web shell. Serves the built renderer on 127.0.0.1 with a per-launch token,
 * runs the trainer in a child process, and prints exactly one line on stdout when ready:
 *   http://127.0.0.1:PORT/?token=…
 * Options: --port N (0 = a free port, the default), --sessions-dir DIR (default ./sessions), --no-open.
 * Everything else (diagnostics, the trainer's own output) goes to stderr.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { forkTrainer } from '../trainer/fork';
import { startWebShell } from './server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be an integer from 0 to 65535.');
  return n;
}

/** Best effort: ask the desktop to open the URL; silently skipped where there is no desktop. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write('Could not open a browser; open the URL above yourself.\n'));
    child.unref();
  } catch {
    process.stderr.write('Could not open a browser; open the URL above yourself.\n');
  }
}

async function main(): Promise<void> {
  const program = new Command()
    .name('web')
    .description(
      'Serve the lab UI on 127.0.0.1 with a per-launch token; the trainer runs in a child process.',
    )
    .option('--port <n>', 'port to listen on (0 = any free port)', parsePort, 0)
    .option('--sessions-dir <dir>', 'folder for recorded sessions', 'sessions')
    .option('--renderer-dir <dir>', 'built renderer to serve', path.join(root, 'dist/renderer'))
    .option('--no-open', 'do not open a browser')
    .parse(process.argv);
  const opts = program.opts<{ port: number; sessionsDir: string; rendererDir: string; open: boolean }>();
  const sessionsDir = path.resolve(opts.sessionsDir);

  const shell = await startWebShell({
    staticDir: path.resolve(opts.rendererDir),
    port: opts.port,
    spawnTrainer: () => forkTrainer({ args: ['--sessions-dir', sessionsDir] }),
  });
  process.stdout.write(`${shell.url}\n`);
  if (opts.open) openBrowser(shell.url);

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    void shell.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
