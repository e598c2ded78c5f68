/**
 * `cli train`: train one DQN agent on one environment (SB3 semantics, src/dqn/train-loop.ts), then
 * evaluate it greedily (`evalEpisodes`, 20 by default) on a separate env instance.
 *
 *   npm run cli -- train --env CartPole-v1 [--params JSON] [--preset NAME] [--config JSON]
 *                        [--steps N] [--seed S] [--out DIR [--force]] [--json]
 *                        [--eval-freq N [--eval-freq-episodes K] [--keep-best]]
 *
 * --params are the environment's parameters, --config overrides DQN hyperparameters of the preset
 * (the env's own preset by default). A progress bar goes to stderr; with --json, stdout receives exactly
 * one JSON line at the end: {"env","seed","steps","evalReturn","evalEpisodes","seconds","backend"}.
 *
 * --eval-freq N evaluates the greedy policy every N env steps during training (K episodes, default 5, on
 * episode seeds distinct from the final evaluation's), like SB3's EvalCallback; --keep-best then reports the
 * final evaluation of the weights that scored best there (SB3's best_model, `enjoy.py --load-best`) instead
 * of the last weights. The checkpoint (--out) always holds the final learner, so it resumes exactly; a folder
 * already holding a checkpoint is refused (exit 2) before training unless --force.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { getEnvSpec, makeEnv } from '../../../envs/index';
import { saveTrainerCheckpoint } from '../../dqn/checkpoint';
import { configRows, formatZodIssues, resolveDqnConfig } from '../../dqn/config';
import { getPreset, hasPreset, presetNames } from '../../dqn/presets';
import { DqnTrainer } from '../../dqn/train-loop';
import { describeBackend, initBackend } from '../../tf/backend';
import { intFlag, jsonObjectFlag } from '../flags';
import { UserError } from '../user-error';

const flagsSchema = z.object({
  env: z.string({ error: '--env is required' }).min(1, '--env is required'),
  params: jsonObjectFlag('--params').optional(),
  preset: z.string().min(1).optional(),
  config: jsonObjectFlag('--config').optional(),
  steps: intFlag('--steps', 1).optional(),
  seed: intFlag('--seed', 0).optional(),
  out: z.string().min(1, '--out needs a folder').optional(),
  force: z.boolean().optional(),
  json: z.boolean().optional(),
  evalFreq: intFlag('--eval-freq', 1).optional(),
  evalFreqEpisodes: intFlag('--eval-freq-episodes', 1).optional(),
  keepBest: z.boolean().optional(),
});

const envParamsSchema = z.record(z.string(), z.union([z.number(), z.boolean()]));

/** Steps between progress-bar refreshes. */
const PROGRESS_CHUNK = 500;

export function register(program: Command): void {
  program
    .command('train')
    .description('train a DQN agent on one environment, then evaluate it greedily')
    .requiredOption('--env <id>', 'environment id (see `cli info` / envs)')
    .option('--params <json>', 'environment parameters as a JSON object')
    .option(
      '--preset <name>',
      `hyperparameter preset (default: the env's own; one of ${presetNames().join(', ')})`,
    )
    .option('--config <json>', 'DQN hyperparameter overrides as a JSON object (fields of DqnConfig)')
    .option('--steps <n>', 'total env steps (default: the preset)')
    .option('--seed <s>', 'random seed (default 0)')
    .option('--out <dir>', 'save a checkpoint of the trained learner to this folder')
    .option('--force', 'replace a checkpoint already saved in --out')
    .option('--json', 'print exactly one JSON line on stdout at the end')
    .option('--eval-freq <n>', 'greedy evaluation every N env steps during training (default: off)')
    .option('--eval-freq-episodes <k>', 'episodes per periodic evaluation (default 5)')
    .option('--keep-best', 'report the final evaluation of the best periodically evaluated weights')
    .action(async (raw: Record<string, unknown>) => {
      await runTrain(raw);
    });
}

export async function runTrain(raw: Record<string, unknown>): Promise<void> {
  const parsed = flagsSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`Invalid flags: ${formatZodIssues(parsed.error)}.`);
  const flags = parsed.data;
  if (flags.force && flags.out === undefined)
    throw new UserError('--force applies to --out, so it needs --out.');
  if (flags.out !== undefined) refuseCheckpointOverwrite(flags.out, flags.force ?? false);
  if ((flags.keepBest || flags.evalFreqEpisodes !== undefined) && flags.evalFreq === undefined) {
    throw new UserError('--keep-best and --eval-freq-episodes need --eval-freq N.');
  }
  try {
    getEnvSpec(flags.env);
  } catch (error) {
    throw new UserError(`--env: ${error instanceof Error ? error.message : String(error)}`);
  }
  let envParams: Record<string, number | boolean> | undefined;
  if (flags.params) {
    const p = envParamsSchema.safeParse(flags.params);
    if (!p.success) throw new UserError(`--params: ${formatZodIssues(p.error)}`);
    envParams = p.data;
    try {
      makeEnv(flags.env, envParams); // validates the values against the env's ranges before any work
    } catch (error) {
      throw new UserError(`--params: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const presetName = flags.preset ?? flags.env;
  if (flags.preset && !hasPreset(flags.preset)) {
    throw new UserError(`--preset: unknown preset "${flags.preset}"; known: ${presetNames().join(', ')}`);
  }
  let config;
  try {
    config = resolveDqnConfig(getPreset(presetName).config, {
      ...(flags.config ?? {}),
      ...(flags.steps !== undefined ? { totalSteps: flags.steps } : {}),
    });
  } catch (error) {
    throw new UserError(`--config: ${error instanceof Error ? error.message : String(error)}`);
  }
  const seed = flags.seed ?? 0;
  if (flags.keepBest && flags.evalFreq !== undefined && flags.evalFreq > config.totalSteps) {
    throw new UserError(
      `--keep-best: --eval-freq ${flags.evalFreq} is larger than the run's ${config.totalSteps} steps, so nothing would be evaluated.`,
    );
  }

  const backend = await initBackend();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`backend: ${describeBackend(backend)}`);
  log(`env ${flags.env}, seed ${seed}, preset ${getPreset(presetName).name}`);
  const rows = configRows(config);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) log(`  ${k.padEnd(width)}  ${v}`);

  const trainer = new DqnTrainer({ envId: flags.env, ...(envParams ? { envParams } : {}), config, seed });
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'train |{bar}| {value}/{total} steps | ε {eps} | return {ret} | {sps} steps/s',
    hideCursor: false,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  });
  const started = performance.now();
  bar.start(config.totalSteps, 0, { eps: '1.000', ret: '—', sps: '0' });
  const evalFreq = flags.evalFreq ?? 0;
  const evalFreqEpisodes = flags.evalFreqEpisodes ?? 5;
  let best: { step: number; mean: number; weights: Float32Array[] } | null = null;
  try {
    while (!trainer.done) {
      const step = trainer.status().step;
      const nextEval = evalFreq > 0 ? (Math.floor(step / evalFreq) + 1) * evalFreq : Infinity;
      trainer.advance(Math.min(PROGRESS_CHUNK, nextEval - step));
      const now = trainer.status().step;
      if (evalFreq > 0 && now % evalFreq === 0) {
        const { mean } = trainer.evaluate(evalFreqEpisodes, 'selection');
        const improved = best === null || mean > best.mean; // strictly better, as SB3's EvalCallback
        if (improved) best = { step: now, mean, weights: trainer.agent.online.getWeights() };
        log(
          `\neval at step ${now}: mean ${mean.toFixed(2)} over ${evalFreqEpisodes} episodes${improved ? ' (best)' : ''}`,
        );
      }
      update();
      // Training is synchronous: yield so the progress bar's timer (and signals) can run.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    update();
    bar.stop();
    const trainSeconds = (performance.now() - started) / 1000;
    if (flags.out) {
      refuseCheckpointOverwrite(flags.out, flags.force ?? false); // again: something may have appeared since
      await saveTrainerCheckpoint(flags.out, trainer);
      log(`checkpoint of the final learner saved to ${flags.out}`);
    }
    if (flags.keepBest && best) {
      const last = trainer.evaluate(config.evalEpisodes);
      log(`final weights: greedy eval mean ${last.mean.toFixed(2)} over ${config.evalEpisodes} episodes`);
      trainer.agent.online.setWeights(best.weights);
      trainer.agent.weightsChanged();
      log(`--keep-best: evaluating the weights of step ${best.step} (periodic mean ${best.mean.toFixed(2)})`);
    }
    const evaluation = trainer.evaluate(config.evalEpisodes);
    const seconds = (performance.now() - started) / 1000;
    log(
      `trained ${config.totalSteps} steps in ${trainSeconds.toFixed(1)} s; greedy eval mean ${evaluation.mean.toFixed(2)} over ${config.evalEpisodes} episodes`,
    );
    const result = {
      env: flags.env,
      seed,
      steps: trainer.status().step,
      evalReturn: evaluation.mean,
      evalEpisodes: config.evalEpisodes,
      seconds: Number(seconds.toFixed(3)),
      backend: backend.backend,
    };
    if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else log(JSON.stringify(result));
  } finally {
    bar.stop();
    trainer.dispose();
  }

  function update(): void {
    const s = trainer.status();
    const elapsed = (performance.now() - started) / 1000;
    bar.update(s.step, {
      eps: s.epsilon.toFixed(3),
      ret: Number.isNaN(s.recentReturn) ? '—' : s.recentReturn.toFixed(1),
      sps: elapsed > 0 ? (s.step / elapsed).toFixed(0) : '0',
    });
  }
}

/** Files of a trainer checkpoint (src/dqn/checkpoint.ts). */
const CHECKPOINT_FILES = ['meta.json', 'weights.bin', 'replay.bin'];

/** `--out` must be a folder (new or existing) not already holding a checkpoint, unless --force. */
function refuseCheckpointOverwrite(out: string, force: boolean): void {
  const dir = path.resolve(out);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) return;
  if (!stat.isDirectory()) throw new UserError(`--out ${dir} is a file; the checkpoint needs a folder.`);
  if (force) return;
  const taken = CHECKPOINT_FILES.filter((f) => fs.lstatSync(path.join(dir, f), { throwIfNoEntry: false }));
  if (taken.length > 0) {
    throw new UserError(
      `--out ${dir} already holds ${taken.join(', ')}; choose another folder, or pass --force to replace the checkpoint.`,
    );
  }
}
