/**
 * The environment registry: id → spec and factory. Built-in environments are registered by envs/index.ts;
 * user gridworld maps are added at run time with `registerGridMap`.
 */
import type { Env, EnvSpec } from './types';

export interface EnvEntry {
  spec: EnvSpec;
  /** Builds an environment; throws on invalid params. */
  create: (params?: object) => Env;
  /** Built-in ids cannot be replaced; user maps can be re-registered under the same id. */
  builtin: boolean;
}

const entries = new Map<string, EnvEntry>();

export function registerEntry(entry: EnvEntry): void {
  const existing = entries.get(entry.spec.id);
  if (existing?.builtin)
    throw new Error(`Environment id '${entry.spec.id}' is built in and cannot be replaced`);
  entries.set(entry.spec.id, entry);
}

export function getEntry(id: string): EnvEntry {
  const entry = typeof id === 'string' ? entries.get(id) : undefined;
  if (!entry) {
    throw new Error(
      `Unknown environment id ${JSON.stringify(id)}; known ids: ${[...entries.keys()].join(', ')}`,
    );
  }
  return entry;
}

export function allEntries(): EnvEntry[] {
  return [...entries.values()];
}
