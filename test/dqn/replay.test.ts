// Replay buffer: padding, ring wrap-around, seeded sampling into a preallocated batch, memory bound.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../envs/rng';
import { createBatch, ReplayBuffer, transitionBytes } from '../../src/dqn/replay';

function filled(capacity: number, adds: number): ReplayBuffer {
  const buffer = new ReplayBuffer({ capacity, observationSize: 3 });
  for (let i = 0; i < adds; i++) {
    buffer.add({
      observation: [i, i + 0.5],
      action: i % 2,
      reward: i,
      nextObservation: [i + 1, i + 1.5],
      terminated: i % 3 === 0,
      task: i % 2,
    });
  }
  return buffer;
}

describe('ReplayBuffer', () => {
  it('zero-pads observations and stores terminated and task per transition', () => {
    const buffer = filled(4, 1);
    expect(Array.from(buffer.observations.subarray(0, 3))).toEqual([0, 0.5, 0]);
    expect(Array.from(buffer.nextObservations.subarray(0, 3))).toEqual([1, 1.5, 0]);
    expect(buffer.terminated[0]).toBe(1);
    expect(buffer.tasks[0]).toBe(0);
    expect(buffer.size).toBe(1);
  });

  it('wraps around and overwrites the oldest transitions', () => {
    const buffer = filled(4, 6);
    expect(buffer.size).toBe(4);
    expect(buffer.writePosition).toBe(2);
    expect(Array.from(buffer.rewards)).toEqual([4, 5, 2, 3]);
  });

  it('samples uniformly with the run rng, deterministically, into the given batch rows', () => {
    const buffer = filled(100, 100);
    const a = createBatch(8, 3);
    const b = createBatch(8, 3);
    buffer.sample(new Rng(7), a);
    buffer.sample(new Rng(7), b);
    expect(Array.from(a.rewards)).toEqual(Array.from(b.rewards));
    for (let r = 0; r < 8; r++) {
      const i = a.rewards[r]!;
      expect(a.observations[r * 3]).toBe(i);
      expect(a.nextObservations[r * 3]).toBe(i + 1);
      expect(a.actions[r]).toBe(i % 2);
      expect(a.terminated[r]).toBe(i % 3 === 0 ? 1 : 0);
      expect(a.tasks[r]).toBe(i % 2);
    }
    // Partial fill (for strategies that mix buffers) leaves other rows alone.
    const c = createBatch(4, 3);
    c.rewards.fill(-1);
    buffer.sample(new Rng(1), c, 2, 2);
    expect(c.rewards[0]).toBe(-1);
    expect(c.rewards[1]).toBe(-1);
    expect(c.rewards[2]).not.toBe(-1);
  });

  it('holds 1M transitions in at most 1.1× their raw bytes', () => {
    const observationSize = 4;
    const capacity = 1_000_000;
    const before = process.memoryUsage().arrayBuffers;
    const buffer = new ReplayBuffer({ capacity, observationSize });
    const grown = process.memoryUsage().arrayBuffers - before;
    // Raw bytes: two float32 observations, float32 reward, one byte terminated; action and task are
    // counted at their stored width (int32 / uint16), the smallest that fits any env here.
    const raw = capacity * transitionBytes(observationSize);
    expect(buffer.byteLength).toBe(raw);
    expect(grown).toBeLessThanOrEqual(1.1 * raw);
  });

  it('rejects bad input with the offending value in the message', () => {
    expect(() => new ReplayBuffer({ capacity: 0, observationSize: 2 })).toThrow(/0/);
    const buffer = filled(4, 0);
    expect(() => buffer.sample(new Rng(1), createBatch(2, 3))).toThrow(/empty/);
    expect(() =>
      buffer.add({
        observation: [1, 2, 3, 4],
        action: 0,
        reward: 0,
        nextObservation: [1],
        terminated: false,
        task: 0,
      }),
    ).toThrow(/4/);
  });
});
