/**
 * `cli run`: one continual run (a sequence of tasks, one strategy, one seed), recorded as a session.
 *
 *   npm run cli -- run [--sequence NAME|FILE] [--strategy NAME] [--lambda X] [--options JSON] [--dqn JSON]
 *                      [--seed S] [--eval-every N] [--out DIR [--force]] [--no-record] [--resume DIR] [--json]
 *
 * Progress bars (one per stage) go to stderr; when stderr is not a terminal, plain progress lines instead
 * (src/cli/plain-progress.ts). Each task's training settings are printed first. Recording is on by default: events, manifest and a checkpoint
 * at every stage end into ./sessions/<date-time>-<sequence>-<strategy>/ (or --out: a new or empty folder; a
 * non-empty folder that is not a session only with --force; never a symbolic link or another session).
 * --resume DIR continues a recorded session from its last checkpoint, appending to it, unless it finished
 * (src/session/recorded-run.ts: the one rule the UI follows too). A session has one writer at a time: a
 * second one exits 2 naming the process holding session.lock. With --json, stdout receives exactly one
 * JSON line at the end:
 *   {"sequence","strategy","seed","acc","forgetting","bwt","fwt","matrix","envSteps","seconds","backend"}
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import type { RunConfigInput } from '../../continual/run-config';
import { ContinualRunner, type RunResult } from '../../continual/runner';
import { getStrategyDefinition, strategyNames } from '../../continual/strategies';
import { BUILTIN_SEQUENCES } from '../../continual/sequences';
import type { RunEvent, RunObserver } from '../../session/events';
import { prepareNewSessionFolder } from '../../session/folder-guard';
import { resumeRecordedRun, startRecordedRun } from '../../session/recorded-run';
import { DEFAULT_KEEP_PERIODIC, type SessionRecorder } from '../../session/recorder';
import { describeBackend, initBackend, type BackendChoice } from '../../tf/backend';
import { describeTaskDqn } from '../../dqn/config';
import { intFlag, jsonObjectFlag, numberFlag } from '../flags';
import { PlainProgress } from '../plain-progress';
import { UserError } from '../user-error';

/** Env steps per `advance` call between progress refreshes (never crossing a stage end). */
const CHUNK = 500;

/** Env steps between periodic checkpoints of a recorded run (besides the one at every stage end). */
const DEFAULT_CHECKPOINT_EVERY = 5000;

export const runFlagsSchema = z.object({
  sequence: z.string().min(1).default('default'),
  strategy: z.string().min(1).default('finetune'),
  lambda: numberFlag('--lambda').optional(),
  options: jsonObjectFlag('--options').optional(),
  dqn: jsonObjectFlag('--dqn').optional(),
  seed: intFlag('--seed', 0).optional(),
  evalEvery: intFlag('--eval-every', 1).optional(),
  out: z.string().min(1, '--out needs a folder').optional(),
  record: z.boolean().default(true),
  resume: z.string().min(1, '--resume needs a session folder').optional(),
  checkpointEvery: intFlag('--checkpoint-every', 0).default(DEFAULT_CHECKPOINT_EVERY),
  keepCheckpoints: z
    .string()
    .default(String(DEFAULT_KEEP_PERIODIC))
    .transform((v, ctx) => {
      if (v === 'all') return Infinity;
      const n = /^\d+$/u.test(v) ? Number(v) : Number.NaN;
      if (Number.isSafeInteger(n) && n >= 1) return n;
      ctx.addIssue({ code: 'custom', message: '--keep-checkpoints must be a whole number ≥ 1, or "all"' });
      return z.NEVER;
    }),
  json: z.boolean().optional(),
  force: z.boolean().optional(),
});
export type RunFlags = z.output<typeof runFlagsSchema>;

/** The one-line JSON summary of `run --json` (and one row of `compare`). */
export interface RunSummary {
  sequence: string;
  strategy: string;
  seed: number;
  acc: number | null;
  forgetting: number | null;
  bwt: number | null;
  fwt: number | null;
  auc: number | null;
  matrix: (number | null)[][];
  envSteps: number;
  seconds: number;
  backend: string;
  session?: string;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('train a task sequence with a continual-learning strategy and measure forgetting')
    .option(
      '--sequence <name|file>',
      `built-in (${Object.keys(BUILTIN_SEQUENCES).join(', ')}) or a JSON file`,
      'default',
    )
    .option(
      '--strategy <name>',
      `one of ${strategyNames().join(', ')}, or a composition such as si+rehearsal`,
      'finetune',
    )
    .option('--lambda <x>', 'penalty strength λ (strategies that have one)')
    .option('--options <json>', 'strategy options as a JSON object, e.g. {"mode":"online","gamma":0.9}')
    .option('--dqn <json>', 'DQN hyperparameter overrides as a JSON object (fields of DqnConfig)')
    .option('--seed <s>', 'random seed (default 0)')
    .option('--eval-every <n>', 'greedy-evaluate every task every n env steps (default 2000)')
    .option(
      '--out <dir>',
      'record the session into this folder (default ./sessions/<date-time>-<sequence>-<strategy>)',
    )
    .option('--no-record', 'do not record a session')
    .option('--resume <dir>', 'continue a recorded session from its last checkpoint')
    .option(
      '--checkpoint-every <n>',
      `also checkpoint a recorded run every n env steps; 0 = only at stage ends (default ${DEFAULT_CHECKPOINT_EVERY})`,
    )
    .option(
      '--keep-checkpoints <n>',
      `periodic checkpoints kept on disk: the newest n, or "all"; stage-end checkpoints are always kept (default ${DEFAULT_KEEP_PERIODIC})`,
    )
    .option('--json', 'print exactly one JSON line on stdout at the end')
    .option('--force', 'record into a non-empty --out folder that holds no session')
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(raw);
      const summary = await executeRun(flags, { progress: true });
      if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    });
}

export function parseFlags(raw: Record<string, unknown>): RunFlags {
  const parsed = runFlagsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(
      issue.message.startsWith('--') ? `${issue.message}.` : `--${issue.path.join('.')}: ${issue.message}.`,
    );
  }
  if (parsed.data.force && parsed.data.out === undefined) {
    throw new UserError('--force applies to --out DIR, so it needs --out.');
  }
  if (parsed.data.out !== undefined && parsed.data.resume !== undefined) {
    throw new UserError('--out and --resume cannot be combined: a resumed run appends to its own session.');
  }
  for (const [key, flag] of [
    ['checkpointEvery', '--checkpoint-every'],
    ['keepCheckpoints', '--keep-checkpoints'],
    ['out', '--out'],
  ] as const) {
    if (raw[key] !== undefined && !parsed.data.record) {
      throw new UserError(`${flag} needs a recorded run, so it cannot be combined with --no-record.`);
    }
  }
  return parsed.data;
}

/** Strategy options from --options and --lambda (λ must be a knob of the chosen strategy). */
export function strategyOptionsFrom(
  flags: Pick<RunFlags, 'strategy' | 'lambda' | 'options'>,
): Record<string, unknown> {
  let def;
  try {
    def = getStrategyDefinition(flags.strategy);
  } catch (error) {
    throw new UserError(`${(error as Error).message}.`);
  }
  const options: Record<string, unknown> = { ...(flags.options ?? {}) };
  if (flags.lambda !== undefined) {
    if (!def.runtimeParams.includes('lambda')) {
      throw new UserError(
        `Strategy "${flags.strategy}" has no λ; --lambda applies to ${lambdaStrategies().join(', ')}.`,
      );
    }
    options.lambda = flags.lambda;
  }
  return options;
}

function lambdaStrategies(): string[] {
  return strategyNames().filter((n) => getStrategyDefinition(n).runtimeParams.includes('lambda'));
}

export interface ExecuteOptions {
  /** Show progress bars on stderr. */
  progress: boolean;
  /** Backend already initialized by the caller (compare). */
  backend?: BackendChoice;
  /**
   * A complete run config used instead of the one built from the flags (sweep jobs: an inline sequence with
   * its steps overridden). Ignored when resuming (the session's recorded config wins).
   */
  config?: RunConfigInput;
  /** Called after every chunk of env steps (sweep jobs report their progress through it). */
  onProgress?: (status: { step: number; totalSteps: number; stage: number; stageCount: number }) => void;
}

/** Run (or resume) one continual run to its end; returns the summary. */
export async function executeRun(flags: RunFlags, opts: ExecuteOptions): Promise<RunSummary> {
  const backend = opts.backend ?? (await initBackend());
  if (opts.progress) process.stderr.write(`backend: ${describeBackend(backend)}\n`);
  const started = performance.now();

  let runner: ContinualRunner;
  let recorder: SessionRecorder | undefined;
  const bars = opts.progress ? new ProgressView() : undefined;
  const observer: RunObserver = {
    onEvent(e: RunEvent) {
      recorder?.onEvent(e);
      bars?.onEvent(e);
    },
  };

  const notice = (message: string): void => void process.stderr.write(`note: ${message}\n`);
  // Fail before any work when --out cannot receive a session (a link, a file, another session, a foreign
  // non-empty folder without --force); the recorder checks again, under the session lock, when the run starts.
  if (flags.record && flags.out && !flags.resume) {
    prepareNewSessionFolder(flags.out, { force: flags.force ?? false, create: false });
  }
  try {
    if (flags.resume) {
      if (!flags.record)
        throw new UserError('--resume appends to the session, so it cannot be combined with --no-record.');
      // The one recorded-run path (shared with the trainer service): lock, read, the resume rule.
      let prepared;
      ({ prepared, recorder } = resumeRecordedRun(flags.resume, {
        keepPeriodic: flags.keepCheckpoints,
        onNotice: notice,
      }));
      runner = prepared.checkpoint
        ? await ContinualRunner.resume(prepared.checkpoint.absDir, observer, { backend })
        : new ContinualRunner(prepared.config, observer, { backend });
    } else {
      try {
        runner = new ContinualRunner(
          opts.config ?? {
            sequence: flags.sequence,
            strategy: flags.strategy,
            strategyOptions: strategyOptionsFrom(flags),
            ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
            ...(flags.dqn ? { dqn: flags.dqn } : {}),
            ...(flags.evalEvery !== undefined ? { evalEvery: flags.evalEvery } : {}),
          },
          observer,
          { backend },
        );
      } catch (error) {
        if (error instanceof UserError) throw error;
        throw new UserError(`${(error as Error).message}.`);
      }
      if (flags.record)
        recorder = startRecordedRun({
          ...(flags.out ? { out: flags.out } : {}),
          keepPeriodic: flags.keepCheckpoints,
          force: flags.force ?? false,
          onNotice: notice,
        });
    }
    if (opts.progress) {
      const c = runner.config;
      process.stderr.write(
        `run: sequence ${c.sequence.name}, strategy ${c.strategy} ${JSON.stringify(runner.strategy.params())}, seed ${c.seed}\n`,
      );
      c.sequence.tasks.forEach((t, i) => {
        const origin = t.dqn
          ? `${t.envId} preset${Object.keys(t.dqn).length > 0 ? ' + own' : ''}`
          : 'sequence';
        process.stderr.write(`  task ${i + 1} ${t.label} (${origin}): ${describeTaskDqn(c.taskDqn[i]!)}\n`);
      });
    }
    bars?.init(runner);

    let stagesDone = runner.result().stageTasks.length;
    let lastCheckpointStep = runner.status().step;
    for (;;) {
      const s = runner.status();
      const chunk = Math.max(1, Math.min(CHUNK, s.taskSteps - s.taskStep));
      const more = await runner.advance(chunk);
      bars?.update(runner);
      opts.onProgress?.(runner.status());
      const done = runner.result().stageTasks.length;
      const step = runner.status().step;
      const periodic = flags.checkpointEvery > 0 && step - lastCheckpointStep >= flags.checkpointEvery;
      if (recorder && more && (done > stagesDone || periodic)) {
        // A stage just ended (or the period elapsed): checkpoint so --resume can continue from here.
        // A mid-episode checkpoint stores the episode so resuming rebuilds it exactly (docs/SESSION_FORMAT.md).
        await recorder.saveCheckpoint(
          step,
          runner.elapsedMs(),
          (dir) => runner.saveCheckpoint(dir),
          done > stagesDone ? 'stage' : 'periodic',
        );
        lastCheckpointStep = step;
      }
      stagesDone = done;
      if (!more) break;
    }
    bars?.stop();
    const r = runner.result();
    const summary = summarize(runner, r, backend, (performance.now() - started) / 1000);
    if (recorder?.dir) summary.session = recorder.dir;
    runner.dispose();
    return summary;
  } finally {
    bars?.stop();
    recorder?.close();
  }
}

function summarize(
  runner: ContinualRunner,
  r: RunResult,
  backend: BackendChoice,
  seconds: number,
): RunSummary {
  const c = runner.config;
  return {
    sequence: c.sequence.name,
    strategy: c.strategy,
    seed: c.seed,
    acc: r.acc,
    forgetting: r.forgetting,
    bwt: r.bwt,
    fwt: r.fwt,
    auc: r.auc,
    matrix: r.matrix,
    envSteps: r.envSteps,
    seconds: Math.round(seconds * 10) / 10,
    backend: backend.backend,
  };
}

/** One progress bar per stage on stderr, with the latest normalized scores of every task. */
class ProgressView {
  private multi: MultiBar | undefined;
  private bars: SingleBar[] = [];
  private scores: string[] = [];
  private plain: PlainProgress | undefined;

  init(runner: ContinualRunner): void {
    const tasks = runner.taskDefs();
    this.scores = tasks.map(() => '–');
    if (!process.stderr.isTTY) {
      // No terminal: cli-progress only redraws on its timer, which a busy training loop starves. Plain lines.
      this.plain = new PlainProgress((line) => process.stderr.write(`${line}\n`));
      return;
    }
    this.multi = new MultiBar(
      {
        stream: process.stderr,
        format: ' {label} |{bar}| {value}/{total} {info}',
        hideCursor: true,
        clearOnComplete: false,
        noTTYOutput: true,
        notTTYSchedule: 10_000,
      },
      Presets.shades_classic,
    );
    this.bars = runner.schedule().map((st, i) => {
      const label = `${i + 1}. ${tasks[st.task]!.label}`.padEnd(24).slice(0, 24);
      return this.multi!.create(st.steps, 0, { label, info: '' });
    });
    this.update(runner);
  }

  onEvent(e: RunEvent): void {
    if (e.type === 'eval') this.scores[e.task] = e.normalized.toFixed(2);
  }

  update(runner: ContinualRunner): void {
    this.plain?.update(runner.status(), this.scores);
    if (!this.multi) return;
    const s = runner.status();
    const schedule = runner.schedule();
    while (this.bars.length < schedule.length) {
      const st = schedule[this.bars.length]!;
      const label = `${this.bars.length + 1}. ${runner.taskDefs()[st.task]!.label}`.padEnd(24).slice(0, 24);
      this.bars.push(this.multi.create(st.steps, 0, { label, info: '' }));
    }
    schedule.forEach((st, i) => {
      const bar = this.bars[i]!;
      const value = i < s.stage ? st.steps : i === s.stage ? s.taskStep : 0;
      bar.setTotal(Math.max(1, st.steps));
      bar.update(value, {
        info: i === s.stage && !s.done ? `ε ${s.epsilon.toFixed(2)} scores ${this.scores.join(' ')}` : '',
      });
    });
  }

  stop(): void {
    this.multi?.stop();
    this.multi = undefined;
    this.plain = undefined;
  }
}
