/**
 * Sweep specs: the zod schema of a sweep file (sequences × strategies × λ values × seeds), and planning it
 * into jobs. A job carries a complete run config (its sequence inlined, steps overridden), so a worker on
 * another machine needs neither the spec file nor the sequence file. The sweep id and every job id are
 * derived from the planned jobs' content: submitting the same spec again names the same jobs (BullMQ then
 * ignores the duplicates, the embedded runner skips finished ones). Docs: docs/SWEEPS.md.
 *
 *   {"sequence": "fourrooms", "strategies": ["finetune", "ewc"], "seeds": 3,
 *    "lambdas": {"ewc": [100, 1000]}, "stepsPerTask": 2000}
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { runConfigSchema, type RunConfigInput } from '../continual/run-config';
import { loadSequence, sequenceSchema, type SequenceSpec } from '../continual/sequence';
import { getStrategyDefinition } from '../continual/strategies';
import { dqnConfigOverridesSchema } from '../dqn/config';
import { safeName } from '../session/paths';

const sequenceRef = z.union([z.string().min(1).max(4096), sequenceSchema]);

export const sweepSpecSchema = z
  .strictObject({
    /** A name for the sweep (default: the first sequence's); the sweep id is `<name>-<content hash>`. */
    name: z.string().min(1).max(60).optional(),
    /** One sequence: a built-in name, a JSON file (relative to the spec file) or an inline sequence. */
    sequence: sequenceRef.optional(),
    /** Several sequences (instead of `sequence`). */
    sequences: z.array(sequenceRef).min(1).max(50).optional(),
    /** Strategy names (see `npm run cli -- info`). */
    strategies: z.array(z.string().min(1).max(100)).min(1, 'needs at least one strategy').max(50),
    /** A count N (seeds 0 … N−1) or an explicit list of seeds. */
    seeds: z.union([
      z.number().int().min(1).max(1000),
      z.array(z.number().int().min(0).max(0xffffffff)).min(1).max(1000),
    ]),
    /** λ values per strategy (each value is one more job per seed); strategies not listed use their default. */
    lambdas: z.record(z.string(), z.array(z.number().min(0).finite()).min(1).max(50)).optional(),
    /** Overrides every task's `steps` (short sweeps, smoke tests). */
    stepsPerTask: z.number().int().min(1).max(100_000_000).optional(),
    /** DQN overrides applied to every run (on top of the sequence's). */
    dqn: dqnConfigOverridesSchema.optional(),
    /** Strategy options per strategy (besides λ). */
    strategyOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** Greedy evaluation period (env steps). */
    evalEvery: z.number().int().min(1).max(100_000_000).optional(),
    /** Episodes per task per evaluation. */
    evalEpisodes: z.number().int().min(1).max(1000).optional(),
    /** Periodic checkpoint period of every job (env steps; 0 = stage ends only). Default 5000. */
    checkpointEvery: z.number().int().min(0).max(100_000_000).default(5000),
  })
  .refine((s) => (s.sequence === undefined) !== (s.sequences === undefined), {
    message: 'give exactly one of "sequence" or "sequences"',
  });

export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
export type SweepSpec = z.output<typeof sweepSpecSchema>;

/** One run of a sweep. */
export interface SweepJob {
  /** Unique within the sweep, safe as a folder name and a BullMQ job id. */
  id: string;
  sweep: string;
  index: number;
  sequence: string;
  strategy: string;
  seed: number;
  /** λ given by the sweep, or null (the strategy's or sequence's default). */
  lambda: number | null;
  /** Env steps of the whole run. */
  steps: number;
  checkpointEvery: number;
  /** The complete run config (sequence inlined). */
  config: RunConfigInput;
}

export interface SweepPlan {
  id: string;
  name: string;
  spec: SweepSpec;
  jobs: SweepJob[];
}

/** The zod schema of a job as it travels through Redis (workers validate what they take). */
export const sweepJobSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._-]+$/u),
  sweep: z
    .string()
    .min(1)
    .max(120)
    .regex(/^[A-Za-z0-9._-]+$/u),
  index: z.number().int().min(0),
  sequence: z.string().max(200),
  strategy: z.string().min(1).max(100),
  seed: z.number().int().min(0),
  lambda: z.number().min(0).nullable(),
  steps: z.number().int().min(1),
  checkpointEvery: z.number().int().min(0),
  config: runConfigSchema,
});

/** Validate a parsed spec; throws an Error naming the offending field. */
export function parseSweepSpec(raw: unknown, where = 'sweep spec'): SweepSpec {
  const parsed = sweepSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`,
    );
    throw new Error(`Invalid ${where}: ${detail.join('; ')}`);
  }
  return parsed.data;
}

/** Read and validate a spec file. Relative sequence files are resolved against the spec's folder. */
export function loadSweepSpec(file: string): { spec: SweepSpec; baseDir: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read sweep spec "${file}": ${(error as NodeJS.ErrnoException).code ?? error}`, {
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`Sweep spec "${file}" is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return { spec: parseSweepSpec(raw, `sweep spec "${file}"`), baseDir: path.dirname(path.resolve(file)) };
}

/** Expand a spec into jobs (sequence-major, then strategy, λ, seed). Throws on unknown names. */
export function planSweep(spec: SweepSpec, baseDir = process.cwd()): SweepPlan {
  for (const s of spec.strategies) getStrategyDefinition(s); // throws a clear error for a bad name or composition
  if (new Set(spec.strategies).size !== spec.strategies.length) throw new Error('strategies: listed twice');
  for (const [s, values] of Object.entries(spec.lambdas ?? {})) {
    if (!spec.strategies.includes(s)) throw new Error(`lambdas.${s}: "${s}" is not one of the strategies`);
    if (!getStrategyDefinition(s).runtimeParams.includes('lambda')) {
      throw new Error(`lambdas.${s}: strategy "${s}" has no λ`);
    }
    if (new Set(values).size !== values.length) throw new Error(`lambdas.${s}: a value is listed twice`);
  }
  const seeds = typeof spec.seeds === 'number' ? [...Array(spec.seeds).keys()] : spec.seeds;
  if (new Set(seeds).size !== seeds.length) throw new Error('seeds: a seed is listed twice');
  const sequences = (spec.sequences ?? [spec.sequence!]).map((ref) => inlineSequence(ref, spec, baseDir));
  const seqNames = sequences.map((s) => s.name!);
  if (new Set(seqNames).size !== seqNames.length) {
    throw new Error(`sequences: two sequences are named the same (${seqNames.join(', ')}); give them names`);
  }

  const drafts: Omit<SweepJob, 'id' | 'sweep' | 'index'>[] = [];
  for (const sequence of sequences) {
    const steps = sequence.tasks.reduce((n, t) => n + t.steps, 0) * (sequence.repeats ?? 1);
    for (const strategy of spec.strategies) {
      const lambdas: (number | null)[] = spec.lambdas?.[strategy] ?? [null];
      for (const lambda of lambdas) {
        for (const seed of seeds) {
          const strategyOptions = {
            ...(spec.strategyOptions?.[strategy] ?? {}),
            ...(lambda !== null ? { lambda } : {}),
          };
          const config: RunConfigInput = {
            sequence,
            strategy,
            strategyOptions,
            seed,
            ...(spec.dqn ? { dqn: spec.dqn } : {}),
            ...(spec.evalEvery !== undefined ? { evalEvery: spec.evalEvery } : {}),
            ...(spec.evalEpisodes !== undefined ? { evalEpisodes: spec.evalEpisodes } : {}),
          };
          drafts.push({
            sequence: sequence.name!,
            strategy,
            seed,
            lambda,
            steps,
            checkpointEvery: spec.checkpointEvery,
            config,
          });
        }
      }
    }
  }
  const name = safeName(spec.name ?? seqNames[0]!).slice(0, 40);
  const hash = crypto.createHash('sha256').update(JSON.stringify(drafts)).digest('hex').slice(0, 10);
  const id = `${name}-${hash}`;
  const jobs = drafts.map((d, index) => ({ ...d, id: jobId(d, seqNames.length > 1), sweep: id, index }));
  return { id, name, spec, jobs };
}

/** `<strategy>[-l<λ>]-s<seed>`, prefixed by the sequence when the sweep has several. */
function jobId(
  d: Pick<SweepJob, 'sequence' | 'strategy' | 'lambda' | 'seed'>,
  withSequence: boolean,
): string {
  const parts = [
    ...(withSequence ? [safeName(d.sequence)] : []),
    safeName(d.strategy),
    ...(d.lambda !== null ? [`l${d.lambda}`] : []),
    `s${d.seed}`,
  ];
  return parts.join('-');
}

/** A sequence reference resolved to its validated spec, inlined, with `stepsPerTask` applied. */
function inlineSequence(
  ref: string | z.output<typeof sequenceSchema>,
  spec: SweepSpec,
  baseDir: string,
): SequenceSpec {
  let source: SequenceSpec;
  let name: string;
  if (typeof ref === 'string') {
    const file = path.isAbsolute(ref) || !ref.endsWith('.json') ? ref : path.join(baseDir, ref);
    const resolved = loadSequence(file);
    source = resolved.spec;
    name = resolved.name;
  } else {
    source = ref;
    name = ref.name ?? 'custom';
  }
  const tasks = source.tasks.map((t) => ({
    ...t,
    ...(spec.stepsPerTask !== undefined ? { steps: spec.stepsPerTask } : {}),
  }));
  return { ...source, name, tasks };
}

/** Where a sweep lives: `<root>/<sweep id>/` holds sweep.json, results/ (one file per finished run) and runs/. */
export function sweepDir(root: string, sweep: string): string {
  return path.join(path.resolve(root), sweep);
}

export function jobSessionDir(root: string, job: Pick<SweepJob, 'sweep' | 'id'>): string {
  return path.join(sweepDir(root, job.sweep), 'runs', job.id);
}
