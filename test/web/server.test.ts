// The web shell's server: token on every request and on the WebSocket, loopback only, Host and Origin checks,
// security headers, path traversal, the validated WebSocket bridge to a (fake, in-process) trainer, coalesced
// event messages, and the merging of the pages' view demands.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebShell, type WebShell } from '../../src/web/server';
import { createWsTransport, type SocketLike } from '../../renderer/lab-api/ws-client';
import { createLabApi } from '../../src/protocol/lab-api';
import { PROTOCOL_VERSION, type LabEvent, type ViewDemand } from '../../src/protocol/messages';
import { mergeViews } from '../../src/web/views';
import { inProcessTrainer } from '../trainer/in-process';

let tmp: string;
let shell: WebShell;
let children: ReturnType<typeof inProcessTrainer>[];

function get(
  urlPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: shell.port, path: urlPath, method, headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function openSocket(query: string, origin = `http://127.0.0.1:${shell.port}`): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${shell.port}/ws${query}`, { origin });
}

function rejected(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
    ws.on('error', () => undefined);
  });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-web-'));
  const site = path.join(tmp, 'site');
  fs.mkdirSync(path.join(site, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>lab</title>');
  fs.writeFileSync(path.join(site, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'top secret');
  fs.mkdirSync(path.join(tmp, 'sessions'));
  children = [];
  shell = await startWebShell({
    staticDir: site,
    port: 0,
    spawnTrainer: () => {
      const c = inProcessTrainer(path.join(tmp, 'sessions'));
      children.push(c);
      return c;
    },
    log: () => undefined,
  });
});

afterAll(async () => {
  await shell.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('web shell HTTP', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('refuses requests without the token, with a wrong token, or with a foreign Host header', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    expect((await get('/assets/app.js')).status).toBe(403);
    expect((await get(`/?token=${shell.token}`, { Host: `localhost:${shell.port}` })).status).toBe(403);
    expect((await get(`/?token=${shell.token}`, { Host: `evil.example:${shell.port}` })).status).toBe(403);
  });

  it('serves the page with the token, sets an HttpOnly cookie and strict security headers', async () => {
    const res = await get(`/?token=${shell.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>lab</title>');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${shell.port}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // A per-port cookie with a page key, never the token itself (cookies go to every port of 127.0.0.1).
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(
      new RegExp(`^lab_page_${shell.port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict`),
    );
    expect(setCookie).not.toContain(shell.token);
    const cookie = setCookie.split(';')[0]!;
    // The page's own asset requests (and a reload) carry the cookie instead of the query.
    const asset = await get('/assets/app.js', { Cookie: cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await get('/', { Cookie: cookie })).status).toBe(200);
    // The token as a cookie (the old scheme) opens nothing; neither does the page cookie open the WebSocket.
    expect((await get('/assets/app.js', { Cookie: `lab_token=${shell.token}` })).status).toBe(403);
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws`, {
      origin: `http://127.0.0.1:${shell.port}`,
      headers: { Cookie: cookie },
    });
    expect(await rejected(ws)).toBe(403);
  });

  it('refuses path traversal in every spelling', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/%00',
      '/assets/',
      '/.hidden',
    ]) {
      const res = await get(`${p}${p.includes('?') ? '&' : '?'}token=${shell.token}`);
      expect(res.status, p).toBe(404);
      expect(res.body).not.toContain('top secret');
    }
  });

  it('answers a request target that is not a URL path with 400 and keeps serving (it used to crash)', async () => {
    for (const target of ['/\\/%zz%*/assets/', '//evil.example/x', '/\\/[::1', '*']) {
      const res = await get(`${target}?token=${shell.token}`);
      expect([400, 404], target).toContain(res.status);
    }
    expect((await get(`/?token=${shell.token}`)).status).toBe(200);
  });

  it('allows only GET and HEAD', async () => {
    expect((await get(`/?token=${shell.token}`, {}, 'POST')).status).toBe(405);
    expect((await get(`/?token=${shell.token}`, {}, 'HEAD')).status).toBe(200);
  });

  it('listens on 127.0.0.1 only', async () => {
    const refused = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: '::1', port: shell.port, path: '/' }, () => resolve(false));
      req.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});

describe('web shell WebSocket', () => {
  it('refuses the upgrade without the token or from a foreign origin (403)', async () => {
    expect(await rejected(openSocket(''))).toBe(403);
    expect(await rejected(openSocket('?token=nope'))).toBe(403);
    expect(await rejected(openSocket(`?token=${shell.token}`, 'http://evil.example'))).toBe(403);
  });

  it('answers invalid messages with a clear error and keeps the connection', async () => {
    const ws = openSocket(`?token=${shell.token}`);
    const replies: { id: number; ok: boolean; error?: string }[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { kind: string; id: number; ok: boolean; error?: string };
      if (m.kind === 'reply') replies.push(m);
    });
    await new Promise((r) => ws.on('open', r));
    ws.send('not json');
    ws.send(
      JSON.stringify({ kind: 'request', id: 5, origin: 'ui', command: { type: 'switch-task', index: -1 } }),
    );
    ws.send(
      JSON.stringify({
        kind: 'request',
        id: 6,
        origin: 'host',
        command: { type: 'open-session', dir: '/etc' },
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(replies[0]).toMatchObject({ id: -1, ok: false, error: 'Invalid request: not JSON.' });
    expect(replies[1]).toMatchObject({ id: 5, ok: false });
    expect(replies[1]!.error).toMatch(/command\.index/);
    // The browser cannot claim to be the host: absolute paths stay refused.
    expect(replies[2]).toMatchObject({ id: 6, ok: false });
    expect(replies[2]!.error).toMatch(/not a session name/);
    ws.close();
  });

  it('tells the trainer what the open pages show: the union, nothing when no page is open', async () => {
    const trainer = children.at(-1)!;
    const lastView = (): ViewDemand | undefined =>
      (
        trainer.received.filter(
          (m) => (m as { command?: { type?: string } }).command?.type === 'set-view',
        ) as { command: { view: ViewDemand } }[]
      ).at(-1)?.command.view;
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 60));
    const none = { live: false, multiples: false, overlay: false };
    const all = { live: true, multiples: true, overlay: true };
    const a = openSocket(`?token=${shell.token}`);
    const labA = createLabApi('web', createWsTransport(a as unknown as SocketLike));
    await labA.getInfo();
    await settle();
    expect(lastView()).toEqual(all); // a page that has not said shows everything
    await labA.setView(none);
    await settle();
    expect(lastView()).toEqual(none);
    const b = openSocket(`?token=${shell.token}`);
    await new Promise((r) => b.on('open', r));
    await settle();
    expect(lastView()).toEqual(all);
    b.close();
    await settle();
    expect(lastView()).toEqual(none);
    await labA.setView({ live: true, multiples: false, overlay: true });
    await settle();
    expect(lastView()).toEqual({ live: true, multiples: false, overlay: true });
    a.close();
    await settle();
    expect(lastView()).toEqual(none);
    // The overlay counts only where the live view is shown.
    expect(
      mergeViews([
        { live: false, multiples: true, overlay: true },
        { ...all, overlay: false },
      ]),
    ).toEqual({
      live: true,
      multiples: true,
      overlay: false,
    });
  });

  it('coalesces the events of one loop turn into one WebSocket message', async () => {
    const ws = openSocket(`?token=${shell.token}`);
    const kinds: string[] = [];
    ws.on('message', (d) => kinds.push((JSON.parse(d.toString()) as { kind: string }).kind));
    const lab = createLabApi('web', createWsTransport(ws as unknown as SocketLike));
    await lab.start({ sequence: 'fake-grid', strategy: 'finetune', seed: 2, record: false });
    await new Promise((r) => setTimeout(r, 300));
    await lab.reset();
    expect(kinds).toContain('events');
    ws.close();
  });

  it('bridges the LabApi (ws-client) to the trainer: info, start, events, crash and restart', async () => {
    const socket = openSocket(`?token=${shell.token}`);
    const lab = createLabApi('web', createWsTransport(socket as unknown as SocketLike));
    const events: LabEvent[] = [];
    lab.onEvent((e) => events.push(e));
    const info = await lab.getInfo();
    expect(info.versions.app).toBe('test');
    await lab.start({ sequence: 'fake-grid', strategy: 'finetune', seed: 3, record: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(events.some((e) => e.type === 'frame')).toBe(true);
    expect(events.some((e) => e.type === 'run-event' && e.event.type === 'run-start')).toBe(true);
    await expect(lab.switchTask(9)).rejects.toThrow(/no task 9/);
    // Crash the trainer: the UI hears trainer-exit, commands fail clearly until restart.
    await lab.reset();
    children.at(-1)!.kill();
    await new Promise((r) => setTimeout(r, 50));
    const exit = events.find((e) => e.type === 'trainer-exit');
    expect(exit).toBeTruthy();
    await expect(lab.pause()).rejects.toThrow(/not running/);
    await lab.restartTrainer();
    expect((await lab.getInfo()).protocol).toBe(PROTOCOL_VERSION);
    expect(children).toHaveLength(2);
    const sessions = await lab.listSessions();
    expect(sessions).toHaveLength(1);
    socket.close();
  });
});
