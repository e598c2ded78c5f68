/**
 * RunView: what the charts, task buttons and tiles show about one run, folded from RunEvents (pure, no DOM).
 * The live UI applies events one at a time inside an immer draft; replay rebuilds the view from a recorded
 * session's events up to the scrubber's cursor with `runViewFromEvents`.
 */
import type { RunEvent } from '../../src/session/events';
import { computeMetrics, type ContinualMetrics } from '../../src/continual/metrics';

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

export interface EpisodeStats {
  count: number;
  lastReturn: number | null;
  /** Exponential moving average of episode returns (α = 0.1), null before the first episode. */
  avgReturn: number | null;
}

export interface RunView {
  strategy: string | null;
  seed: number | null;
  /** Tasks known so far (from the run's config and task-start events), indexed by task. */
  tasks: TaskInfo[];
  currentTask: number | null;
  /** Evaluation history per task index. */
  evals: EvalPoint[][];
  spans: TaskSpan[];
  /** Steps of manual task switches. */
  switches: number[];
  markers: { step: number; label: string }[];
  /** R-matrix rows from task-end events (row i: scores of all tasks after training task i). */
  matrixRows: (number[] | undefined)[];
  /** Every task-end in order (one per stage): the stage's task and its R row (for metrics at any step). */
  stageRows: { task: number; row: (number | null)[] }[];
  /** Normalized score of each task under the untrained network (the evaluation before the first task). */
  baseline: (number | null)[];
  episodes: EpisodeStats[];
  lastStep: number;
  lastT: number;
  ended: 'finished' | 'stopped' | 'error' | null;
  finalMetrics: Record<string, unknown> | null;
  paramChanges: { step: number; what: string; value: unknown; task?: number }[];
}

export const EMPTY_RUN: RunView = {
  strategy: null,
  seed: null,
  tasks: [],
  currentTask: null,
  evals: [],
  spans: [],
  switches: [],
  markers: [],
  matrixRows: [],
  stageRows: [],
  baseline: [],
  episodes: [],
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

function nameOfNamed(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string') {
    return (v as { name: string }).name;
  }
  return null;
}

/** Task list from a run-start's sequence or config, when they spell it out (`{ tasks: [{ env, label? }] }`). */
export function tasksFromRunStart(sequence: unknown, config: Record<string, unknown>): TaskInfo[] {
  for (const candidate of [sequence, config.sequence, config]) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const tasks = (candidate as { tasks?: unknown }).tasks;
    if (!Array.isArray(tasks)) continue;
    // Entries repeating an env with the same parameters are one task (one head, one matrix column).
    const out: TaskInfo[] = [];
    const seen = new Set<string>();
    for (const t of tasks) {
      if (typeof t !== 'object' || t === null) return [];
      // Sequence files spell it `env`; accept `envId` too.
      const envId = (t as { env?: unknown }).env ?? (t as { envId?: unknown }).envId;
      const label = (t as { label?: unknown }).label;
      if (typeof envId !== 'string') return [];
      const identity = `${envId}|${JSON.stringify((t as { params?: unknown }).params ?? {})}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      out.push({ envId, label: typeof label === 'string' && label.length > 0 ? label : envId });
    }
    return out;
  }
  return [];
}

function ensureTask(run: RunView, task: number): void {
  while (run.evals.length <= task) run.evals.push([]);
  while (run.episodes.length <= task) run.episodes.push({ count: 0, lastReturn: null, avgReturn: null });
}

/** Applies one event to a (draft or plain) RunView in place. */
export function applyRunEvent(run: RunView, e: RunEvent): void {
  run.lastStep = Math.max(run.lastStep, e.step);
  run.lastT = Math.max(run.lastT, e.t);
  switch (e.type) {
    case 'run-start': {
      const fresh = emptyRun();
      Object.assign(run, fresh);
      run.strategy = nameOfNamed(e.strategy);
      run.seed = e.seed;
      run.tasks = tasksFromRunStart(e.sequence, e.config);
      run.lastStep = e.step;
      run.lastT = e.t;
      for (let i = 0; i < run.tasks.length; i++) ensureTask(run, i);
      break;
    }
    case 'task-start': {
      ensureTask(run, e.task);
      while (run.tasks.length <= e.task) run.tasks.push({ label: `task ${run.tasks.length + 1}`, envId: '' });
      run.tasks[e.task] = { label: e.label || e.envId, envId: e.envId };
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
      break;
    }
    case 'eval':
      ensureTask(run, e.task);
      run.evals[e.task]!.push({ step: e.step, mean: e.mean, normalized: e.normalized });
      if (run.spans.length === 0) {
        while (run.baseline.length <= e.task) run.baseline.push(null);
        run.baseline[e.task] = e.normalized;
      }
      break;
    case 'task-end':
      while (run.matrixRows.length <= e.task) run.matrixRows.push(undefined);
      run.matrixRows[e.task] = [...e.matrixRow];
      run.stageRows.push({ task: e.task, row: [...e.matrixRow] });
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
 * ACC, forgetting, BWT and FWT of a recorded run as of its last event (e.g. a replay cursor): the run-end's
 * metrics once it ended, else computed from the stages ended so far (docs/METRICS.md); null before any.
 */
export function runMetrics(
  run: RunView,
): Pick<ContinualMetrics, 'acc' | 'forgetting' | 'bwt' | 'fwt'> | null {
  const fm = run.finalMetrics;
  if (fm) {
    const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return { acc: num(fm.acc), forgetting: num(fm.forgetting), bwt: num(fm.bwt), fwt: num(fm.fwt) };
  }
  if (run.stageRows.length === 0) return null;
  try {
    const m = computeMetrics({
      matrix: run.stageRows.map((s) => s.row),
      stageTasks: run.stageRows.map((s) => s.task),
      baseline: run.baseline,
    });
    return { acc: m.acc, forgetting: m.forgetting, bwt: m.bwt, fwt: m.fwt };
  } catch {
    return null; // rows that do not fit together (a damaged recording): show no metrics rather than wrong ones
  }
}
