// Hostile WebSocket frames against the real web shell process (`src/web/main.ts` with its forked trainer): a
// frame over 1 MiB closes that connection with 1009, a text frame with invalid UTF-8 with 1007; the shell
// process, its trainer (same pid, still answering) and another open client keep running.
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectToShell, startShellProcess, type ShellProcess } from './shell-process';

let shell: ShellProcess;

beforeAll(async () => {
  shell = await startShellProcess();
});

afterAll(async () => {
  await shell?.stop();
});

const connect = (): Promise<WebSocket> => connectToShell(shell);

/** Send a request and wait for its reply (`get-info` reaches the trainer and back). */
function ask(ws: WebSocket, id: number): Promise<{ ok: boolean; result?: { protocol?: number } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const m = JSON.parse(data.toString()) as { kind: string; id: number; ok: boolean };
      if (m.kind === 'reply' && m.id === id) {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ kind: 'request', id, origin: 'ui', command: { type: 'get-info' } }));
  });
}

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    ws.on('error', () => undefined);
    ws.once('close', (code) => resolve(code));
  });
}

it.each([
  ['a frame over 1 MiB (close code 1009)', () => 'x'.repeat(1024 * 1024 + 1), false, 1009],
  [
    'a text frame with invalid UTF-8 (close code 1007)',
    () => Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    false,
    1007,
  ],
] as const)('%s closes that connection only', async (_name, payload, binary, code) => {
  const bystander = await connect();
  expect((await ask(bystander, 1)).ok).toBe(true);
  const trainers = shell.children();
  expect(trainers).toHaveLength(1);

  const attacker = await connect();
  const closed = closeCode(attacker);
  attacker.send(payload(), { binary });
  expect(await closed).toBe(code);

  await new Promise((r) => setTimeout(r, 200));
  expect(shell.child.exitCode).toBeNull();
  expect(shell.child.signalCode).toBeNull();
  // The same trainer process still answers, through the client that was already open and a new one.
  expect(shell.children()).toEqual(trainers);
  expect(await ask(bystander, 2)).toMatchObject({ ok: true });
  const late = await connect();
  expect(await ask(late, 3)).toMatchObject({ ok: true });
  late.close();
  bystander.close();
});
