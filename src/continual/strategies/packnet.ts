/**
 * `packnet`: PackNet (Mallya & Lazebnik, CVPR 2018), the strongest method of Continual World. Each task
 * trains the trunk's free weights; after `pruneAt` of its stage it keeps the `keep` fraction of them with the
 * largest magnitude in every layer and releases the rest (set to 0 and held there), and the remaining part of
 * the stage retrains the kept weights alone. At the stage's end the kept weights become the task's: frozen
 * for the rest of the run (their gradients zeroed, their values held bit for bit), and the released ones are
 * free for the next task. Task t is evaluated with only the weights owned by tasks up to t (later tasks' and
 * free weights set to 0), so what later tasks learn cannot change it. Biases are not pruned: like the paper,
 * they belong to the first task. Heads are per task already and are never masked.
 *
 * `keep: 'auto'` gives each remaining stage an equal share of what is free: 1/(stages left, this one
 * included), so the last stage keeps all. A stage that ends before its pruning point (a manual switch) keeps
 * all its free weights.
 */
import { z } from 'zod';
import type { Strategy, StrategyContext } from '../strategy';
import { defineStrategy, paramsOf, setParamChecked } from './define';

const schema = z.strictObject({
  /** Fraction of the free weights of each trunk layer a task keeps ('auto': 1 / stages left). */
  keep: z.union([z.literal('auto'), z.number().gt(0).max(1)]).default('auto'),
  /** Fraction of a stage after which its weights are pruned (the rest of the stage retrains what is kept). */
  pruneAt: z.number().gt(0).lt(1).default(0.75),
});
type Options = z.output<typeof schema>;
const RUNTIME = [] as const;

/** Owner codes besides pack indices (≥ 0). */
const FREE = -1;
const RELEASED = -2;

export const packnet = defineStrategy({
  name: 'packnet',
  kind: 'isolation',
  optionKeys: Object.keys(schema.shape),
  description:
    'PackNet: prune to keep a share of free weights per task, freeze them, evaluate with task masks.',
  schema,
  runtimeParams: RUNTIME,
  create(options, setup): Strategy {
    const opts: Options = options;
    const trunk = setup.variables.slice(0, setup.variables.length - 2 * setup.tasks.length);
    const isKernel = trunk.map((v) => v.shape.length === 2);
    /** Per trunk weight: FREE, RELEASED (held at 0 until the stage ends) or the pack (task order) owning it. */
    let owner = trunk.map((v) => new Int32Array(v.size).fill(FREE));
    /** 1 where the weight is held (frozen or released), with the value it is held at. */
    const held = trunk.map((v) => new Uint8Array(v.size));
    const value = trunk.map((v) => new Float32Array(v.size));
    /** Task of each pack, in order. */
    let packs: number[] = [];
    let active = -1;
    let pruned = false;

    const refreshHeld = () => {
      const current = packs.length;
      owner.forEach((o, i) => {
        for (let k = 0; k < o.length; k++) {
          const code = o[k]!;
          held[i]![k] = code === RELEASED || (code >= 0 && code < current) ? 1 : 0;
          if (code === RELEASED) value[i]![k] = 0;
        }
      });
    };

    /** Keep the largest free weights of each kernel, release the rest (to 0); `weights` are the agent's. */
    const prune = (ctx: StrategyContext, weights: readonly Float32Array[]) => {
      pruned = true;
      const fraction = opts.keep === 'auto' ? 1 / Math.max(1, ctx.stages.length - ctx.stage) : opts.keep;
      const pack = packs.length;
      trunk.forEach((_, i) => {
        if (!isKernel[i]) return;
        const o = owner[i]!;
        const w = weights[i]!;
        const free: number[] = [];
        for (let k = 0; k < o.length; k++) if (o[k] === FREE) free.push(k);
        // Largest magnitude first; ties by index (deterministic).
        free.sort((a, b) => Math.abs(w[b]!) - Math.abs(w[a]!) || a - b);
        const kept = Math.round(fraction * free.length);
        free.forEach((k, rank) => {
          if (rank < kept) {
            o[k] = pack;
          } else {
            o[k] = RELEASED;
            w[k] = 0;
          }
        });
      });
      refreshHeld();
    };

    return {
      name: 'packnet',
      params: () => paramsOf(opts),
      beforeTask(ctx) {
        active = ctx.task;
        pruned = false;
      },
      transformGradients(_ctx, grads, present) {
        for (let i = 0; i < trunk.length; i++) {
          if (!present[i]) continue;
          const g = grads[i]!;
          const h = held[i]!;
          for (let k = 0; k < h.length; k++) if (h[k]) g[k] = 0;
        }
      },
      maskWeights(ctx, weights) {
        if (!pruned && active >= 0) {
          const budget = ctx.stages[ctx.stage]?.steps ?? 0;
          if (ctx.stageStep >= opts.pruneAt * budget) prune(ctx, weights);
        }
        for (let i = 0; i < trunk.length; i++) {
          const w = weights[i]!;
          const h = held[i]!;
          const v = value[i]!;
          for (let k = 0; k < h.length; k++) if (h[k]) w[k] = v[k]!;
        }
      },
      afterTask(ctx) {
        if (active < 0) return;
        const task = active;
        active = -1;
        if (ctx.replay.size === 0) return; // nothing was learned (a stage switched away at once)
        const pack = packs.length;
        trunk.forEach((v, i) => {
          const o = owner[i]!;
          const w = v.dataSync() as Float32Array;
          for (let k = 0; k < o.length; k++) {
            if (o[k] === RELEASED) o[k] = FREE;
            else if (o[k] === FREE && (isKernel[i] || pack === 0)) o[k] = pack;
            if (o[k] === pack) value[i]![k] = w[k]!;
          }
        });
        packs.push(task);
        pruned = false;
        refreshHeld();
      },
      evalWeights(ctx, task) {
        const pack = packs.lastIndexOf(task);
        // The task in training, one never trained, or the latest pack (its mask changes nothing): as they are.
        if (task === active || pack < 0 || (pack === packs.length - 1 && active < 0)) return null;
        return ctx.model.variables.map((v, i) => {
          const w = Float32Array.from(v.dataSync() as Float32Array);
          const o = owner[i];
          if (o) for (let k = 0; k < o.length; k++) if (!(o[k]! >= 0 && o[k]! <= pack)) w[k] = 0;
          return w;
        });
      },
      setParam(name, value) {
        setParamChecked('packnet', schema, RUNTIME, opts, name, value);
      },
      getState() {
        const arrays: Record<string, Float32Array> = {};
        owner.forEach((o, i) => {
          arrays[`packnet.owner.${i}`] = Float32Array.from(o);
          arrays[`packnet.value.${i}`] = Float32Array.from(value[i]!);
        });
        return {
          json: { 'packnet.packs': [...packs], 'packnet.active': active, 'packnet.pruned': pruned },
          arrays,
        };
      },
      setState(state) {
        const p = state.json['packnet.packs'];
        const a = state.json['packnet.active'];
        if (!Array.isArray(p) || !p.every((t) => Number.isInteger(t) && t >= 0) || !Number.isInteger(a)) {
          throw new Error('Strategy state: packnet "packs"/"active" are missing or not task indices');
        }
        owner = trunk.map((v, i) => {
          const saved = state.arrays[`packnet.owner.${i}`];
          const values = state.arrays[`packnet.value.${i}`];
          if (!saved || saved.length !== v.size || !values || values.length !== v.size) {
            throw new Error(`Strategy state: packnet masks of variable ${i} are missing or the wrong size`);
          }
          value[i]!.set(values);
          return Int32Array.from(saved);
        });
        packs = [...(p as number[])];
        active = a as number;
        pruned = state.json['packnet.pruned'] === true;
        refreshHeld();
      },
      dispose() {},
    };
  },
});
