// TrainerService over an in-memory port with a fake engine: commands, validation, pacing, recording, playback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resimulateAll } from '../../src/session/resimulate';
import { openSession } from '../../src/session/reader';
import { memoryPortPair } from '../../src/trainer/port';
import { MAX_SPEED_FRAME_MS, TrainerService } from '../../src/trainer/service';
import type { BackendChoice } from '../../src/tf/backend';
import { PROTOCOL_VERSION, type StartCommand } from '../../src/protocol/messages';
import { fakeFactory } from './fake-engine';
import { TestClient } from './client';

const backend: BackendChoice = {
  backend: 'cpu',
  forced: true,
  skipped: [],
  details: {},
  tfjsVersion: '4.22.0',
};
const START: StartCommand = {
  type: 'start',
  sequence: 'fake-grid',
  strategy: 'finetune',
  seed: 1,
  record: true,
};

let root: string;
let service: TrainerService;
let client: TestClient;
let factory: ReturnType<typeof fakeFactory>;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-trainer-'));
  const { trainer, host } = memoryPortPair();
  factory = fakeFactory();
  service = new TrainerService({
    port: trainer,
    factory,
    initBackend: async () => backend,
    describe: () => ({ envs: [], strategies: [], sequences: [], versions: { node: process.versions.node } }),
    sessionsRoot: root,
    resimulate: (e) => resimulateAll(e).frames.map((f) => f.snapshot),
  });
  client = new TestClient(host);
});

afterEach(() => {
  service.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('TrainerService', () => {
  it('announces ready with the backend and answers get-info', async () => {
    await client.waitFor(() => client.of('ready').length > 0);
    expect(client.of('ready')[0]!.backend.backend).toBe('cpu');
    const info = (await client.ok({ type: 'get-info' })) as { sessionsRoot: string; protocol: number };
    expect(info.sessionsRoot).toBe(root);
    expect(info.protocol).toBe(PROTOCOL_VERSION);
  });

  it('answers invalid requests with a clear error naming the field, and keeps working', async () => {
    const bad = await client.raw(
      { kind: 'request', id: 7, origin: 'ui', command: { type: 'start', seed: 'x' } },
      7,
    );
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/Invalid request: command/);
    const unknown = await client.raw(
      { kind: 'request', id: 8, origin: 'ui', command: { type: 'format-disk' } },
      8,
    );
    expect(unknown.ok).toBe(false);
    const noRun = await client.send({ type: 'pause' });
    expect(noRun).toEqual({ ok: false, error: 'Cannot pause: no run is active (start one first).' });
    expect(await client.ok({ type: 'get-info' })).toBeTruthy();
  });

  it('trains to the end, sends throttled frames, multiples, status and metrics, and records the session', async () => {
    const res = (await client.ok(START)) as { sessionDir: string | null };
    await client.waitFor(() => client.of('status').some((s) => s.status.done));
    expect(res.sessionDir).toContain(root);
    const runEvents = client.of('run-event').map((e) => e.event.type);
    expect(runEvents[0]).toBe('run-start');
    expect(runEvents).toContain('task-end');
    expect(runEvents.at(-1)).toBe('run-end');
    expect(client.of('frame').length).toBeGreaterThan(0);
    // Gridworld frames carry the greedy-policy map (the fake policy always answers 2), −1 on walls.
    const frame = client.of('frame')[0]!;
    if (frame.snapshot.kind !== 'Gridworld') throw new Error('expected a gridworld frame');
    expect(frame.policy).toHaveLength(frame.snapshot.width * frame.snapshot.height);
    expect(new Set(frame.policy)).toEqual(new Set([-1, 2]));
    expect(client.of('multiples')[0]!.frames).toHaveLength(2);
    expect(client.of('metrics').length).toBeGreaterThan(0);
    // Recorded: events, a checkpoint after each task, the run-end.
    const session = openSession(res.sessionDir!);
    expect(session.complete).toBe(true);
    expect(session.checkpoints.length).toBe(2);
    expect(session.events.filter((e) => e.type === 'task-start')).toHaveLength(2);
  });

  it('gives a page that connects mid-run every run event so far (get-run), and none once reset', async () => {
    expect(await client.ok({ type: 'get-run' })).toBeNull();
    expect(client.of('run-restored')).toEqual([]); // no run: nothing to restore
    await client.ok({ ...START, record: false });
    await client.waitFor(() => client.of('run-event').some((e) => e.event.type === 'task-end'));
    await client.ok({ type: 'pause' });
    const before = client.of('run-event').map((e) => e.event);
    expect(await client.ok({ type: 'get-run' })).toBeNull();
    // On the event stream: exactly what was forwarded to the UI so far, in order, from run-start on.
    await client.waitFor(() => client.of('run-restored').length === 1);
    const { events } = client.of('run-restored')[0]!;
    expect(events).toEqual(before);
    expect(events[0]!.type).toBe('run-start');
    // The metrics follow, so a page that just connected can fill its tiles and R matrix.
    const metricsBefore = client.of('metrics').length;
    await client.waitFor(() => client.of('metrics').length > metricsBefore);
    await client.ok({ type: 'reset' });
    await client.ok({ type: 'get-run' });
    expect(client.of('run-restored')).toHaveLength(1);
  });

  it('throttles frames to 10 per second at max speed', async () => {
    await client.ok({
      ...START,
      sequence: { tasks: [{ env: 'Grid-Empty-6x6-v0', steps: 1_000_000_000 }] },
      record: false,
    });
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 600));
    const elapsed = (Date.now() - t0) / 1000;
    const frames = client.of('frame').length;
    expect(frames).toBeLessThanOrEqual(Math.ceil((elapsed * 1000) / MAX_SPEED_FRAME_MS) + 2);
    expect(frames).toBeGreaterThan(2);
    const steps = client.of('status').at(-1)!.status.step;
    expect(steps).toBeGreaterThan(frames * 10); // the trainer is not throttled by the view
  });

  it('coalesces the events of one loop turn into one message', async () => {
    await client.ok({ ...START, record: false });
    await client.waitFor(() => client.of('status').some((s) => s.status.done));
    expect(client.invalid).toEqual([]);
    expect(Math.max(...client.batches)).toBeGreaterThan(1);
    expect(client.batches.length).toBeLessThan(client.events.length);
  });

  it('computes only what the UI shows: set-view turns frames, multiples and the overlay off and on', async () => {
    await client.ok({
      ...START,
      sequence: { tasks: [{ env: 'Grid-Empty-6x6-v0', steps: 1e9 }] },
      record: false,
    });
    await client.waitFor(() => client.of('frame').length > 0 && client.of('multiples').length > 0);
    await client.ok({ type: 'set-view', view: { live: false, multiples: false, overlay: false } });
    const frames = client.of('frame').length;
    const multiples = client.of('multiples').length;
    const statuses = client.of('status').length;
    await new Promise((r) => setTimeout(r, 400));
    expect(client.of('frame').length).toBe(frames);
    expect(client.of('multiples').length).toBe(multiples);
    expect(client.of('status').length).toBeGreaterThan(statuses); // status still flows
    // The live view without the overlay: frames without Q-values or the policy map.
    await client.ok({ type: 'set-view', view: { live: true, multiples: false, overlay: false } });
    await client.waitFor(() => client.of('frame').length > frames + 2);
    const plain = client.of('frame').slice(frames);
    expect(plain.every((f) => f.qValues === undefined && f.policy === undefined)).toBe(true);
    expect(client.of('multiples').length).toBe(multiples);
    // Paused, turning the overlay on sends one frame with it at once.
    await client.ok({ type: 'pause' });
    const paused = client.of('frame').length;
    await client.ok({ type: 'set-view', view: { live: true, multiples: true, overlay: true } });
    await client.waitFor(() => client.of('frame').length > paused);
    expect(client.of('frame').at(-1)!.policy).toBeDefined();
    await client.waitFor(() => client.of('multiples').length > multiples);
  });

  it('pauses, steps once, switches task manually, resumes and resets', async () => {
    await client.ok({
      ...START,
      sequence: {
        tasks: [
          { env: 'Grid-Empty-6x6-v0', steps: 1e9 },
          { env: 'Grid-DoorKey-v0', steps: 1e9 },
        ],
      },
    });
    await client.ok({ type: 'pause' });
    await client.waitFor(() => client.of('status').at(-1)!.status.paused);
    const before = client.of('status').at(-1)!.status.step;
    await new Promise((r) => setTimeout(r, 50));
    await client.ok({ type: 'step' });
    const after = client.of('status').at(-1)!.status.step;
    expect(after).toBe(before + 1);
    await client.ok({ type: 'switch-task', index: 1 });
    expect(client.of('status').at(-1)!.status.label).toBe('Grid-DoorKey-v0');
    const manual = client
      .of('run-event')
      .filter((e) => e.event.type === 'task-start' && e.event.source === 'manual');
    expect(manual).toHaveLength(1);
    const bad = await client.send({ type: 'switch-task', index: 5 });
    expect(bad.error).toMatch(/no task 5/);
    await client.ok({ type: 'marker', label: 'look here' });
    await client.ok({ type: 'set-lambda', value: 400 });
    expect(factory.engines[0]!.calls).toContain('param lambda=400');
    await client.ok({ type: 'resume' });
    await client.ok({ type: 'reset' });
    expect(factory.engines[0]!.calls.slice(-2)).toEqual(['stop', 'dispose']);
    const last = client.of('status').at(-1)!.status;
    expect(last.running).toBe(false);
    const dir = client.of('status').find((s) => s.status.sessionDir)!.status.sessionDir!;
    const session = openSession(dir);
    expect(session.events.some((e) => e.type === 'marker' && e.label === 'look here')).toBe(true);
    expect(session.events.at(-1)).toMatchObject({ type: 'run-end', reason: 'stopped' });
  });

  it('paces real-time runs at the env rate (gridworld: 10 steps/s)', async () => {
    await client.ok({ type: 'set-speed', speed: { mode: 'realtime' } });
    await client.ok({
      ...START,
      sequence: { tasks: [{ env: 'Grid-Empty-6x6-v0', steps: 1e9 }] },
      record: false,
    });
    await new Promise((r) => setTimeout(r, 550));
    await client.ok({ type: 'pause' });
    const step = client.of('status').at(-1)!.status.step;
    expect(step).toBeGreaterThanOrEqual(4);
    expect(step).toBeLessThanOrEqual(8);
  });

  it('pauses with an error event when a chunk fails, and keeps the recording', async () => {
    await client.ok({ ...START, sequence: { tasks: [{ env: 'Grid-Empty-6x6-v0', steps: 1e9 }] } });
    factory.engines[0]!.failNext = true;
    await client.waitFor(() => client.of('error').length > 0);
    expect(client.of('error')[0]!.message).toBe('Training stopped: fake failure');
    expect(client.of('status').at(-1)!.status.paused).toBe(true);
  });

  it('lists, opens and plays back a recorded session; refuses paths outside the sessions root', async () => {
    const { sessionDir } = (await client.ok(START)) as { sessionDir: string };
    await client.waitFor(() => client.of('status').some((s) => s.status.done));
    const list = (await client.ok({ type: 'list-sessions' })) as { dir: string; status: string }[];
    expect(list).toHaveLength(1);
    expect(list[0]!.dir).toBe(path.basename(sessionDir));
    expect(list[0]!.status).toBe('finished');
    const opened = (await client.ok({ type: 'open-session', dir: list[0]!.dir })) as {
      lastStep: number;
      episodeSteps: number[];
    };
    expect(opened.lastStep).toBe(400);
    expect(opened.episodeSteps.length).toBe(4);
    const frame = (await client.ok({ type: 'playback-seek', step: 250 })) as {
      episodeStep: number;
      task: number;
      snapshots: unknown[];
    };
    expect(frame.episodeStep).toBe(200);
    expect(frame.task).toBe(1); // the task being trained at the cursor
    expect(frame.snapshots.length).toBeGreaterThan(1);
    const early = (await client.ok({ type: 'playback-seek', step: 10 })) as { episodeStep: number | null };
    expect(early.episodeStep).toBeNull();
    for (const dir of ['../x', '/etc', '..', 'a/b', '.hidden']) {
      const r = await client.send({ type: 'open-session', dir });
      expect(r.ok, dir).toBe(false);
      expect(r.error).toMatch(/is not a session name/);
    }
    // The host itself may open an absolute folder (Electron's file dialog).
    expect((await client.send({ type: 'open-session', dir: sessionDir }, 'host')).ok).toBe(true);
  });
});
