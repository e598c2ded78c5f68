/**
 * Plain-text progress for `cli run` when stderr is not a terminal (a pipe, a log file, CI): one line at most
 * every `intervalMs` and one whenever a stage changes, e.g.
 *   progress: step 12000/170000 (7%) · stage 1/4 CartPole 12000/30000 · ε 0.05 · scores 0.41 – – · 512 steps/s
 * cli-progress redraws only from a timer, and a training loop that never yields starves the timer, so a
 * non-terminal run printed nothing until it ended (issue 15, ask 5).
 */
import type { RunnerStatus } from '../continual/runner';

/** Milliseconds between two periodic lines. */
export const PLAIN_PROGRESS_INTERVAL_MS = 10_000;

export class PlainProgress {
  private lastAt = -Infinity;
  private lastStage = -1;

  constructor(
    private readonly write: (line: string) => void,
    private readonly intervalMs = PLAIN_PROGRESS_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Prints a line if the interval has passed, the stage changed or the run is done. */
  update(s: RunnerStatus, scores: readonly string[]): void {
    const t = this.now();
    if (t - this.lastAt < this.intervalMs && s.stage === this.lastStage && !s.done) return;
    if (s.done && this.lastStage === Number.POSITIVE_INFINITY) return;
    this.lastAt = t;
    this.lastStage = s.done ? Number.POSITIVE_INFINITY : s.stage;
    this.write(formatProgressLine(s, scores));
  }
}

export function formatProgressLine(s: RunnerStatus, scores: readonly string[]): string {
  const pct = s.totalSteps > 0 ? Math.floor((100 * s.step) / s.totalSteps) : 100;
  const parts = [`progress: step ${s.step}/${s.totalSteps} (${pct}%)`];
  if (s.done) parts.push('done');
  else {
    parts.push(`stage ${s.stage + 1}/${s.stageCount} ${s.taskLabel} ${s.taskStep}/${s.taskSteps}`);
    parts.push(`ε ${s.epsilon.toFixed(2)}`);
  }
  parts.push(`scores ${scores.join(' ')}`);
  if (s.lastEpisodeReturn !== null) parts.push(`last episode ${round(s.lastEpisodeReturn)}`);
  if (s.stepsPerSec > 0) parts.push(`${Math.round(s.stepsPerSec)} steps/s`);
  return parts.join(' · ');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
