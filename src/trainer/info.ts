/**
 * What the UI needs to build its pickers and editors (LabInfo minus what the service adds): every
 * registered env with its parameter ranges, every strategy with its λ default, the built-in sequences and
 * the versions shown in Help → About.
 */
import { listEnvs } from '../../envs/index';
import { resolveTaskDqn } from '../continual/run-config';
import { BUILTIN_NOTES, BUILTIN_SEQUENCES } from '../continual/sequences';
import { DEFAULT_DQN_CONFIG, describeTaskDqn, resolveDqnConfig } from '../dqn/config';
import { getStrategyDefinition, resolveStrategyOptions, strategyNames } from '../continual/strategies/index';
import type { LabInfo } from '../protocol/messages';
import { systemInfo } from '../system-info';

export function describeLab(): Pick<LabInfo, 'envs' | 'strategies' | 'sequences' | 'versions'> {
  const sys = systemInfo();
  const versions: Record<string, string> = {
    app: sys.app,
    node: sys.node,
    tfjs: sys.tfjs,
    cpu: `${sys.cpuModel} (${sys.cores} cores)`,
    platform: sys.platform,
  };
  if (sys.electron.runningIn) versions.electron = sys.electron.runningIn;
  if (process.versions.chrome) versions.chrome = process.versions.chrome;
  return {
    versions,
    envs: listEnvs().map((s) => ({
      id: s.id,
      description: s.description,
      family: s.family,
      actionNames: [...s.actionNames],
      params: s.params.map((p) => ({ ...p })),
      maxEpisodeSteps: s.maxEpisodeSteps,
    })),
    strategies: strategyNames().map((name) => {
      const def = getStrategyDefinition(name);
      const usesLambda = def.runtimeParams.includes('lambda');
      const defaults = safeDefaults(def.name);
      const lambda = defaults?.lambda;
      return {
        name: def.name,
        description: def.description,
        usesLambda,
        ...(usesLambda && typeof lambda === 'number' ? { defaultLambda: lambda } : {}),
      };
    }),
    sequences: Object.entries(BUILTIN_SEQUENCES).map(([name, spec]) => {
      // Each entry's settings as a run would resolve them (without resolving the tasks' normalization
      // anchors, which measures random returns for gridworlds: too slow for every info request).
      const run = resolveDqnConfig(DEFAULT_DQN_CONFIG, spec.dqn ?? {});
      const settingsOf = (t: (typeof spec.tasks)[number]) =>
        describeTaskDqn(resolveTaskDqn(run, t.env, t.dqn ?? null, {}, undefined, t.env));
      const notes = BUILTIN_NOTES[name];
      return {
        name,
        description: spec.description ?? '',
        ...(notes ? { demonstrates: notes.demonstrates, duration: notes.duration } : {}),
        tasks: spec.tasks.map((t) => ({
          env: t.env,
          steps: t.steps,
          ...(t.label ? { label: t.label } : {}),
          ...(t.params ? { params: { ...t.params } } : {}),
          ...(t.dqn ? { dqn: { ...t.dqn } } : {}),
          settings: settingsOf(t),
        })),
        ...tunedLambdas(spec.strategies),
      };
    }),
  };
}

function safeDefaults(name: string): Record<string, unknown> | undefined {
  try {
    return resolveStrategyOptions(name, {});
  } catch {
    return undefined;
  }
}

/** The numeric λ a sequence sets per strategy, as LabInfo's `lambdas` (nothing when it sets none). */
function tunedLambdas(strategies: Record<string, Record<string, unknown>> | undefined): {
  lambdas?: Record<string, number>;
} {
  const out: Record<string, number> = {};
  for (const [name, options] of Object.entries(strategies ?? {})) {
    if (typeof options.lambda === 'number') out[name] = options.lambda;
  }
  return Object.keys(out).length > 0 ? { lambdas: out } : {};
}
