/**
 * A fake `electron` module for unit tests (installed with vi.mock('electron', …)): records what the shell
 * registers (IPC handlers, protocol handler, window options, menu, permission handlers) so tests can assert
 * on it and drive it, without Electron's runtime.
 */
import { EventEmitter } from 'node:events';
import os from 'node:os';

export interface FakeElectron {
  state: {
    ipcHandlers: Map<string, (event: unknown, payload: unknown) => unknown>;
    privileged: unknown[];
    protocolHandlers: Map<string, (request: { url: string }) => Promise<Response>>;
    windows: FakeWindow[];
    menuTemplate: unknown;
    permissionRequestHandler: ((wc: unknown, perm: string, cb: (ok: boolean) => void) => void) | null;
    permissionCheckHandler: ((...args: unknown[]) => boolean) | null;
    exposed: Map<string, unknown>;
    invoked: { channel: string; payload: unknown }[];
    invokeReply: (channel: string, payload: unknown) => unknown;
    rendererListeners: Map<string, ((event: unknown, payload: unknown) => void)[]>;
    forks: FakeUtility[];
    /** What the save dialog answers (a path, or null for Cancel), and the options it was shown with. */
    saveDialogAnswer: string | null;
    saveDialogs: Record<string, unknown>[];
  };
  app: EventEmitter;
  module: Record<string, unknown>;
}

export class FakeWindow extends EventEmitter {
  loaded: string | null = null;
  sent: { channel: string; payload: unknown }[] = [];
  webContents = { send: (channel: string, payload: unknown) => this.sent.push({ channel, payload }) };
  constructor(readonly options: Record<string, unknown>) {
    super();
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = url;
  }
  isDestroyed(): boolean {
    return false;
  }
  show(): void {}
}

export class FakeUtility extends EventEmitter {
  posted: unknown[] = [];
  killed = false;
  stdout = new EventEmitter();
  stderr = new EventEmitter();
  constructor(
    readonly entry: string,
    readonly args: string[],
  ) {
    super();
  }
  postMessage(m: unknown): void {
    this.posted.push(m);
  }
  kill(): boolean {
    this.killed = true;
    setImmediate(() => this.emit('exit', 0));
    return true;
  }
}

export function createFakeElectron(): FakeElectron {
  const state: FakeElectron['state'] = {
    ipcHandlers: new Map(),
    privileged: [],
    protocolHandlers: new Map(),
    windows: [],
    menuTemplate: null,
    permissionRequestHandler: null,
    permissionCheckHandler: null,
    exposed: new Map(),
    invoked: [],
    invokeReply: () => ({ ok: true, result: null }),
    rendererListeners: new Map(),
    forks: [],
    saveDialogAnswer: null,
    saveDialogs: [],
  };
  const app = Object.assign(new EventEmitter(), {
    whenReady: async () => undefined,
    isPackaged: false,
    getPath: () => os.tmpdir(),
    quit: () => undefined,
    exit: () => undefined,
  });
  const module: Record<string, unknown> = {
    app,
    BrowserWindow: class extends FakeWindow {
      constructor(options: Record<string, unknown>) {
        super(options);
        state.windows.push(this);
      }
    },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, payload: unknown) => unknown) =>
        state.ipcHandlers.set(channel, fn),
    },
    protocol: {
      registerSchemesAsPrivileged: (list: unknown[]) => state.privileged.push(...list),
      handle: (scheme: string, fn: (request: { url: string }) => Promise<Response>) =>
        state.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: FakeElectron['state']['permissionRequestHandler']) =>
          (state.permissionRequestHandler = fn),
        setPermissionCheckHandler: (fn: FakeElectron['state']['permissionCheckHandler']) =>
          (state.permissionCheckHandler = fn),
      },
    },
    Menu: {
      buildFromTemplate: (t: unknown) => t,
      setApplicationMenu: (m: unknown) => (state.menuTemplate = m),
    },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showMessageBox: async () => ({ response: 0 }),
      showSaveDialog: async (...args: unknown[]) => {
        state.saveDialogs.push(args.at(-1) as Record<string, unknown>);
        const filePath = state.saveDialogAnswer;
        return filePath === null ? { canceled: true } : { canceled: false, filePath };
      },
    },
    utilityProcess: {
      fork: (entry: string, args: string[]) => {
        const child = new FakeUtility(entry, args);
        state.forks.push(child);
        return child;
      },
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => state.exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, payload: unknown) => {
        state.invoked.push({ channel, payload });
        return state.invokeReply(channel, payload);
      },
      on: (channel: string, fn: (event: unknown, payload: unknown) => void) => {
        const list = state.rendererListeners.get(channel) ?? [];
        list.push(fn);
        state.rendererListeners.set(channel, list);
      },
    },
  };
  return { state, app, module };
}
