// Pure pieces behind "the UI tells the truth" (#13): distinguishable task names, the seed field, notices that
// do not stack and disappear once fixed, tiles that show nothing stale, and the switch-effect sentence.
import { describe, expect, it } from 'vitest';
import type { Status } from '../../src/protocol/messages';
import type { RunEvent } from '../../src/session/events';
import { tileValues } from '../../renderer/charts/tile-values';
import { validateSeed } from '../../renderer/controls/param-fields';
import { scheduleLine, switchEffect } from '../../renderer/state/schedule-text';
import { distinguishingLabels } from '../../renderer/format/format';
import { initialState } from '../../renderer/state/app-state';
import { reduce } from '../../renderer/state/reducer';
import { runScores } from '../../renderer/state/run-view';
import { startBlocker } from '../../renderer/state/selectors';

const BACKEND = { backend: 'cpu', forced: false, skipped: [], details: {}, tfjsVersion: '4.22.0' };
const START: RunEvent = {
  type: 'run-start',
  step: 0,
  t: 0,
  config: {},
  sequence: 's',
  strategy: 'finetune',
  seed: 1,
  backend: BACKEND,
  run: {
    sequence: 's',
    tasks: ['A', 'B', 'C', 'D'].map((label, index) => ({
      index,
      envId: 'X-v0',
      label: `CartPole ${label}`,
      params: {},
      givenParams: {},
    })),
    stages: [0, 1, 2, 3].map((task) => ({ task, steps: 1000 })),
    strategy: { name: 'finetune', params: {} },
    seed: 1,
    backend: 'cpu',
  },
};
const STATUS: Status = {
  step: 300,
  taskIndex: 0,
  label: 'CartPole A',
  epsilon: 0.5,
  stepsPerSec: 100,
  running: true,
  paused: false,
  done: false,
  recording: true,
  sessionDir: 'x',
  speed: { mode: 'max' },
  playbackDir: null,
  schedule: {
    stage: 0,
    stageCount: 4,
    stageStep: 300,
    stageSteps: 1000,
    totalSteps: 4000,
    nextTask: 1,
    switchSteps: [1000, 1000, 1000, 1000],
  },
};

describe('task names', () => {
  it('keep the distinguishing part, never identical strings', () => {
    expect(
      distinguishingLabels([
        'CartPole default',
        'CartPole long pole',
        'CartPole gravity 20',
        'CartPole short',
      ]),
    ).toEqual(['default', 'long pole', 'gravity 20', 'short']);
    expect(distinguishingLabels(['CartPole', 'CartPole'])).toEqual(['CartPole #1', 'CartPole #2']);
    expect(distinguishingLabels(['FourRooms goal NE'])).toEqual(['FourRooms goal NE']);
  });
});

describe('inline validation', () => {
  it('a seed must be a whole number from 0 to 2^31 − 1; an invalid one blocks Start with the reason', () => {
    expect(validateSeed('7')).toEqual({ ok: true, value: 7 });
    expect(validateSeed('-1').ok).toBe(false);
    expect(validateSeed('1.5').ok).toBe(false);
    expect(validateSeed('').ok).toBe(false);
    let s = reduce(initialState(), { type: 'ui/seed', value: 5 });
    s = reduce(s, { type: 'ui/seed-text', raw: '-1' });
    expect(s.settings.seed).toBe(5); // never silently the previous seed: Start is blocked instead
    expect(startBlocker(s)).toMatch(/^Seed: seed must be a whole number/);
    s = reduce(s, { type: 'ui/seed-text', raw: '9' });
    expect(s.settings.seed).toBe(9);
    expect(s.settings.seedError).toBeNull();
  });
  it('error notices do not stack and a success clears its own', () => {
    let s = initialState();
    for (let i = 0; i < 3; i++)
      s = reduce(s, { type: 'ui/notice', kind: 'error', message: `Start: bad ${i}`, key: 'Start' });
    expect(s.notices.map((n) => n.message)).toEqual(['Start: bad 2']);
    s = reduce(s, { type: 'ui/notice', kind: 'error', message: 'Pause: no run' });
    s = reduce(s, { type: 'ui/notice', kind: 'error', message: 'Pause: no run' });
    expect(s.notices).toHaveLength(2);
    s = reduce(s, { type: 'ui/clear-notices', key: 'Start' });
    expect(s.notices.map((n) => n.message)).toEqual(['Pause: no run']);
  });
});

describe('tiles and schedule', () => {
  it('show nothing stale: ACC over tasks seen, no ε once finished, nothing after Reset', () => {
    let s = reduce(initialState(), { type: 'status', status: STATUS });
    s = reduce(s, { type: 'run-event', event: START });
    const ts = (task: number, step: number): RunEvent => ({
      type: 'task-start',
      step,
      t: step,
      task,
      label: '',
      envId: 'X-v0',
      params: {},
      source: 'scheduled',
    });
    s = reduce(s, { type: 'run-event', event: ts(0, 0) });
    expect(tileValues(s, runScores(s.run)).acc).toBeNull(); // no stage ended yet: "—"
    s = reduce(s, {
      type: 'run-event',
      event: { type: 'task-end', step: 1000, t: 1, task: 0, matrixRow: [0.8, 0.2, 0, 0] },
    });
    const mid = tileValues(s, runScores(s.run));
    expect(mid.acc).toBeCloseTo(0.8); // over the one task trained, not (0.8 + 0.2) / 4
    expect(mid.accLabel).toBe('ACC · 1/4 seen');
    expect(mid.epsilon).toBe(0.5);
    s = reduce(s, { type: 'status', status: { ...STATUS, running: false, done: true } });
    expect(tileValues(s, runScores(s.run)).epsilon).toBeNull();
    s = reduce(s, { type: 'status', status: { ...STATUS, running: false, done: false } });
    s = reduce(s, {
      type: 'run-event',
      event: { type: 'run-end', step: 1200, t: 2, metrics: {}, reason: 'stopped' },
    });
    const after = tileValues(s, runScores(s.run));
    expect([after.acc, after.forgetting, after.epsilon, after.step]).toEqual([null, null, null, null]);
  });
  it('say what a switch does before it is made', () => {
    let s = reduce(initialState(), { type: 'status', status: STATUS });
    s = reduce(s, { type: 'run-event', event: START });
    expect(scheduleLine(s, STATUS.schedule)).toBe(
      'Stage 1 of 4 · 300/1,000 steps · next: CartPole B · run 4,000 steps',
    );
    expect(switchEffect(s, 2)).toBe(
      "Switching ends CartPole A's stage now (300 of 1,000 steps), trains CartPole C for 1,000 steps, then CartPole B as planned. The run grows to 4,300 steps.",
    );
  });
});
