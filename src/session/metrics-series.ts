/**
 * Metric series of a run, read from its events up to any step (the playback scrubber's data) or built live,
 * one event at a time, from a running engine (same code, so live and played-back charts agree).
 *
 *   evals       per task: step, mean return, normalized score of every evaluation
 *   episodes    per task: step, return, length of every training episode
 * (The R matrix and continual metrics are folded by run-scores.ts, the one source of truth.)
 *   tasks       spans of training on each task (a task can appear more than once after manual switches)
 *   switches    every task-start, with its source (scheduled | manual)
 *   markers, paramChanges, checkpoints, resumes, evalEpisodes, final metrics
 * All arrays are plain numbers (JSON- and structured-clone-friendly for IPC).
 */
import type { EnvParams, ParamChangeEvent, RunEvent } from './events';

export interface TaskSpan {
  task: number;
  label: string;
  envId: string;
  params: EnvParams;
  source: 'scheduled' | 'manual';
  startStep: number;
  /** Step at which training on this span stopped (next task-start or task-end); null while ongoing. */
  endStep: number | null;
}

export interface EvalSeries {
  task: number;
  steps: number[];
  mean: number[];
  normalized: number[];
}

export interface EpisodeSeries {
  task: number;
  steps: number[];
  returns: number[];
  lengths: number[];
}

export interface MetricSeries {
  /** The cut-off used (events with step ≤ upToStep were included). */
  upToStep: number;
  /** Largest step among the included events. */
  lastStep: number;
  tasks: TaskSpan[];
  /** Indexed by task (tasks not evaluated yet have empty series). */
  evals: EvalSeries[];
  episodes: EpisodeSeries[];
  switches: { step: number; from: number | null; to: number; source: 'scheduled' | 'manual' }[];
  markers: { step: number; label: string }[];
  paramChanges: ParamChangeEvent[];
  checkpoints: { step: number; dir: string }[];
  resumes: { step: number; checkpoint: string | null }[];
  evalEpisodes: { step: number; task: number; return: number; length: number }[];
  /** run-end metrics, once recorded. */
  metrics: Record<string, unknown> | null;
  endReason: 'finished' | 'stopped' | 'error' | null;
}

/** Builds a MetricSeries incrementally; `add` is O(1) per event. */
export class MetricSeriesBuilder {
  private readonly s: MetricSeries;

  constructor(upToStep = Number.POSITIVE_INFINITY) {
    this.s = {
      upToStep,
      lastStep: 0,
      tasks: [],
      evals: [],
      episodes: [],
      switches: [],
      markers: [],
      paramChanges: [],
      checkpoints: [],
      resumes: [],
      evalEpisodes: [],
      metrics: null,
      endReason: null,
    };
  }

  /** Add one event; events after `upToStep` are ignored. Returns false for an ignored event. */
  add(e: RunEvent): boolean {
    const s = this.s;
    if (e.step > s.upToStep) return false;
    if (e.step > s.lastStep) s.lastStep = e.step;
    switch (e.type) {
      case 'task-start': {
        this.closeOpenSpan(e.step);
        const from = e.from ?? null;
        s.tasks.push({
          task: e.task,
          label: e.label,
          envId: e.envId,
          params: e.params,
          source: e.source,
          startStep: e.step,
          endStep: null,
        });
        s.switches.push({ step: e.step, from, to: e.task, source: e.source });
        break;
      }
      case 'task-end': {
        this.closeOpenSpan(e.step);
        break;
      }
      case 'episode': {
        const series = at(s.episodes, e.task, (task) => ({ task, steps: [], returns: [], lengths: [] }));
        series.steps.push(e.step);
        series.returns.push(e.return);
        series.lengths.push(e.length);
        break;
      }
      case 'eval': {
        const series = at(s.evals, e.task, (task) => ({ task, steps: [], mean: [], normalized: [] }));
        series.steps.push(e.step);
        series.mean.push(e.mean);
        series.normalized.push(e.normalized);
        break;
      }
      case 'param-change':
        s.paramChanges.push(e);
        break;
      case 'marker':
        s.markers.push({ step: e.step, label: e.label });
        break;
      case 'checkpoint':
        s.checkpoints.push({ step: e.step, dir: e.dir });
        break;
      case 'resume':
        s.resumes.push({ step: e.step, checkpoint: e.checkpoint });
        s.metrics = null;
        s.endReason = null;
        break;
      case 'eval-episode':
        s.evalEpisodes.push({ step: e.step, task: e.task, return: e.return, length: e.length });
        break;
      case 'run-end':
        this.closeOpenSpan(e.step);
        s.metrics = e.metrics;
        s.endReason = e.reason;
        break;
      case 'run-start':
        break;
    }
    return true;
  }

  /** The series so far (live object: copy it if you keep it across `add` calls). */
  get series(): MetricSeries {
    return this.s;
  }

  private closeOpenSpan(step: number): void {
    const last = this.s.tasks[this.s.tasks.length - 1];
    if (last && last.endStep === null) last.endStep = step;
  }
}

/** The metric series of `events` (e.g. `openSession(dir).events`) up to and including `upToStep`. */
export function metricSeries(
  events: readonly RunEvent[],
  upToStep: number = Number.POSITIVE_INFINITY,
): MetricSeries {
  const b = new MetricSeriesBuilder(upToStep);
  for (const e of events) b.add(e);
  return b.series;
}

/** `arr[index]`, creating it and every missing entry before it with `make`. */
function at<T>(arr: T[], index: number, make: (index: number) => T): T {
  while (arr.length <= index) arr.push(make(arr.length));
  return arr[index]!;
}
