/**
 * The web shell's server: HTTP on 127.0.0.1 only, serving the built renderer (dist/renderer) and a
 * WebSocket at `/ws` bridged to a trainer process through TrainerHost. The WebSocket upgrade needs the
 * per-launch token (`/ws?token=`, which the page keeps in its own tab: renderer/lab-api/page-token.ts) and our
 * Origin; a page request needs the token or the per-port page cookie set by the token-bearing page load
 * (static files only: it opens no WebSocket, so the copy the browser sends to other local ports is useless
 * to them; docs/SECURITY.md). Every request needs a Host header naming our exact address (403 otherwise). Only GET and HEAD; no directory listings; paths
 * that leave the renderer folder are refused. Messages from the browser are validated before they reach
 * the trainer; invalid ones get an error reply on the same socket. Events are coalesced (one WebSocket message
 * per loop turn), and the pages' `set-view` demands are merged: the trainer draws what at least one open page
 * shows, and nothing when no page is open.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  FULL_VIEW,
  parseRequest,
  requestIdOf,
  type EventMessage,
  type EventsMessage,
  type LabEvent,
  type ReplyMessage,
  type ViewDemand,
} from '../protocol/messages';
import { TrainerHost, type TrainerChild } from '../trainer/host';
import { mergeViews, sameView } from './views';
import {
  cookieValue,
  hostAllowed,
  mimeType,
  newToken,
  originAllowed,
  resolveStaticPath,
  pageCookieName,
  parseRequestTarget,
  securityHeaders,
  tokenMatches,
} from './security';

export interface WebShellOptions {
  /** Folder with the built renderer (index.html + assets). */
  staticDir: string;
  /** 0 = any free port. */
  port?: number;
  /** Fixed token (tests); default: a fresh random one. */
  token?: string;
  /** Starts the trainer process. */
  spawnTrainer: () => TrainerChild;
  /** Largest WebSocket message accepted from the browser (bytes). */
  maxMessageBytes?: number;
  log?: (line: string) => void;
}

export interface WebShell {
  url: string;
  port: number;
  token: string;
  host: TrainerHost;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

export async function startWebShell(opts: WebShellOptions): Promise<WebShell> {
  const indexFile = resolveStaticPath(opts.staticDir, '/');
  if (!indexFile || !fs.existsSync(indexFile)) {
    throw new Error(`${opts.staticDir}/index.html does not exist: build the renderer first (npm run build).`);
  }
  const token = opts.token ?? newToken();
  /** Lets the page's asset requests through (cookie); opens no WebSocket. */
  const pageKey = newToken();
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sockets = new Set<WebSocket>();
  let port = 0;

  /** What each page shows (a page that never said counts as showing everything). */
  const views = new Map<WebSocket, ViewDemand>();
  let sentView: ViewDemand | null = null;

  /** One WebSocket message per batch the trainer sent (one per trainer loop turn). */
  const broadcast = (events: LabEvent[]): void => {
    const message: EventMessage | EventsMessage =
      events.length === 1 ? { kind: 'event', event: events[0]! } : { kind: 'events', events };
    const data = JSON.stringify(message);
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(data);
  };
  const host = new TrainerHost({
    spawn: opts.spawnTrainer,
    onEvents: (events) => {
      // A (re)started trainer shows everything until told otherwise.
      if (events.some((e) => e.type === 'ready')) syncView(true);
      broadcast(events);
    },
    log,
  });

  /** Tell the trainer the union of what the open pages show, when it changed. */
  function syncView(force = false): void {
    const view = mergeViews([...sockets].map((s) => views.get(s) ?? FULL_VIEW));
    if (!force && sentView && sameView(view, sentView)) return;
    sentView = view;
    host.request({ type: 'set-view', view }, 'host').catch((error: unknown) => {
      sentView = null;
      log(`set-view: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  const server = http.createServer((req, res) => {
    const headers = securityHeaders(port);
    const refuse = (status: number, text: string): void => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${text}\n`);
    };
    if (!hostAllowed(req.headers.host, port)) return refuse(403, 'Forbidden: wrong Host.');
    const url = parseRequestTarget(req.url);
    if (!url) return refuse(400, 'Bad request: the request target must be a path.');
    const queryToken = url.params.get('token');
    const authorised =
      tokenMatches(token, queryToken) ||
      tokenMatches(pageKey, cookieValue(req.headers.cookie, pageCookieName(port)));
    if (!authorised)
      return refuse(403, 'Forbidden: open the exact URL printed by `npm run web` (it carries the token).');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return refuse(405, 'Method not allowed.');
    }
    // Browsers ask for a favicon on their own; answer it quietly (no console error) when there is none.
    if (url.pathname === '/favicon.ico' && !fs.existsSync(path.join(opts.staticDir, 'favicon.ico'))) {
      res.writeHead(204, headers);
      return res.end();
    }
    const file = resolveStaticPath(opts.staticDir, url.pathname);
    if (!file) return refuse(404, 'Not found.');
    fs.stat(file, (error, stat) => {
      if (error || !stat.isFile()) return refuse(404, 'Not found.');
      const extra: Record<string, string> = {};
      if (tokenMatches(token, queryToken)) {
        extra['Set-Cookie'] = `${pageCookieName(port)}=${pageKey}; HttpOnly; SameSite=Strict; Path=/`;
      }
      res.writeHead(200, {
        ...headers,
        ...extra,
        'Content-Type': mimeType(file),
        'Content-Length': String(stat.size),
      });
      if (req.method === 'HEAD') return res.end();
      const stream = fs.createReadStream(file);
      // A file that cannot be read after all (removed, permissions changed): end this response, keep serving.
      stream.on('error', (readError) => {
        log(`Could not serve ${url.pathname}: ${readError.message}`);
        res.destroy(readError);
      });
      stream.pipe(res);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes ?? 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = parseRequestTarget(req.url);
    const ok =
      url !== null &&
      url.pathname === '/ws' &&
      hostAllowed(req.headers.host, port) &&
      originAllowed(req.headers.origin, port) &&
      tokenMatches(token, url.params.get('token'));
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      syncView();
      // A bad frame (over maxPayload: 1009; invalid UTF-8: 1007; a protocol violation: 1002) is reported
      // here; ws then closes this connection with that code. Without this listener it would crash the shell.
      ws.on('error', (error) => log(`WebSocket client dropped: ${error.message}`));
      ws.on('close', () => {
        sockets.delete(ws);
        views.delete(ws);
        syncView();
      });
      ws.on('message', (data) => void handleMessage(ws, data.toString()));
    });
  });

  async function handleMessage(ws: WebSocket, text: string): Promise<void> {
    const send = (reply: ReplyMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
    };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return send({ kind: 'reply', id: -1, ok: false, error: 'Invalid request: not JSON.' });
    }
    const parsed = parseRequest(raw);
    if (!parsed.ok) return send({ kind: 'reply', id: requestIdOf(raw), ok: false, error: parsed.error });
    const { id, command } = parsed.value;
    if (command.type === 'set-view') {
      views.set(ws, command.view);
      syncView();
      return send({ kind: 'reply', id, ok: true, result: null });
    }
    try {
      // The browser is never the host: absolute session paths stay refused.
      const result = await host.request(command, 'ui');
      send({ kind: 'reply', id, ok: true, result: result ?? null });
    } catch (error) {
      send({ kind: 'reply', id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  host.start();

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    host,
    async close() {
      for (const s of sockets) s.terminate();
      wss.close();
      const trainerGone = host.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await trainerGone;
    },
  };
}
