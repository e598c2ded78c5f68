// The R matrix and metrics are computed once (src/session/run-scores.ts): on a recorded session with manual
// switches and a repeated task, the engine's summary (run-end metrics, runner.result()), the renderer's view
// (live fold and replay) and the export agree; rows are stages, columns are the distinct tasks.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContinualRunner } from '../../src/continual/runner';
import type { RunEvent } from '../../src/session/events';
import { sessionExportObject, sessionTables } from '../../src/session/export';
import { openSession } from '../../src/session/reader';
import { SessionRecorder } from '../../src/session/recorder';
import { scoresFromEvents, scoresSummary } from '../../src/session/run-scores';
import type { BackendChoice } from '../../src/tf/backend';
import { runScores, runViewFromEvents, applyRunEvent, emptyRun } from '../../renderer/state/run-view';
import { tinyConfig } from '../continual/helpers';
import { tempDir } from './helpers';

const CPU: BackendChoice = {
  backend: 'cpu',
  forced: true,
  skipped: [],
  details: {},
  tfjsVersion: tf.version.tfjs,
};

let work: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  work = tempDir('lab-run-scores-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('one source of truth for the R matrix and metrics', () => {
  it('engine summary, renderer (live and replay) and export agree with manual switches and a repeated task', async () => {
    const base = tinyConfig('finetune');
    const seq = base.sequence as { tasks: { env: string; steps: number; label?: string }[] };
    // NE, NW, NE again (the same task: 2 columns, 3 scheduled stages), plus two manual switches.
    seq.tasks = [seq.tasks[0]!, seq.tasks[1]!, { ...seq.tasks[0]!, steps: 80 }];
    const dir = path.join(work, 'session');
    const rec = new SessionRecorder({ out: dir, flushMs: 50 });
    const live: RunEvent[] = [];
    const runner = new ContinualRunner(
      { ...base, sequence: seq },
      { onEvent: (e) => (rec.onEvent(e), live.push(e)) },
      { backend: CPU },
    );
    await runner.advance(50);
    runner.switchTask(1); // manual: NE cut short, NW inserted
    await runner.advance(40);
    runner.switchTask(0); // manual again
    while (await runner.advance(100));
    const engine = runner.result();
    runner.dispose();
    rec.close();

    // The run-start carries the resolved run: 2 distinct tasks, 3 planned stages.
    const start = live[0]!;
    expect(start.type === 'run-start' && start.run?.tasks.map((t) => t.label)).toEqual(['NE', 'NW']);
    expect(start.type === 'run-start' && start.run?.stages.map((s) => s.task)).toEqual([0, 1, 0]);

    const session = openSession(dir);
    const fromSession = scoresSummary(scoresFromEvents(session.events));
    // Rows are stages (manual ones included), columns the 2 distinct tasks.
    expect(fromSession.stageTasks).toEqual(engine.stageTasks);
    expect(fromSession.rows.length).toBeGreaterThanOrEqual(5);
    expect(fromSession.columns.map((c) => c.label)).toEqual(['NE', 'NW']);
    expect(fromSession.rows.map((r) => r.label)[0]).toBe('stage 1 · NE');
    expect(fromSession.rows.filter((r) => r.source === 'manual')).toHaveLength(2);
    expect(fromSession.matrix.every((r) => r.length === 2)).toBe(true);

    const pick = (m: {
      acc: number | null;
      forgetting: number | null;
      bwt: number | null;
      fwt: number | null;
    }) => ({
      acc: m.acc,
      forgetting: m.forgetting,
      bwt: m.bwt,
      fwt: m.fwt,
    });
    // 1. The engine's summary and its run-end event.
    const end = session.events.find((e) => e.type === 'run-end')!;
    expect(end.type === 'run-end' && pick(end.metrics as never)).toEqual(pick(engine));
    expect(pick(fromSession)).toEqual(pick(engine));
    expect(fromSession.matrix).toEqual(engine.matrix);
    expect(fromSession.auc).toBe(engine.auc);
    // 2. The renderer: live (events one at a time) and replay (a recorded session up to its end).
    const liveView = emptyRun();
    for (const e of live) applyRunEvent(liveView, e);
    const replayView = runViewFromEvents(session.events);
    for (const view of [liveView, replayView]) {
      const s = runScores(view)!;
      expect(pick(s)).toEqual(pick(engine));
      expect(s.matrix).toEqual(engine.matrix);
      expect(s.rows.map((r) => r.label)).toEqual(fromSession.rows.map((r) => r.label));
      expect(view.tasks.map((t) => t.label)).toEqual(['NE', 'NW']);
    }
    // 3. The export (JSON and the CSV tables).
    const json = sessionExportObject(session) as {
      metrics: Record<string, unknown>;
      matrix: { rows: unknown[] };
    };
    expect(pick(json.metrics as never)).toEqual(pick(engine));
    expect(json.matrix.rows).toHaveLength(engine.stageTasks.length);
    const tables = sessionTables(session);
    expect(tables.matrix.rows.map((r) => r.slice(5))).toEqual(engine.matrix);
    expect(tables.matrix.rows.map((r) => r[1])).toEqual(fromSession.rows.map((r) => r.label));
    const metric = (name: string) => tables.metrics.rows.find((r) => r[0] === name)?.[1] ?? null;
    expect(metric('acc')).toBe(engine.acc);
    expect(metric('forgetting')).toBe(engine.forgetting);
  }, 120_000);
});
