/**
 * Checkpoints of a continual run: everything needed to continue exactly. `saveLoopCheckpoint` writes
 * weights + Adam (`weights.bin`) and replay (`replay.bin`) with the dqn checkpoint encoders, strategy arrays
 * (`arrays.bin`/`arrays.json`) and the loop's counters, RNG, matrix and curves (`runner.json`, written
 * last, validated with zod on read). `restoreLoop` puts a read checkpoint back into a fresh TrainingLoop
 * built from the same config; the interrupted training episode is rebuilt by replaying its actions.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { rebuildEpisode } from '../dqn/episode-rebuild';
import { decodeAgentState, decodeReplayInto, encodeAgentState, encodeReplay } from '../dqn/checkpoint';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { readArrays, writeArrays, type NamedArray } from './array-file';
import type { TrainingLoop } from './training-loop';

const CHECKPOINT_VERSION = 1;
const STATE_FILE = 'runner.json';
const WEIGHTS_FILE = 'weights.bin';
const REPLAY_FILE = 'replay.bin';

/** Write the loop's full state into `dir`. */
export async function saveLoopCheckpoint(loop: TrainingLoop, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const agent = loop.agent.getState();
  const { bytes, layout } = encodeAgentState(agent);
  await writeFileAtomic(path.join(dir, WEIGHTS_FILE), bytes);
  await writeFileAtomic(path.join(dir, REPLAY_FILE), encodeReplay(loop.replay));
  const strategy = loop.strategy.getState();
  writeArrays(dir, strategy.arrays);
  const saved = loop.scoreBook.save();
  const state: CheckpointState = {
    version: CHECKPOINT_VERSION,
    config: loop.config.record,
    taskParams: loop.tasks.map((t) => t.givenParams),
    stages: loop.stages.map((s) => ({ ...s })),
    counters: {
      step: loop.step,
      stageIndex: loop.stageIndex,
      stageStep: loop.stageStep,
      stageActive: loop.stageActive,
      stepsSinceReplayClear: loop.stepsSinceReplayClear,
      episodeTask: loop.episodeTask,
      // The training episode in progress (null between episodes): rebuilt on resume by replaying it.
      episode: loop.needsReset
        ? null
        : {
            seed: loop.episodeSeed,
            actions: [...loop.episodeActions],
            return: loop.episodeReturn,
            length: loop.episodeLength,
          },
      episodesPerTask: [...loop.episodesPerTask],
      started: loop.started,
      finished: loop.finished,
      t: loop.stamp().t,
    },
    setup: loop.setup,
    rng: loop.rng.getState(),
    layout,
    adamStep: agent.optimizer.step,
    updates: agent.updates,
    replayCursor: loop.replay.getCursor(),
    matrix: saved.matrix,
    stageTasks: saved.stageTasks,
    baseline: saved.baseline,
    curves: saved.curves,
    strategy: strategy.json,
  };
  await writeFileAtomic(path.join(dir, STATE_FILE), JSON.stringify(state));
}

export interface ReadCheckpoint {
  dir: string;
  state: CheckpointState;
  weights: Uint8Array;
  replay: Uint8Array;
  arrays: Record<string, NamedArray>;
}

/** Read and validate a checkpoint folder written by `saveLoopCheckpoint`. */
export async function readLoopCheckpoint(dir: string): Promise<ReadCheckpoint> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(dir, STATE_FILE), 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read checkpoint ${path.join(dir, STATE_FILE)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = checkpointStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Checkpoint ${dir} is malformed: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const weights = new Uint8Array(await readFile(path.join(dir, WEIGHTS_FILE)));
  const replay = new Uint8Array(await readFile(path.join(dir, REPLAY_FILE)));
  return { dir, state: parsed.data, weights, replay, arrays: readArrays(dir) };
}

/** Put a checkpoint back into `loop` (built from `checkpoint.state.config`). */
export function restoreLoop(loop: TrainingLoop, checkpoint: ReadCheckpoint): void {
  const { state, weights, replay, arrays } = checkpoint;
  state.taskParams.forEach((p, i) => {
    if (JSON.stringify(p) !== JSON.stringify(loop.tasks[i]!.givenParams)) loop.setTaskParams(i, p);
  });
  loop.agent.setState(
    decodeAgentState(weights, state.layout, { adamStep: state.adamStep, updates: state.updates }),
  );
  decodeReplayInto(loop.replay, replay, state.replayCursor);
  const strategyArrays: Record<string, Float32Array> = {};
  for (const [k, a] of Object.entries(arrays)) {
    if (!(a instanceof Float32Array)) throw new Error(`Checkpoint strategy array "${k}" must be float32`);
    strategyArrays[k] = Float32Array.from(a);
  }
  loop.strategy.setState({ json: state.strategy, arrays: strategyArrays });
  loop.stages.splice(0, loop.stages.length, ...state.stages);
  const c = state.counters;
  loop.step = c.step;
  loop.stageIndex = c.stageIndex;
  loop.stageStep = c.stageStep;
  loop.stageActive = c.stageActive;
  loop.stepsSinceReplayClear = c.stepsSinceReplayClear;
  loop.episodeTask = c.episodeTask;
  loop.ctxTask = loop.currentStage().task;
  loop.episodesPerTask = [...c.episodesPerTask];
  loop.started = c.started;
  loop.finished = c.finished;
  loop.tOffset = c.t;
  loop.t0 = loop.clock();
  loop.setup = state.setup;
  loop.applyStageSettings();
  loop.rng.setState(state.rng);
  loop.scoreBook.restore(state, loop.tasks, loop.stages, c);
  if (c.episode) replayEpisode(loop, c.episode);
  else loop.needsReset = true;
}

/** Rebuild the training episode of a checkpoint (src/dqn/episode-rebuild.ts, shared with `cli train`). */
function replayEpisode(
  loop: TrainingLoop,
  episode: { seed: number; actions: number[]; return: number; length: number },
): void {
  const task = loop.episodeTask;
  const env = loop.trainEnvs[task]!;
  rebuildEpisode(env, episode.seed, episode.actions, loop.obs[task]!);
  loop.episodeSeed = episode.seed;
  loop.episodeActions.splice(0, loop.episodeActions.length, ...episode.actions);
  loop.episodeReturn = episode.return;
  loop.episodeLength = episode.length;
  loop.needsReset = false;
}

const checkpointStateSchema = z.object({
  version: z.literal(CHECKPOINT_VERSION),
  config: z.record(z.string(), z.unknown()),
  taskParams: z.array(z.record(z.string(), z.number())),
  stages: z.array(
    z.strictObject({
      task: z.number().int().min(0),
      steps: z.number().int().min(0),
      source: z.enum(['scheduled', 'manual']),
    }),
  ),
  counters: z.object({
    step: z.number().int().min(0),
    stageIndex: z.number().int().min(0),
    stageStep: z.number().int().min(0),
    stageActive: z.boolean(),
    stepsSinceReplayClear: z.number().int().min(0),
    episodeTask: z.number().int().min(0),
    // Absent in checkpoints written before it existed: the episode then restarts with a fresh reset.
    episode: z
      .object({
        seed: z.number().int().min(0),
        actions: z.array(z.number().int().min(0)),
        return: z.number(),
        length: z.number().int().min(0),
      })
      .nullable()
      .optional(),
    episodesPerTask: z.array(z.number().int().min(0)),
    started: z.boolean(),
    finished: z.boolean(),
    t: z.number().min(0),
  }),
  setup: z.object({
    keepReplay: z.boolean().optional(),
    keepOptimizer: z.boolean().optional(),
    runWideEpsilon: z.boolean().optional(),
  }),
  rng: z.array(z.number().int()).length(4),
  layout: z.object({ variableSizes: z.array(z.number().int().min(0)), adamSize: z.number().int().min(0) }),
  adamStep: z.number().int().min(0),
  updates: z.number().int().min(0),
  replayCursor: z.object({ position: z.number().int().min(0), count: z.number().int().min(0) }),
  matrix: z.array(z.array(z.number().nullable())),
  stageTasks: z.array(z.number().int().min(0)),
  baseline: z.array(z.number().nullable()),
  curves: z.array(z.array(z.object({ step: z.number(), normalized: z.number() }))),
  strategy: z.record(z.string(), z.unknown()),
});
type CheckpointState = z.infer<typeof checkpointStateSchema>;
