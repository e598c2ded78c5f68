/**
 * Task sequences: the zod schema of a sequence file, loading by built-in name or JSON path, and resolution
 * into distinct TASKS (one Q-head and one matrix column each) and training STAGES (one per listed entry,
 * repeated `repeats` times). Two entries with the same env id and the same resolved parameters are the same
 * task: "CartPole → Acrobot → CartPole" has two tasks and three stages. Docs: docs/SEQUENCES.md.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { getEnvSpec, isGridworld, listEnvs, makeEnv } from '../../envs';
import { measureRandomReturn } from '../../envs/random-return';
import { resolveParams } from '../../envs/validate';
import type { DqnConfigOverrides, TaskDqnOverrides } from '../dqn/config';
import { readBoundedTextFile } from '../fs/read-bounded';
import { sequenceSchema } from './sequence-schema';
import { BUILTIN_SEQUENCES } from './sequences';

export { sequenceSchema, sequenceTaskSchema } from './sequence-schema';
export type { SequenceSpec, SequenceTaskSpec } from './sequence-schema';

/** A distinct task of a resolved sequence. */
export interface TaskDef {
  index: number;
  envId: string;
  /** All parameters with defaults filled in. */
  params: Record<string, number>;
  /** Only the parameters the sequence set (for display and recording). */
  givenParams: Record<string, number>;
  label: string;
  observationSize: number;
  actionCount: number;
  /** Normalization anchors (EnvSpec.randomReturn and rewardThreshold). */
  randomReturn: number;
  threshold: number;
  /**
   * The task's own DQN settings as given (on top of its env's preset), or null: the sequence's settings.
   * Several entries of one task share them (an entry without `dqn` takes the one an other entry gives).
   */
  dqn: TaskDqnOverrides | null;
}

/** One stretch of training on one task. */
export interface Stage {
  task: number;
  steps: number;
}

export interface ResolvedSequence {
  name: string;
  description: string;
  tasks: TaskDef[];
  stages: Stage[];
  dqn: DqnConfigOverrides;
  strategies: Record<string, Record<string, unknown>>;
  /** The validated source, as recorded in sessions. */
  spec: z.output<typeof sequenceSchema>;
}

/** Validate raw JSON (from a file, IPC or a session) and resolve it; throws an Error naming what is wrong. */
export function resolveSequence(raw: unknown, fallbackName = 'custom'): ResolvedSequence {
  const parsed = sequenceSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`Invalid sequence "${fallbackName}": ${detail}`);
  }
  const spec = parsed.data;
  const known = listEnvs().map((e) => (typeof e === 'string' ? e : e.id));
  const tasks: TaskDef[] = [];
  const keys = new Map<string, number>();
  const entryTask: number[] = [];
  spec.tasks.forEach((entry, i) => {
    if (!known.includes(entry.env)) {
      throw new Error(
        `Invalid sequence "${fallbackName}": tasks.${i}.env: unknown environment "${entry.env}" (known: ${known.join(', ')})`,
      );
    }
    const envSpec = getEnvSpec(entry.env);
    let params: Record<string, number>;
    try {
      params = { ...resolveParams(entry.env, envSpec.params, entry.params) };
    } catch (error) {
      throw new Error(`Invalid sequence "${fallbackName}": tasks.${i}.params: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const key = `${entry.env}|${JSON.stringify(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)))}`;
    let index = keys.get(key);
    if (index !== undefined && entry.dqn) {
      // A task has one set of settings for all its stages: an entry without `dqn` takes its task's.
      const earlier = tasks[index]!;
      if (earlier.dqn === null) earlier.dqn = { ...entry.dqn };
      else if (JSON.stringify(entry.dqn) !== JSON.stringify(earlier.dqn)) {
        throw new Error(
          `Invalid sequence "${fallbackName}": tasks.${i}.dqn: differs from an earlier entry of the same task ` +
            `(${earlier.label}); a task trains with one set of settings in all its stages`,
        );
      }
    }
    if (index === undefined) {
      const { randomReturn, threshold } = normalizationAnchors(entry.env, params);
      index = tasks.length;
      keys.set(key, index);
      tasks.push({
        index,
        envId: entry.env,
        params,
        givenParams: { ...(entry.params ?? {}) },
        label: entry.label ?? defaultLabel(entry.env, entry.params),
        observationSize: envSpec.observationSize,
        actionCount: envSpec.actionCount,
        randomReturn,
        threshold,
        dqn: entry.dqn ? { ...entry.dqn } : null,
      });
    }
    entryTask.push(index);
  });
  const stages: Stage[] = [];
  for (let r = 0; r < spec.repeats; r++) {
    spec.tasks.forEach((entry, i) => stages.push({ task: entryTask[i]!, steps: entry.steps }));
  }
  return {
    name: spec.name ?? fallbackName,
    description: spec.description ?? '',
    tasks,
    stages,
    dqn: spec.dqn ?? {},
    strategies: spec.strategies ?? {},
    spec,
  };
}

/** Largest sequence file accepted (a real one is a few kB). */
export const MAX_SEQUENCE_FILE_BYTES = 1024 * 1024;

/** A built-in name (see sequences.ts) or a path to a JSON file (a regular file of at most 1 MiB). */
export function loadSequence(nameOrPath: string): ResolvedSequence {
  const builtin = BUILTIN_SEQUENCES[nameOrPath];
  if (builtin) return resolveSequence(builtin, nameOrPath);
  if (!nameOrPath.endsWith('.json') && !fs.existsSync(nameOrPath)) {
    throw new Error(
      `Unknown sequence "${nameOrPath}": not a built-in (${Object.keys(BUILTIN_SEQUENCES).join(', ')}) and no such file`,
    );
  }
  const text = readBoundedTextFile(nameOrPath, MAX_SEQUENCE_FILE_BYTES, 'Sequence file');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`Sequence file "${nameOrPath}" is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const base = nameOrPath.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  return resolveSequence(raw, base);
}

/** Episodes of the random policy measured for gridworlds started on random cells. */
const RANDOM_START_EPISODES = 200;

/**
 * R_random and R_threshold of a task. The spec's values, except for gridworlds with `randomStart: 1`,
 * whose scores are averaged over start cells: threshold = mean BFS-optimal return over the start cells,
 * random = the random policy's mean return measured with random starts (seeded, so reproducible).
 */
export function normalizationAnchors(
  envId: string,
  params: Record<string, number>,
): { randomReturn: number; threshold: number } {
  const spec = getEnvSpec(envId);
  if (spec.family !== 'gridworld' || params.randomStart !== 1) {
    return { randomReturn: spec.randomReturn, threshold: spec.rewardThreshold };
  }
  const env = makeEnv(envId, params);
  if (!isGridworld(env)) return { randomReturn: spec.randomReturn, threshold: spec.rewardThreshold };
  return {
    randomReturn: measureRandomReturn(env, RANDOM_START_EPISODES, 0),
    threshold: env.meanOptimalReturn(),
  };
}

/** The same task with new parameters (validated against the env's ranges; normalization recomputed). */
export function taskWithParams(task: TaskDef, given: Record<string, number>): TaskDef {
  const spec = getEnvSpec(task.envId);
  const params = { ...resolveParams(task.envId, spec.params, given) };
  return { ...task, params, givenParams: { ...given }, ...normalizationAnchors(task.envId, params) };
}

function defaultLabel(envId: string, params: Record<string, number> | undefined): string {
  const given = Object.entries(params ?? {});
  return given.length === 0 ? envId : `${envId} ${given.map(([k, v]) => `${k}=${v}`).join(' ')}`;
}
