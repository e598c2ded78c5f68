/**
 * ScoreBook: continual evaluation of a run and its scores. It greedy-evaluates every task (evaluator.ts,
 * fixed seeds), emits the eval / eval-episode events, and folds every event of the run through
 * src/session/run-scores.ts — the one source of truth for the R matrix, baseline, curves and metrics that
 * the UI and `export` fold the same way. `result()` and the run-end metrics are read from it.
 */
import * as tf from '@tensorflow/tfjs';
import type { DqnAgent } from '../dqn/agent';
import type { RunEvent, RunEndEvent } from '../session/events';
import { addScoreEvent, emptyScores, scoresSummary, type ScoresData } from '../session/run-scores';
import { evaluationSeeds, TaskEvaluator } from './evaluator';
import { normalizeScore, type ContinualMetrics, type CurvePoint } from './metrics';
import type { TaskDef } from './sequence';

export interface RunResult extends ContinualMetrics {
  /** Mean final score over the tasks trained so far (run-scores.ts). */
  accSeen: number | null;
  stageTasks: number[];
  baseline: (number | null)[];
  curves: CurvePoint[][];
  labels: string[];
  envSteps: number;
}

/** The scores a checkpoint keeps (runner-checkpoint.ts). */
export interface SavedScores {
  matrix: (number | null)[][];
  stageTasks: number[];
  baseline: (number | null)[];
  curves: CurvePoint[][];
}

export class ScoreBook {
  /** R matrix, baseline and curves, folded from the run's own events. */
  private scores: ScoresData = emptyScores();
  private readonly evaluators: TaskEvaluator[];

  constructor(
    private readonly agent: DqnAgent,
    tasks: readonly TaskDef[],
    private readonly settings: { evalEpisodes: number; recordEvalEpisodes: number },
  ) {
    this.evaluators = tasks.map((t) => this.makeEvaluator(t));
  }

  /** Task `index`'s definition changed (new env parameters): evaluate the new one from now on. */
  setTask(index: number, task: TaskDef): void {
    this.evaluators[index] = this.makeEvaluator(task);
  }

  /** Fold one event of the run (every emitted event passes here). */
  record(e: RunEvent): void {
    addScoreEvent(this.scores, e);
  }

  /**
   * Greedy-evaluate every task; emits eval (+ eval-episode) events; returns the normalized scores.
   * `weightsFor(task)` (a strategy's `evalWeights`, e.g. PackNet's per-task masks) may give the weights to
   * evaluate a task with; they are loaded for its episodes and the current weights restored after.
   */
  evaluateAll(
    tasks: readonly TaskDef[],
    stamp: () => { step: number; t: number },
    emit: (e: RunEvent) => void,
    weightsFor?: (task: number) => readonly Float32Array[] | null,
  ): (number | null)[] {
    return tasks.map((task, j) => {
      const run = () => this.evaluators[j]!.run(this.settings.recordEvalEpisodes);
      const weights = weightsFor?.(j) ?? null;
      const res = weights ? this.withWeights(weights, run) : run();
      const normalized = normalizeScore(res.mean, task.randomReturn, task.threshold);
      const at = stamp();
      emit({
        type: 'eval',
        ...at,
        task: j,
        mean: res.mean,
        normalized,
        episodes: res.returns.length,
        returns: res.returns,
      });
      for (const ep of res.recorded) {
        emit({
          type: 'eval-episode',
          ...at,
          task: j,
          envId: task.envId,
          params: task.givenParams,
          seed: ep.seed,
          actions: ep.actions,
          return: ep.return,
          length: ep.length,
        });
      }
      return normalized;
    });
  }

  /** Run `fn` with the online network's weights set to `weights`, then put the current ones back exactly. */
  private withWeights<T>(weights: readonly Float32Array[], fn: () => T): T {
    const variables = this.agent.trainableVariables();
    const load = (values: readonly Float32Array[]) => {
      tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(values[i]!, v.shape))));
      this.agent.weightsChanged();
    };
    const saved = variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
    load(weights);
    try {
      return fn();
    } finally {
      load(saved);
    }
  }

  /** Metrics so far (complete once the run has finished). */
  result(tasks: readonly TaskDef[], envSteps: number): RunResult {
    const s = scoresSummary(this.scores);
    return {
      acc: s.acc,
      forgetting: s.forgetting,
      bwt: s.bwt,
      fwt: s.fwt,
      auc: s.auc,
      forgettingPerTask: s.forgettingPerTask,
      final: s.final,
      matrix: s.matrix,
      accSeen: s.accSeen,
      stageTasks: s.stageTasks,
      baseline: s.baseline,
      curves: this.scores.curves.map((c) => [...c]),
      labels: tasks.map((t) => t.label),
      envSteps,
    };
  }

  /** The metrics carried by run-end. */
  runEndMetrics(tasks: readonly TaskDef[], envSteps: number): RunEndEvent['metrics'] {
    const r = this.result(tasks, envSteps);
    return {
      acc: r.acc,
      accSeen: r.accSeen,
      forgetting: r.forgetting,
      bwt: r.bwt,
      fwt: r.fwt,
      auc: r.auc,
      matrix: r.matrix,
      forgettingPerTask: r.forgettingPerTask,
      stageTasks: r.stageTasks,
      baseline: r.baseline,
      envSteps: r.envSteps,
    };
  }

  save(): SavedScores {
    return {
      matrix: this.scores.stages.map((st) => st.row),
      stageTasks: this.scores.stages.map((st) => st.task),
      baseline: this.scores.baseline,
      curves: this.scores.curves,
    };
  }

  /** Restore the scores of a checkpoint (the schedule and position tell each row's source). */
  restore(
    saved: SavedScores,
    tasks: readonly TaskDef[],
    stages: readonly { source: 'scheduled' | 'manual' }[],
    position: { stageIndex: number; stageActive: boolean },
  ): void {
    this.scores = {
      tasks: tasks.map((t) => ({ label: t.label, envId: t.envId })),
      stages: saved.stageTasks.map((task, i) => ({
        task,
        source: stages[i]?.source ?? 'scheduled',
        row: saved.matrix[i] ?? [],
      })),
      openSource: stages[position.stageIndex]?.source ?? 'scheduled',
      baseline: saved.baseline,
      curves: tasks.map((_, i) => [...(saved.curves[i] ?? [])]),
      trained: position.stageActive || saved.stageTasks.length > 0,
    };
  }

  private makeEvaluator(task: TaskDef): TaskEvaluator {
    return new TaskEvaluator(task, evaluationSeeds(task, this.settings.evalEpisodes), this.agent);
  }
}
