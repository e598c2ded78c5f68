/** Derived values read by several views (pure). */
import type { AppState } from './app-state';
import type { ScoresSummary } from '../../src/protocol/run-model';
import { runScores, type RunView, type TaskInfo } from './run-view';

export const isRunning = (s: AppState): boolean => s.status?.running === true && s.status.done !== true;
export const isPaused = (s: AppState): boolean => isRunning(s) && s.status?.paused === true;

/** The run the charts show: the played-back session up to its cursor, else the live run. */
export const shownRun = (s: AppState): RunView => s.playback?.run ?? s.run;

/** Tasks for the task buttons: the played-back run's, else the live run's, else the draft's. */
export function switchableTasks(s: AppState): TaskInfo[] {
  if (s.playback) return s.playback.run.tasks;
  if (s.run.tasks.length > 0) return s.run.tasks;
  return s.draft.tasks.map((t) => ({ label: t.label || t.envId, envId: t.envId }));
}

/**
 * The task being trained now: the run's last task-start (the event stream, which the live view's frames
 * follow), else the status (a page that has not received the run's events yet).
 */
export function currentTask(s: AppState): { index: number; label: string } | null {
  if (s.status?.running && s.run.currentTask !== null)
    return { index: s.run.currentTask, label: labelOf(s.run, s.run.currentTask) };
  if (s.status && s.status.running)
    return { index: s.status.taskIndex, label: s.status.label || labelOf(s.run, s.status.taskIndex) };
  if (s.run.currentTask !== null)
    return { index: s.run.currentTask, label: labelOf(s.run, s.run.currentTask) };
  return null;
}

function labelOf(run: RunView, index: number): string {
  return run.tasks[index]?.label ?? `task ${index + 1}`;
}

/** R matrix and metrics of the shown run (live or playback), from its events (src/session/run-scores.ts). */
export function shownScores(s: AppState): ScoresSummary | null {
  return runScores(shownRun(s));
}

/** Why Start cannot start a run now (the first invalid field, named), or null. */
export function startBlocker(s: AppState): string | null {
  if (s.settings.seedError) return `Seed: ${s.settings.seedError}`;
  if (s.draft.tasks.length === 0) return 'Sequence: add at least one task.';
  for (const [i, t] of s.draft.tasks.entries()) {
    const first = Object.entries(t.errors)[0];
    if (first) return `Task ${i + 1} (${t.label || t.envId}): ${first[1]}`;
  }
  return null;
}
