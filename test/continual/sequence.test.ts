// Sequence files: validation errors name what is wrong; built-ins resolve; repeats and repeated tasks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSequence, resolveSequence } from '../../src/continual/sequence';
import { BUILTIN_SEQUENCES } from '../../src/continual/sequences';

describe('resolveSequence', () => {
  it('resolves every built-in', () => {
    for (const name of Object.keys(BUILTIN_SEQUENCES)) {
      const s = loadSequence(name);
      expect(s.tasks.length).toBeGreaterThan(0);
      expect(s.stages.length).toBeGreaterThanOrEqual(s.tasks.length);
      for (const t of s.tasks) expect(t.threshold).toBeGreaterThan(t.randomReturn);
    }
  });

  it('default is the FourRooms sequence with four distinct tasks', () => {
    const s = loadSequence('default');
    expect(s.tasks.map((t) => t.envId)).toEqual([
      'Grid-FourRooms-GoalNE-v0',
      'Grid-FourRooms-GoalNW-v0',
      'Grid-FourRooms-GoalSW-v0',
      'Grid-FourRooms-GoalSE-v0',
    ]);
    // Random starts: threshold = mean optimum over start cells (< the optimum from the centre is not required).
    expect(s.tasks[0]!.threshold).toBeGreaterThan(0.5);
    expect(s.tasks[0]!.threshold).toBeLessThan(1);
  });

  it('maps a task listed twice to one task and two stages (classic-mix)', () => {
    const s = loadSequence('classic-mix');
    expect(s.tasks.map((t) => t.envId)).toEqual(['CartPole-v1', 'Acrobot-v1', 'MountainCar-v0']);
    expect(s.stages.map((st) => st.task)).toEqual([0, 1, 2, 0]);
  });

  it('repeats the list', () => {
    const s = resolveSequence({
      tasks: [
        { env: 'CartPole-v1', steps: 10 },
        { env: 'Acrobot-v1', steps: 20 },
      ],
      repeats: 2,
    });
    expect(s.stages).toEqual([
      { task: 0, steps: 10 },
      { task: 1, steps: 20 },
      { task: 0, steps: 10 },
      { task: 1, steps: 20 },
    ]);
  });

  it('different parameters make different tasks, with labels', () => {
    const s = resolveSequence({
      tasks: [
        { env: 'CartPole-v1', steps: 10 },
        { env: 'CartPole-v1', params: { length: 1 }, steps: 10 },
      ],
    });
    expect(s.tasks).toHaveLength(2);
    expect(s.tasks[1]!.label).toBe('CartPole-v1 length=1');
    expect(s.tasks[1]!.params.length).toBe(1);
  });

  const bad: [string, unknown, RegExp][] = [
    ['no tasks', { tasks: [] }, /tasks: a sequence needs at least one task/],
    ['missing steps', { tasks: [{ env: 'CartPole-v1' }] }, /tasks\.0\.steps/],
    ['non-integer steps', { tasks: [{ env: 'CartPole-v1', steps: 1.5 }] }, /tasks\.0\.steps/],
    [
      'unknown env',
      { tasks: [{ env: 'Pong-v9', steps: 5 }] },
      /tasks\.0\.env: unknown environment "Pong-v9"/,
    ],
    [
      'unknown param',
      { tasks: [{ env: 'CartPole-v1', params: { mass: 2 }, steps: 5 }] },
      /tasks\.0\.params: .*unknown parameter 'mass'/,
    ],
    [
      'param out of range',
      { tasks: [{ env: 'CartPole-v1', params: { gravity: 99 }, steps: 5 }] },
      /tasks\.0\.params: .*out of range/,
    ],
    ['typo key', { tasks: [{ env: 'CartPole-v1', step: 5 }] }, /tasks\.0/],
    ['bad repeats', { tasks: [{ env: 'CartPole-v1', steps: 5 }], repeats: 0 }, /repeats/],
    [
      'bad dqn override',
      { tasks: [{ env: 'CartPole-v1', steps: 5 }], dqn: { learningRate: -1 } },
      /dqn\.learningRate/,
    ],
    ['not an object', 42, /Invalid sequence/],
  ];
  for (const [what, raw, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => resolveSequence(raw, 'test')).toThrow(message);
    });
  }
});

describe('loadSequence', () => {
  it('loads a JSON file and names it after the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seq-'));
    const file = path.join(dir, 'mine.json');
    fs.writeFileSync(file, JSON.stringify({ tasks: [{ env: 'MountainCar-v0', steps: 100 }] }));
    const s = loadSequence(file);
    expect(s.name).toBe('mine');
    expect(s.tasks[0]!.envId).toBe('MountainCar-v0');
    fs.writeFileSync(file, '{ not json');
    expect(() => loadSequence(file)).toThrow(/not valid JSON/);
    fs.rmSync(dir, { recursive: true });
  });

  it('names the built-ins when the name is unknown', () => {
    expect(() => loadSequence('nope')).toThrow(
      /not a built-in \(default, fourrooms, cartpole-physics, classic-mix\)/,
    );
  });
});
