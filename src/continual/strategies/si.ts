/**
 * `si`: Synaptic Intelligence (Zenke, Poole & Ganguli, ICML 2017, arXiv 1703.04200). Along the training
 * path of a task, each update adds ωᵢ += −gᵢ·Δθᵢ (g = gradient of the UNREGULARIZED TD loss, as Zenke's
 * code); at the task's end Ωᵢ += ωᵢ / ((θᵢ(end) − θᵢ(start))² + ξ), ω is reset and θ is anchored.
 * Ω is clipped at 0 and max-normalized so λ means what it means for EWC. Costs an extra gradient
 * pass and two weight reads per update (`needsUpdateDeltas`).
 */
import { z } from 'zod';
import { AnchorStore, readVariables } from '../anchor-store';
import { maxNormalize } from '../importance';
import type { Strategy, StrategyContext, UpdateInfo } from '../strategy';
import { defineStrategy, paramsOf, setParamChecked } from './define';

const schema = z.strictObject({
  /** Penalty strength (Zenke's c, here on max-normalized Ω). */
  lambda: z.number().min(0).max(1e12).default(1000),
  /** Damping ξ of the path-length denominator. */
  xi: z.number().positive().max(1e6).default(0.1),
  normalize: z.enum(['max', 'none']).default('max'),
});
type Options = z.output<typeof schema>;
const RUNTIME = ['lambda', 'xi'] as const;

export const si = defineStrategy({
  name: 'si',
  kind: 'regularizer',
  optionKeys: Object.keys(schema.shape),
  description: 'Synaptic Intelligence: importance = path integral of −g·Δθ over each task.',
  schema,
  runtimeParams: RUNTIME,
  create(options, setup): Strategy {
    let opts: Options = options;
    const store = new AnchorStore(setup.variables, { mode: 'online', gamma: 1 });
    let omega: Float32Array[] = setup.variables.map((v) => new Float32Array(v.size));
    let start: Float32Array[] | null = null;
    return {
      name: 'si',
      needsUpdateDeltas: true,
      params: () => paramsOf(opts),
      penalty: () => store.penalty(opts.lambda),
      penaltyActive: () => store.active(opts.lambda),
      beforeTask(ctx: StrategyContext) {
        start = readVariables(ctx.model.variables);
        omega = ctx.model.variables.map((v) => new Float32Array(v.size));
      },
      afterUpdate(ctx: StrategyContext, info: UpdateInfo) {
        if (!info.before || !info.grads) return;
        ctx.model.variables.forEach((v, i) => {
          const after = v.dataSync() as Float32Array;
          const before = info.before![i]!;
          const g = info.grads![i]!;
          const w = omega[i]!;
          for (let k = 0; k < w.length; k++) w[k]! -= g[k]! * (after[k]! - before[k]!);
        });
      },
      afterTask(ctx: StrategyContext) {
        const end = readVariables(ctx.model.variables);
        const from = start ?? end;
        const importance = omega.map((w, i) => {
          const out = new Float32Array(w.length);
          for (let k = 0; k < w.length; k++) {
            const d = end[i]![k]! - from[i]![k]!;
            out[k] = Math.max(0, w[k]! / (d * d + opts.xi));
          }
          return out;
        });
        if (opts.normalize === 'max') maxNormalize(importance);
        store.consolidate(ctx.task, importance, end);
        omega = ctx.model.variables.map((v) => new Float32Array(v.size));
      },
      setParam(name, value) {
        opts = setParamChecked('si', schema, RUNTIME, opts, name, value);
      },
      getState() {
        const state = store.getState('si.');
        omega.forEach((w, i) => (state.arrays[`si.omega.${i}`] = w));
        start?.forEach((s, i) => (state.arrays[`si.start.${i}`] = s));
        return state;
      },
      setState(state) {
        store.setState(state, 'si.');
        omega = setup.variables.map((v, i) => state.arrays[`si.omega.${i}`] ?? new Float32Array(v.size));
        const s = setup.variables.map((_, i) => state.arrays[`si.start.${i}`]);
        start = s.every((a) => a instanceof Float32Array) ? (s as Float32Array[]) : null;
      },
      dispose: () => store.dispose(),
    };
  },
});
