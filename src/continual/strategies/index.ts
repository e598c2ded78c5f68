/**
 * The strategy registry. Adding a strategy = one new file in this folder + one line in STRATEGIES below.
 * `createStrategy` validates options (sequence defaults < user options) and builds the plugin.
 */
import type { Strategy } from '../strategy';
import { parseOptions, type StrategyDefinition, type StrategySetup } from './define';
import { ewc } from './ewc';
import { ewcReplay } from './ewc-replay';
import { finetune } from './finetune';
import { l2 } from './l2';
import { mas } from './mas';
import { multitask } from './multitask';
import { replay } from './replay';
import { si } from './si';

export const STRATEGIES: readonly StrategyDefinition[] = [
  finetune,
  ewc,
  l2,
  mas,
  si,
  replay,
  ewcReplay,
  multitask,
];

export type { StrategyDefinition, StrategySetup };

export function strategyNames(): string[] {
  return STRATEGIES.map((s) => s.name);
}

export function getStrategyDefinition(name: string): StrategyDefinition {
  const def = STRATEGIES.find((s) => s.name === name);
  if (!def) throw new Error(`Unknown strategy "${name}" (available: ${strategyNames().join(', ')})`);
  return def;
}

/** Validate options and resolve defaults without building anything (for recording and --help). */
export function resolveStrategyOptions(name: string, raw: unknown): Record<string, unknown> {
  const def = getStrategyDefinition(name);
  def.check?.(raw ?? {});
  return parseOptions(name, def.schema, raw ?? {});
}

export function createStrategy(name: string, raw: unknown, setup: StrategySetup): Strategy {
  const def = getStrategyDefinition(name);
  return def.create(resolveStrategyOptions(name, raw), setup);
}
