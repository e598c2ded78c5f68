/**
 * A bounded reservoir of one task's transitions (Vitter's algorithm R): after n offers, every offered
 * transition is kept with probability capacity/n, so the reservoir is a uniform sample of the whole task.
 * Typed arrays, preallocated; `sampleInto` fills rows of a ReplayBatch (no allocation).
 */
import type { Rng } from '../../envs/rng';
import type { ReplayBatch, Transition } from '../dqn/replay';

export class Reservoir {
  readonly observations: Float32Array;
  readonly nextObservations: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  /** Transitions offered so far. */
  seen = 0;

  constructor(
    readonly task: number,
    readonly capacity: number,
    readonly observationSize: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`Reservoir capacity must be ≥ 1, got ${capacity}`);
    this.observations = new Float32Array(capacity * observationSize);
    this.nextObservations = new Float32Array(capacity * observationSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Uint8Array(capacity);
  }

  get size(): number {
    return Math.min(this.seen, this.capacity);
  }

  offer(t: Readonly<Transition>, rng: Rng): void {
    this.seen += 1;
    const slot = this.seen <= this.capacity ? this.seen - 1 : rng.integer(this.seen);
    if (slot >= this.capacity) return;
    const n = this.observationSize;
    for (let k = 0; k < n; k++) {
      this.observations[slot * n + k] = k < t.observation.length ? t.observation[k]! : 0;
      this.nextObservations[slot * n + k] = k < t.nextObservation.length ? t.nextObservation[k]! : 0;
    }
    this.actions[slot] = t.action;
    this.rewards[slot] = t.reward;
    this.terminated[slot] = t.terminated ? 1 : 0;
  }

  /** Fill batch row `row` with a uniformly drawn stored transition. */
  sampleInto(batch: ReplayBatch, row: number, rng: Rng): void {
    const i = rng.integer(this.size);
    const n = this.observationSize;
    batch.observations.set(this.observations.subarray(i * n, i * n + n), row * n);
    batch.nextObservations.set(this.nextObservations.subarray(i * n, i * n + n), row * n);
    batch.actions[row] = this.actions[i]!;
    batch.rewards[row] = this.rewards[i]!;
    batch.terminated[row] = this.terminated[i]!;
    batch.tasks[row] = this.task;
  }

  /** Stored rows only (for checkpoints). */
  toArrays(prefix: string): Record<string, Float32Array> {
    const s = this.size;
    const n = this.observationSize;
    return {
      [`${prefix}observations`]: this.observations.slice(0, s * n),
      [`${prefix}nextObservations`]: this.nextObservations.slice(0, s * n),
      [`${prefix}actions`]: Float32Array.from(this.actions.subarray(0, s)),
      [`${prefix}rewards`]: this.rewards.slice(0, s),
      [`${prefix}terminated`]: Float32Array.from(this.terminated.subarray(0, s)),
    };
  }

  fromArrays(prefix: string, arrays: Record<string, Float32Array>, seen: number): void {
    const get = (k: string): Float32Array => {
      const a = arrays[`${prefix}${k}`];
      if (!(a instanceof Float32Array)) throw new Error(`Strategy state: "${prefix}${k}" is missing`);
      return a;
    };
    const actions = get('actions');
    const s = actions.length;
    if (s > this.capacity || s !== Math.min(seen, this.capacity)) {
      throw new Error(`Strategy state: reservoir ${prefix} holds ${s} rows, inconsistent with seen=${seen}`);
    }
    this.observations.set(get('observations'));
    this.nextObservations.set(get('nextObservations'));
    this.actions.set(actions);
    this.rewards.set(get('rewards'));
    this.terminated.set(get('terminated'));
    this.seen = seen;
  }
}
