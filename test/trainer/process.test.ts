// The real trainer process (src/trainer/main.ts, forked through tsx) with the real ContinualRunner: info,
// a short recorded gridworld run with a manual switch, playback of the recording, export, and resume.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forkTrainer } from '../../src/trainer/fork';
import { TrainerHost } from '../../src/trainer/host';
import type { LabEvent } from '../../src/protocol/messages';
import { openSession } from '../../src/session/reader';

let tmp: string;
let host: TrainerHost;
const events: LabEvent[] = [];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-trainer-proc-'));
  host = new TrainerHost({
    spawn: () => forkTrainer({ args: ['--sessions-dir', tmp], env: { LAB_BACKEND: 'cpu' } }),
    onEvents: (batch) => events.push(...batch),
  });
  host.start();
});

afterAll(async () => {
  await host.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function until(what: string, predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const lastStatus = () => events.filter((e) => e.type === 'status').at(-1)?.status;

it('trains, records, switches, plays back, exports and resumes through the real trainer process', async () => {
  const info = await host.request({ type: 'get-info' });
  expect(info.backend.backend).toBe('cpu');
  expect(info.envs.some((e) => e.id === 'Grid-Empty-6x6-v0')).toBe(true);
  expect(info.strategies.find((s) => s.name === 'ewc')?.usesLambda).toBe(true);

  const sequence = {
    tasks: [
      { env: 'Grid-Empty-6x6-v0', steps: 150, label: 'Empty' },
      { env: 'Grid-FourRooms-GoalNE-v0', steps: 150, label: 'Rooms' },
    ],
  };
  const config = { evalEvery: 1_000_000, evalEpisodes: 1, dqn: { learningStarts: 50, hiddenSizes: [16] } };
  const { sessionDir } = await host.request({
    type: 'start',
    sequence,
    strategy: 'ewc',
    lambda: 10,
    seed: 3,
    record: true,
    config,
  });
  expect(sessionDir).toContain(tmp);
  await until('a frame', () => events.some((e) => e.type === 'frame'));
  await host.request({ type: 'pause' });
  await host.request({ type: 'switch-task', index: 1 });
  expect(lastStatus()?.label).toBe('Rooms');
  await host.request({ type: 'set-lambda', value: 20 });
  await host.request({ type: 'resume' });
  await until('the run to finish', () => lastStatus()?.done === true, 120_000);

  const session = openSession(sessionDir!);
  expect(session.complete).toBe(true);
  expect(session.events.some((e) => e.type === 'task-start' && e.source === 'manual' && e.task === 1)).toBe(
    true,
  );
  expect(
    session.events.some((e) => e.type === 'param-change' && e.what === 'strategy.lambda' && e.value === 20),
  ).toBe(true);
  expect(session.checkpoints.length).toBeGreaterThan(0);

  const name = path.basename(sessionDir!);
  const opened = await host.request({ type: 'open-session', dir: name });
  expect(opened.lastStep).toBe(session.lastStep);
  const frame = await host.request({ type: 'playback-seek', step: opened.lastStep });
  expect(frame.snapshots.length).toBeGreaterThan(1);
  expect(frame.snapshots[0]!.kind).toBe('Gridworld');
  const exported = await host.request({ type: 'export-session', dir: name, format: 'json' });
  expect(exported.name).toBe(`${name}.json`);
  expect(JSON.parse(exported.files[0]!.text)).toMatchObject({ session: name, lastStep: session.lastStep });
  const csv = await host.request({ type: 'export-session', dir: name, format: 'csv' });
  expect(csv.name).toBe(`${name}-csv.zip`);
  expect(csv.files.map((f) => f.name)).toEqual([
    'episodes.csv',
    'evals.csv',
    'matrix.csv',
    'tasks.csv',
    'metrics.csv',
  ]);
  expect(csv.files[1]!.text.split('\n')[0]).toBe('step,task,label,mean,normalized,episodes');
  expect(fs.existsSync(path.join(sessionDir!, 'exports'))).toBe(false); // the session stays as recorded
  await expect(host.request({ type: 'resume-session', dir: name })).rejects.toThrow(/already finished/);

  // A run stopped by Reset resumes from its last checkpoint in the same session.
  const mark = events.length;
  const second = await host.request({
    type: 'start',
    // A longer second task, so the run is still going when Reset arrives (the first task ends after 150 steps).
    sequence: { tasks: [sequence.tasks[0]!, { ...sequence.tasks[1]!, steps: 5000 }] },
    strategy: 'finetune',
    seed: 4,
    record: true,
    config,
  });
  await until('the first task of the second run to end', () =>
    events.slice(mark).some((e) => e.type === 'run-event' && e.event.type === 'task-end'),
  );
  await host.request({ type: 'reset' });
  const beforeResume = events.length;
  const resumed = await host.request({ type: 'resume-session', dir: path.basename(second.sessionDir!) });
  expect(resumed.sessionDir).toBe(second.sessionDir);
  // The UI first gets the session's events up to the checkpoint: run-start, …, the first task's end.
  const restored = events.slice(beforeResume).find((e) => e.type === 'run-restored');
  if (restored?.type !== 'run-restored') throw new Error('no run-restored event before the resumed run');
  expect(restored.events[0]!.type).toBe('run-start');
  expect(restored.events.some((e) => e.type === 'task-end')).toBe(true);
  expect(restored.events.at(-1)!.type).toBe('checkpoint');
  await until(
    'the resumed run to finish',
    () => lastStatus()?.done === true && lastStatus()?.sessionDir === second.sessionDir,
    120_000,
  );
  const after = openSession(second.sessionDir!);
  expect(after.complete).toBe(true);
  expect(after.manifest.resumes).toHaveLength(1);
}, 240_000);
