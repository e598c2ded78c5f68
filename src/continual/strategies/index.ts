/**
 * The strategy registry. Adding a strategy = one new file in this folder + one line in STRATEGIES below.
 * A run's strategy may also be a composition of registered parts (`ewc+rehearsal`, compose.ts).
 * `createStrategy` validates options (sequence defaults < user options) and builds the plugin.
 */
import type { Strategy } from '../strategy';
import { canonicalStrategyName, composeDefinitions, parseComposition, STRATEGY_ALIASES } from './compose';
import { parseOptions, type StrategyDefinition, type StrategySetup } from './define';
import { ewc } from './ewc';
import { finetune } from './finetune';
import { l2 } from './l2';
import { mas } from './mas';
import { multitask } from './multitask';
import { packnet } from './packnet';
import { rehearsal } from './rehearsal';
import { si } from './si';

/** The registered plugins (the parts compositions are made of). */
export const STRATEGIES: readonly StrategyDefinition[] = [
  finetune,
  ewc,
  l2,
  mas,
  si,
  rehearsal,
  packnet,
  multitask,
];

/** Compositions offered by name (CLI help, the UI's picker, the bit-identical guard); any other works too. */
const BUILTIN_COMPOSITIONS = ['ewc+rehearsal'] as const;

export type { StrategyDefinition, StrategySetup };
export { STRATEGY_ALIASES };

/** Names to offer: every registered plugin, plus the built-in compositions after the rehearsal one. */
export function strategyNames(): string[] {
  const names = STRATEGIES.map((s) => s.name);
  names.splice(names.indexOf('rehearsal') + 1, 0, ...BUILTIN_COMPOSITIONS);
  return names;
}

/** The normalized spelling of `name` (aliases resolved, parts in order); throws a clear error if invalid. */
export function strategyName(name: string): string {
  return canonicalStrategyName(name, STRATEGIES);
}

/** A plugin's or a composition's definition (`ewc`, `ewc+rehearsal`, an alias such as `ewc-replay`). */
export function getStrategyDefinition(name: string): StrategyDefinition {
  return composeDefinitions(parseComposition(name, STRATEGIES).parts);
}

/** Validate options and resolve defaults without building anything (for recording and --help). */
export function resolveStrategyOptions(name: string, raw: unknown): Record<string, unknown> {
  const def = getStrategyDefinition(name);
  def.check?.(raw ?? {});
  return parseOptions(def.name, def.schema, raw ?? {});
}

export function createStrategy(name: string, raw: unknown, setup: StrategySetup): Strategy {
  const def = getStrategyDefinition(name);
  return def.create(resolveStrategyOptions(name, raw), setup);
}
