// Round trip of the session recorder and reader: manifest, events, checkpoints, torn tail, flush timing,
// resume markers (logical truncation), metric series, summary, export.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionError } from '../../src/session/errors';
import type { RunEvent } from '../../src/session/events';
import { exportSession, sessionTables } from '../../src/session/export';
import { metricSeries } from '../../src/session/metrics-series';
import { scoresFromEvents, scoresSummary } from '../../src/session/run-scores';
import { openSession } from '../../src/session/reader';
import { SessionRecorder } from '../../src/session/recorder';
import { prepareResume } from '../../src/session/resume';
import { describeSession, summarizeSession } from '../../src/session/summary';
import { BACKEND, recordSynthetic, syntheticEvents, tempDir } from './helpers';

const dirs: string[] = [];
function fresh(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('SessionRecorder + openSession', () => {
  it('round-trips every event, the manifest and the checkpoints', async () => {
    const dir = await recordSynthetic(path.join(fresh(), 's'));
    const s = openSession(dir);
    const { config: _c, ...rest } = s.manifest;
    expect(rest).toMatchObject({
      formatVersion: 1,
      seed: 7,
      sequence: 'classic-pair',
      createdAt: '2025-01-02T03:04:05.000Z',
    });
    expect(s.manifest.ended).toMatchObject({ step: 400, reason: 'finished' });
    expect(s.manifest.backendWhy).toContain('cpu');
    // Every event comes back equal, plus one checkpoint event after each task-end.
    const expected = syntheticEvents().flatMap((e): RunEvent[] =>
      e.type === 'task-end'
        ? [
            e,
            {
              type: 'checkpoint',
              step: e.step,
              t: e.t,
              dir: `checkpoints/step-${String(e.step).padStart(12, '0')}`,
            },
          ]
        : [e],
    );
    expect(s.events).toEqual(expected);
    expect(s.complete).toBe(true);
    expect(s.lastStep).toBe(400);
    expect(s.tornTail).toBe(false);
    expect(s.warnings).toEqual([]);
    expect(s.checkpoints.map((c) => [c.step, c.exists])).toEqual([
      [200, true],
      [400, true],
    ]);
    expect(fs.readFileSync(path.join(s.checkpoints[1]!.absDir, 'state.json'), 'utf8')).toBe('{"step":400}');
    // No temp files left behind.
    expect(fs.readdirSync(dir).sort()).toEqual(['checkpoints', 'events.ndjson', 'session.json']);
    expect(fs.readdirSync(path.join(dir, 'checkpoints')).sort()).toEqual([
      'step-000000000200',
      'step-000000000400',
    ]);
  });

  it('keeps the newest periodic checkpoints and every stage-end one; resume uses the newest', async () => {
    const rec = new SessionRecorder({ out: path.join(fresh(), 's'), flushMs: 50, keepPeriodic: 2 });
    const events = syntheticEvents();
    rec.onEvent(events[0]!); // run-start
    const write = (step: number) => (d: string) =>
      fs.writeFileSync(path.join(d, 'state.json'), `{"step":${step}}`);
    for (const [step, kind] of [
      [50, 'periodic'],
      [100, 'periodic'],
      [200, 'stage'],
      [250, 'periodic'],
      [300, 'periodic'],
    ] as const) {
      await rec.saveCheckpoint(step, step, write(step), kind);
    }
    rec.close();
    const s = openSession(rec.dir!);
    // Every checkpoint event stays in the log; only the pruned folders are gone.
    expect(s.checkpoints.map((c) => [c.step, c.exists])).toEqual([
      [50, false],
      [100, false],
      [200, true],
      [250, true],
      [300, true],
    ]);
    expect(prepareResume(rec.dir!).step).toBe(300);
  });

  it('names the default folder <YYYYMMDD-HHMMSS>-<sequence>-<strategy> under the root', () => {
    const root = fresh();
    const rec = new SessionRecorder({ root, now: () => new Date(2025, 0, 2, 3, 4, 5) });
    rec.onEvent(syntheticEvents()[0]!);
    rec.close();
    expect(path.basename(rec.dir!)).toBe('20250102-030405-classic-pair-ewc');
    const rec2 = new SessionRecorder({ root, now: () => new Date(2025, 0, 2, 3, 4, 5) });
    rec2.onEvent(syntheticEvents()[0]!);
    rec2.close();
    expect(path.basename(rec2.dir!)).toBe('20250102-030405-classic-pair-ewc-2');
  });

  it('refuses to record over an existing session', async () => {
    const dir = await recordSynthetic(path.join(fresh(), 's'));
    const rec = new SessionRecorder({ out: dir });
    expect(() => rec.onEvent(syntheticEvents()[0]!)).toThrow(/already holds a session/);
  });

  it('writes nothing when turned off', async () => {
    const root = fresh();
    const rec = new SessionRecorder({ root, enabled: false });
    for (const e of syntheticEvents()) rec.onEvent(e);
    expect(await rec.saveCheckpoint(1, 1, () => undefined)).toBeUndefined();
    rec.close();
    expect(rec.dir).toBeUndefined();
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('keeps events emitted before run-start, after it', () => {
    const dir = path.join(fresh(), 's');
    const rec = new SessionRecorder({ out: dir });
    const [start, taskStart] = syntheticEvents();
    rec.onEvent(taskStart!);
    rec.onEvent(start!);
    rec.close();
    expect(openSession(dir).events).toEqual([start, taskStart]);
  });

  it('puts events on disk within a second without close (crash safety)', async () => {
    const dir = path.join(fresh(), 's');
    const rec = new SessionRecorder({ out: dir }); // default flush interval
    for (const e of syntheticEvents({ complete: false })) rec.onEvent(e);
    await new Promise((r) => setTimeout(r, 1100));
    // Read while the recorder is still open, as a crash would leave it.
    const s = openSession(dir);
    expect(s.events.length).toBe(syntheticEvents({ complete: false }).length);
    expect(s.complete).toBe(false);
    rec.close();
  });

  it('ignores a torn last line, and reports a corrupt middle line by file and line', async () => {
    const dir = await recordSynthetic(path.join(fresh(), 's'), syntheticEvents({ complete: false }));
    const file = path.join(dir, 'events.ndjson');
    const good = openSession(dir).events.length;
    fs.appendFileSync(file, '{"type":"episode","step":500,"t":13,"task":1,"epi');
    const s = openSession(dir);
    expect(s.tornTail).toBe(true);
    expect(s.events.length).toBe(good);
    expect(s.warnings[0]).toMatch(/partial line/);
    // The same garbage followed by a newline is a middle line: a clear error.
    fs.appendFileSync(file, '\n{"type":"marker","step":1,"t":1,"label":"x"}\n');
    const line = good + 1;
    expect(() => openSession(dir)).toThrow(SessionError);
    expect(() => openSession(dir)).toThrow(new RegExp(`events\\.ndjson line ${line} is not valid JSON`));
  });

  it('reports a wrong type with the field name', async () => {
    const dir = await recordSynthetic(path.join(fresh(), 's'));
    fs.appendFileSync(
      path.join(dir, 'events.ndjson'),
      '{"type":"episode","step":"x","t":1,"task":0,"episode":0,"return":1,"length":1}\n',
    );
    expect(() => openSession(dir)).toThrow(
      /line \d+ is not a valid "episode" event: field "step" is invalid/,
    );
  });

  it('rejects a wrong format version and a missing manifest with one sentence', async () => {
    const dir = await recordSynthetic(path.join(fresh(), 's'));
    const m = path.join(dir, 'session.json');
    const json = JSON.parse(fs.readFileSync(m, 'utf8'));
    fs.writeFileSync(m, JSON.stringify({ ...json, formatVersion: 2 }));
    expect(() => openSession(dir)).toThrow(
      /session\.json has formatVersion 2, but this build reads version 1/,
    );
    fs.rmSync(m);
    expect(() => openSession(dir)).toThrow(/session\.json does not exist/);
  });
});

describe('resume', () => {
  it('supersedes the events after the last checkpoint without rewriting the file', async () => {
    const events = syntheticEvents({ complete: false });
    // Crash after the first checkpoint, in the middle of the second task, with a torn line.
    const upTo = events.findIndex((e) => e.type === 'param-change');
    const dir = await recordSynthetic(path.join(fresh(), 's'), events.slice(0, upTo + 1));
    const file = path.join(dir, 'events.ndjson');
    fs.appendFileSync(file, '{"type":"episode","st');
    const before = fs.readFileSync(file);

    const prepared = prepareResume(dir);
    expect(fs.readFileSync(file).equals(before)).toBe(true); // prepareResume only reads
    expect(prepared.checkpoint).toMatchObject({ relDir: 'checkpoints/step-000000000200', step: 200 });
    expect(prepared.step).toBe(200);
    expect(prepared.config).toEqual({ seed: 7, evalEvery: 100 });
    // Lines after the checkpoint: task-start(acro), param-change, torn line.
    expect(prepared.truncatedCount).toBe(3);

    const rec = SessionRecorder.resume(prepared, { flushMs: 50 });
    expect(fs.readFileSync(file).subarray(0, before.length).equals(before)).toBe(true); // append-only
    const rest = events.slice(events.findIndex((e) => e.type === 'task-start' && e.task === 1));
    for (const e of rest) {
      rec.onEvent(e);
      if (e.type === 'task-end')
        await rec.saveCheckpoint(e.step, e.t, (d) => fs.writeFileSync(path.join(d, 'x'), 'x'));
    }
    rec.onEvent({ type: 'run-end', step: 400, t: 20, metrics: { acc: 0.5 }, reason: 'finished' });
    rec.close();

    const s = openSession(dir);
    expect(s.complete).toBe(true);
    expect(s.supersededLines).toBe(3);
    expect(s.manifest.resumes).toHaveLength(1);
    expect(s.manifest.ended?.reason).toBe('finished');
    const types = s.events.map((e) => e.type);
    expect(types.filter((t) => t === 'task-start')).toHaveLength(2); // the superseded one is gone
    expect(types).toContain('resume');
    expect(types.filter((t) => t === 'param-change')).toHaveLength(1);
    // A second resume after completion continues to work (the run-end gets superseded).
    const again = prepareResume(dir);
    expect(again.complete).toBe(true);
    expect(again.step).toBe(400);
  });

  it('restarts from step 0 when there is no checkpoint', async () => {
    const dir = await recordSynthetic(path.join(fresh(), 's'), syntheticEvents().slice(0, 4));
    const p = prepareResume(dir);
    expect(p.checkpoint).toBeNull();
    expect(p.step).toBe(0);
    expect(p.truncatedFrom).toBe(1);
    expect(p.truncatedCount).toBe(4);
    SessionRecorder.resume(p).close();
    const s = openSession(dir);
    expect(s.events.map((e) => e.type)).toEqual(['resume']);
  });
});

describe('metric series, summary and export', () => {
  it('builds series up to any step', async () => {
    const s = openSession(await recordSynthetic(path.join(fresh(), 's')));
    const all = metricSeries(s.events);
    expect(all.evals[0]).toEqual({ task: 0, steps: [100, 400], mean: [30, 28], normalized: [0.02, 0.01] });
    expect(scoresSummary(scoresFromEvents(s.events)).matrix).toEqual([
      [0.5, 0],
      [0.4, 0.6],
    ]);
    expect(all.tasks.map((t) => [t.task, t.startStep, t.endStep])).toEqual([
      [0, 0, 200],
      [1, 200, 400],
    ]);
    expect(all.metrics).toMatchObject({ acc: 0.5 });
    const early = metricSeries(s.events, 150);
    expect(early.evals[0]!.steps).toEqual([100]);
    expect(scoresSummary(scoresFromEvents(s.events, 150)).matrix).toEqual([]);
    expect(early.tasks).toEqual([expect.objectContaining({ task: 0, endStep: null })]);
    expect(early.markers).toEqual([{ step: 120, label: 'look here' }]);
    expect(early.metrics).toBeNull();
    expect(early.lastStep).toBe(120);
  });

  it('summarizes for inspect', async () => {
    const s = openSession(await recordSynthetic(path.join(fresh(), 's')));
    const j = summarizeSession(s);
    expect(j).toMatchObject({ formatVersion: 1, complete: true, lastStep: 400, lastCheckpointStep: 400 });
    expect(j.events).toBe(s.events.length);
    expect(j.tasks.map((t) => [t.label, t.evals, t.lastNormalized])).toEqual([
      ['cart', 2, 0.01],
      ['acro', 2, 0.6],
    ]);
  });

  it('exports CSV and JSON atomically', async () => {
    const s = openSession(await recordSynthetic(path.join(fresh(), 's')));
    const tables = sessionTables(s);
    // One row per stage ("stage k · task trained"), one column per distinct task; the last row gives ACC.
    expect(tables.matrix.columns).toEqual([
      'stage',
      'stage_label',
      'task',
      'source',
      'used_for',
      'task_0',
      'task_1',
    ]);
    expect(tables.matrix.rows).toEqual([
      [0, 'stage 1 · cart', 0, 'scheduled', 'last-training before-first-training', 0.5, 0],
      [1, 'stage 2 · acro', 1, 'scheduled', 'final', 0.4, 0.6],
    ]);
    const out = path.join(fresh(), 'csv');
    const r = exportSession(s, { format: 'csv', out });
    expect(r.files.map((f) => path.basename(f))).toEqual([
      'episodes.csv',
      'evals.csv',
      'matrix.csv',
      'tasks.csv',
      'metrics.csv',
    ]);
    expect(fs.readFileSync(path.join(out, 'episodes.csv'), 'utf8')).toBe(
      'step,task,label,episode,return,length\n20,0,cart,0,20,20\n45,0,cart,1,25,25\n300,1,acro,0,-300,300\n',
    );
    expect(fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8')).toContain('acc,0.5\n');
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const json = exportSession(s, { format: 'json' });
    const parsed = JSON.parse(json.text!);
    expect(parsed.matrix.rows.map((r: { scores: number[] }) => r.scores)).toEqual([
      [0.5, 0],
      [0.4, 0.6],
    ]);
    expect(parsed.matrix.columns.map((c: { label: string }) => c.label)).toEqual(['cart', 'acro']);
    expect(parsed.episodes).toHaveLength(3);
  });
});

// Keep the fixture honest: a backend choice passes the recorder untouched.
it('records the backend choice', async () => {
  const s = openSession(await recordSynthetic(path.join(fresh(), 's')));
  expect(s.manifest.backend).toEqual(BACKEND);
});

it('describes a crashed session for humans', async () => {
  const dir = await recordSynthetic(
    path.join(fresh(), 's'),
    syntheticEvents({ complete: false }).slice(0, 9),
  );
  fs.appendFileSync(path.join(dir, 'events.ndjson'), '{"type":"epi');
  const text = describeSession(openSession(dir)).join('\n');
  expect(text).toMatch(/status\s+incomplete/);
  expect(text).toMatch(/checkpoint\s+last at step 200/);
  expect(text).toMatch(/warning: .*partial line/);
});

it('refuses to resume a session that is still being written', async () => {
  const dir = await recordSynthetic(path.join(fresh(), 's'), syntheticEvents({ complete: false }));
  const prepared = prepareResume(dir);
  fs.appendFileSync(path.join(dir, 'events.ndjson'), '{"type":"marker","step":401,"t":13,"label":"late"}\n');
  expect(() => SessionRecorder.resume(prepared)).toThrow(/changed since the resume was prepared/);
});
