/**
 * The quadratic anchor penalty shared by EWC, L2, MAS and SI:  (λ/2) · Σ_k Σ_i F_k,i · (θ_i − θ*_k,i)².
 *
 * Two ways to keep past tasks (docs/STRATEGIES.md):
 * - `separate`: one (importance, anchor) pair per past task (EWC as in Kirkpatrick et al. 2017). A task
 *   consolidated again (a repeated task) replaces its own pair.
 * - `online`: one running pair, F ← γ·F + F_new and θ* ← the latest optimum (Schwarz et al. 2018); with
 *   γ = 1 this is SI's and MAS's accumulated importance.
 *
 * Separate pairs are folded into ONE quadratic with the same gradient: Σ_k F_k(θ − θ_k)² =
 * A(θ − m)² + const, with A = Σ_k F_k and m = Σ_k F_k θ_k / A. So the per-update cost does not grow with
 * the number of past tasks. A and m are host Float32Arrays handed to the agent as a `QuadraticPenalty`
 * (src/dqn/penalty.ts), whose gradient λ·A·(θ − m) the optimizer adds in closed form: no tape, no tensors.
 * Variables whose importance is all zero (heads of tasks not yet consolidated) are null (free).
 */
import type * as tf from '@tensorflow/tfjs';
import type { QuadraticPenalty } from '../dqn/penalty';
import type { StrategyState } from './strategy';

export type AnchorMode = { mode: 'separate' } | { mode: 'online'; gamma: number };

interface Pair {
  task: number;
  importance: Float32Array[];
  anchor: Float32Array[];
}

export class AnchorStore {
  private pairs: Pair[] = [];
  /** The folded A and m (null where A is all zero), handed out by `penalty` (its λ set per call). */
  private readonly combined: QuadraticPenalty & {
    importance: (Float32Array | null)[];
    anchor: (Float32Array | null)[];
  } = { lambda: 0, importance: [], anchor: [] };

  constructor(
    private readonly variables: readonly tf.Variable[],
    private mode: AnchorMode,
  ) {}

  /** Change γ of online mode (affects future consolidations only). */
  setGamma(gamma: number): void {
    if (this.mode.mode === 'online') this.mode = { mode: 'online', gamma };
  }

  /** Add (or, in separate mode, replace) the pair of `task`. Arrays follow `variables` order. */
  consolidate(task: number, importance: Float32Array[], anchor: Float32Array[]): void {
    if (importance.length !== this.variables.length || anchor.length !== this.variables.length) {
      throw new Error(
        `AnchorStore: expected ${this.variables.length} arrays, got ${importance.length}/${anchor.length}`,
      );
    }
    if (this.mode.mode === 'separate') {
      this.pairs = this.pairs.filter((p) => p.task !== task);
      this.pairs.push({ task, importance, anchor });
    } else {
      const gamma = this.mode.gamma;
      const previous = this.pairs[0];
      if (previous) {
        importance = importance.map((f, i) => {
          const out = new Float32Array(f.length);
          const old = previous.importance[i]!;
          for (let k = 0; k < f.length; k++) out[k] = gamma * old[k]! + f[k]!;
          return out;
        });
      }
      this.pairs = [{ task, importance, anchor }];
    }
    this.rebuild();
  }

  /** Whether `penalty(lambda)` adds anything (something was consolidated and λ ≠ 0). */
  active(lambda: number): boolean {
    return this.pairs.length > 0 && lambda !== 0;
  }

  /**
   * The penalty (λ/2) Σ A (θ − m)² as host arrays, or null before any consolidation (or λ = 0). The same
   * object every call (nothing is allocated per update); valid until the next `consolidate`/`setState`.
   */
  penalty(lambda: number): QuadraticPenalty | null {
    if (!this.active(lambda) || !this.combined.importance.some((a) => a !== null)) return null;
    this.combined.lambda = lambda;
    return this.combined;
  }

  getState(prefix: string): StrategyState {
    const arrays: Record<string, Float32Array> = {};
    this.pairs.forEach((p, k) => {
      p.importance.forEach((a, i) => (arrays[`${prefix}${k}.importance.${i}`] = a));
      p.anchor.forEach((a, i) => (arrays[`${prefix}${k}.anchor.${i}`] = a));
    });
    return { json: { [`${prefix}tasks`]: this.pairs.map((p) => p.task) }, arrays };
  }

  setState(state: StrategyState, prefix: string): void {
    const tasks = state.json[`${prefix}tasks`];
    if (!Array.isArray(tasks) || !tasks.every((t) => Number.isInteger(t) && t >= 0)) {
      throw new Error(`Strategy state: "${prefix}tasks" must be a list of task indices`);
    }
    const read = (key: string, i: number): Float32Array => {
      const a = state.arrays[key];
      if (!(a instanceof Float32Array) || a.length !== this.variables[i]!.size) {
        throw new Error(`Strategy state: "${key}" is missing or has the wrong length`);
      }
      return a;
    };
    this.pairs = (tasks as number[]).map((task, k) => ({
      task,
      importance: this.variables.map((_, i) => read(`${prefix}${k}.importance.${i}`, i)),
      anchor: this.variables.map((_, i) => read(`${prefix}${k}.anchor.${i}`, i)),
    }));
    this.rebuild();
  }

  clear(): void {
    this.pairs = [];
    this.rebuild();
  }

  dispose(): void {
    this.combined.importance = [];
    this.combined.anchor = [];
  }

  private rebuild(): void {
    const folded = this.variables.map((v, i) => {
      const size = v.size;
      const a = new Float32Array(size);
      const weighted = new Float32Array(size);
      for (const p of this.pairs) {
        const f = p.importance[i]!;
        const anchor = p.anchor[i]!;
        for (let k = 0; k < size; k++) {
          a[k]! += f[k]!;
          weighted[k]! += f[k]! * anchor[k]!;
        }
      }
      let any = false;
      for (let k = 0; k < size; k++) {
        if (a[k]! > 0) {
          any = true;
          weighted[k]! /= a[k]!;
        } else {
          weighted[k] = 0;
        }
      }
      return any ? { a, weighted } : null;
    });
    this.combined.importance = folded.map((f) => f?.a ?? null);
    this.combined.anchor = folded.map((f) => f?.weighted ?? null);
  }
}

/** Current values of `variables` (copies). */
export function readVariables(variables: readonly tf.Variable[]): Float32Array[] {
  return variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
}
