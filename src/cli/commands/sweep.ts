/**
 * `cli sweep`: many runs from one spec (strategies × λ × seeds × sequences), on this machine or on BullMQ
 * workers (docs/SWEEPS.md).
 *
 *   npm run cli -- sweep plan SPEC [--json]                 the jobs and an estimated wall time
 *   npm run cli -- sweep run SPEC [--jobs N] [--out DIR] [--json] [--redis URL]
 *   npm run cli -- sweep status ID [--out DIR] [--redis URL] [--json]
 *   npm run cli -- sweep list [--out DIR]
 *
 * `run` without --redis runs the jobs in N child processes here (default: one per core). With --redis it
 * enqueues them (idempotent ids) for `cli worker` processes and waits. Either way each job is a recorded
 * session under DIR/<sweep id>/runs/ (default DIR ./sweeps), each finished run a file in
 * DIR/<sweep id>/results/, and --json prints one line at the end:
 *   {"sweep","jobs","completed","failed","results":[{"strategy","seed","lambda","acc","forgetting",…,"session"}]}
 */
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { describeBackend, initBackend } from '../../tf/backend';
import { compareRuns, formatTable } from '../../sweep/compare';
import { defaultJobCount, runEmbedded, type SweepOutcome } from '../../sweep/embedded';
import { estimateSecondsPerStep } from '../../sweep/estimate';
import { listSweeps, readPlan, readResults, type SweepRunResult } from '../../sweep/results';
import { loadSweepSpec, planSweep, type SweepPlan } from '../../sweep/spec';
import { intFlag } from '../flags';
import { UserError } from '../user-error';

export const DEFAULT_SWEEPS_ROOT = 'sweeps';

const runFlags = z.object({
  jobs: intFlag('--jobs', 1).optional(),
  out: z.string().min(1).default(DEFAULT_SWEEPS_ROOT),
  json: z.boolean().optional(),
  redis: z.string().optional(),
});

export function register(program: Command): void {
  const sweep = program
    .command('sweep')
    .description('run many runs from a sweep spec, here or on BullMQ workers, and compare them');

  sweep
    .command('plan <spec>')
    .description('print the jobs of a sweep spec and an estimated wall time')
    .option('--jobs <n>', 'jobs at a time for the estimate (default: one per core)')
    .option('--no-calibrate', 'skip the short timing run behind the estimate')
    .option('--json', 'print the plan as one JSON line')
    .action(async (file: string, raw: Record<string, unknown>) => {
      const plan = planFromFile(file);
      const jobs = raw.jobs === undefined ? defaultJobCount() : parse(runFlags, raw).jobs!;
      const steps = plan.jobs.reduce((n, j) => n + j.steps, 0);
      let perStep: number | null = null;
      if (raw.calibrate !== false) {
        const backend = await initBackend();
        process.stderr.write(`backend: ${describeBackend(backend)}; timing a short run of the first job…\n`);
        perStep = await estimateSecondsPerStep(plan.jobs[0]!, backend);
      }
      const wall = perStep === null ? null : wallTime(plan, perStep, jobs);
      if (raw.json) {
        process.stdout.write(
          `${JSON.stringify({ sweep: plan.id, jobs: plan.jobs.map(({ config: _c, ...j }) => j), steps, secondsPerStep: perStep, estimatedSeconds: wall, parallel: jobs })}\n`,
        );
        return;
      }
      const lines = [
        `sweep ${plan.id}: ${plan.jobs.length} jobs, ${steps.toLocaleString('en-US')} env steps in all`,
      ];
      for (const j of plan.jobs) {
        lines.push(
          `  ${String(j.index + 1).padStart(3)}. ${j.id.padEnd(32)} ${j.sequence}  ${j.strategy}${j.lambda !== null ? ` λ=${j.lambda}` : ''}  seed ${j.seed}  ${j.steps.toLocaleString('en-US')} steps`,
        );
      }
      if (wall !== null) {
        lines.push(
          `estimated wall time: ${formatDuration(wall)} with ${jobs} job${jobs === 1 ? '' : 's'} at a time ` +
            `(${(perStep! * 1000).toFixed(2)} ms per env step measured on the first job, evaluations included roughly; ` +
            `jobs in parallel share the cores)`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  sweep
    .command('run <spec>')
    .description('run every job of a sweep (here, or through Redis with --redis)')
    .option('--jobs <n>', 'child processes at a time on this machine (default: one per core)')
    .option(
      '--out <dir>',
      `sweeps root: sessions and results go to DIR/<sweep id>/ (default ./${DEFAULT_SWEEPS_ROOT})`,
    )
    .option(
      '--redis <url>',
      'enqueue the jobs on this Redis (redis:// or rediss://) for `cli worker` processes',
    )
    .option('--json', 'print exactly one JSON line on stdout at the end')
    .action(async (file: string, raw: Record<string, unknown>) => {
      const flags = parse(runFlags, raw);
      const plan = planFromFile(file);
      const root = path.resolve(flags.out);
      let outcome: SweepOutcome;
      if (flags.redis !== undefined) {
        if (flags.jobs !== undefined)
          throw new UserError('--jobs applies to workers with --redis: `cli worker --jobs N`.');
        const { runDistributed } = await import('../../sweep/submit');
        outcome = await runDistributed(plan, root, flags.redis);
      } else {
        process.stderr.write(
          `sweep ${plan.id}: ${plan.jobs.length} jobs, ${flags.jobs ?? defaultJobCount()} at a time, into ${root}\n`,
        );
        outcome = await runEmbedded(plan, root, {
          ...(flags.jobs !== undefined ? { jobs: flags.jobs } : {}),
        });
      }
      printOutcome(outcome, Boolean(flags.json));
      if (outcome.failed.length > 0) process.exitCode = 1;
    });

  sweep
    .command('status <id>')
    .description('done/running/failed/waiting jobs of a sweep, with progress')
    .option('--out <dir>', `sweeps root (default ./${DEFAULT_SWEEPS_ROOT})`)
    .option('--redis <url>', 'ask the queue on this Redis (otherwise: read the sweep folder)')
    .option('--json', 'print one JSON line')
    .action(async (id: string, raw: Record<string, unknown>) => {
      const flags = parse(runFlags, raw);
      const { sweepStatusReport } = await import('../../sweep/status');
      const report = await sweepStatusReport(id, path.resolve(flags.out), flags.redis);
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${report.lines.join('\n')}\n`);
    });

  sweep
    .command('list')
    .description('the sweeps under the sweeps root, newest first')
    .option('--out <dir>', `sweeps root (default ./${DEFAULT_SWEEPS_ROOT})`)
    .action((raw: Record<string, unknown>) => {
      const root = path.resolve(parse(runFlags, raw).out);
      const plans = listSweeps(root);
      if (plans.length === 0) process.stdout.write(`no sweeps in ${root}\n`);
      for (const p of plans) {
        const done = readResults(root, p.id).length;
        process.stdout.write(`${p.id.padEnd(40)} ${done}/${p.jobs.length} done  created ${p.createdAt}\n`);
      }
    });
}

function parse<T extends z.ZodType>(schema: T, raw: Record<string, unknown>): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(
      issue.message.startsWith('--') ? `${issue.message}.` : `--${issue.path.join('.')}: ${issue.message}.`,
    );
  }
  return parsed.data;
}

function planFromFile(file: string): SweepPlan {
  try {
    const { spec, baseDir } = loadSweepSpec(file);
    return planSweep(spec, baseDir);
  } catch (error) {
    throw new UserError(`${(error as Error).message.replace(/\.$/u, '')}.`);
  }
}

/** Longest-processing-time-first schedule of the jobs' estimated times on `jobs` lanes. */
function wallTime(plan: SweepPlan, perStep: number, jobs: number): number {
  const lanes = new Array<number>(Math.max(1, jobs)).fill(0);
  const times = plan.jobs.map((j) => j.steps * perStep).sort((a, b) => b - a);
  // Two jobs at once on a machine with fewer cores than lanes share them.
  const slowdown = Math.max(1, jobs / defaultJobCount());
  for (const t of times) {
    const i = lanes.indexOf(Math.min(...lanes));
    lanes[i]! += t * slowdown;
  }
  return Math.max(...lanes);
}

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The summary: a comparison table (or one JSON line) and the failures. */
export function printOutcome(outcome: SweepOutcome, json: boolean): void {
  const results = outcome.results;
  if (json) {
    process.stdout.write(
      `${JSON.stringify({
        sweep: outcome.sweep,
        jobs: outcome.jobs,
        completed: results.length,
        failed: outcome.failed.length,
        failures: outcome.failed,
        seconds: outcome.seconds,
        results: results.map(summaryRow),
      })}\n`,
    );
    return;
  }
  process.stdout.write(
    `sweep ${outcome.sweep}: ${results.length}/${outcome.jobs} completed, ${outcome.failed.length} failed (${outcome.seconds} s)\n`,
  );
  for (const f of outcome.failed) process.stdout.write(`  failed ${f.job}: ${f.message}\n`);
  if (results.length > 0) process.stdout.write(formatTable(compareRuns(results)));
}

function summaryRow(r: SweepRunResult): Record<string, unknown> {
  const { curves: _curves, labels: _labels, ...rest } = r;
  return rest;
}

/** Plan or results of a sweep id under a root (for compare --sweep). */
export function loadSweep(root: string, id: string): { results: SweepRunResult[]; jobs: number } {
  const plan = readPlan(root, id);
  const results = readResults(root, id);
  if (!plan && results.length === 0)
    throw new UserError(`No sweep "${id}" under ${root} (see \`sweep list --out DIR\`).`);
  return { results, jobs: plan?.jobs.length ?? results.length };
}
