/**
 * Public entry of the continual-learning engine (for the CLI, the trainer process and tests): the runner,
 * its config, sequences, strategies and metrics. Everything else in src/continual/ is internal.
 */
export { ContinualRunner } from './runner';
export type { LiveFrame, RunnerOptions, RunnerStatus, RunResult, ScheduledStage } from './runner';
export { resolveRunConfig, runConfigSchema } from './run-config';
export type { ResolvedRunConfig, RunConfigInput } from './run-config';
export { loadSequence, resolveSequence, sequenceSchema } from './sequence';
export type { ResolvedSequence, SequenceSpec, Stage, TaskDef } from './sequence';
export { BUILTIN_SEQUENCES } from './sequences';
export {
  createStrategy,
  getStrategyDefinition,
  resolveStrategyOptions,
  STRATEGIES,
  strategyNames,
} from './strategies';
export type { Strategy, StrategyContext, StrategyParamValue } from './strategy';
export { GreedyPlayers } from './greedy-players';
export type { PlayerFrame } from './greedy-players';
export { computeMetrics, normalizeScore } from './metrics';
export type { ContinualMetrics, CurvePoint } from './metrics';
export { bootstrapMean } from './bootstrap';
