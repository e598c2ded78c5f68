// Restart storms against the real web shell process: four concurrent "restart trainer" commands (from two
// pages) leave exactly one live trainer process, which answers; a later restart replaces it (one child
// again, a new pid); and once the shell is gone — even killed with SIGKILL — no trainer process is left.
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectToShell, alive, startShellProcess, waitUntil, type ShellProcess } from './shell-process';

let shell: ShellProcess;

beforeAll(async () => {
  shell = await startShellProcess();
});

afterAll(async () => {
  await shell?.stop();
});

const connect = (): Promise<WebSocket> => connectToShell(shell);

let nextId = 1;
function ask(ws: WebSocket, type: string): Promise<{ ok: boolean; error?: string }> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const m = JSON.parse(data.toString()) as { kind: string; id: number; ok: boolean; error?: string };
      if (m.kind === 'reply' && m.id === id) {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ kind: 'request', id, origin: 'ui', command: { type } }));
  });
}

it('serializes concurrent restarts: one live trainer, none left after the shell exits', async () => {
  const a = await connect();
  const b = await connect();
  expect((await ask(a, 'get-info')).ok).toBe(true);
  const first = shell.children();
  expect(first).toHaveLength(1);

  const replies = await Promise.all([
    ask(a, 'restart-trainer'),
    ask(b, 'restart-trainer'),
    ask(a, 'restart-trainer'),
    ask(b, 'restart-trainer'),
  ]);
  expect(replies.every((r) => r.ok)).toBe(true);
  expect((await ask(b, 'get-info')).ok).toBe(true);
  // Let any extra spawns show up before counting.
  await new Promise((r) => setTimeout(r, 1500));
  const now = shell.children();
  expect(now).toHaveLength(1);
  expect(now[0]).not.toBe(first[0]);
  expect(alive(first[0]!)).toBe(false);

  // One more restart after the storm: still exactly one, and a new one.
  expect((await ask(a, 'restart-trainer')).ok).toBe(true);
  expect((await ask(a, 'get-info')).ok).toBe(true);
  await new Promise((r) => setTimeout(r, 500));
  const last = shell.children();
  expect(last).toHaveLength(1);
  expect(last[0]).not.toBe(now[0]);

  a.close();
  b.close();
  const seen = [...first, ...now, ...last];
  await shell.stop('SIGKILL');
  await waitUntil('every trainer process has exited', () => seen.every((pid) => !alive(pid)), 15_000);
});
