/**
 * Checkpoints of the DQN learner: the full state (online and target weights, Adam moments and step,
 * counters, ε inputs, RNG state, current episode, optionally the replay buffer) in a folder:
 *   weights.bin  — float32 little-endian: online variables, target variables, Adam m, Adam v (in that order)
 *   replay.bin   — (optional) the first `count` rows of each replay array, in `REPLAY_FIELDS` order
 *   meta.json    — everything else plus the byte layout; validated with zod on load; written LAST, so a
 *                  folder without meta.json is an incomplete checkpoint.
 * Every file is written atomically (temp file, then rename). Loading and continuing gives exactly the run
 * that did not stop (test/dqn/checkpoint.test.ts proves it on the cpu backend) when the replay is saved.
 *
 * `encodeAgentState`/`decodeAgentState` are exported for the continual runner.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { makeDirs } from '../fs/make-dirs';
import { writeFileAtomic } from '../fs/write-file-atomic';
import type { DqnAgent, DqnAgentState } from './agent';
import { dqnConfigSchema, formatZodIssues } from './config';
import type { ReplayBuffer } from './replay';
import { DqnTrainer } from './train-loop';

export const CHECKPOINT_FORMAT = 'continual-rl-lab/dqn-checkpoint';
export const CHECKPOINT_VERSION = 1;

const layoutSchema = z.object({
  /** Float32 element counts of each online (= target) variable, in `QNetwork.variables()` order. */
  variableSizes: z.array(z.number().int().positive()),
  adamSize: z.number().int().nonnegative(),
});
export type AgentLayout = z.infer<typeof layoutSchema>;

/** Agent state → one float32 byte buffer plus its layout. */
export function encodeAgentState(state: DqnAgentState): { bytes: Uint8Array; layout: AgentLayout } {
  const parts = [...state.online, ...state.target, state.optimizer.m, state.optimizer.v];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  return {
    bytes: littleEndianBytes(all),
    layout: { variableSizes: state.online.map((w) => w.length), adamSize: state.optimizer.m.length },
  };
}

/** Inverse of `encodeAgentState`; `adamStep` and `updates` come from the metadata. */
export function decodeAgentState(
  bytes: Uint8Array,
  layout: AgentLayout,
  counters: { adamStep: number; updates: number },
): DqnAgentState {
  const floats = fromLittleEndian(bytes);
  const weightsTotal = layout.variableSizes.reduce((a, b) => a + b, 0);
  const expected = 2 * weightsTotal + 2 * layout.adamSize;
  if (floats.length !== expected) {
    throw new Error(`weights.bin holds ${floats.length} floats but the layout needs ${expected}`);
  }
  let offset = 0;
  const take = (n: number): Float32Array => {
    const out = floats.slice(offset, offset + n);
    offset += n;
    return out;
  };
  const online = layout.variableSizes.map(take);
  const target = layout.variableSizes.map(take);
  const m = take(layout.adamSize);
  const v = take(layout.adamSize);
  return { online, target, optimizer: { step: counters.adamStep, m, v }, updates: counters.updates };
}

/** Replay arrays saved, in file order. */
export const REPLAY_FIELDS = [
  'observations',
  'nextObservations',
  'actions',
  'rewards',
  'terminated',
  'tasks',
] as const;

/** Views of the first `n` transitions of every replay field, in the order replay.bin stores them. */
function replayFieldViews(replay: ReplayBuffer, n: number) {
  const width = replay.observationSize;
  return [
    replay.observations.subarray(0, n * width),
    replay.nextObservations.subarray(0, n * width),
    replay.actions.subarray(0, n),
    replay.rewards.subarray(0, n),
    replay.terminated.subarray(0, n),
    replay.tasks.subarray(0, n),
  ];
}

export function encodeReplay(replay: ReplayBuffer): Uint8Array {
  const views = replayFieldViews(replay, replay.size);
  const total = views.reduce((s, v) => s + v.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const v of views) {
    out.set(littleEndianBytes(v), offset);
    offset += v.byteLength;
  }
  return out;
}

export function decodeReplayInto(
  replay: ReplayBuffer,
  bytes: Uint8Array,
  cursor: { position: number; count: number },
): void {
  const targets = replayFieldViews(replay, cursor.count);
  const total = targets.reduce((s, v) => s + v.byteLength, 0);
  if (bytes.byteLength !== total)
    throw new Error(`replay.bin has ${bytes.byteLength} bytes, expected ${total}`);
  let offset = 0;
  for (const t of targets) {
    const target = new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
    target.set(bytes.subarray(offset, offset + t.byteLength));
    if (!isLittleEndian()) swapInPlace(target, t.BYTES_PER_ELEMENT);
    offset += t.byteLength;
  }
  replay.setCursor(cursor);
}

const finiteOrNull = z.number().nullable();

export const trainerCheckpointSchema = z
  .object({
    format: z.literal(CHECKPOINT_FORMAT),
    version: z.literal(CHECKPOINT_VERSION),
    savedAt: z.string(),
    envId: z.string().min(1),
    envParams: z.record(z.string(), z.union([z.number(), z.boolean()])).optional(),
    seed: z.number().int(),
    config: dqnConfigSchema,
    epsilon: z.number().min(0).max(1),
    layout: layoutSchema,
    adamStep: z.number().int().nonnegative(),
    updates: z.number().int().nonnegative(),
    counters: z.object({
      step: z.number().int().nonnegative(),
      collected: z.number().int().nonnegative(),
      episodes: z.number().int().nonnegative(),
      evalSeed: z.number().int().nonnegative(),
      rngState: z.array(z.number().int().nonnegative()).length(4),
      episodeSeed: z.number().int().nonnegative(),
      episodeActions: z.array(z.number().int().nonnegative()),
      episodeReturn: z.number(),
      recentReturns: z.array(z.number()),
      lastLoss: finiteOrNull,
    }),
    replay: z
      .object({
        capacity: z.number().int().positive(),
        observationSize: z.number().int().positive(),
        position: z.number().int().nonnegative(),
        count: z.number().int().nonnegative(),
      })
      .nullable(),
  })
  .strict();
export type TrainerCheckpointMeta = z.infer<typeof trainerCheckpointSchema>;

export interface SaveOptions {
  /** Also save the replay buffer (needed for an exact continuation). Default true. */
  includeReplay?: boolean;
}

/** Save a single-task trainer to `dir` (created if missing). */
export async function saveTrainerCheckpoint(
  dir: string,
  trainer: DqnTrainer,
  options: SaveOptions = {},
): Promise<void> {
  const includeReplay = options.includeReplay ?? true;
  makeDirs(dir);
  const state = trainer.agent.getState();
  const { bytes, layout } = encodeAgentState(state);
  await writeFileAtomic(path.join(dir, 'weights.bin'), bytes);
  if (includeReplay) await writeFileAtomic(path.join(dir, 'replay.bin'), encodeReplay(trainer.replay));
  const meta: TrainerCheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    savedAt: new Date().toISOString(),
    envId: trainer.envId,
    ...(trainer.envParams ? { envParams: trainer.envParams } : {}),
    seed: trainer.seed,
    config: trainer.config,
    epsilon: trainer.epsilon(),
    layout,
    adamStep: state.optimizer.step,
    updates: state.updates,
    counters: trainer.getCounters(),
    replay: includeReplay
      ? {
          capacity: trainer.replay.capacity,
          observationSize: trainer.replay.observationSize,
          ...trainer.replay.getCursor(),
        }
      : null,
  };
  await writeFileAtomic(path.join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
}

/** Read and validate `dir/meta.json`. */
export async function readCheckpointMeta(dir: string): Promise<TrainerCheckpointMeta> {
  const file = path.join(dir, 'meta.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot read checkpoint ${file}: ${why}`, { cause: error });
  }
  const parsed = trainerCheckpointSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid checkpoint ${file}: ${formatZodIssues(parsed.error)}`);
  return parsed.data;
}

/** Rebuild a trainer from `dir`; it continues exactly where the saved one was (given the replay). */
export async function loadTrainerCheckpoint(dir: string): Promise<DqnTrainer> {
  const meta = await readCheckpointMeta(dir);
  const trainer = new DqnTrainer({
    envId: meta.envId,
    ...(meta.envParams ? { envParams: meta.envParams } : {}),
    config: meta.config,
    seed: meta.seed,
  });
  try {
    restoreAgent(trainer.agent, await readFile(path.join(dir, 'weights.bin')), meta);
    if (meta.replay) {
      if (
        meta.replay.capacity !== trainer.replay.capacity ||
        meta.replay.observationSize !== trainer.replay.observationSize
      ) {
        throw new Error('replay shape in meta.json does not match the config');
      }
      decodeReplayInto(trainer.replay, await readFile(path.join(dir, 'replay.bin')), meta.replay);
    }
    trainer.setCounters(meta.counters);
  } catch (error) {
    trainer.dispose();
    throw error;
  }
  return trainer;
}

function restoreAgent(agent: DqnAgent, bytes: Uint8Array, meta: TrainerCheckpointMeta): void {
  agent.setState(decodeAgentState(bytes, meta.layout, { adamStep: meta.adamStep, updates: meta.updates }));
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/** Bytes of a typed array in little-endian order (a copy on big-endian hosts, a view otherwise). */
function littleEndianBytes(view: ArrayBufferView & { BYTES_PER_ELEMENT: number }): Uint8Array {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  if (isLittleEndian()) return bytes;
  const copy = Uint8Array.from(bytes);
  swapInPlace(copy, view.BYTES_PER_ELEMENT);
  return copy;
}

function fromLittleEndian(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0)
    throw new Error(`weights.bin size ${bytes.byteLength} is not a multiple of 4`);
  const copy = Uint8Array.from(bytes);
  if (!isLittleEndian()) swapInPlace(copy, 4);
  return new Float32Array(copy.buffer);
}

function swapInPlace(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}
