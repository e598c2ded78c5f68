/**
 * RunView: what the charts, task buttons and tiles show about one run, folded from RunEvents (pure, no DOM).
 * The live UI applies events one at a time inside an immer draft; playback rebuilds the view from a recorded
 * session's events up to the scrubber's cursor with `runViewFromEvents`.
 *
 * What the run IS comes from its run-start's resolved run (tasks, stages, strategy and knobs, seed, backend);
 * the view never re-derives task identity. The R matrix and metrics are folded by src/session/run-scores.ts,
 * the same code the engine's summary and `export` use.
 */
import {
  addScoreEvent,
  type ResolvedRun,
  type RunEvent,
  emptyScores,
  scoresSummary,
  type ScoresData,
  type ScoresSummary,
} from '../../src/protocol/run-model';

/** One evaluation point of one task. */
export interface EvalPoint {
  step: number;
  mean: number;
  normalized: number;
}

/** A stretch of steps during which one task was trained (end null while it is still being trained). */
export interface TaskSpan {
  task: number;
  start: number;
  end: number | null;
  source: 'scheduled' | 'manual';
}

export interface TaskInfo {
  label: string;
  envId: string;
}

/** The ε-greedy training return of one task (moving average) at an episode end. */
export interface TrainPoint {
  step: number;
  /** Exponential moving average (α = 0.1) of the training episodes' returns so far. */
  avgReturn: number;
}

export interface EpisodeStats {
  count: number;
  lastReturn: number | null;
  /** Exponential moving average of episode returns (α = 0.1), null before the first episode. */
  avgReturn: number | null;
}

export interface RunView {
  /** The run as its engine resolved it (null for sessions recorded before run-start carried it). */
  resolved: ResolvedRun | null;
  sequence: string | null;
  strategy: string | null;
  /** The strategy's λ now (resolved knobs, then λ changes), null for strategies without one. */
  lambda: number | null;
  seed: number | null;
  /** The run's distinct tasks (resolved run; else task-start events), indexed by task. */
  tasks: TaskInfo[];
  currentTask: number | null;
  /** Evaluation history per task index. */
  evals: EvalPoint[][];
  spans: TaskSpan[];
  /** Steps of manual task switches. */
  switches: number[];
  markers: { step: number; label: string }[];
  /** R matrix (one row per ended stage), baseline and curves: the shared fold (run-scores.ts). */
  scores: ScoresData;
  episodes: EpisodeStats[];
  /**
   * Training (ε-greedy) return per task over steps, one point per ≥ TRAIN_POINT_GAP steps, so a user sees
   * learning the greedy evaluation does not show yet.
   */
  training: TrainPoint[][];
  lastStep: number;
  lastT: number;
  ended: 'finished' | 'stopped' | 'error' | null;
  finalMetrics: Record<string, unknown> | null;
  paramChanges: { step: number; what: string; value: unknown; task?: number }[];
}

export const EMPTY_RUN: RunView = {
  resolved: null,
  sequence: null,
  strategy: null,
  lambda: null,
  seed: null,
  tasks: [],
  currentTask: null,
  evals: [],
  spans: [],
  switches: [],
  markers: [],
  scores: emptyScores(),
  episodes: [],
  training: [],
  lastStep: 0,
  lastT: 0,
  ended: null,
  finalMetrics: null,
  paramChanges: [],
};

export function emptyRun(): RunView {
  return structuredClone(EMPTY_RUN);
}

const EMA_ALPHA = 0.1;
/** Env steps between two kept training-return points of a task (bounds the chart's data). */
export const TRAIN_POINT_GAP = 250;

/** The strategy's λ, when it has one (knobs of the resolved run or a param-change). */
function lambdaOf(params: Record<string, unknown>): number | null {
  const v = params.lambda;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function ensureTask(run: RunView, task: number): void {
  while (run.evals.length <= task) run.evals.push([]);
  while (run.episodes.length <= task) run.episodes.push({ count: 0, lastReturn: null, avgReturn: null });
  while (run.training.length <= task) run.training.push([]);
}

/** Applies one event to a (draft or plain) RunView in place. */
export function applyRunEvent(run: RunView, e: RunEvent): void {
  run.lastStep = Math.max(run.lastStep, e.step);
  run.lastT = Math.max(run.lastT, e.t);
  if (e.type !== 'run-start') addScoreEvent(run.scores, e);
  switch (e.type) {
    case 'run-start': {
      const fresh = emptyRun();
      Object.assign(run, fresh);
      addScoreEvent(run.scores, e);
      const r = e.run ?? null;
      run.resolved = r;
      run.sequence = r?.sequence ?? (typeof e.sequence === 'string' ? e.sequence : e.sequence.name);
      run.strategy = r?.strategy.name ?? (typeof e.strategy === 'string' ? e.strategy : e.strategy.name);
      run.lambda = r
        ? lambdaOf(r.strategy.params)
        : typeof e.strategy === 'string'
          ? null
          : lambdaOf(e.strategy);
      run.seed = e.seed;
      // Tasks come from the resolved run; older sessions name them in their task-start events.
      run.tasks = r ? r.tasks.map((t) => ({ label: t.label, envId: t.envId })) : [];
      run.lastStep = e.step;
      run.lastT = e.t;
      for (let i = 0; i < run.tasks.length; i++) ensureTask(run, i);
      break;
    }
    case 'task-start': {
      ensureTask(run, e.task);
      while (run.tasks.length <= e.task) run.tasks.push({ label: `task ${run.tasks.length + 1}`, envId: '' });
      if (!run.resolved) run.tasks[e.task] = { label: e.label || e.envId, envId: e.envId };
      const open = run.spans[run.spans.length - 1];
      if (open && open.end === null) open.end = e.step;
      run.spans.push({ task: e.task, start: e.step, end: null, source: e.source });
      if (e.source === 'manual') run.switches.push(e.step);
      run.currentTask = e.task;
      break;
    }
    case 'episode': {
      ensureTask(run, e.task);
      const s = run.episodes[e.task]!;
      s.count += 1;
      s.lastReturn = e.return;
      s.avgReturn = s.avgReturn === null ? e.return : s.avgReturn + EMA_ALPHA * (e.return - s.avgReturn);
      const points = run.training[e.task]!;
      const last = points[points.length - 1];
      if (!last || e.step - last.step >= TRAIN_POINT_GAP)
        points.push({ step: e.step, avgReturn: s.avgReturn });
      break;
    }
    case 'eval':
      ensureTask(run, e.task);
      run.evals[e.task]!.push({ step: e.step, mean: e.mean, normalized: e.normalized });
      break;
    case 'task-end':
      break;
    case 'param-change':
      run.paramChanges.push(
        e.task === undefined
          ? { step: e.step, what: e.what, value: e.value }
          : { step: e.step, what: e.what, value: e.value, task: e.task },
      );
      if (e.what === 'strategy' || e.what === 'strategy.name') {
        if (typeof e.value === 'string') run.strategy = e.value;
      }
      if (e.what === 'strategy.lambda' && typeof e.value === 'number') run.lambda = e.value;
      break;
    case 'marker':
      run.markers.push({ step: e.step, label: e.label });
      break;
    case 'run-end': {
      run.ended = e.reason;
      run.finalMetrics = { ...e.metrics };
      const open = run.spans[run.spans.length - 1];
      if (open && open.end === null) open.end = e.step;
      break;
    }
    case 'checkpoint':
    case 'eval-episode':
    case 'resume':
      break;
  }
}

/** Builds the view of a recorded run as it was at step `cursor` (all events when cursor is omitted). */
export function runViewFromEvents(events: readonly RunEvent[], cursor = Number.POSITIVE_INFINITY): RunView {
  const run = emptyRun();
  for (const e of events) {
    if (e.step > cursor) break;
    applyRunEvent(run, e);
  }
  return run;
}

/**
 * R matrix (rows = stages, columns = tasks) and ACC, forgetting, BWT, FWT of the run as of its last event,
 * from the shared fold (src/session/run-scores.ts); null before any event. AUC is left out (not shown).
 */
export function runScores(run: RunView): ScoresSummary | null {
  if (run.scores.tasks.length === 0 && run.scores.stages.length === 0) return null;
  try {
    return scoresSummary(run.scores, { auc: false });
  } catch {
    return null; // rows that do not fit together (a damaged recording): show no metrics rather than wrong ones
  }
}
