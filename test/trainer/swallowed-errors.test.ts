// Failures are not swallowed (#14 item 9): RunnerEngine.liveFrame gives a frame before the first step (no
// exception to hide there) and lets a real failure through, so the trainer service pauses with "Training
// stopped: …" (its loop's one failure path, test/trainer/service.test.ts) instead of silently showing a
// frozen view; listing sessions tells an unreadable sessions folder from one that does not exist yet.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { listSessions } from '../../src/session/reader';
import type { StartCommand } from '../../src/protocol/messages';
import { createRunnerEngineFactory } from '../../src/trainer/runner-engine';

const START: StartCommand = {
  type: 'start',
  sequence: { tasks: [{ env: 'CartPole-v1', steps: 50 }] },
  strategy: 'finetune',
  seed: 1,
  record: false,
};

it('gives a frame before the first step and reports a failing frame instead of dropping it', async () => {
  const engine = await createRunnerEngineFactory().create({
    start: START,
    observer: { onEvent: () => undefined },
    backend: { backend: 'cpu', forced: true, skipped: [], details: {}, tfjsVersion: '4.22.0' },
  });
  try {
    const first = engine.liveFrame(true);
    expect(first?.snapshot.kind).toBe('CartPole');
    expect(first?.qValues).toHaveLength(2);
    // Break what the frame needs (the agent's forward pass): the error reaches the caller.
    const runner = (engine as unknown as { runner: { agent: { qValues: () => unknown } } }).runner;
    runner.agent.qValues = () => {
      throw new Error('Q-values failed');
    };
    expect(() => engine.liveFrame(true)).toThrow('Q-values failed');
  } finally {
    engine.dispose();
  }
});

it('listing sessions: no folder yet is an empty list, a root that cannot be read is an error naming it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-list-'));
  try {
    expect(listSessions(path.join(dir, 'not-yet'))).toEqual([]);
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
    expect(() => listSessions(file)).toThrow(`Cannot list the sessions in ${file}: ENOTDIR.`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
