/**
 * The run's schedule as the UI shows it (status.schedule): current stage, its progress, the next task, and
 * the budget a manual switch to each task would insert (src/continual/runner.ts: a switch inserts a stage of
 * the task with its scheduled budget, so the run grows by that much).
 */
import type { ContinualRunner } from '../continual/runner';
import type { Schedule } from '../protocol/messages';

export function scheduleOf(runner: ContinualRunner): Schedule {
  const s = runner.status();
  const stages = runner.schedule();
  const planned = runner.config.sequence.stages;
  const next = stages[s.stage + 1];
  return {
    stage: Math.min(s.stage, Math.max(0, stages.length - 1)),
    stageCount: stages.length,
    stageStep: s.taskStep,
    stageSteps: s.taskSteps,
    totalSteps: s.totalSteps,
    nextTask: next ? next.task : null,
    switchSteps: runner.taskDefs().map((_, i) => planned.find((p) => p.task === i)?.steps ?? 0),
  };
}
