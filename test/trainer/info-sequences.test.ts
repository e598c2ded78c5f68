// The sequence picker's data (issue 15): each built-in says what it demonstrates and how long it takes, and
// each task carries the settings it trains with; a draft keeps a task's own settings until its env changes,
// and sends them with the inline sequence, which the engine then resolves to the same per-task settings.
import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../src/continual/run-config';
import { labInfoSchema } from '../../src/protocol/messages';
import { describeLab } from '../../src/trainer/info';
import { sequenceInput } from '../../src/trainer/runner-engine';
import { draftFromTasks, setTaskEnv, toSequenceRef } from '../../renderer/state/draft-sequence';

describe('built-in sequences in info', () => {
  const lab = describeLab();

  it('every built-in has what it demonstrates, a duration and each task settings in words', () => {
    for (const seq of lab.sequences) {
      expect(seq.demonstrates, seq.name).toMatch(/\w/);
      expect(seq.duration, seq.name).toMatch(/steps/);
      for (const t of seq.tasks) expect(t.settings, `${seq.name} ${t.env}`).toMatch(/^lr .* · batch \d+ · /);
    }
    const classic = lab.sequences.find((s) => s.name === 'classic-mix')!;
    // Acrobot's task trains with the Acrobot preset (batch 128, target every 250), not CartPole's.
    expect(classic.tasks[1]!.settings).toMatch(/batch 128 .*target every 250/);
    expect(classic.tasks[2]!.settings).toMatch(/γ 0\.98/);
  });

  it('passes the protocol schema', () => {
    const parsed = labInfoSchema.shape.sequences.safeParse(lab.sequences);
    expect(parsed.success).toBe(true);
  });

  it('an edited classic-mix draft sends each task settings; an env change drops them', () => {
    const classic = lab.sequences.find((s) => s.name === 'classic-mix')!;
    const draft = draftFromTasks(classic.name, classic.tasks);
    setTaskEnv(draft, lab.envs, 2, 'CartPole-v1');
    const ref = toSequenceRef(draft);
    if (typeof ref === 'string') throw new Error('expected an inline sequence');
    expect(ref.tasks[1]!.dqn).toEqual({});
    expect(ref.tasks[2]!.dqn).toBeUndefined();
    const edited = resolveRunConfig({ sequence: sequenceInput(ref) });
    const original = resolveRunConfig({ sequence: 'classic-mix' });
    expect(edited.taskDqn[1]).toEqual(original.taskDqn[1]); // Acrobot keeps its preset
  });
});
