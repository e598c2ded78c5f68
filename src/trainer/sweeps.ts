/**
 * The Sweeps panel's data, read from the sweeps root (`cli sweep run`, `compare`): the list of sweeps with
 * their progress, one sweep's comparison (mean ± 90% bootstrap CI of ACC and forgetting, mean curves with
 * bands) and runs, and the session folder of one run (opened for playback like any session). Reads files
 * only: the app never connects to Redis; distributed sweeps show here through the shared sweeps folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SweepDetail, SweepSummary } from '../protocol/messages';
import { openSession } from '../session/reader';
import { compareCurves, compareRuns, groupRuns } from '../sweep/compare';
import { listSweeps, readPlan, readResults, type StoredPlan } from '../sweep/results';
import { jobSessionDir } from '../sweep/spec';

export function listSweepSummaries(root: string): SweepSummary[] {
  return listSweeps(root).map((plan) => summary(root, plan));
}

function summary(root: string, plan: StoredPlan): SweepSummary {
  const done = new Set(readResults(root, plan.id).map((r) => r.job));
  const started = plan.jobs.filter(
    (j) => !done.has(j.id) && fs.existsSync(jobSessionDir(root, { sweep: plan.id, id: j.id })),
  ).length;
  return {
    id: plan.id,
    name: plan.name,
    createdAt: plan.createdAt,
    jobs: plan.jobs.length,
    done: plan.jobs.filter((j) => done.has(j.id)).length,
    started,
  };
}

export function sweepDetail(root: string, id: string): SweepDetail {
  const plan = readPlan(root, id);
  if (!plan) throw new Error(`No sweep "${id}" in ${path.resolve(root)}.`);
  const results = readResults(root, id).filter((r) => plan.jobs.some((j) => j.id === r.job));
  const rows = compareRuns(results);
  const curves = compareCurves(results);
  const interval = (label: string, metric: 'acc' | 'forgetting') => {
    const r = rows.find((x) => x.label === label && x.metric === metric);
    return r && r.mean !== null ? { mean: r.mean, low: r.low!, high: r.high! } : null;
  };
  const groups = groupRuns(results).map((g, i) => ({
    label: g.label,
    ...g.key,
    n: g.runs.length,
    acc: interval(g.label, 'acc'),
    forgetting: interval(g.label, 'forgetting'),
    curves: curves[i]!.tasks,
  }));
  const byJob = new Map(results.map((r) => [r.job, r]));
  // Group labels of jobs without a result yet: the same labelling, over every planned job.
  const planLabels = new Map<string, string>();
  for (const g of groupRuns(plan.jobs)) for (const j of g.runs) planLabels.set(j.id, g.label);
  const runs = plan.jobs.map((j) => {
    const r = byJob.get(j.id);
    if (r) {
      return {
        job: j.id,
        group: planLabels.get(j.id)!,
        seed: j.seed,
        state: 'done' as const,
        step: j.steps,
        totalSteps: j.steps,
        acc: r.acc,
        forgetting: r.forgetting,
      };
    }
    let step: number | null;
    try {
      step = openSession(jobSessionDir(root, { sweep: id, id: j.id })).lastStep;
    } catch {
      step = null; // not started yet
    }
    return {
      job: j.id,
      group: planLabels.get(j.id)!,
      seed: j.seed,
      state: step === null ? ('waiting' as const) : ('started' as const),
      step: step ?? 0,
      totalSteps: j.steps,
      acc: null,
      forgetting: null,
    };
  });
  return { ...summary(root, plan), groups, runs };
}

/** The session folder of a sweep's run (ids are validated folder names; the path stays inside the root). */
export function sweepRunDir(root: string, sweep: string, job: string): string {
  const plan = readPlan(root, sweep);
  if (!plan) throw new Error(`No sweep "${sweep}" in ${path.resolve(root)}.`);
  if (!plan.jobs.some((j) => j.id === job)) throw new Error(`Sweep "${sweep}" has no run "${job}".`);
  const dir = jobSessionDir(root, { sweep, id: job });
  if (!fs.existsSync(dir)) throw new Error(`Run "${job}" of sweep "${sweep}" has not started yet.`);
  return dir;
}
