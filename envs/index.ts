/**
 * Public entry point of the environment suite: build environments by id, list their specs, and register
 * user gridworld maps. Everything else in envs/ is an implementation detail of these functions (the classes
 * are exported too, for tests and for code that needs a gridworld's BFS helpers).
 */
import { Acrobot } from './acrobot';
import { CartPole } from './cartpole';
import { CLASSIC_ENVS } from './catalog';
import { gridSpec, Gridworld, type GridTask } from './gridworld/gridworld';
import { BUILTIN_GRID_TASKS } from './gridworld/maps';
import { parseGridMap } from './gridworld/parse-map';
import { MountainCar } from './mountain-car';
import { measureRandomReturn } from './random-return';
import { allEntries, getEntry, registerEntry } from './registry';
import type { Env, EnvSpec } from './types';

export type { Env, EnvSnapshot, EnvSpec, ParamSpec, ResetResult, SnapshotKind, StepResult } from './types';
export { ENV_KINDS, envSnapshotSchema, renderFps } from './catalog';
export type { EnvKind } from './kind';
export type { GridMap } from './gridworld/cells';
export { CELL } from './gridworld/cells';
export { MAP_CHARS, MAX_MAP_SIDE, parseGridMap } from './gridworld/parse-map';
export { gridMeanOptimalReturn, gridOptimalReturn, gridStartCells, Gridworld } from './gridworld/gridworld';
export { Acrobot, CartPole, MountainCar };

/** Builds the environment registered as `id`. Throws for an unknown id or invalid `params`. */
export function makeEnv(id: string, params?: object): Env {
  return getEntry(id).create(params);
}

/** Every registered environment's spec (built-ins first, then user maps in registration order). */
export function listEnvs(): EnvSpec[] {
  return allEntries().map((e) => e.spec);
}

/** The spec registered as `id`; throws for an unknown id. */
export function getEnvSpec(id: string): EnvSpec {
  return getEntry(id).spec;
}

/** True for environments built from a gridworld map (they offer `optimalReturn` and friends). */
export function isGridworld(env: Env): env is Gridworld {
  return env instanceof Gridworld;
}

export interface GridMapOptions {
  /** One line for menus; defaults to "Custom map <name>". */
  description?: string;
  /** Time limit T; defaults to 4·width·height (MiniGrid's Empty rule). Integer in [1, 100000]. */
  maxEpisodeSteps?: number;
}

/** Episodes used to estimate a user map's `randomReturn` at registration (seeded, so reproducible). */
export const CUSTOM_MAP_RANDOM_EPISODES = 200;

/**
 * Registers a user gridworld map under `id` so `makeEnv(id, params)` builds it. `text` is a map in the
 * format of envs/gridworld/README.md; errors name the line and column. Registering the same user id again
 * replaces the map; built-in ids cannot be replaced. Returns the new spec.
 */
export function registerGridMap(id: string, text: string, options: GridMapOptions = {}): EnvSpec {
  if (typeof id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/u.test(id)) {
    throw new Error(
      `Invalid environment id ${JSON.stringify(id)}: use 1–64 letters, digits, '_', '.', ':' or '-', starting with a letter or digit`,
    );
  }
  if (allEntries().some((e) => e.builtin && e.spec.id === id)) {
    throw new Error(`Environment id '${id}' is built in and cannot be replaced; choose another id`);
  }
  const map = parseGridMap(text, id);
  const maxEpisodeSteps = options.maxEpisodeSteps ?? 4 * map.width * map.height;
  if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1 || maxEpisodeSteps > 100_000) {
    throw new Error(`${id}: maxEpisodeSteps must be an integer in [1, 100000], got ${maxEpisodeSteps}`);
  }
  const task: GridTask = {
    id,
    description: options.description ?? `Custom map ${id}`,
    map,
    maxEpisodeSteps,
    randomReturn: 0,
  };
  const draft = gridSpec(task);
  task.randomReturn = measureRandomReturn(new Gridworld(task, draft), CUSTOM_MAP_RANDOM_EPISODES, 0);
  const spec = deepFreeze(gridSpec(task));
  registerEntry({ spec, create: (params) => new Gridworld(task, spec, params), builtin: false });
  return spec;
}

function registerBuiltins(): void {
  for (const Ctor of CLASSIC_ENVS) {
    const spec = deepFreeze(Ctor.SPEC);
    registerEntry({ spec, create: (params) => new Ctor(params), builtin: true });
  }
  for (const def of BUILTIN_GRID_TASKS) {
    const task: GridTask = { ...def, map: parseGridMap(def.map, def.id) };
    const spec = deepFreeze(gridSpec(task));
    registerEntry({ spec, create: (params) => new Gridworld(task, spec, params), builtin: true });
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

registerBuiltins();
