/**
 * The Electron shell (thin): one hardened window showing the renderer from app://lab, the trainer in a
 * utility process behind TrainerHost, the IPC contract (one channel per command, every sender and payload
 * checked; events coalesced per loop turn), saving files through the native dialog, and the menu. Split into
 * small exported functions so tests can drive them with a fake `electron`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  BrowserWindow,
  Menu,
  app,
  dialog,
  ipcMain,
  protocol,
  session,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import { packExport } from '../src/protocol/export-pack';
import type { Command, LabEvent } from '../src/protocol/messages';
import { TrainerHost } from '../src/trainer/host';
import { mimeType } from '../src/web/security';
import {
  COMMAND_CHANNELS,
  IPC_EVENT_CHANNEL,
  IPC_SAVE_FILE_CHANNEL,
  commandFromIpc,
  type IpcReply,
} from './ipc-contract';
import { aboutText, menuTemplate } from './menu';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  allowNavigation,
  permissionRequestHandler,
  resolveAppRequest,
  responseHeaders,
  windowOpenHandler,
  windowOptions,
} from './security';
import { filtersFor, handleSaveFile, saveWithDialog, type SaveDeps } from './save-file';
import { forkUtilityTrainer } from './trainer-process';
import { trustedInvoke } from './trusted-invoke';

/** What the IPC layer needs from the trainer host. */
export interface CommandSink {
  request(command: Command, origin: 'ui' | 'host'): Promise<unknown>;
}

/** Must run before the app is ready: app:// behaves like https (standard, secure, fetch allowed). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serve the built renderer on app://lab/ with the strict CSP; anything else is a 404. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppRequest(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404, headers: responseHeaders('text/plain') });
    try {
      const body = await fs.readFile(file);
      return new Response(body, { status: 200, headers: responseHeaders(mimeType(file)) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR')
        return new Response('Not found', { status: 404, headers: responseHeaders('text/plain') });
      process.stderr.write(`Could not serve ${request.url}: ${(error as Error).message}\n`);
      return new Response('Could not read the file', { status: 500, headers: responseHeaders('text/plain') });
    }
  });
}

/** Deny navigation, redirects, new windows and <webview> for every web contents. */
export function hardenContents(contents: WebContents): void {
  const block = (event: { preventDefault(): void }, url: string): void => {
    if (!allowNavigation(url)) event.preventDefault();
  };
  contents.on('will-navigate', block);
  contents.on('will-redirect', block);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(windowOpenHandler);
}

/** One IPC invoke: check the sender, validate the payload, forward, wrap the answer. */
export async function handleInvoke(
  sink: CommandSink,
  channel: string,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  payload: unknown,
): Promise<IpcReply> {
  return trustedInvoke(event, async () => {
    const parsed = commandFromIpc(channel, payload);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    return { ok: true, result: (await sink.request(parsed.value, 'ui')) ?? null };
  });
}

/** Register one handler per command channel, and the save-file channel. */
export function registerIpc(sink: CommandSink, save: SaveDeps): void {
  for (const channel of COMMAND_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => handleInvoke(sink, channel, event, payload));
  }
  ipcMain.handle(IPC_SAVE_FILE_CHANNEL, (event, payload: unknown) => handleSaveFile(save, event, payload));
}

export interface AppPaths {
  /** Folder of the bundles (main.js, preload.cjs, trainer.js). */
  bundleDir: string;
  rendererDir: string;
  sessionsDir: string;
}

/** Paths from the bundle location and `--sessions-dir`. */
export function appPaths(bundleDir: string, argv: readonly string[], fallbackSessions: string): AppPaths {
  const i = argv.indexOf('--sessions-dir');
  const given = i >= 0 ? argv[i + 1] : undefined;
  return {
    bundleDir,
    rendererDir: path.join(bundleDir, '..', 'renderer'),
    sessionsDir: path.resolve(given ?? fallbackSessions),
  };
}

/** Start the desktop app. */
export async function startApp(bundleDir: string): Promise<void> {
  registerAppScheme();
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  await app.whenReady();

  const paths = appPaths(
    bundleDir,
    process.argv,
    app.isPackaged ? path.join(app.getPath('documents'), 'Continual RL Lab', 'sessions') : 'sessions',
  );
  session.defaultSession.setPermissionRequestHandler(permissionRequestHandler);
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer(paths.rendererDir);

  let win: BrowserWindow | null = null;
  let versions: Record<string, string> = {
    electron: process.versions.electron ?? '',
    chrome: process.versions.chrome ?? '',
  };
  let backend: string | null = null;
  let sessionDir: string | null = null;
  let playbackDir: string | null = null;
  /** Forward one batch of events (one trainer loop turn, as the trainer sent it) as one IPC message. */
  const sendEvents = (events: LabEvent[]): void => {
    for (const event of events) {
      if (event.type === 'ready') {
        versions = { ...versions, ...event.versions };
        backend = event.backend.backend;
      }
      if (event.type === 'status') {
        sessionDir = event.status.sessionDir;
        playbackDir = event.status.playbackDir;
      }
    }
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, events);
  };
  const send = (event: LabEvent): void => sendEvents([event]);
  const host = new TrainerHost({
    spawn: () =>
      forkUtilityTrainer(path.join(paths.bundleDir, 'trainer.js'), ['--sessions-dir', paths.sessionsDir]),
    onEvents: sendEvents,
  });
  host.start();
  const save: SaveDeps = {
    choosePath: async (name) => {
      const options = {
        title: `Save ${name}`,
        defaultPath: path.join(app.getPath('downloads'), name),
        filters: filtersFor(name),
      };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
  registerIpc(host, save);

  const showError = (error: unknown): void => {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  };
  const menu = menuTemplate(
    {
      newSession: () => {
        host.request({ type: 'reset' }).then(() => send({ type: 'menu', action: 'new-session' }), showError);
      },
      openSession: () => {
        if (!win) return;
        void dialog
          .showOpenDialog(win, {
            title: 'Open a recorded session',
            defaultPath: paths.sessionsDir,
            properties: ['openDirectory'],
          })
          .then((choice) => {
            const dir = choice.filePaths[0];
            if (!choice.canceled && dir) return host.request({ type: 'open-session', dir }, 'host');
            return undefined;
          })
          .catch(showError);
      },
      exportSession: (format) => {
        const dir = playbackDir ? path.join(paths.sessionsDir, playbackDir) : sessionDir;
        if (!dir) {
          showError(new Error('Nothing to export: record a session or open one first.'));
          return;
        }
        host
          .request({ type: 'export-session', dir, format }, 'host')
          .then((r) => saveWithDialog(save, packExport(r)))
          .then((r) => {
            if (r.saved && win) void dialog.showMessageBox(win, { message: 'Exported', detail: r.saved });
          })
          .catch(showError);
      },
      about: () => {
        if (!win) return;
        void dialog.showMessageBox(win, {
          title: 'About',
          message: 'Continual RL Lab',
          detail: aboutText(versions, backend),
        });
      },
      quit: () => app.quit(),
    },
    process.platform === 'darwin',
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(menu));

  win = new BrowserWindow(windowOptions(path.join(paths.bundleDir, 'preload.cjs')));
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    win = null;
  });
  app.on('window-all-closed', () => {
    // The utility process dies with main anyway; no need to hold the quit for its exit.
    void host.close();
    app.quit();
  });
  await win.loadURL(APP_ENTRY_URL);
}
