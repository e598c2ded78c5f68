/**
 * Start the trainer in an Electron utility process (a Node child the main process supervises), adapted to
 * TrainerHost's TrainerChild. Its stdout/stderr go to main's stderr.
 */
import { utilityProcess } from 'electron';
import type { TrainerChild } from '../src/trainer/host';

export function forkUtilityTrainer(entry: string, args: string[]): TrainerChild {
  const child = utilityProcess.fork(entry, args, { serviceName: 'Continual RL Lab trainer', stdio: 'pipe' });
  child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  return {
    send: (message) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (handler) => child.on('message', (message: unknown) => handler(message)),
    onExit: (handler) => child.once('exit', (code: number) => handler(code)),
    kill: () => {
      if (!exited) child.kill();
    },
  };
}
