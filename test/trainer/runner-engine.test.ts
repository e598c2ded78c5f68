// The trainer's start-command translation: built-in names, inline tasks, and inline tasks edited from a
// built-in sequence (`base`), which keep its tuned DQN and strategy settings; LabInfo's tuned λ per sequence.
import { describe, expect, it } from 'vitest';
import { BUILTIN_SEQUENCES } from '../../src/continual/sequences';
import { resolveRunConfig } from '../../src/continual/run-config';
import { describeLab } from '../../src/trainer/info';
import { runConfigFor, sequenceInput } from '../../src/trainer/runner-engine';

const TASKS = [{ env: 'CartPole-v1', steps: 1000, label: 'cp' }];

describe('sequenceInput', () => {
  it('passes a built-in name through and refuses an unknown one', () => {
    expect(sequenceInput('classic-mix')).toBe('classic-mix');
    expect(() => sequenceInput('nope')).toThrow(/Unknown sequence "nope"/);
  });

  it('gives edited tasks the DQN hyperparameters and strategy settings of their base sequence', () => {
    const spec = BUILTIN_SEQUENCES['classic-mix']!;
    expect(sequenceInput({ tasks: TASKS, base: 'classic-mix' })).toEqual({
      name: 'classic-mix (edited)',
      tasks: TASKS,
      dqn: spec.dqn,
      strategies: spec.strategies,
    });
    expect(sequenceInput({ tasks: TASKS })).toEqual({ tasks: TASKS });
    expect(() => sequenceInput({ tasks: TASKS, base: 'nope' })).toThrow(/Unknown sequence "nope"/);
  });

  it('resolves to the same DQN config as the unedited built-in sequence', () => {
    const start = { type: 'start' as const, strategy: 'ewc', seed: 1, record: false };
    const edited = resolveRunConfig(
      runConfigFor({ ...start, sequence: { tasks: TASKS, base: 'fourrooms' } }),
    );
    const builtin = resolveRunConfig(runConfigFor({ ...start, sequence: 'fourrooms' }));
    expect(edited.dqn).toEqual(builtin.dqn);
    expect(edited.strategyOptions).toEqual(builtin.strategyOptions);
    const plain = resolveRunConfig(runConfigFor({ ...start, sequence: { tasks: TASKS } }));
    expect(plain.dqn).not.toEqual(builtin.dqn); // the generic defaults (why `base` matters)
  });
});

describe('LabInfo sequences', () => {
  it("carry each sequence's tuned λ per strategy", () => {
    const seqs = describeLab().sequences;
    expect(seqs.find((s) => s.name === 'classic-mix')?.lambdas).toEqual({ ewc: 100, 'ewc+rehearsal': 100 });
    expect(seqs.find((s) => s.name === 'fourrooms')?.lambdas).toEqual({ ewc: 1000, 'ewc+rehearsal': 1000 });
  });
});
