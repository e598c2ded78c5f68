/**
 * The trainer process entry. Started by a host — `child_process.fork` (web shell) or Electron's
 * `utilityProcess.fork` — never by hand. Arguments: `--sessions-dir DIR` (default ./sessions),
 * `--sweeps-dir DIR` (default ./sweeps: the sweeps the Sweeps panel lists).
 * Picks the tfjs backend, then serves the protocol (src/protocol/messages.ts) until the host goes away.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resimulateAll } from '../session/resimulate';
import { initBackend } from '../tf/backend';
import { exportFiles } from './export-files';
import { describeLab } from './info';
import { processPort } from './port';
import { createRunnerEngineFactory } from './runner-engine';
import { TrainerService } from './service';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    'sessions-dir': { type: 'string', default: 'sessions' },
    'sweeps-dir': { type: 'string', default: 'sweeps' },
  },
  strict: true,
});

const port = processPort();
const service = new TrainerService({
  port,
  factory: createRunnerEngineFactory(),
  initBackend: () => initBackend(),
  describe: describeLab,
  sessionsRoot: path.resolve(values['sessions-dir']),
  sweepsRoot: path.resolve(values['sweeps-dir']),
  resimulate: (episode) => resimulateAll(episode).frames.map((f) => f.snapshot),
  // The export's contents go to the UI, which saves them where the user chooses.
  exportSession: exportFiles,
});

const shutdown = (): void => {
  service.close();
  process.exit(0);
};
port.onDisconnect(shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
