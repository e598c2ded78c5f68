// A real ContinualRunner recorded by a SessionRecorder: the recorded eval episodes re-simulate to the live
// evaluation returns; a crash (recorder dropped, torn last line) is resumed from the last checkpoint in the
// same session and the finished session reads back complete, with the superseded lines skipped.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContinualRunner } from '../../src/continual/runner';
import type { EvalEpisodeEvent, EvalEvent } from '../../src/session/events';
import { metricSeries } from '../../src/session/metrics-series';
import { scoresFromEvents, scoresSummary } from '../../src/session/run-scores';
import { openSession } from '../../src/session/reader';
import { SessionRecorder } from '../../src/session/recorder';
import { listEpisodes, resimulateAll } from '../../src/session/resimulate';
import { prepareResume } from '../../src/session/resume';
import type { BackendChoice } from '../../src/tf/backend';
import { leaveStaleLock, tempDir } from './helpers';

const CPU: BackendChoice = {
  backend: 'cpu',
  forced: true,
  skipped: [],
  details: {},
  tfjsVersion: tf.version.tfjs,
};

const CONFIG = {
  sequence: {
    name: 'tiny',
    tasks: [
      { env: 'CartPole-v1', steps: 300, label: 'cart' },
      { env: 'CartPole-v1', params: { length: 1 }, steps: 300, label: 'cart long' },
    ],
  },
  strategy: 'finetune',
  seed: 3,
  evalEvery: 150,
  evalEpisodes: 2,
  recordEvalEpisodes: 1,
  dqn: { hiddenSizes: [16], learningStarts: 50, batchSize: 16, bufferSize: 1000, targetUpdateInterval: 100 },
};

let work: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  work = tempDir('lab-runner-session-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Drive `runner` to the end, checkpointing at each task end (as `run` does). */
async function drive(runner: ContinualRunner, rec: SessionRecorder, stopAtStep = Infinity): Promise<void> {
  let tasksDone = runner.result().stageTasks.length;
  while (runner.status().step < stopAtStep && (await runner.advance(50))) {
    const done = runner.result().stageTasks.length;
    if (done > tasksDone) {
      tasksDone = done;
      await rec.saveCheckpoint(runner.status().step, runner.elapsedMs(), (dir) => runner.saveCheckpoint(dir));
    }
  }
}

describe('ContinualRunner + SessionRecorder', () => {
  it('records, crashes, resumes in the same session, and re-simulates eval episodes exactly', async () => {
    const dir = path.join(work, 's');
    const rec = new SessionRecorder({ out: dir, flushMs: 50 });
    const runner = new ContinualRunner(CONFIG, rec, { backend: CPU });
    await drive(runner, rec, 450); // past the first task's checkpoint (step 300), into the second task
    rec.flush();
    runner.dispose();
    // "kill -9": the recorder is never closed; a partial line is left behind, and the writer's lock names a
    // process that no longer exists (the resume takes it over).
    fs.appendFileSync(path.join(dir, 'events.ndjson'), '{"type":"episode","step":4');
    leaveStaleLock(dir);
    const crashed = openSession(dir);
    expect(crashed.complete).toBe(false);
    expect(crashed.tornTail).toBe(true);
    expect(crashed.checkpoints.map((c) => c.step)).toEqual([300]);

    const prepared = prepareResume(dir);
    expect(prepared.step).toBe(300);
    const rec2 = SessionRecorder.resume(prepared, { flushMs: 50 });
    const resumed = await ContinualRunner.resume(prepared.checkpoint!.absDir, rec2, { backend: CPU });
    await drive(resumed, rec2);
    const live = resumed.result();
    resumed.dispose();
    rec2.close();

    const s = openSession(dir);
    expect(s.complete).toBe(true);
    expect(s.lastStep).toBe(600);
    expect(s.supersededLines).toBeGreaterThan(1);
    const series = metricSeries(s.events);
    // One task-end per task despite the crash (the superseded second-task events are gone).
    const matrix = scoresSummary(scoresFromEvents(s.events)).matrix;
    expect(matrix).toHaveLength(2);
    expect(matrix[1]).toEqual(live.matrix[1]!.map((v) => v ?? 0));
    expect(series.tasks.map((t) => t.label)).toEqual(['cart', 'cart long']);

    // Every recorded eval episode re-simulates to the return the live evaluation measured.
    const evals = s.events.filter((e): e is EvalEvent => e.type === 'eval');
    const episodes = listEpisodes(s);
    expect(episodes.length).toBe(evals.length);
    for (const ep of episodes) {
      const ev = evals.find((e) => e.step === ep.step && e.task === ep.event.task)!;
      const { return: ret, matchesRecorded } = resimulateAll(ep);
      expect(matchesRecorded).toBe(true);
      expect(ret).toBe(ev.returns[0]); // the first evaluation episode is the recorded one
      expect(ret).toBe((ep.event as EvalEpisodeEvent).return);
    }
  });
});
