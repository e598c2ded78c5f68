/**
 * The sweep's results store: `<root>/<sweep>/results/<job>.json`, one file per finished run, written
 * atomically (temp + rename) by whichever process finished the job — safe with workers on several machines
 * writing into one shared folder, where appends to a single file could interleave. Reading skips files that
 * do not validate, so `compare` resumes from what is there, and a job finished twice (a lost
 * acknowledgement) is one file. Also `sweep.json`: the plan, written atomically when the sweep is submitted.
 * Docs: docs/SWEEPS.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { sweepDir, type SweepPlan } from './spec';

export const RESULTS_DIR = 'results';
export const PLAN_FILE = 'sweep.json';

const metric = z.number().nullable();

export const runResultSchema = z.object({
  job: z.string(),
  sweep: z.string(),
  index: z.number().int(),
  sequence: z.string(),
  strategy: z.string(),
  seed: z.number().int(),
  lambda: z.number().nullable(),
  acc: metric,
  forgetting: metric,
  bwt: metric,
  fwt: metric,
  auc: metric,
  matrix: z.array(z.array(z.number().nullable())),
  envSteps: z.number(),
  /** Run time of the whole run (its own clock, across resumes), seconds. */
  seconds: z.number(),
  backend: z.string(),
  /** Session folder, relative to the sweep folder. */
  session: z.string(),
  /** Task labels and, per task, the normalized evaluation curve. */
  labels: z.array(z.string()),
  curves: z.array(z.object({ steps: z.array(z.number()), normalized: z.array(z.number()) })),
  /** The job was resumed from a checkpoint at least once. */
  resumed: z.boolean(),
  finishedAt: z.string(),
});
export type SweepRunResult = z.infer<typeof runResultSchema>;

export async function writeResult(root: string, result: SweepRunResult): Promise<void> {
  const dir = path.join(sweepDir(root, result.sweep), RESULTS_DIR);
  fs.mkdirSync(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, `${result.job}.json`), `${JSON.stringify(result)}\n`);
}

/** Finished runs of a sweep, in job order. */
export function readResults(root: string, sweep: string): SweepRunResult[] {
  const dir = path.join(sweepDir(root, sweep), RESULTS_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const results: SweepRunResult[] = [];
  for (const name of names) {
    try {
      const parsed = runResultSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
      if (parsed.success && `${parsed.data.job}.json` === name) results.push(parsed.data);
    } catch {
      // unreadable: skipped (the job counts as not finished and runs again)
    }
  }
  return results.sort((a, b) => a.index - b.index);
}

export async function writePlan(root: string, plan: SweepPlan): Promise<void> {
  const dir = sweepDir(root, plan.id);
  fs.mkdirSync(dir, { recursive: true });
  await writeFileAtomic(
    path.join(dir, PLAN_FILE),
    `${JSON.stringify({ id: plan.id, name: plan.name, createdAt: new Date().toISOString(), spec: plan.spec, jobs: plan.jobs }, null, 1)}\n`,
  );
}

const storedPlanSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  spec: z.unknown(),
  jobs: z.array(
    z.object({
      id: z.string(),
      index: z.number(),
      sequence: z.string(),
      strategy: z.string(),
      seed: z.number(),
      lambda: z.number().nullable(),
      steps: z.number(),
    }),
  ),
});
export type StoredPlan = z.infer<typeof storedPlanSchema>;

/** The plan of a sweep as written by `writePlan`, or null when absent or unreadable. */
export function readPlan(root: string, sweep: string): StoredPlan | null {
  try {
    const raw: unknown = JSON.parse(fs.readFileSync(path.join(sweepDir(root, sweep), PLAN_FILE), 'utf8'));
    const parsed = storedPlanSchema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Sweep ids under a root (folders holding a sweep.json), newest first. */
export function listSweeps(root: string): StoredPlan[] {
  let names: string[];
  try {
    names = fs.readdirSync(path.resolve(root));
  } catch {
    return [];
  }
  const plans = names.map((n) => readPlan(root, n)).filter((p): p is StoredPlan => p !== null);
  return plans.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
