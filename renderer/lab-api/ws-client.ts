/**
 * LabApi over the web shell's WebSocket (`/ws?token=…` on the page's own origin; the token comes from
 * page-token.ts). Every message received is validated with the protocol's zod schemas; an invalid one is
 * reported as an `error` event, never thrown.
 * Requests made before the socket opens are queued; if the socket closes, pending requests reject and a
 * `trainer-exit`-style error event tells the UI the connection is gone. `saveFile` is given by the page
 * (download.ts: a browser download); this file needs no DOM, so Node tools (bench/ui.ts) use it too.
 */
import {
  createLabApi,
  type LabApi,
  type LabEventListener,
  type LabTransport,
  type SaveFileRequest,
  type SaveFileResult,
} from '../../src/protocol/lab-api';
import {
  eventsOf,
  parseResult,
  parseTrainerMessage,
  type Command,
  type CommandResult,
  type CommandType,
  type LabEvent,
  type RequestMessage,
} from '../../src/protocol/messages';
import { PendingRequests } from '../../src/protocol/pending-requests';

/** Minimal WebSocket surface we use (the browser's WebSocket, or a test double). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;

/** The WebSocket URL for a page served by the web shell: same host, `/ws`, the page's token. */
export function socketUrlFor(pageUrl: string, token: string | null): string {
  if (!token) throw new Error('This page has no lab token; open the exact URL printed by `npm run web`.');
  const page = new URL(pageUrl);
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}/ws?token=${encodeURIComponent(token)}`;
}

type SaveFile = (file: SaveFileRequest) => Promise<SaveFileResult>;

/** Build the transport over an already created socket (exported for tests). */
export function createWsTransport(socket: SocketLike, saveFile?: SaveFile): LabTransport {
  const listeners = new Set<LabEventListener>();
  const pending = new PendingRequests();
  const queue: string[] = [];
  let closed = false;

  const emit = (event: LabEvent): void => {
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch (error) {
        console.error('lab event listener failed', error);
      }
    }
  };

  socket.addEventListener('open', () => {
    for (const data of queue.splice(0)) socket.send(data);
  });
  socket.addEventListener('close', () => {
    closed = true;
    pending.failAll('The connection to the lab server was closed.');
    emit({ type: 'error', message: 'The connection to the lab server was closed; restart `npm run web`.' });
  });
  socket.addEventListener('message', (event) => {
    let raw: unknown;
    try {
      raw = JSON.parse(String(event.data));
    } catch {
      emit({ type: 'error', message: 'The lab server sent a message that is not JSON.' });
      return;
    }
    const parsed = parseTrainerMessage(raw);
    if (!parsed.ok) {
      emit({ type: 'error', message: parsed.error });
      return;
    }
    const msg = parsed.value;
    if (msg.kind === 'event' || msg.kind === 'events') {
      for (const e of eventsOf(msg)) emit(e);
      return;
    }
    if (!pending.settle(msg) && !msg.ok) emit({ type: 'error', message: msg.error });
  });

  return {
    request<K extends CommandType>(command: Extract<Command, { type: K }>): Promise<CommandResult<K>> {
      if (closed) return Promise.reject(new Error('The connection to the lab server is closed.'));
      const { id, reply } = pending.open(command.type);
      const message: RequestMessage = { kind: 'request', id, origin: 'ui', command };
      const data = JSON.stringify(message);
      if (socket.readyState === OPEN) socket.send(data);
      else queue.push(data);
      return reply.then((raw) => {
        const result = parseResult(command.type as K, raw);
        if (!result.ok) throw new Error(result.error);
        return result.value;
      });
    },
    subscribe(listener: LabEventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ...(saveFile ? { saveFile } : {}),
  };
}

/** Create `window.lab` for the web shell from the page URL (e.g. `location.href`) and its token. */
export function createWsLab(pageUrl: string, token: string | null, saveFile?: SaveFile): LabApi {
  const socket = new WebSocket(socketUrlFor(pageUrl, token));
  return createLabApi('web', createWsTransport(socket as unknown as SocketLike, saveFile));
}
