/**
 * Builds the resolved run recorded in run-start (schema and meaning: src/session/resolved-run.ts) from the
 * runner's resolved config: the distinct tasks with their resolved parameters and labels, the planned stage
 * schedule, the strategy's name and knobs, the seed and the backend.
 */
import type { ResolvedRun } from '../session/resolved-run';
import type { ResolvedRunConfig } from './run-config';
import type { TaskDef } from './sequence';
import type { Strategy } from './strategy';

export function resolvedRunOf(
  config: ResolvedRunConfig,
  tasks: readonly TaskDef[],
  strategy: Pick<Strategy, 'name' | 'params'>,
  backend: string,
): ResolvedRun {
  return {
    sequence: config.sequence.name,
    tasks: tasks.map((t) => ({
      index: t.index,
      envId: t.envId,
      label: t.label,
      params: { ...t.params },
      givenParams: { ...t.givenParams },
    })),
    stages: config.sequence.stages.map((s) => ({ task: s.task, steps: s.steps })),
    strategy: { name: strategy.name, params: { ...strategy.params() } },
    seed: config.seed,
    backend,
  };
}
