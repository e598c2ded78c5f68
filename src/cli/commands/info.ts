/** `cli info`: versions, the tfjs backend the ladder picks here and why the others were skipped, and the CPU. */
import type { Command } from 'commander';
import { initBackend } from '../../tf/backend';
import { systemInfo } from '../../system-info';
import { APP_NAME } from '../../version';

export function register(program: Command): void {
  program
    .command('info')
    .description('print versions, the tfjs backend chosen here (and why others were skipped), CPU and cores')
    .option('--json', 'print one JSON line instead of a table')
    .action(async (options: { json?: boolean }) => {
      const backend = await initBackend();
      const info = systemInfo();
      if (options.json) {
        process.stdout.write(JSON.stringify({ ...info, backend }) + '\n');
        return;
      }
      const electron = info.electron;
      const electronLine = electron.runningIn
        ? `${electron.runningIn} (running)`
        : `${electron.packageVersion ?? 'not installed'} (${electron.runtimeAvailable ? 'runtime present' : 'runtime not downloaded; the web shell is used'})`;
      const flags = Object.entries(backend.details)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ');
      const rows: [string, string][] = [
        ['app', `${APP_NAME} ${info.app}`],
        ['node', info.node],
        ['tfjs', info.tfjs],
        ['electron', electronLine],
        [
          'backend',
          `${backend.backend}${backend.forced ? ' (forced by LAB_BACKEND)' : ''}${flags ? ` [${flags}]` : ''}`,
        ],
        ...backend.skipped.map((s): [string, string] => [`skipped ${s.backend}`, s.reason]),
        ['cpu', info.cpuModel],
        ['cores', String(info.cores)],
        ['platform', info.platform],
      ];
      const width = Math.max(...rows.map(([k]) => k.length));
      for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
    });
}
