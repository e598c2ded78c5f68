// Electron main with a fake `electron`: IPC (sender + payload validation, one channel per command), saving
// files through the native dialog, web contents hardening, the app:// protocol with CSP, permissions, the
// trainer utility process (crash → UI message, restart; events coalesced), and the menu (export → a file).
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron';

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const fake = createFakeElectron();
  (globalThis as { __fakeElectron?: FakeElectron }).__fakeElectron = fake;
  return fake.module;
});

const { handleInvoke, hardenContents, registerIpc, startApp } = await import('../../electron/app');
const { COMMAND_CHANNELS, IPC_EVENT_CHANNEL, IPC_SAVE_FILE_CHANNEL, commandFromIpc } =
  await import('../../electron/ipc-contract');
const { filtersFor, handleSaveFile } = await import('../../electron/save-file');
const fake = (globalThis as { __fakeElectron?: FakeElectron }).__fakeElectron!;

const trusted = { senderFrame: { url: 'app://lab/index.html', parent: null } };
/** Let coalesced events go out (they leave on the next loop turn). */

describe('IPC', () => {
  it('validates the sender, the channel and the payload before anything reaches the trainer', async () => {
    const seen: unknown[] = [];
    const sink = {
      request: async (c: unknown, origin: string) => (seen.push([c, origin]), { sessionDir: null }),
    };
    expect(
      await handleInvoke(
        sink,
        'lab:pause',
        { senderFrame: { url: 'https://evil.example/', parent: null } } as never,
        {},
      ),
    ).toEqual({
      ok: false,
      error: 'Refused: the request did not come from the lab page.',
    });
    expect(await handleInvoke(sink, 'lab:pause', { senderFrame: null } as never, {})).toMatchObject({
      ok: false,
    });
    const unknown = await handleInvoke(sink, 'lab:format-disk', trusted as never, {});
    expect(unknown).toEqual({ ok: false, error: 'Unknown IPC channel "lab:format-disk".' });
    const bad = await handleInvoke(sink, 'lab:switch-task', trusted as never, { index: 'one' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/Invalid payload of "switch-task": index/);
    const extra = await handleInvoke(sink, 'lab:pause', trusted as never, { evil: true });
    expect(extra.ok).toBe(false);
    expect(seen).toHaveLength(0);
    const ok = await handleInvoke(sink, 'lab:switch-task', trusted as never, { index: 2 });
    expect(ok).toEqual({ ok: true, result: { sessionDir: null } });
    expect(seen).toEqual([[{ type: 'switch-task', index: 2 }, 'ui']]);
  });

  it('turns a failing command into an error reply with its message', async () => {
    const sink = { request: async () => Promise.reject(new Error('no run is active')) };
    expect(await handleInvoke(sink, 'lab:pause', trusted as never, undefined)).toEqual({
      ok: false,
      error: 'no run is active',
    });
  });

  it('registers exactly one handler per command channel, plus save-file', () => {
    fake.state.ipcHandlers.clear();
    registerIpc({ request: async () => null }, { choosePath: async () => null });
    expect([...fake.state.ipcHandlers.keys()].sort()).toEqual(
      [...COMMAND_CHANNELS, IPC_SAVE_FILE_CHANNEL].sort(),
    );
    expect(COMMAND_CHANNELS).toContain('lab:start');
    expect(COMMAND_CHANNELS).toContain('lab:playback-seek');
  });

  it('rebuilds full commands from payloads (host-only absolute paths are still just strings here)', () => {
    expect(
      commandFromIpc('lab:start', { sequence: 'fourrooms', strategy: 'ewc', seed: 1, record: true }),
    ).toEqual({
      ok: true,
      value: { type: 'start', sequence: 'fourrooms', strategy: 'ewc', seed: 1, record: true },
    });
    expect(
      commandFromIpc('lab:start', { sequence: 'fourrooms', strategy: 'ewc', seed: -1, record: true }).ok,
    ).toBe(false);
  });
});

describe('save file', () => {
  const bytes = new TextEncoder().encode('{"a":1}\n');

  it('checks the sender and the payload, asks where, writes the file atomically', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-save-'));
    const asked: string[] = [];
    const deps = {
      choosePath: async (name: string) => (asked.push(name), path.join(tmp, 'chosen.json')),
    };
    const file = { name: 'run-1.json', mime: 'application/json', data: bytes };
    expect(
      await handleSaveFile(
        deps,
        { senderFrame: { url: 'https://evil.example/', parent: null } } as never,
        file,
      ),
    ).toEqual({ ok: false, error: 'Refused: the request did not come from the lab page.' });
    const traversal = await handleSaveFile(deps, trusted as never, { ...file, name: '../../.bashrc' });
    expect(traversal.ok).toBe(false);
    expect(!traversal.ok && traversal.error).toMatch(/name: must be a plain file name/);
    const notBytes = await handleSaveFile(deps, trusted as never, { ...file, data: 'text' });
    expect(!notBytes.ok && notBytes.error).toMatch(/Invalid file to save: data/);
    const extra = await handleSaveFile(deps, trusted as never, { ...file, path: '/etc/passwd' });
    expect(extra.ok).toBe(false);
    expect(asked).toEqual([]);
    expect(await handleSaveFile(deps, trusted as never, file)).toEqual({
      ok: true,
      result: { saved: path.join(tmp, 'chosen.json') },
    });
    expect(asked).toEqual(['run-1.json']);
    expect(fs.readFileSync(path.join(tmp, 'chosen.json'), 'utf8')).toBe('{"a":1}\n');
    expect(fs.readdirSync(tmp)).toEqual(['chosen.json']); // no temp file left behind
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('treats Cancel as nothing saved, and reports a failed write with the file name', async () => {
    const file = { name: 'video.webm', mime: 'video/webm', data: bytes };
    expect(await handleSaveFile({ choosePath: async () => null }, trusted as never, file)).toEqual({
      ok: true,
      result: { saved: null },
    });
    const failed = await handleSaveFile(
      { choosePath: async () => path.join(os.tmpdir(), 'no-such-dir-lab', 'x.webm') },
      trusted as never,
      file,
    );
    expect(!failed.ok && failed.error).toMatch(/^Could not save video\.webm: .*ENOENT/);
  });

  it('offers the file type first in the dialog filters', () => {
    expect(filtersFor('a-csv.zip')).toEqual([
      { name: 'ZIP file', extensions: ['zip'] },
      { name: 'All files', extensions: ['*'] },
    ]);
    expect(filtersFor('noext')).toEqual([{ name: 'All files', extensions: ['*'] }]);
  });
});

describe('web contents hardening', () => {
  it('prevents navigation, redirects and webviews, and denies window.open', () => {
    const contents = Object.assign(new EventEmitter(), {
      handler: null as null | (() => unknown),
      setWindowOpenHandler(fn: () => unknown) {
        this.handler = fn;
      },
    });
    hardenContents(contents as never);
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = {
        prevented: false,
        preventDefault() {
          this.prevented = true;
        },
      };
      contents.emit(name, event, 'https://example.com/');
      expect(event.prevented, name).toBe(true);
    }
    expect(contents.handler!()).toEqual({ action: 'deny' });
  });
});

describe('startApp', () => {
  it('builds one hardened window on app://, denies permissions, runs the trainer in a utility process and survives its crash', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-electron-'));
    fs.mkdirSync(path.join(tmp, 'electron'));
    fs.mkdirSync(path.join(tmp, 'renderer'));
    fs.writeFileSync(path.join(tmp, 'renderer', 'index.html'), '<!doctype html>');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
    fake.state.ipcHandlers.clear();
    await startApp(path.join(tmp, 'electron'));

    expect(fake.state.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    // Permissions: every request and check refused.
    const answers: boolean[] = [];
    fake.state.permissionRequestHandler!({}, 'media', (ok) => answers.push(ok));
    expect(answers).toEqual([false]);
    expect(fake.state.permissionCheckHandler!()).toBe(false);
    // app:// serves the renderer with the CSP and nothing outside it.
    const serve = fake.state.protocolHandlers.get('app')!;
    const page = await serve({ url: 'app://lab/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await serve({ url: 'app://lab/..%2fsecret.txt' })).status).toBe(404);
    expect((await serve({ url: 'app://lab/missing.js' })).status).toBe(404);
    // One window, hardened, loading our page.
    expect(fake.state.windows).toHaveLength(1);
    const win = fake.state.windows[0]!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect((win.options.webPreferences as { preload: string }).preload).toBe(
      path.join(tmp, 'electron', 'preload.cjs'),
    );
    expect(win.loaded).toBe('app://lab/index.html');
    // The trainer runs from the bundle folder, with the sessions folder.
    expect(fake.state.forks).toHaveLength(1);
    const child = fake.state.forks[0]!;
    expect(child.entry).toBe(path.join(tmp, 'electron', 'trainer.js'));
    expect(child.args).toEqual(['--sessions-dir', path.resolve('sessions')]);
    // Trainer → UI: valid events are forwarded, invalid ones become an error event; each message of the
    // trainer (the events of one loop turn) travels as one IPC message, at once.
    child.emit('message', { kind: 'event', event: { type: 'error', message: 'hello' } });
    child.emit('message', { kind: 'event', event: { type: 'bogus' } });
    expect(win.sent).toHaveLength(2);
    expect(win.sent[0]!.channel).toBe(IPC_EVENT_CHANNEL);
    expect(win.sent[0]!.payload).toEqual([{ type: 'error', message: 'hello' }]);
    const [bogus] = win.sent[1]!.payload as { type: string; message: string }[];
    expect(bogus!.type).toBe('error');
    expect(bogus!.message).toMatch(/invalid message/);
    child.emit('message', {
      kind: 'events',
      events: [
        { type: 'error', message: 'a' },
        { type: 'error', message: 'b' },
      ],
    });
    expect(win.sent[2]!.payload).toEqual([
      { type: 'error', message: 'a' },
      { type: 'error', message: 'b' },
    ]);
    // UI → trainer through IPC.
    const pending = fake.state.ipcHandlers.get('lab:pause')!(trusted, {}) as Promise<unknown>;
    const request = child.posted[0] as { id: number; command: unknown; origin: string };
    expect(request).toMatchObject({ kind: 'request', origin: 'ui', command: { type: 'pause' } });
    child.emit('message', { kind: 'reply', id: request.id, ok: true, result: null });
    expect(await pending).toEqual({ ok: true, result: null });
    // Menu → Export → JSON: the trainer's export becomes one file, saved where the dialog says.
    const sessionDir = path.join(tmp, 'sessions', 'run-1');
    child.emit('message', {
      kind: 'event',
      event: {
        type: 'status',
        status: {
          step: 5,
          taskIndex: 0,
          label: 't',
          epsilon: 0,
          stepsPerSec: 0,
          running: true,
          paused: false,
          done: false,
          recording: true,
          sessionDir,
          speed: { mode: 'max' },
          playbackDir: null,
        },
      },
    });
    const target = path.join(tmp, 'exported.json');
    fake.state.saveDialogAnswer = target;
    const exportItems = (
      fake.state.menuTemplate as { label?: string; submenu?: { label?: string; submenu?: unknown[] }[] }[]
    )
      .find((m) => m.label === 'File')!
      .submenu!.find((i) => i.label === 'Export')!.submenu as { label: string; click: () => void }[];
    exportItems.find((i) => i.label === 'Session as JSON')!.click();
    const exportRequest = child.posted.at(-1) as { id: number; command: unknown; origin: string };
    expect(exportRequest).toMatchObject({
      origin: 'host',
      command: { type: 'export-session', dir: sessionDir, format: 'json' },
    });
    child.emit('message', {
      kind: 'reply',
      id: exportRequest.id,
      ok: true,
      result: { name: 'run-1.json', files: [{ name: 'run-1.json', mime: 'application/json', text: '{}\n' }] },
    });
    for (let i = 0; i < 50 && !fs.existsSync(target); i++) await new Promise((r) => setTimeout(r, 10));
    expect(fs.readFileSync(target, 'utf8')).toBe('{}\n');
    expect(fake.state.saveDialogs.at(-1)).toMatchObject({
      defaultPath: path.join(os.tmpdir(), 'run-1.json'),
    });
    // Crash: the UI is told; restart-trainer forks a new one.
    child.emit('exit', 9);
    const exit = (win.sent.at(-1)!.payload as { type: string; message: string }[]).at(-1)!;
    expect(exit.type).toBe('trainer-exit');
    expect(exit.message).toMatch(/exited with code 9/);
    expect(await fake.state.ipcHandlers.get('lab:restart-trainer')!(trusted, {})).toEqual({
      ok: true,
      result: null,
    });
    expect(fake.state.forks).toHaveLength(2);
    // Menu: File → New session / Open session… / Export; Help → About.
    const menu = fake.state.menuTemplate as { label?: string; submenu?: { label?: string }[] }[];
    const file = menu.find((m) => m.label === 'File')!.submenu!.map((i) => i.label);
    expect(file).toEqual(expect.arrayContaining(['New session', 'Open session…', 'Export']));
    expect(menu.find((m) => m.label === 'Help')!.submenu!.map((i) => i.label)).toEqual([
      'About Continual RL Lab',
    ]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
