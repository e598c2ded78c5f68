/**
 * `cli compare`: run several strategies over several seeds on one sequence (one run at a time, not
 * recorded unless --record) and print a table of mean ± 90% bootstrap confidence interval per metric
 * (seeded percentile bootstrap, src/continual/bootstrap.ts), plus a CSV.
 *
 *   npm run cli -- compare --sequence NAME --strategies a,b,… --seeds N [--lambda X] [--csv FILE] [--json]
 *
 * Seeds are 0 … N−1. The CSV has one row per strategy and metric:
 *   strategy,metric,mean,ci90_low,ci90_high,n,values   (values: the per-seed numbers, ';'-separated)
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { bootstrapMean } from '../../continual/bootstrap';
import { writeFileAtomicSync } from '../../fs/write-file-atomic';
import { getStrategyDefinition, strategyNames } from '../../continual/strategies';
import { describeBackend, initBackend } from '../../tf/backend';
import { UserError } from '../user-error';
import { executeRun, runFlagsSchema, type RunSummary } from './run';

const METRICS = ['acc', 'forgetting', 'bwt', 'fwt', 'auc', 'seconds'] as const;
type Metric = (typeof METRICS)[number];

const flagsSchema = z.object({
  sequence: z.string().min(1).default('default'),
  strategies: z
    .string()
    .min(1, '--strategies needs a comma-separated list')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  seeds: z
    .string()
    .regex(/^\d+$/u, '--seeds must be a positive integer')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, '--seeds must be between 1 and 1000'),
  lambda: z.string().optional(),
  csv: z.string().min(1).optional(),
  json: z.boolean().optional(),
  record: z.boolean().default(false),
});

export interface CompareRow {
  strategy: string;
  metric: Metric;
  mean: number | null;
  low: number | null;
  high: number | null;
  n: number;
  values: number[];
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('compare strategies over seeds: mean ± 90% bootstrap CI of ACC, forgetting, BWT, FWT, AUC')
    .option('--sequence <name|file>', 'built-in sequence or JSON file', 'default')
    .requiredOption('--strategies <list>', `comma-separated, from ${strategyNames().join(', ')}`)
    .option('--seeds <n>', 'number of seeds (0 … n−1)', '3')
    .option('--lambda <x>', 'λ for the strategies that have one')
    .option('--csv <file>', 'write the summary table as CSV')
    .option('--record', 'record every run as a session (off by default)')
    .option('--json', 'print the rows as one JSON line on stdout')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = flagsSchema.safeParse(raw);
      if (!parsed.success) throw new UserError(`${parsed.error.issues[0]!.message}.`);
      const flags = parsed.data;
      for (const s of flags.strategies) {
        try {
          getStrategyDefinition(s);
        } catch (error) {
          throw new UserError(`${(error as Error).message}.`);
        }
      }
      const backend = await initBackend();
      process.stderr.write(`backend: ${describeBackend(backend)}\n`);
      const runs: RunSummary[] = [];
      for (const strategy of flags.strategies) {
        for (let seed = 0; seed < flags.seeds; seed++) {
          const lambdaApplies = getStrategyDefinition(strategy).runtimeParams.includes('lambda');
          const runFlags = runFlagsSchema.parse({
            sequence: flags.sequence,
            strategy,
            seed: String(seed),
            record: flags.record,
            // Comparisons need the metrics, not mid-stage resume points: checkpoint at stage ends only.
            checkpointEvery: '0',
            ...(flags.lambda !== undefined && lambdaApplies ? { lambda: flags.lambda } : {}),
          });
          const summary = await executeRun(runFlags, { progress: true, backend });
          process.stderr.write(
            `${strategy} seed ${seed}: ACC ${fmt(summary.acc)} forgetting ${fmt(summary.forgetting)} (${summary.seconds}s)\n`,
          );
          runs.push(summary);
        }
      }
      const rows = summarizeRuns(runs, flags.strategies);
      process.stdout.write(flags.json ? `${JSON.stringify(rows)}\n` : formatTable(rows, flags.strategies));
      if (flags.csv) writeFileAtomicSync(flags.csv, toCsv(rows));
    });
}

/** Mean and 90% bootstrap CI (seed 0, 10,000 resamples) per strategy and metric. */
export function summarizeRuns(runs: readonly RunSummary[], strategies: readonly string[]): CompareRow[] {
  const rows: CompareRow[] = [];
  for (const strategy of strategies) {
    const mine = runs.filter((r) => r.strategy === strategy);
    for (const metric of METRICS) {
      const values = mine.map((r) => r[metric]).filter((v): v is number => typeof v === 'number');
      const ci = bootstrapMean(values, { level: 0.9, seed: 0 });
      rows.push({
        strategy,
        metric,
        mean: ci?.mean ?? null,
        low: ci?.low ?? null,
        high: ci?.high ?? null,
        n: values.length,
        values,
      });
    }
  }
  return rows;
}

export function formatTable(rows: readonly CompareRow[], strategies: readonly string[]): string {
  const header = ['strategy', ...METRICS];
  const lines = strategies.map((s) => [
    s,
    ...METRICS.map((m) => {
      const r = rows.find((x) => x.strategy === s && x.metric === m)!;
      if (r.mean === null) return '–';
      const digits = m === 'seconds' ? 0 : 2;
      return `${r.mean.toFixed(digits)} [${r.low!.toFixed(digits)}, ${r.high!.toFixed(digits)}]`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmtLine = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return `${[fmtLine(header), fmtLine(widths.map((w) => '-'.repeat(w))), ...lines.map(fmtLine)].join('\n')}\n(mean [90% bootstrap CI] over ${rows[0]?.n ?? 0} seeds)\n`;
}

export function toCsv(rows: readonly CompareRow[]): string {
  const out = ['strategy,metric,mean,ci90_low,ci90_high,n,values'];
  for (const r of rows) {
    out.push(
      [r.strategy, r.metric, r.mean ?? '', r.low ?? '', r.high ?? '', r.n, r.values.join(';')].join(','),
    );
  }
  return `${out.join('\n')}\n`;
}

function fmt(v: number | null): string {
  return v === null ? '–' : v.toFixed(2);
}
