// Renderer state: the RunView fold over RunEvents, the immer reducer (LabEvents and UI actions) and the store.
import { describe, expect, it, vi } from 'vitest';
import type { LabInfo, SessionOpened, Status } from '../../src/protocol/messages';
import type { RunEvent } from '../../src/session/events';
import { initialState } from '../../renderer/state/app-state';
import { MAX_NOTICES, reduce } from '../../renderer/state/reducer';
import { runScores, runViewFromEvents } from '../../renderer/state/run-view';
import {
  currentTask,
  isPaused,
  isRunning,
  shownScores,
  switchableTasks,
} from '../../renderer/state/selectors';
import { Store } from '../../renderer/state/store';

/** ACC, forgetting, BWT, FWT of a run view (the shared fold), or null before any stage. */
function pickMetrics(run: ReturnType<typeof runViewFromEvents>) {
  const m = runScores(run);
  if (!m || m.rows.length === 0) return null;
  return { acc: m.acc, forgetting: m.forgetting, bwt: m.bwt, fwt: m.fwt };
}

const BACKEND = { backend: 'cpu', forced: false, skipped: [], details: {}, tfjsVersion: '4.22.0' };

const EVENTS: RunEvent[] = [
  {
    type: 'run-start',
    step: 0,
    t: 0,
    config: {},
    sequence: {
      name: 's',
      tasks: [
        { env: 'A-v0', label: 'A', steps: 10 },
        { env: 'B-v0', steps: 10 },
        { env: 'A-v0', label: 'A again', steps: 10 },
      ],
    },
    strategy: 'ewc',
    seed: 3,
    backend: BACKEND,
    // The resolved run: the engine's distinct tasks ("A again" is task A with the same params).
    run: {
      sequence: 's',
      tasks: [
        { index: 0, envId: 'A-v0', label: 'A', params: { p: 1 }, givenParams: {} },
        { index: 1, envId: 'B-v0', label: 'B', params: {}, givenParams: {} },
      ],
      stages: [
        { task: 0, steps: 10 },
        { task: 1, steps: 10 },
        { task: 0, steps: 10 },
      ],
      strategy: { name: 'ewc', params: { lambda: 400 } },
      seed: 3,
      backend: 'cpu',
    },
  },
  { type: 'task-start', step: 0, t: 1, task: 0, label: 'A', envId: 'A-v0', params: {}, source: 'scheduled' },
  { type: 'episode', step: 50, t: 2, task: 0, episode: 0, return: 10, length: 50 },
  { type: 'episode', step: 90, t: 3, task: 0, episode: 1, return: 20, length: 40 },
  { type: 'eval', step: 100, t: 4, task: 0, mean: 20, normalized: 0.5, episodes: 3, returns: [1, 2, 3] },
  { type: 'eval', step: 100, t: 4, task: 1, mean: 1, normalized: 0, episodes: 3, returns: [1, 1, 1] },
  { type: 'task-end', step: 100, t: 5, task: 0, matrixRow: [0.5, 0] },
  {
    type: 'task-start',
    step: 100,
    t: 5,
    task: 1,
    label: 'B',
    envId: 'B-v0',
    params: {},
    source: 'scheduled',
    from: 0,
  },
  { type: 'marker', step: 120, t: 6, label: 'look here' },
  {
    type: 'task-start',
    step: 150,
    t: 7,
    task: 0,
    label: 'A',
    envId: 'A-v0',
    params: {},
    source: 'manual',
    from: 1,
  },
  { type: 'param-change', step: 160, t: 8, what: 'strategy.lambda', value: 400 },
  { type: 'eval', step: 200, t: 9, task: 0, mean: 30, normalized: 0.8, episodes: 3, returns: [] },
  { type: 'run-end', step: 200, t: 10, metrics: { acc: 0.4 }, reason: 'stopped' },
];

describe('RunView', () => {
  it('folds a whole run', () => {
    const run = runViewFromEvents(EVENTS);
    expect(run.strategy).toBe('ewc');
    expect(run.seed).toBe(3);
    // The repeated A entry is the same task (one head, one matrix column); labels come from task-start.
    expect(run.tasks).toEqual([
      { label: 'A', envId: 'A-v0' },
      { label: 'B', envId: 'B-v0' },
    ]);
    expect(run.currentTask).toBe(0);
    expect(run.spans).toEqual([
      { task: 0, start: 0, end: 100, source: 'scheduled' },
      { task: 1, start: 100, end: 150, source: 'scheduled' },
      { task: 0, start: 150, end: 200, source: 'manual' },
    ]);
    expect(run.switches).toEqual([150]);
    expect(run.markers).toEqual([{ step: 120, label: 'look here' }]);
    expect(run.evals[0]).toEqual([
      { step: 100, mean: 20, normalized: 0.5 },
      { step: 200, mean: 30, normalized: 0.8 },
    ]);
    expect(run.scores.stages).toEqual([{ task: 0, source: 'scheduled', row: [0.5, 0] }]);
    expect(runScores(run)!.rows.map((r) => r.label)).toEqual(['stage 1 · A']);
    expect(run.episodes[0]).toEqual({ count: 2, lastReturn: 20, avgReturn: 11 });
    expect(run.ended).toBe('stopped');
    expect(run.finalMetrics).toEqual({ acc: 0.4 });
    expect(run.paramChanges).toEqual([{ step: 160, what: 'strategy.lambda', value: 400 }]);
    expect(run.lastStep).toBe(200);
  });
  it('gives ACC, forgetting, BWT and FWT as of the cursor, from the shared fold', () => {
    const events: RunEvent[] = [
      EVENTS[0]!,
      // The untrained baseline evaluation (before any task-start) gives FWT's b_j.
      { type: 'eval', step: 0, t: 0, task: 0, mean: 0, normalized: 0.1, episodes: 1, returns: [0] },
      { type: 'eval', step: 0, t: 0, task: 1, mean: 0, normalized: 0.2, episodes: 1, returns: [0] },
      {
        type: 'task-start',
        step: 0,
        t: 1,
        task: 0,
        label: 'A',
        envId: 'A-v0',
        params: {},
        source: 'scheduled',
      },
      { type: 'task-end', step: 100, t: 2, task: 0, matrixRow: [0.9, 0.4] },
      {
        type: 'task-start',
        step: 100,
        t: 2,
        task: 1,
        label: 'B',
        envId: 'B-v0',
        params: {},
        source: 'scheduled',
      },
      { type: 'task-end', step: 200, t: 3, task: 1, matrixRow: [0.6, 0.8] },
      {
        type: 'run-end',
        step: 200,
        t: 4,
        metrics: { acc: 0.7, forgetting: 0.3, bwt: -0.3, fwt: 0.2 },
        reason: 'finished',
      },
    ];
    expect(pickMetrics(runViewFromEvents(events, 50))).toBeNull(); // no stage ended yet
    const first = pickMetrics(runViewFromEvents(events, 150))!;
    expect(first.acc).toBeCloseTo(0.65); // mean of R[0] = (0.9 + 0.4) / 2
    expect(first.forgetting).toBeNull(); // the only trained task is the last-trained one
    expect(first.fwt).toBeNull(); // no task has started after a finished one yet
    // Just before the run-end: computed from R = [[0.9, 0.4], [0.6, 0.8]], baseline [0.1, 0.2].
    const before = pickMetrics(runViewFromEvents(events.slice(0, -1)))!;
    expect(before.acc).toBeCloseTo(0.7);
    expect(before.forgetting).toBeCloseTo(0.3);
    expect(before.bwt).toBeCloseTo(-0.3);
    expect(before.fwt).toBeCloseTo(0.2); // R[0][1] − b_1 = 0.4 − 0.2
    // After it: the same fold, agreeing with what the engine recorded.
    const after = pickMetrics(runViewFromEvents(events))!;
    expect(after.acc).toBeCloseTo(0.7, 12);
    expect(after.forgetting).toBeCloseTo(0.3, 12);
    expect(after.bwt).toBeCloseTo(-0.3, 12);
    expect(after.fwt).toBeCloseTo(0.2, 12);
  });
  it('takes the tasks from the resolved run, never from what was typed', () => {
    // A run-start whose typed sequence lists A twice with params in another order: the resolved run decides.
    const run = runViewFromEvents(EVENTS.slice(0, 1));
    expect(run.tasks.map((t) => t.label)).toEqual(['A', 'B']);
    expect(run.strategy).toBe('ewc');
    expect(run.lambda).toBe(400);
    // An old session (no resolved run) names its tasks in task-start events only.
    const { run: _omit, ...old } = EVENTS[0] as RunEvent & { run: unknown };
    void _omit;
    const legacy = runViewFromEvents([old as RunEvent, EVENTS[1]!]);
    expect(legacy.tasks.map((t) => t.label)).toEqual(['A']);
  });
  it('stops at the cursor', () => {
    const run = runViewFromEvents(EVENTS, 120);
    expect(run.currentTask).toBe(1);
    expect(run.spans.at(-1)).toEqual({ task: 1, start: 100, end: null, source: 'scheduled' });
    expect(run.switches).toEqual([]);
    expect(run.evals[0]).toHaveLength(1);
    expect(run.ended).toBeNull();
  });
});

const STATUS: Status = {
  step: 10,
  taskIndex: 1,
  label: 'B',
  epsilon: 0.5,
  stepsPerSec: 100,
  running: true,
  paused: false,
  done: false,
  recording: true,
  sessionDir: 'x',
  speed: { mode: 'max' },
  playbackDir: null,
};

const INFO: LabInfo = {
  protocol: 1,
  backend: BACKEND,
  versions: { app: '1' },
  envs: [
    {
      id: 'A-v0',
      description: '',
      family: 'classic',
      actionNames: ['a'],
      params: [{ name: 'g', description: '', default: 1, min: 0, max: 2 }],
      maxEpisodeSteps: 10,
    },
  ],
  strategies: [
    { name: 'finetune', description: '', usesLambda: false },
    { name: 'ewc', description: '', usesLambda: true, defaultLambda: 400 },
  ],
  sequences: [
    { name: 'seq', description: '', tasks: [{ env: 'A-v0', steps: 1000 }] },
    { name: 'tuned', description: '', tasks: [{ env: 'A-v0', steps: 1000 }], lambdas: { ewc: 100 } },
  ],
  sessionsRoot: '/s',
};

describe('reducer', () => {
  it('ignores high-rate frames without creating a new state', () => {
    const s = initialState();
    const next = reduce(s, {
      type: 'frame',
      step: 1,
      task: 0,
      snapshot: { kind: 'Acrobot', theta1: 0, theta2: 0, link1: 1, link2: 1 },
    });
    expect(next).toBe(s);
  });
  it('applies ready, status and run events immutably', () => {
    const s0 = initialState();
    const s1 = reduce(s0, { type: 'ready', protocol: 1, backend: BACKEND, versions: { app: '1' } });
    expect(s1.connection).toBe('ready');
    expect(s0.connection).toBe('connecting');
    const s2 = reduce(s1, { type: 'status', status: STATUS });
    expect(isRunning(s2)).toBe(true);
    expect(isPaused(s2)).toBe(false);
    const s3 = EVENTS.slice(0, 8).reduce((st, event) => reduce(st, { type: 'run-event', event }), s2);
    expect(s3.run.tasks.map((t) => t.label)).toEqual(['A', 'B']);
    expect(s2.run.tasks).toEqual([]);
    expect(currentTask(s3)).toEqual({ index: 1, label: 'B' });
    expect(Object.isFrozen(s3.run)).toBe(true);
  });
  it('resets metrics on a new run and keeps the latest metrics event', () => {
    let s = reduce(initialState(), {
      type: 'metrics',
      matrix: [[0.5, null]],
      acc: 0.5,
      forgetting: 0,
      bwt: null,
      fwt: null,
    });
    s = reduce(s, { type: 'run-event', event: EVENTS[0]! });
    expect(s.metrics.acc).toBeNull();
    expect(s.backend).toEqual(BACKEND);
  });
  it('rebuilds a resumed run from its restored events, replacing whatever run was shown', () => {
    // Another run on screen (its tasks and metrics) …
    let s = reduce(initialState(), { type: 'run-event', event: { ...EVENTS[0]!, step: 0 } });
    s = reduce(s, { type: 'metrics', matrix: [[0.9, 0.9]], acc: 0.9, forgetting: 0, bwt: null, fwt: null });
    // … then a session is resumed: its events up to the checkpoint come first.
    s = reduce(s, { type: 'run-restored', events: EVENTS.slice(0, 8) });
    expect(s.run).toEqual(runViewFromEvents(EVENTS.slice(0, 8)));
    expect(s.run.tasks.map((t) => t.label)).toEqual(['A', 'B']);
    // The R matrix is the resumed run's (rows from its task ends), not the other run's metrics.
    expect(shownScores(s)!.matrix).toEqual([[0.5, 0]]);
    expect(s.metrics.acc).toBeNull();
    // A failed resume clears it again.
    expect(reduce(s, { type: 'run-restored', events: [] }).run.tasks).toEqual([]);
  });
  it('shows errors as notices, capped', () => {
    let s = initialState();
    for (let i = 0; i < MAX_NOTICES + 2; i++)
      s = reduce(s, { type: 'error', message: `bad ${i}`, command: 'start' });
    expect(s.notices).toHaveLength(MAX_NOTICES);
    expect(s.notices.at(-1)!.message).toBe(`start: bad ${MAX_NOTICES + 1}`);
    s = reduce(s, { type: 'ui/dismiss', id: s.notices[0]!.id });
    expect(s.notices).toHaveLength(MAX_NOTICES - 1);
  });
  it('marks the connection lost and records trainer crashes', () => {
    let s = reduce(initialState(), {
      type: 'error',
      message: 'The connection to the lab server was closed; restart `npm run web`.',
    });
    expect(s.connection).toBe('lost');
    s = reduce(s, { type: 'trainer-exit', code: 1, message: 'Trainer crashed', sessionDir: 'sess' });
    expect(s.trainerExit).toEqual({ message: 'Trainer crashed', sessionDir: 'sess' });
    s = reduce(s, { type: 'ui/trainer-restarted' });
    expect(s.trainerExit).toBeNull();
  });
  it('loads info: draft from the first sequence, strategy defaults', () => {
    const s = reduce(initialState(), { type: 'ui/info', info: INFO });
    expect(s.draft.baseName).toBe('seq');
    expect(s.draft.tasks).toHaveLength(1);
    expect(s.settings.name).toBe('ewc');
    expect(s.settings.lambda).toBe(400);
    expect(switchableTasks(s)).toEqual([{ label: 'A-v0', envId: 'A-v0' }]);
    const f = reduce(s, { type: 'ui/strategy', name: 'finetune' });
    expect(f.settings).toMatchObject({ name: 'finetune', lambda: 400 });
  });
  it("starts λ at the sequence's tuned value for the strategy, else the strategy's default", () => {
    let s = reduce(initialState(), { type: 'ui/info', info: INFO });
    s = reduce(s, { type: 'ui/draft-use-sequence', name: 'tuned' });
    expect(s.settings).toMatchObject({ name: 'ewc', lambda: 100 });
    // Edits keep the origin, so changing strategy and back still finds the tuned value.
    s = reduce(s, { type: 'ui/draft-field', index: 0, field: 'g', raw: '1.5' });
    s = reduce(s, { type: 'ui/strategy', name: 'finetune' });
    s = reduce(s, { type: 'ui/strategy', name: 'ewc' });
    expect(s.settings.lambda).toBe(100);
    s = reduce(s, { type: 'ui/draft-use-sequence', name: 'seq' });
    expect(s.settings.lambda).toBe(400);
  });
  it('validates draft fields through the reducer', () => {
    let s = reduce(initialState(), { type: 'ui/info', info: INFO });
    s = reduce(s, { type: 'ui/draft-field', index: 0, field: 'g', raw: '5' });
    expect(s.draft.tasks[0]!.errors.g).toBe('g must be between 0 and 2, got 5');
    s = reduce(s, { type: 'ui/draft-add', envId: 'A-v0' });
    s = reduce(s, { type: 'ui/draft-remove', index: 0 });
    expect(s.draft.tasks).toHaveLength(1);
    expect(s.draft.tasks[0]!.errors).toEqual({});
  });
  it('does not open a session without events, and says so once', () => {
    const empty = { dir: 'e', tasks: [], lastStep: 0, events: [], episodeSteps: [], warnings: [] };
    let s = reduce(initialState(), { type: 'ui/playback-open', session: empty });
    s = reduce(s, { type: 'session-opened', session: empty });
    expect(s.playback).toBeNull();
    expect(s.notices.map((n) => n.message)).toEqual(['e has no recorded events yet: nothing to play back.']);
  });
  it('opens a playback and moves its cursor within range', () => {
    const session: SessionOpened = {
      dir: 'd',
      tasks: [],
      lastStep: 200,
      events: EVENTS,
      episodeSteps: [],
      warnings: ['line 9 torn'],
    };
    let s = reduce(initialState(), { type: 'ui/playback-open', session });
    expect(s.playback!.cursor).toBe(200);
    expect(s.notices.map((n) => n.message)).toEqual(['d: line 9 torn']);
    s = reduce(s, { type: 'ui/playback-cursor', step: 120 });
    expect(s.playback!.run.currentTask).toBe(1);
    s = reduce(s, { type: 'ui/playback-cursor', step: 10_000 });
    expect(s.playback!.cursor).toBe(200);
    s = reduce(s, { type: 'ui/playback-cursor', step: -5 });
    expect(s.playback!.cursor).toBe(0);
    s = reduce(s, { type: 'ui/playback-close' });
    expect(s.playback).toBeNull();
  });
});

describe('Store', () => {
  it('notifies subscribers only on change and selectors only when their slice changes', () => {
    const store = new Store(initialState(), reduce);
    const all = vi.fn();
    const overlay = vi.fn();
    store.subscribe(all);
    store.select((s) => s.overlay, overlay);
    expect(overlay).toHaveBeenCalledTimes(1);
    store.dispatch({ type: 'multiples', step: 0, frames: [] });
    expect(all).not.toHaveBeenCalled();
    store.dispatch({ type: 'ui/seed', value: 9 });
    expect(all).toHaveBeenCalledTimes(1);
    expect(overlay).toHaveBeenCalledTimes(1);
    store.dispatch({ type: 'ui/overlay', value: false });
    expect(overlay).toHaveBeenLastCalledWith(false, true);
  });
  it('isolates a failing listener', () => {
    const errors: unknown[] = [];
    const store = new Store(initialState(), reduce, (e) => errors.push(e));
    const after = vi.fn();
    store.subscribe(() => {
      throw new Error('boom');
    });
    store.subscribe(after);
    store.dispatch({ type: 'ui/seed', value: 2 });
    expect(after).toHaveBeenCalledTimes(1);
    expect(errors).toHaveLength(1);
  });
});
