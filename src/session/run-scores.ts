/**
 * The ONE place the R matrix and the continual metrics of a run are computed from its events. The engine's
 * summary (ContinualRunner.result → run-end metrics and the trainer's `metrics` event), the renderer (live
 * and playback) and `export` all fold the same RunEvents through `addScoreEvent` and read `scoresSummary`, so
 * they cannot disagree.
 *
 * The model (docs/METRICS.md): COLUMNS are the distinct tasks of the run, in sequence order (from run-start's
 * resolved run); ROWS are stages — one per task-end, in order — labelled "stage k · task trained". A run with
 * manual switches or a repeated task has more rows than columns. ACC reads the last row; forgetting and BWT
 * read, for each task, the row of the stage that last trained it; FWT reads the row before a task's first
 * stage and the baseline (evaluations before any training). `rowUses` says which rows enter which metric.
 *
 * Data are plain JSON (immer- and structured-clone-friendly); folding is O(1) per event (O(tasks) for a
 * task-end), no limit on the number of stages. Pure: no Node, DOM or tfjs.
 */
import { computeMetrics, mean, type ContinualMetrics, type CurvePoint } from '../continual/metrics';
import type { RunEvent } from './events';

export interface ScoreTask {
  label: string;
  envId: string;
}

export interface ScoreStage {
  task: number;
  source: 'scheduled' | 'manual';
  /** R row: normalized score of every task when the stage ended (null = not evaluated). */
  row: (number | null)[];
}

export interface ScoresData {
  /** Distinct tasks (columns), from run-start's resolved run, else from task-start events. */
  tasks: ScoreTask[];
  /** Ended stages (rows), in order. */
  stages: ScoreStage[];
  /** Source of the stage being trained (its task-start), until its task-end. */
  openSource: 'scheduled' | 'manual';
  /** Score of each task under the untrained network (evaluations before the first task-start). */
  baseline: (number | null)[];
  /** Every evaluation per task (for AUC). */
  curves: CurvePoint[][];
  /** A task-start has been seen (evaluations after it are no longer the baseline). */
  trained: boolean;
}

export function emptyScores(): ScoresData {
  return { tasks: [], stages: [], openSource: 'scheduled', baseline: [], curves: [], trained: false };
}

/** Folds one event into `d` in place (plain object or immer draft). */
export function addScoreEvent(d: ScoresData, e: RunEvent): void {
  switch (e.type) {
    case 'run-start': {
      Object.assign(d, emptyScores());
      if (e.run) d.tasks = e.run.tasks.map((t) => ({ label: t.label, envId: t.envId }));
      break;
    }
    case 'task-start':
      d.trained = true;
      d.openSource = e.source;
      // Sessions without a resolved run: the task-start names its task (never re-derived from params).
      while (d.tasks.length <= e.task) d.tasks.push({ label: `task ${d.tasks.length + 1}`, envId: '' });
      if (d.tasks[e.task]!.envId === '') d.tasks[e.task] = { label: e.label || e.envId, envId: e.envId };
      break;
    case 'eval': {
      while (d.curves.length <= e.task) d.curves.push([]);
      d.curves[e.task]!.push({ step: e.step, normalized: e.normalized });
      if (!d.trained) {
        while (d.baseline.length <= e.task) d.baseline.push(null);
        d.baseline[e.task] = e.normalized;
      }
      break;
    }
    case 'task-end':
      d.stages.push({ task: e.task, source: d.openSource, row: [...e.matrixRow] });
      d.openSource = 'scheduled';
      break;
    default:
      break;
  }
}

/** The scores of `events` up to and including step `upToStep`. */
export function scoresFromEvents(
  events: readonly RunEvent[],
  upToStep: number = Number.POSITIVE_INFINITY,
): ScoresData {
  const d = emptyScores();
  for (const e of events) {
    if (e.step > upToStep) break;
    addScoreEvent(d, e);
  }
  return d;
}

/** What a metric reads from a row (see the file header). */
export type RowUse = 'final' | 'last-training' | 'before-first-training';

export interface ScoresSummary extends ContinualMetrics {
  /** Columns: the distinct tasks, in sequence order. */
  columns: ScoreTask[];
  /** Rows: one per ended stage, "stage k · task trained". */
  rows: { stage: number; task: number; label: string; source: 'scheduled' | 'manual'; uses: RowUse[] }[];
  /** Mean final score over the tasks trained so far (= acc once every task has been trained). */
  accSeen: number | null;
  /** Tasks trained at least once by an ended stage, and all tasks. */
  seenTasks: number;
  taskCount: number;
  baseline: (number | null)[];
  stageTasks: number[];
}

/** Stage label used by every view and export: "stage 3 · CartPole long pole". */
export function stageLabel(stage: number, taskLabel: string): string {
  return `stage ${stage + 1} · ${taskLabel}`;
}

/** R matrix, row labels and every metric of the folded events (computeMetrics, docs/METRICS.md). */
export function scoresSummary(d: ScoresData, options: { auc?: boolean } = {}): ScoresSummary {
  const width = Math.max(
    d.tasks.length,
    d.baseline.length,
    ...d.stages.map((s) => Math.max(s.row.length, s.task + 1)),
  );
  const matrix = d.stages.map((s) => Array.from({ length: width }, (_, j) => s.row[j] ?? null));
  const stageTasks = d.stages.map((s) => s.task);
  const m = computeMetrics({
    matrix,
    stageTasks,
    baseline: Array.from({ length: width }, (_, j) => d.baseline[j] ?? null),
    ...(options.auc === false ? {} : { curves: d.curves }),
  });
  const columns = Array.from(
    { length: width },
    (_, j): ScoreTask => d.tasks[j] ?? { label: `task ${j + 1}`, envId: '' },
  );
  const lastStage = new Map<number, number>();
  const firstStage = new Map<number, number>();
  stageTasks.forEach((t, s) => {
    lastStage.set(t, s);
    if (!firstStage.has(t)) firstStage.set(t, s);
  });
  const last = stageTasks.length - 1;
  const rows = d.stages.map((s, i) => {
    const uses: RowUse[] = [];
    if (i === last) uses.push('final');
    if (lastStage.get(s.task) === i && i !== last) uses.push('last-training');
    if ([...firstStage.values()].some((f) => f > 0 && f - 1 === i)) uses.push('before-first-training');
    return {
      stage: i,
      task: s.task,
      label: stageLabel(i, columns[s.task]?.label ?? `task ${s.task + 1}`),
      source: s.source,
      uses,
    };
  });
  const seen = [...lastStage.keys()];
  const final = last >= 0 ? matrix[last]! : [];
  return {
    ...m,
    columns,
    rows,
    accSeen: mean(seen.map((j) => final[j]).filter((v): v is number => typeof v === 'number')),
    seenTasks: seen.length,
    taskCount: width,
    baseline: Array.from({ length: width }, (_, j) => d.baseline[j] ?? null),
    stageTasks,
  };
}
