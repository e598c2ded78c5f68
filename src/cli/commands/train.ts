/**
 * `cli train`: train one DQN agent on one environment (SB3 semantics, src/dqn/train-loop.ts), then
 * evaluate it greedily (`evalEpisodes`, 20 by default) on a separate env instance.
 *
 *   npm run cli -- train --env CartPole-v1 [--params JSON] [--preset NAME] [--config JSON]
 *                        [--steps N] [--seed S] [--out DIR] [--json]
 *
 * --params are the environment's parameters, --config overrides DQN hyperparameters of the preset
 * (the env's own preset by default). A progress bar goes to stderr; with --json, stdout receives exactly
 * one JSON line at the end: {"env","seed","steps","evalReturn","evalEpisodes","seconds","backend"}.
 */
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
  json: z.boolean().optional(),
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
    .option('--json', 'print exactly one JSON line on stdout at the end')
    .action(async (raw: Record<string, unknown>) => {
      await runTrain(raw);
    });
}

export async function runTrain(raw: Record<string, unknown>): Promise<void> {
  const parsed = flagsSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`Invalid flags: ${formatZodIssues(parsed.error)}.`);
  const flags = parsed.data;
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
  try {
    while (trainer.advance(PROGRESS_CHUNK)) {
      update();
      // Training is synchronous: yield so the progress bar's timer (and signals) can run.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    update();
    bar.stop();
    const trainSeconds = (performance.now() - started) / 1000;
    const evaluation = trainer.evaluate(config.evalEpisodes);
    const seconds = (performance.now() - started) / 1000;
    log(
      `trained ${config.totalSteps} steps in ${trainSeconds.toFixed(1)} s; greedy eval mean ${evaluation.mean.toFixed(2)} over ${config.evalEpisodes} episodes`,
    );
    if (flags.out) {
      await saveTrainerCheckpoint(flags.out, trainer);
      log(`checkpoint saved to ${flags.out}`);
    }
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
