// Sequence-editor field validation (zod) and the draft sequence operations.
import { describe, expect, it } from 'vitest';
import type { ParamSpec } from '../../envs/types';
import {
  validateLabel,
  validateParamField,
  validateParams,
  validateSteps,
} from '../../renderer/controls/param-fields';
import {
  addTask,
  draftErrors,
  draftFromTasks,
  moveTask,
  removeTask,
  setTaskEnv,
  setTaskField,
  toSequenceRef,
  tunedFor,
  type EnvInfo,
} from '../../renderer/state/draft-sequence';

const gravity: ParamSpec = { name: 'gravity', description: 'g', default: 9.8, min: 1, max: 30 };
const randomStart: ParamSpec = {
  name: 'randomStart',
  description: 'r',
  default: 0,
  min: 0,
  max: 1,
  integer: true,
};

const ENVS: EnvInfo[] = [
  {
    id: 'CartPole-v1',
    description: '',
    family: 'classic',
    actionNames: ['l', 'r'],
    params: [gravity],
    maxEpisodeSteps: 500,
  },
  {
    id: 'Grid-Empty-6x6-v0',
    description: '',
    family: 'gridworld',
    actionNames: ['u', 'r', 'd', 'l'],
    params: [randomStart],
    maxEpisodeSteps: 144,
  },
];

describe('parameter fields', () => {
  it('accepts numbers in range', () => {
    expect(validateParamField(gravity, ' 20 ')).toEqual({ ok: true, value: 20 });
    expect(validateParamField(gravity, '1')).toEqual({ ok: true, value: 1 });
    expect(validateParamField(gravity, '1e1')).toEqual({ ok: true, value: 10 });
  });
  it('names the field, the bad value and the range', () => {
    const r = validateParamField(gravity, '31');
    expect(r).toEqual({ ok: false, error: 'gravity must be between 1 and 30, got 31' });
    const nan = validateParamField(gravity, 'abc');
    expect(nan.ok).toBe(false);
    if (!nan.ok) expect(nan.error).toBe('gravity must be a number between 1 and 30, got "abc"');
    const empty = validateParamField(gravity, '   ');
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.error).toMatch(/gravity is required/);
  });
  it('enforces integers', () => {
    const r = validateParamField(randomStart, '0.5');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/whole number/);
    expect(validateParamField(randomStart, '1')).toEqual({ ok: true, value: 1 });
  });
  it('rejects Infinity', () => {
    expect(validateParamField(gravity, 'Infinity').ok).toBe(false);
  });
  it('validates several params at once', () => {
    const r = validateParams([gravity, randomStart], { gravity: '50', randomStart: '1' });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual({ gravity: 'gravity must be between 1 and 30, got 50' });
    expect(validateParams([gravity], { gravity: '3' })).toEqual({ ok: true, value: { gravity: 3 } });
  });
  it('validates labels and step budgets', () => {
    expect(validateLabel('  Long pole ')).toEqual({ ok: true, value: 'Long pole' });
    expect(validateLabel('').ok).toBe(false);
    expect(validateLabel('x'.repeat(61)).ok).toBe(false);
    expect(validateLabel('a\u0007b').ok).toBe(false);
    expect(validateLabel('a\u007fb').ok).toBe(false); // DEL, as the session reader rejects it
    expect(validateSteps('12,000')).toEqual({ ok: true, value: 12_000 });
    expect(validateSteps('999').ok).toBe(false);
    expect(validateSteps('1500.5').ok).toBe(false);
    expect(validateSteps('2e4')).toEqual({ ok: true, value: 20_000 });
    expect(validateSteps('abc').ok).toBe(false);
  });
});

describe('draft sequence', () => {
  const base = () =>
    draftFromTasks('demo', [
      { env: 'CartPole-v1', steps: 1000, label: 'A' },
      { env: 'Grid-Empty-6x6-v0', steps: 2000, params: { randomStart: 1 } },
    ]);

  it('starts from a built-in sequence and sends its name while unedited', () => {
    const d = base();
    expect(d.tasks.map((t) => t.label)).toEqual(['A', 'Grid-Empty-6x6-v0']);
    expect(d.tasks[1]!.params).toEqual({ randomStart: '1' });
    expect(toSequenceRef(d)).toBe('demo');
  });
  it('adds, moves and removes tasks, then sends inline tasks', () => {
    const d = base();
    addTask(d, 'CartPole-v1', 5000);
    expect(d.baseName).toBeNull();
    moveTask(d, 2, -2);
    expect(d.tasks.map((t) => t.label)).toEqual(['CartPole-v1', 'A', 'Grid-Empty-6x6-v0']);
    moveTask(d, 0, -1); // out of range: nothing happens
    expect(d.tasks[0]!.label).toBe('CartPole-v1');
    removeTask(d, 1);
    expect(toSequenceRef(d)).toEqual({
      // An edited copy keeps its origin, whose tuned DQN and strategy settings then apply.
      base: 'demo',
      tasks: [
        { env: 'CartPole-v1', label: 'CartPole-v1', steps: 5000 },
        { env: 'Grid-Empty-6x6-v0', label: 'Grid-Empty-6x6-v0', steps: 2000, params: { randomStart: 1 } },
      ],
    });
  });
  it("trains with the origin's tuning only while every task's env comes from it", () => {
    const d = base();
    setTaskField(d, ENVS, 0, 'label', 'renamed');
    expect(tunedFor(d)).toBe('demo');
    addTask(d, 'MountainCar-v0', 5000); // not one of demo's envs: its tuning would not fit
    expect(tunedFor(d)).toBeNull();
    expect(toSequenceRef(d)).not.toHaveProperty('base');
    removeTask(d, 2);
    expect(tunedFor(d)).toBe('demo');
    removeTask(d, 0);
    removeTask(d, 0);
    expect(tunedFor(d)).toBeNull(); // nothing left to tune for
  });
  it('keeps invalid text with an inline error and refuses to build', () => {
    const d = base();
    setTaskField(d, ENVS, 0, 'gravity', '99');
    expect(d.tasks[0]!.params.gravity).toBe('99');
    expect(d.tasks[0]!.errors.gravity).toBe('gravity must be between 1 and 30, got 99');
    expect(draftErrors(d)).toEqual(['Task 1: gravity must be between 1 and 30, got 99']);
    expect(() => toSequenceRef(d)).toThrow(/Task 1: gravity must be between 1 and 30/);
    setTaskField(d, ENVS, 0, 'gravity', '20');
    expect(d.tasks[0]!.errors).toEqual({});
    expect(toSequenceRef(d)).toMatchObject({ tasks: [{ env: 'CartPole-v1', params: { gravity: 20 } }, {}] });
  });
  it('rejects a parameter the env does not have', () => {
    const d = base();
    setTaskField(d, ENVS, 1, 'gravity', '3');
    expect(d.tasks[1]!.errors.gravity).toMatch(/has no parameter "gravity"/);
  });
  it('drops parameters that do not apply after an env change', () => {
    const d = base();
    setTaskEnv(d, ENVS, 1, 'CartPole-v1');
    expect(d.tasks[1]!.envId).toBe('CartPole-v1');
    expect(d.tasks[1]!.label).toBe('CartPole-v1');
    expect(d.tasks[1]!.params).toEqual({});
  });
  it('requires at least one task', () => {
    const d = base();
    removeTask(d, 0);
    removeTask(d, 0);
    expect(draftErrors(d)).toEqual(['The sequence needs at least one task.']);
  });
});
