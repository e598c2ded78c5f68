// End-to-end on a tiny two-task gridworld run (seconds): events, metrics, determinism, checkpoint/resume,
// manual switches, run-time parameters and the UI helpers.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ContinualRunner } from '../../src/continual/runner';
import { runEventSchema, type RunEvent } from '../../src/session/events';
import { resimulateAll } from '../../src/session/resimulate';
import { tinyConfig } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function collect(): { events: RunEvent[]; observer: { onEvent(e: RunEvent): void } } {
  const events: RunEvent[] = [];
  return { events, observer: { onEvent: (e) => events.push(e) } };
}

async function runToEnd(runner: ContinualRunner): Promise<void> {
  while (await runner.advance(100));
}

const withoutTime = (events: RunEvent[]) => events.map((e) => ({ ...e, t: 0 }));

describe('ContinualRunner', () => {
  it('emits valid events in order and computes the metrics', async () => {
    const { events, observer } = collect();
    const runner = new ContinualRunner(tinyConfig('ewc'), observer);
    await runToEnd(runner);
    for (const e of events)
      expect(runEventSchema.safeParse(e).success, JSON.stringify(e).slice(0, 200)).toBe(true);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run-start');
    expect(types.at(-1)).toBe('run-end');
    expect(types.filter((t) => t === 'task-start')).toHaveLength(2);
    expect(types.filter((t) => t === 'task-end')).toHaveLength(2);
    // Rounds: baseline at 0, periodic at 100, stage end at 120, periodic at 200, stage end at 240 → 5 × 2 tasks.
    const evals = events.filter((e) => e.type === 'eval');
    expect(evals).toHaveLength(10);
    expect(evals.map((e) => e.step)).toEqual([0, 0, 100, 100, 120, 120, 200, 200, 240, 240]);
    const episodes = events.filter((e) => e.type === 'eval-episode');
    expect(episodes).toHaveLength(10);
    // Seed + actions re-simulate each recorded evaluation episode exactly (the sessions helper's replayer).
    for (const ep of episodes) expect(resimulateAll(ep).matchesRecorded).toBe(true);
    const r = runner.result();
    expect(r.matrix).toHaveLength(2);
    expect(r.matrix[0]).toHaveLength(2);
    expect(r.stageTasks).toEqual([0, 1]);
    expect(r.envSteps).toBe(240);
    const end = events.at(-1)!;
    expect(end.type === 'run-end' && end.reason).toBe('finished');
    expect(end.type === 'run-end' && end.metrics.acc).toBe(r.acc);
    expect(runner.status().done).toBe(true);
    expect(await runner.advance(10)).toBe(false);
    runner.dispose();
  });

  it('is deterministic for a seed', async () => {
    const a = collect();
    const b = collect();
    const ra = new ContinualRunner(tinyConfig('rehearsal'), a.observer);
    const rb = new ContinualRunner(tinyConfig('rehearsal'), b.observer);
    await runToEnd(ra);
    await runToEnd(rb);
    expect(withoutTime(b.events)).toEqual(withoutTime(a.events));
    ra.dispose();
    rb.dispose();
  });

  // 120 = exactly the end of stage 1; 57 = in the middle of a training episode, which the checkpoint rebuilds.
  for (const [where, at] of [
    ['a stage-end', 120],
    ['a mid-episode', 57],
  ] as const) {
    it(`resumes from ${where} checkpoint to exactly the same run`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-ckpt-'));
      const a = collect();
      const ra = new ContinualRunner(tinyConfig('ewc+rehearsal'), a.observer);
      await ra.advance(at);
      if (at === 57) expect(ra.currentEpisode().episodeStep).toBeGreaterThan(0); // really mid-episode
      await ra.saveCheckpoint(dir);
      const cut = a.events.length;
      await runToEnd(ra);
      const b = collect();
      const rb = await ContinualRunner.resume(dir, b.observer);
      expect(rb.status().step).toBe(at);
      await runToEnd(rb);
      expect(withoutTime(b.events)).toEqual(withoutTime(a.events.slice(cut)));
      expect(rb.result().matrix).toEqual(ra.result().matrix);
      ra.dispose();
      rb.dispose();
      fs.rmSync(dir, { recursive: true });
    });
  }

  it('records a manual switch like a scheduled one and keeps the schedule going', async () => {
    const { events, observer } = collect();
    const runner = new ContinualRunner(tinyConfig('finetune'), observer);
    await runner.advance(50);
    runner.switchTask(1);
    const starts = events.filter((e) => e.type === 'task-start');
    expect(starts.at(-1)).toMatchObject({ task: 1, source: 'manual', from: 0 });
    expect(events.filter((e) => e.type === 'task-end')).toHaveLength(1);
    expect(runner.schedule().map((s) => [s.task, s.steps, s.source])).toEqual([
      [0, 50, 'scheduled'],
      [1, 120, 'manual'],
      [1, 120, 'scheduled'],
    ]);
    await runToEnd(runner);
    expect(runner.result().stageTasks).toEqual([0, 1, 1]);
    expect(() => runner.switchTask(0)).toThrow(/finished/);
    runner.dispose();
  });

  it('changes strategy and env parameters at run time, with events', async () => {
    const { events, observer } = collect();
    const runner = new ContinualRunner(tinyConfig('ewc'), observer);
    await runner.advance(10);
    runner.setStrategyParam('lambda', 5);
    expect(runner.status().strategyParams.lambda).toBe(5);
    expect(() => runner.setStrategyParam('lambda', -1)).toThrow(/lambda/);
    expect(() => runner.setStrategyParam('mode', 'online')).toThrow(/cannot change during a run/);
    expect(() => runner.setStrategyParam('nope', 1)).toThrow(/has no parameter "nope"/);
    runner.setEnvParams(1, { randomStart: 1 });
    expect(() => runner.setEnvParams(1, { randomStart: 7 })).toThrow(/out of range/);
    const changes = events.filter((e) => e.type === 'param-change');
    expect(changes).toEqual([
      expect.objectContaining({ what: 'strategy.lambda', value: 5 }),
      expect.objectContaining({ what: 'env.params', value: { randomStart: 1 }, task: 1 }),
    ]);
    runner.dispose();
  });

  it('exposes the episode being trained, and stepping allocates no tensors', async () => {
    const runner = new ContinualRunner(tinyConfig('finetune'));
    await runner.advance(5);
    const episode = runner.currentEpisode();
    expect(episode.env.snapshot().kind).toBe('Gridworld');
    expect(episode.step).toBe(5);
    expect(runner.agent.qValues(episode.observation, episode.task)).toHaveLength(4);
    await runner.advance(30); // warm-up: the first updates build the optimizer's cached masks
    const before = tf.memory().numTensors;
    await runner.advance(30);
    expect(tf.memory().numTensors).toBe(before);
    runner.dispose();
  });

  it('rejects a bad config with a clear message', () => {
    expect(() => new ContinualRunner({ ...tinyConfig('ewc'), evalEvery: 0 })).toThrow(/evalEvery/);
    expect(() => new ContinualRunner(tinyConfig('nope'))).toThrow(/Unknown strategy "nope"/);
    expect(() => new ContinualRunner({ ...tinyConfig('ewc'), sequence: 'missing-sequence' })).toThrow(
      /Unknown sequence/,
    );
  });
});
