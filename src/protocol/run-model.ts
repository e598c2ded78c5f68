/**
 * What the UI may know about a run, re-exported for the renderer (which imports protocol modules only):
 * the events it receives (src/session/events.ts), the resolved run stated by run-start
 * (src/session/resolved-run.ts), and the one fold that computes the R matrix and the metrics from events
 * (src/session/run-scores.ts, shared with the engine's summary and `export`). Pure: no Node, DOM or tfjs.
 */
export type { RecordedBackendChoice, RunEvent } from '../session/events';
export type { ResolvedRun, ResolvedTask } from '../session/resolved-run';
export {
  addScoreEvent,
  emptyScores,
  scoresFromEvents,
  scoresSummary,
  stageLabel,
  type RowUse,
  type ScoresData,
  type ScoresSummary,
  type ScoreStage,
  type ScoreTask,
} from '../session/run-scores';
