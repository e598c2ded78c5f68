/**
 * The per-task reservoirs behind `rehearsal` (alone or composed, e.g. `ewc+rehearsal`): the current task's
 * transitions are offered to its reservoir as they are collected; gradient steps on later tasks draw `mix`
 * of each minibatch from the reservoirs of PAST tasks (a past task chosen uniformly per row), the rest
 * from the current buffer.
 */
import type { Rng } from '../../../envs/rng';
import type { ReplayBatch, Transition } from '../../dqn/replay';
import { Reservoir } from '../reservoir';
import type { StrategyContext, StrategyState } from '../strategy';

export class RehearsalMemory {
  private readonly reservoirs = new Map<number, Reservoir>();
  private readonly pool: Reservoir[] = [];

  constructor(
    private readonly perTask: number,
    private readonly observationSize: number,
  ) {}

  offer(task: number, t: Readonly<Transition>, rng: Rng): void {
    let r = this.reservoirs.get(task);
    if (!r) {
      r = new Reservoir(task, this.perTask, this.observationSize);
      this.reservoirs.set(task, r);
    }
    r.offer(t, rng);
  }

  /** Fill the last round(mix·B) rows from past tasks' reservoirs; returns the number of rows filled. */
  fill(ctx: StrategyContext, batch: ReplayBatch, mix: number): number {
    this.pool.length = 0;
    for (const r of this.reservoirs.values()) if (r.task !== ctx.task && r.size > 0) this.pool.push(r);
    if (this.pool.length === 0) return 0;
    const rows = Math.min(batch.size - 1, Math.round(mix * batch.size));
    for (let k = 0; k < rows; k++) {
      const r = this.pool[this.pool.length === 1 ? 0 : ctx.rng.integer(this.pool.length)]!;
      r.sampleInto(batch, batch.size - rows + k, ctx.rng);
    }
    return rows;
  }

  getState(prefix: string): StrategyState {
    const arrays: Record<string, Float32Array> = {};
    const meta: { task: number; seen: number }[] = [];
    for (const r of this.reservoirs.values()) {
      meta.push({ task: r.task, seen: r.seen });
      Object.assign(arrays, r.toArrays(`${prefix}${r.task}.`));
    }
    return { json: { [`${prefix}reservoirs`]: meta }, arrays };
  }

  setState(state: StrategyState, prefix: string): void {
    const meta = state.json[`${prefix}reservoirs`];
    if (!Array.isArray(meta)) throw new Error(`Strategy state: "${prefix}reservoirs" is missing`);
    this.reservoirs.clear();
    for (const m of meta as { task: number; seen: number }[]) {
      if (!Number.isInteger(m?.task) || !Number.isInteger(m?.seen)) {
        throw new Error(`Strategy state: bad reservoir entry ${JSON.stringify(m)}`);
      }
      const r = new Reservoir(m.task, this.perTask, this.observationSize);
      r.fromArrays(`${prefix}${m.task}.`, state.arrays, m.seen);
      this.reservoirs.set(m.task, r);
    }
  }
}
