// The gridworld greedy-policy map: one greedy query per free cell with the documented one-hot encoding.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../envs/index';
import { gridPolicy } from '../../src/trainer/policy-map';

describe('gridPolicy', () => {
  it('asks the policy once per free cell with a one-hot of that cell, −1 on walls', () => {
    const env = makeEnv('Grid-Empty-6x6-v0');
    env.reset(1);
    const snap = env.snapshot();
    if (snap.kind !== 'Gridworld') throw new Error('expected a gridworld');
    const seen: number[] = [];
    const policy = gridPolicy(snap, env.observationSize, (obs) => {
      const hot = obs.findIndex((v) => v === 1);
      expect(obs.reduce((a, b) => a + b, 0)).toBe(1);
      seen.push(hot);
      return hot % 4;
    })!;
    expect(policy).toHaveLength(snap.width * snap.height);
    for (let y = 0; y < snap.height; y++) {
      for (let x = 0; x < snap.width; x++) {
        const i = y * snap.width + x;
        if (snap.rows[y]![x] === '#') expect(policy[i]).toBe(-1);
        else expect(policy[i]).toBe(i % 4);
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('keeps the key bit on maps with a key, and refuses an unknown encoding', () => {
    const env = makeEnv('Grid-DoorKey-v0');
    env.reset(1);
    const snap = env.snapshot();
    if (snap.kind !== 'Gridworld') throw new Error('expected a gridworld');
    const keyBits = new Set<number>();
    gridPolicy(
      { ...snap, hasKey: true },
      env.observationSize,
      (obs) => (keyBits.add(obs[obs.length - 1]!), 0),
    );
    expect([...keyBits]).toEqual([1]);
    expect(gridPolicy(snap, 7, () => 0)).toBeNull();
  });
});
