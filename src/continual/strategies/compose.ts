/**
 * Strategy names and compositions. A run's strategy is one name (`ewc`) or parts joined by `+`
 * (`ewc+rehearsal`, `si+rehearsal+packnet`): at most one regularizer, one rehearsal and one isolation
 * strategy; `finetune` and `multitask` stand alone. Names are normalized to that order, so `rehearsal+ewc`
 * is `ewc+rehearsal`. Old names are aliases with bit-identical runs: `replay` → `rehearsal`, `ewc-replay` →
 * `ewc+rehearsal` (test/continual/bit-identical.test.ts keeps their old fixture entries).
 *
 * A composed plugin calls each hook of its parts in that order. Its options are one flat object: each key
 * goes to the part that declares it (`lambda` to the regularizer, `mix` to the rehearsal, …).
 */
import { z } from 'zod';
import type { Strategy, StrategyParamValue, StrategyState } from '../strategy';
import type { StrategyDefinition, StrategyKind } from './define';

/** Old names that still work, each the exact run of its new spelling. */
export const STRATEGY_ALIASES: Readonly<Record<string, string>> = {
  replay: 'rehearsal',
  'ewc-replay': 'ewc+rehearsal',
};

/** Order of the parts in a normalized name. */
const KIND_ORDER: readonly StrategyKind[] = ['regularizer', 'rehearsal', 'isolation'];

const nameSchema = z
  .string()
  .trim()
  .min(1, 'is empty')
  .max(100, 'is longer than 100 characters')
  .regex(/^[a-z0-9-]+(\+[a-z0-9-]+)*$/, 'must be strategy names joined by "+" (e.g. ewc+rehearsal)');

/** Split and check a strategy name; returns the parts' definitions in normalized order. */
export function parseComposition(
  raw: string,
  registry: readonly StrategyDefinition[],
): { name: string; parts: StrategyDefinition[] } {
  const parsed = nameSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Strategy name ${JSON.stringify(raw)} ${parsed.error.issues[0]!.message}`);
  }
  const given = STRATEGY_ALIASES[parsed.data] ?? parsed.data;
  const known = () => registry.map((d) => d.name).join(', ');
  const parts = given.split('+').map((part) => {
    const def = registry.find((d) => d.name === (STRATEGY_ALIASES[part] ?? part));
    if (!def) {
      const where = given.includes('+') ? ` in "${given}"` : '';
      throw new Error(`Unknown strategy "${part}"${where} (available: ${known()}; combine with "+")`);
    }
    return def;
  });
  if (parts.length > 1) {
    const alone = parts.find((d) => d.kind === 'standalone');
    if (alone) {
      throw new Error(`Strategy "${alone.name}" stands alone and cannot be combined ("${given}")`);
    }
    for (const kind of KIND_ORDER) {
      const same = parts.filter((d) => d.kind === kind);
      if (same.length > 1) {
        throw new Error(
          `Strategy "${given}" combines ${same.length} ${kind} strategies (${same.map((d) => d.name).join(', ')}); ` +
            'a composition has at most one regularizer, one rehearsal and one isolation strategy',
        );
      }
    }
  }
  parts.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  return { name: parts.map((d) => d.name).join('+'), parts };
}

/** The normalized spelling of a strategy name (aliases resolved, parts ordered); throws like `parseComposition`. */
export function canonicalStrategyName(raw: string, registry: readonly StrategyDefinition[]): string {
  return parseComposition(raw, registry).name;
}

/** Which part takes option `key`. */
function ownerOf(name: string, parts: readonly StrategyDefinition[], key: string): StrategyDefinition {
  const owner = parts.find((d) => d.optionKeys.includes(key));
  if (!owner) {
    const all = parts.flatMap((d) => d.optionKeys);
    throw new Error(
      `Invalid options for strategy "${name}": unknown option "${key}" (it has: ${all.join(', ') || 'none'})`,
    );
  }
  return owner;
}

/** The definition of a composition of several parts (a single part is returned as it is). */
export function composeDefinitions(parts: readonly StrategyDefinition[]): StrategyDefinition {
  if (parts.length === 1) return parts[0]!;
  const name = parts.map((d) => d.name).join('+');
  const split = (raw: Record<string, unknown>): Map<StrategyDefinition, Record<string, unknown>> => {
    const out = new Map(parts.map((d) => [d, {} as Record<string, unknown>]));
    for (const [key, value] of Object.entries(raw)) out.get(ownerOf(name, parts, key))![key] = value;
    return out;
  };
  const schema = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
    const merged: Record<string, unknown> = {};
    for (const [def, options] of split(raw)) {
      def.check?.(options);
      const r = def.schema.safeParse(options);
      if (!r.success) {
        for (const issue of r.error.issues) {
          ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
        }
        return z.NEVER;
      }
      Object.assign(merged, r.data);
    }
    return merged;
  });
  return {
    name,
    kind: parts.find((d) => d.kind === 'isolation') ? 'isolation' : parts[0]!.kind,
    optionKeys: parts.flatMap((d) => d.optionKeys),
    description: parts.map((d) => d.description).join(' + '),
    schema: schema as unknown as StrategyDefinition['schema'],
    runtimeParams: parts.flatMap((d) => d.runtimeParams),
    check(raw: unknown) {
      if (raw && typeof raw === 'object') split(raw as Record<string, unknown>);
    },
    create(options, setup) {
      const byPart = split(options);
      return composeStrategies(
        name,
        parts.map((d) => ({ def: d, strategy: d.create(byPart.get(d)!, setup) })),
      );
    },
  };
}

/** One plugin whose hooks call the parts' hooks in order. */
function composeStrategies(
  name: string,
  parts: readonly { def: StrategyDefinition; strategy: Strategy }[],
): Strategy {
  const all = parts.map((p) => p.strategy);
  const having = <K extends keyof Strategy>(hook: K) => all.filter((s) => s[hook] !== undefined);
  const fillers = having('fillBatch');
  const penalizers = having('penalty');
  const choosers = having('chooseTask');
  if (fillers.length > 1 || penalizers.length > 1 || choosers.length > 1) {
    throw new Error(`Strategy "${name}": two parts fill batches, add penalties or choose tasks`);
  }
  const filler = fillers[0];
  const penalizer = penalizers[0];
  const chooser = choosers[0];
  const onTransition = having('onTransition');
  const transformers = having('transformGradients');
  const maskers = having('maskWeights');
  const afterUpdates = having('afterUpdate');
  const evaluators = having('evalWeights');
  const composed: Strategy = {
    name,
    needsUpdateDeltas: all.some((s) => s.needsUpdateDeltas),
    params() {
      return Object.assign({}, ...all.map((s) => s.params())) as Record<string, StrategyParamValue>;
    },
    beforeTask(ctx) {
      const setup = {};
      for (const s of all) Object.assign(setup, s.beforeTask?.(ctx) ?? {});
      return setup;
    },
    setParam(key, value) {
      const owner = ownerOf(
        name,
        parts.map((p) => p.def),
        key,
      );
      parts.find((p) => p.def === owner)!.strategy.setParam(key, value);
    },
    getState(): StrategyState {
      const state: StrategyState = { json: {}, arrays: {} };
      for (const s of all) {
        const part = s.getState();
        Object.assign(state.json, part.json);
        Object.assign(state.arrays, part.arrays);
      }
      return state;
    },
    setState(state) {
      for (const s of all) s.setState(state);
    },
    dispose() {
      for (const s of all) s.dispose();
    },
  };
  if (chooser) composed.chooseTask = (ctx) => chooser.chooseTask!(ctx);
  if (onTransition.length) {
    composed.onTransition = (ctx, t) => {
      for (const s of onTransition) s.onTransition!(ctx, t);
    };
  }
  if (filler) composed.fillBatch = (ctx, batch) => filler.fillBatch!(ctx, batch);
  if (penalizer) {
    composed.penalty = (ctx) => penalizer.penalty!(ctx);
    if (penalizer.penaltyActive) composed.penaltyActive = (ctx) => penalizer.penaltyActive!(ctx);
  }
  if (transformers.length) {
    composed.transformGradients = (ctx, grads, present) => {
      for (const s of transformers) s.transformGradients!(ctx, grads, present);
    };
  }
  if (maskers.length) {
    composed.maskWeights = (ctx, weights, present) => {
      for (const s of maskers) s.maskWeights!(ctx, weights, present);
    };
  }
  if (afterUpdates.length) {
    composed.afterUpdate = (ctx, info) => {
      for (const s of afterUpdates) s.afterUpdate!(ctx, info);
    };
  }
  if (having('afterTask').length) {
    composed.afterTask = (ctx) => {
      for (const s of all) s.afterTask?.(ctx);
    };
  }
  if (evaluators.length) {
    composed.evalWeights = (ctx, task) => {
      for (const s of evaluators) {
        const w = s.evalWeights!(ctx, task);
        if (w) return w;
      }
      return null;
    };
  }
  return composed;
}
