// A long hand-steered run, scripted through the protocol: 100 manual switches on a 4-task sequence with the
// real engine. Every `metrics` event stays valid (no 64-row cap) and the last one equals the fold of the
// run's own events (src/session/run-scores.ts): one row per stage, one column per distinct task.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/session/events';
import { scoresFromEvents, scoresSummary } from '../../src/session/run-scores';
import { memoryPortPair } from '../../src/trainer/port';
import { createRunnerEngineFactory } from '../../src/trainer/runner-engine';
import { TrainerService } from '../../src/trainer/service';
import { TestClient } from './client';
import { testServiceOptions } from './in-process';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-100-switches-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const DQN = { hiddenSizes: [8], batchSize: 8, bufferSize: 300, learningStarts: 10, targetUpdateInterval: 50 };
const TASKS = ['GoalNE', 'GoalNW', 'GoalSE', 'GoalSW'].map((g) => ({
  env: `Grid-FourRooms-${g}-v0`,
  steps: 5000,
  label: g,
}));

describe('100 manual switches through the protocol', () => {
  it('keeps a correct R matrix and metrics', async () => {
    const { trainer, host } = memoryPortPair();
    const service = new TrainerService(testServiceOptions(trainer, root, createRunnerEngineFactory()));
    const client = new TestClient(host);
    try {
      await client.ok({
        type: 'start',
        sequence: { tasks: TASKS },
        strategy: 'finetune',
        seed: 1,
        record: false,
        config: { dqn: DQN, evalEvery: 1000, evalEpisodes: 1, recordEvalEpisodes: 0 },
      });
      await client.ok({ type: 'pause' });
      const stageEnds = (): number =>
        client.of('run-event').filter((e) => e.event.type === 'task-end').length;
      for (let i = 0; i < 100; i++) {
        // Train a few steps (paused: `step` trains them and pauses again), then switch to the next task.
        await client.ok({ type: 'step', steps: 4 });
        await client.ok({ type: 'switch-task', index: (i + 1) % 4 });
      }
      await client.waitFor(() => stageEnds() >= 100, 30_000);
      await client.ok({ type: 'reset' });
      await client.waitFor(() => client.of('run-event').some((e) => e.event.type === 'run-end'), 30_000);
      expect(client.invalid).toEqual([]);
      const events: RunEvent[] = client.of('run-event').map((e) => e.event);
      const truth = scoresSummary(scoresFromEvents(events));
      expect(truth.rows.length).toBeGreaterThanOrEqual(100);
      expect(truth.columns.map((c) => c.label)).toEqual(['GoalNE', 'GoalNW', 'GoalSE', 'GoalSW']);
      expect(truth.rows.filter((r) => r.source === 'manual').length).toBeGreaterThanOrEqual(99);
      const end = events.find((e) => e.type === 'run-end')!;
      const m = end.type === 'run-end' ? end.metrics : {};
      expect(m.acc).toBe(truth.acc);
      expect(m.forgetting).toBe(truth.forgetting);
      expect(m.matrix).toEqual(truth.matrix);
      // The trainer's metrics events (what an older UI read) carry the whole matrix, past 64 rows.
      const metrics = client.of('metrics');
      const biggest = metrics.reduce((a, b) => (b.matrix.length > a.matrix.length ? b : a));
      expect(biggest.matrix.length).toBeGreaterThan(64);
      expect(biggest.stageTasks).toEqual(truth.stageTasks.slice(0, biggest.matrix.length));
      expect(client.of('error')).toEqual([]);
    } finally {
      service.close();
    }
  }, 180_000);
});
