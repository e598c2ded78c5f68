// Issue #14 item 3 on the trainer side: the service resumes through the same recorded-run path as the CLI,
// so a session another process is writing is refused naming the holder, and the service's own recording
// holds the session lock until its run is reset.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendChoice } from '../../src/tf/backend';
import { readSessionLock } from '../../src/session/lock';
import { memoryPortPair } from '../../src/trainer/port';
import { TrainerService } from '../../src/trainer/service';
import { recordSynthetic, syntheticEvents } from '../session/helpers';
import { TestClient } from './client';
import { fakeFactory } from './fake-engine';

const backend: BackendChoice = {
  backend: 'cpu',
  forced: true,
  skipped: [],
  details: {},
  tfjsVersion: '4.22.0',
};

let root: string;
let sleeper: ChildProcess;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-service-lock-'));
  sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
});
afterAll(() => {
  sleeper.kill();
  fs.rmSync(root, { recursive: true, force: true });
});

function makeService(): { service: TrainerService; client: TestClient; resumed: string[] } {
  const { trainer, host } = memoryPortPair();
  const resumed: string[] = [];
  const factory = {
    ...fakeFactory(),
    resume: (opts: { prepared: { dir: string } }) => {
      resumed.push(opts.prepared.dir);
      return Promise.reject(new Error('the fake engine cannot resume'));
    },
  };
  const service = new TrainerService({
    port: trainer,
    factory,
    initBackend: async () => backend,
    describe: () => ({ envs: [], strategies: [], sequences: [], versions: { node: process.versions.node } }),
    sessionsRoot: root,
    resimulate: () => [],
  });
  return { service, client: new TestClient(host), resumed };
}

describe('TrainerService and the session lock', () => {
  it('refuses to resume a session another process is writing, naming it, before touching anything', async () => {
    const dir = await recordSynthetic(
      path.join(root, 'held'),
      syntheticEvents({ complete: false }).slice(0, 9),
    );
    fs.writeFileSync(
      path.join(dir, 'session.lock'),
      JSON.stringify({ pid: sleeper.pid, host: os.hostname(), startedAt: '2025-01-02T03:04:05.000Z' }),
    );
    const before = fs.readFileSync(path.join(dir, 'events.ndjson'));
    const { service, client, resumed } = makeService();
    try {
      const r = await client.send({ type: 'resume-session', dir: 'held' });
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(new RegExp(`being written by process ${sleeper.pid} on ${os.hostname()}`));
      expect(resumed).toEqual([]);
      expect(fs.readFileSync(path.join(dir, 'events.ndjson'))).toEqual(before);
    } finally {
      service.close();
    }
  });

  it('holds the lock of the session it records until the run is reset', async () => {
    const { service, client } = makeService();
    try {
      const started = (await client.ok({
        type: 'start',
        sequence: 'fake-grid',
        strategy: 'finetune',
        seed: 1,
        record: true,
      })) as { sessionDir: string };
      await client.waitFor(() => fs.existsSync(path.join(started.sessionDir, 'session.json')));
      expect(readSessionLock(started.sessionDir)?.pid).toBe(process.pid);
      await client.ok({ type: 'reset' });
      expect(readSessionLock(started.sessionDir)).toBeNull();
    } finally {
      service.close();
    }
  });
});
