/**
 * `cli compare`: mean ± 90% bootstrap confidence interval (seeded percentile bootstrap,
 * src/continual/bootstrap.ts) of ACC, forgetting, BWT, FWT, AUC and run time per strategy (and λ), plus a
 * CSV. Two forms on the same code:
 *
 *   npm run cli -- compare --sequence NAME --strategies a,b,… --seeds N [--lambda X] [--jobs N] [--out DIR]
 *   npm run cli -- compare --sweep ID [--out DIR]
 *
 * The first runs the comparison as an embedded sweep (src/sweep/): every run is recorded under
 * DIR/<sweep id>/ (default ./sweeps) and its result kept in the sweep's results store, so running the same
 * command again continues where it stopped (finished runs are not repeated) — a long table fills across
 * sessions. One run at a time unless --jobs. The second summarizes a sweep's results (`sweep run`,
 * possibly still running).
 * Both accept [--csv FILE] [--json]. CSV: one row per group and metric:
 *   sequence,strategy,lambda,metric,mean,ci90_low,ci90_high,n,values   (values: per-seed numbers, ';'-separated)
 */
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { getStrategyDefinition, strategyNames } from '../../continual/strategies';
import { compareRuns, formatTable, toCsv, type CompareRow } from '../../sweep/compare';
import { writeFileAtomicSync } from '../../fs/write-file-atomic';
import { runEmbedded } from '../../sweep/embedded';
import { parseSweepSpec, planSweep } from '../../sweep/spec';
import { intFlag, numberFlag } from '../flags';
import { UserError } from '../user-error';
import { DEFAULT_SWEEPS_ROOT, loadSweep } from './sweep';

export type { CompareRow };

const flagsSchema = z.object({
  sweep: z.string().min(1).optional(),
  sequence: z.string().min(1).default('default'),
  strategies: z
    .string()
    .min(1, '--strategies needs a comma-separated list')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .optional(),
  seeds: z
    .string()
    .regex(/^\d+$/u, '--seeds must be a positive integer')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, '--seeds must be between 1 and 1000'),
  lambda: numberFlag('--lambda').optional(),
  jobs: intFlag('--jobs', 1).default(1),
  out: z.string().min(1).default(DEFAULT_SWEEPS_ROOT),
  csv: z.string().min(1).optional(),
  json: z.boolean().optional(),
  record: z.boolean().optional(),
});

export function register(program: Command): void {
  program
    .command('compare')
    .description('compare strategies over seeds: mean ± 90% bootstrap CI of ACC, forgetting, BWT, FWT, AUC')
    .option('--sequence <name|file>', 'built-in sequence or JSON file', 'default')
    .option(
      '--strategies <list>',
      `comma-separated, from ${strategyNames().join(', ')} or a composition (a+b)`,
    )
    .option('--seeds <n>', 'number of seeds (0 … n−1)', '3')
    .option('--lambda <x>', 'λ for the strategies that have one')
    .option('--jobs <n>', 'runs at a time, each in its own process (default 1)')
    .option('--sweep <id>', "summarize this sweep's results instead of running")
    .option('--out <dir>', `sweeps root holding runs and results (default ./${DEFAULT_SWEEPS_ROOT})`)
    .option('--csv <file>', 'write the summary table as CSV')
    .option('--record', 'kept for older scripts: every run is now recorded (that is how compare resumes)')
    .option('--json', 'print the rows as one JSON line on stdout')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = flagsSchema.safeParse(raw);
      if (!parsed.success) throw new UserError(`${parsed.error.issues[0]!.message}.`);
      const flags = parsed.data;
      const root = path.resolve(flags.out);
      let rows: CompareRow[];
      if (flags.sweep !== undefined) {
        if (flags.strategies) throw new UserError('--sweep summarizes a sweep; it takes no --strategies.');
        const { results, jobs } = loadSweep(root, flags.sweep);
        process.stderr.write(`sweep ${flags.sweep}: ${results.length}/${jobs} runs finished\n`);
        if (results.length === 0) throw new UserError(`Sweep "${flags.sweep}" has no finished run yet.`);
        rows = compareRuns(results);
      } else {
        if (!flags.strategies?.length) throw new UserError('compare needs --strategies (or --sweep ID).');
        const plan = planOrExplain({
          sequence: flags.sequence,
          strategies: flags.strategies,
          seeds: flags.seeds,
          ...(flags.lambda !== undefined ? { lambda: flags.lambda } : {}),
        });
        process.stderr.write(
          `compare: sweep ${plan.id} (${plan.jobs.length} runs, ${flags.jobs} at a time) in ${path.join(root, plan.id)}; ` +
            'finished runs are kept there, so rerunning this command resumes\n',
        );
        const outcome = await runEmbedded(plan, root, { jobs: flags.jobs });
        if (outcome.failed.length > 0) {
          throw new UserError(
            `${outcome.failed.length} run(s) failed: ${outcome.failed.map((f) => `${f.job}: ${f.message}`).join('; ')}`,
            1,
          );
        }
        rows = compareRuns(outcome.results);
      }
      process.stdout.write(flags.json ? `${JSON.stringify(rows)}\n` : formatTable(rows));
      if (flags.csv) writeFileAtomicSync(flags.csv, toCsv(rows));
    });
}

/** The comparison as a sweep spec (λ goes to every strategy that has one). */
function planOrExplain(c: { sequence: string; strategies: string[]; seeds: number; lambda?: number }) {
  try {
    const lambdas: Record<string, number[]> = {};
    if (c.lambda !== undefined) {
      for (const s of c.strategies) {
        if (hasLambda(s)) lambdas[s] = [c.lambda];
      }
    }
    const spec = parseSweepSpec({
      sequence: c.sequence,
      strategies: c.strategies,
      seeds: c.seeds,
      ...(Object.keys(lambdas).length ? { lambdas } : {}),
    });
    return planSweep(spec);
  } catch (error) {
    throw new UserError(`${(error as Error).message.replace(/\.$/u, '')}.`);
  }
}

/** Whether `name` is a valid strategy (or composition) with a λ knob. */
function hasLambda(name: string): boolean {
  try {
    return getStrategyDefinition(name).runtimeParams.includes('lambda');
  } catch {
    return false; // planSweep reports the bad name
  }
}
