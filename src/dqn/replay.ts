/**
 * Replay buffer: a preallocated ring buffer on typed arrays (no allocation per `add` or per `sample`).
 *
 * Each transition stores: observation and next observation (zero-padded to the run's `observationSize`),
 * action, reward, `terminated` and the task index. `terminated` is stored on its own and truncation is NOT
 * stored: a time-limit cut is not a real end, so its next observation (the true final observation, not the
 * reset one) must still be bootstrapped; only `terminated` zeroes the bootstrap term.
 *
 * Memory per transition: 8·observationSize (two float32 observations) + 4 (int32 action) + 4 (float32 reward)
 * + 1 (uint8 terminated) + 2 (uint16 task) bytes; nothing else grows with capacity (see `byteLength`).
 * Sampling is uniform with replacement (as SB3) through the run's seeded `Rng`, into a caller-owned batch.
 */
import type { Rng } from '../../envs/rng';

/** One transition, as handed to `add`. Callers may reuse one object; `add` copies everything out. */
export interface Transition {
  observation: ArrayLike<number>;
  action: number;
  reward: number;
  nextObservation: ArrayLike<number>;
  /** True only for a real episode end (not a time-limit truncation). */
  terminated: boolean;
  task: number;
}

/** A minibatch in typed arrays, preallocated once with `createBatch` and refilled by `sample`. */
export interface ReplayBatch {
  size: number;
  observationSize: number;
  /** size × observationSize, row-major. */
  observations: Float32Array;
  nextObservations: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  /** 1 where the transition ended the episode by termination, else 0. */
  terminated: Uint8Array;
  tasks: Int32Array;
}

export interface ReplayBufferOptions {
  capacity: number;
  /** Largest observation size in the run; shorter observations are zero-padded. */
  observationSize: number;
}

/** Bytes of one transition as stored (the "raw" size; the buffer has no per-transition overhead). */
export function transitionBytes(observationSize: number): number {
  return 8 * observationSize + 4 + 4 + 1 + 2;
}

export function createBatch(size: number, observationSize: number): ReplayBatch {
  if (!Number.isInteger(size) || size <= 0)
    throw new Error(`Batch size must be a positive integer, got ${size}`);
  return {
    size,
    observationSize,
    observations: new Float32Array(size * observationSize),
    nextObservations: new Float32Array(size * observationSize),
    actions: new Int32Array(size),
    rewards: new Float32Array(size),
    terminated: new Uint8Array(size),
    tasks: new Int32Array(size),
  };
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly observationSize: number;
  readonly observations: Float32Array;
  readonly nextObservations: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly tasks: Uint16Array;
  /** Next slot to write. */
  private position = 0;
  private count = 0;

  constructor(options: ReplayBufferOptions) {
    const { capacity, observationSize } = options;
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new Error(`Replay capacity must be a positive integer, got ${capacity}`);
    }
    if (!Number.isInteger(observationSize) || observationSize <= 0) {
      throw new Error(`Replay observationSize must be a positive integer, got ${observationSize}`);
    }
    this.capacity = capacity;
    this.observationSize = observationSize;
    this.observations = new Float32Array(capacity * observationSize);
    this.nextObservations = new Float32Array(capacity * observationSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Uint8Array(capacity);
    this.tasks = new Uint16Array(capacity);
  }

  /** Number of stored transitions (≤ capacity). */
  get size(): number {
    return this.count;
  }

  /** Index of the slot the next `add` writes (for checkpoints). */
  get writePosition(): number {
    return this.position;
  }

  /** Total bytes held by the storage arrays. */
  get byteLength(): number {
    return (
      this.observations.byteLength +
      this.nextObservations.byteLength +
      this.actions.byteLength +
      this.rewards.byteLength +
      this.terminated.byteLength +
      this.tasks.byteLength
    );
  }

  add(t: Transition): void {
    const n = this.observationSize;
    if (t.observation.length > n || t.nextObservation.length > n) {
      throw new Error(
        `Observation of length ${Math.max(t.observation.length, t.nextObservation.length)} exceeds the replay observationSize ${n}`,
      );
    }
    const i = this.position;
    const base = i * n;
    copyPadded(this.observations, base, t.observation, n);
    copyPadded(this.nextObservations, base, t.nextObservation, n);
    this.actions[i] = t.action;
    this.rewards[i] = t.reward;
    this.terminated[i] = t.terminated ? 1 : 0;
    this.tasks[i] = t.task;
    this.position = (i + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /**
   * Fill `batch` rows [offset, offset + count) with transitions drawn uniformly with replacement.
   * (The offset lets a strategy mix rows from several buffers into one batch.)
   */
  sample(rng: Rng, batch: ReplayBatch, offset = 0, count = batch.size - offset): ReplayBatch {
    if (this.count === 0) throw new Error('Cannot sample from an empty replay buffer');
    if (batch.observationSize !== this.observationSize) {
      throw new Error(
        `Batch observationSize ${batch.observationSize} differs from the buffer's ${this.observationSize}`,
      );
    }
    if (offset < 0 || count < 0 || offset + count > batch.size) {
      throw new Error(`Rows [${offset}, ${offset + count}) do not fit a batch of ${batch.size}`);
    }
    const n = this.observationSize;
    for (let r = offset; r < offset + count; r++) {
      const i = rng.integer(this.count);
      const from = i * n;
      const to = r * n;
      for (let k = 0; k < n; k++) {
        batch.observations[to + k] = this.observations[from + k]!;
        batch.nextObservations[to + k] = this.nextObservations[from + k]!;
      }
      batch.actions[r] = this.actions[i]!;
      batch.rewards[r] = this.rewards[i]!;
      batch.terminated[r] = this.terminated[i]!;
      batch.tasks[r] = this.tasks[i]!;
    }
    return batch;
  }

  clear(): void {
    this.position = 0;
    this.count = 0;
  }

  /** Counters needed to restore the ring (the arrays themselves are saved by the checkpoint code). */
  getCursor(): { position: number; count: number } {
    return { position: this.position, count: this.count };
  }

  setCursor(cursor: { position: number; count: number }): void {
    const { position, count } = cursor;
    if (!Number.isInteger(position) || position < 0 || position >= this.capacity) {
      throw new Error(`Replay position ${position} is outside [0, ${this.capacity})`);
    }
    if (!Number.isInteger(count) || count < 0 || count > this.capacity) {
      throw new Error(`Replay count ${count} is outside [0, ${this.capacity}]`);
    }
    this.position = position;
    this.count = count;
  }
}

function copyPadded(target: Float32Array, base: number, source: ArrayLike<number>, width: number): void {
  const len = source.length;
  for (let k = 0; k < len; k++) target[base + k] = source[k]!;
  for (let k = len; k < width; k++) target[base + k] = 0;
}
