/**
 * The schedule and the effect of a manual switch in words (pure): what the task switcher shows before a
 * switch (tooltips, the schedule line) and the notice after it. Semantics: src/continual/runner.ts (a switch
 * ends the current stage now, inserts a stage of the chosen task with its scheduled budget; the rest of the
 * schedule follows).
 */
import type { Schedule } from '../../src/protocol/messages';
import { formatSteps } from '../format/format';
import type { AppState } from './app-state';
import { currentTask, isRunning, switchableTasks } from './selectors';

/** What switching to `index` would do, in one sentence (null when no live run). */
export function switchEffect(s: AppState, index: number): string | null {
  const sched = s.status?.schedule;
  const tasks = switchableTasks(s);
  if (!sched || s.playback || !isRunning(s)) return null;
  const label = tasks[index]?.label ?? `task ${index + 1}`;
  const budget = sched.switchSteps[index] ?? 0;
  const cur = currentTask(s);
  const next =
    sched.nextTask === null
      ? 'then the run ends'
      : `then ${tasks[sched.nextTask]?.label ?? `task ${sched.nextTask + 1}`} as planned`;
  const ends = cur
    ? `ends ${cur.label}'s stage now (${formatSteps(sched.stageStep)} of ${formatSteps(sched.stageSteps)} steps)`
    : 'ends the current stage now';
  return `Switching ${ends}, trains ${label} for ${formatSteps(budget)} steps, ${next}. The run grows to ${formatSteps(sched.totalSteps - Math.max(0, sched.stageSteps - sched.stageStep) + budget)} steps.`;
}

/** The schedule in one line: stage k of n, progress, what comes next, the run's length. */
export function scheduleLine(s: AppState, sched: Schedule | undefined): string {
  if (!sched) return '';
  const tasks = switchableTasks(s);
  const next =
    sched.nextTask === null
      ? 'last stage'
      : `next: ${tasks[sched.nextTask]?.label ?? `task ${sched.nextTask + 1}`}`;
  return `Stage ${sched.stage + 1} of ${sched.stageCount} · ${formatSteps(sched.stageStep)}/${formatSteps(sched.stageSteps)} steps · ${next} · run ${formatSteps(sched.totalSteps)} steps`;
}
