/** What the metric tiles show for the run on screen (pure: no DOM). */
import type { ScoresSummary } from '../../src/protocol/run-model';
import type { AppState } from '../state/app-state';
import { isRunning } from '../state/selectors';

export interface TileValues {
  acc: number | null;
  /** "ACC", "ACC · 2/4 seen" (averaged over the tasks trained so far) or "ACC · final". */
  accLabel: string;
  forgetting: number | null;
  bwt: number | null;
  fwt: number | null;
  stepsPerSec: number | null;
  step: number | null;
  epsilon: number | null;
}

/**
 * Tile values for the run on screen. ACC is "—" until a stage has ended, and is averaged over the tasks
 * trained so far (labelled "k/n seen") until every task has been trained. ε and steps/s exist only while a
 * live run trains; a finished run shows its final metrics, a reset (no run) shows nothing.
 */
export function tileValues(s: AppState, m: ScoresSummary | null): TileValues {
  const live = !s.playback;
  const training = live && isRunning(s);
  const stages = m?.rows.length ?? 0;
  const partial = m !== null && stages > 0 && m.seenTasks < m.taskCount;
  return {
    acc: stages === 0 ? null : partial ? m.accSeen : m!.acc,
    accLabel: partial
      ? `ACC · ${m.seenTasks}/${m.taskCount} seen`
      : s.run.ended && live
        ? 'ACC · final'
        : 'ACC',
    forgetting: m?.forgetting ?? null,
    bwt: m?.bwt ?? null,
    fwt: m?.fwt ?? null,
    stepsPerSec: training ? (s.status?.stepsPerSec ?? null) : null,
    step: s.playback ? s.playback.cursor : training || s.status?.done ? (s.status?.step ?? null) : null,
    epsilon: training ? (s.status?.epsilon ?? null) : null,
  };
}
