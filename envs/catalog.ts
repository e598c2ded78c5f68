/**
 * The catalog of built-in environment families: the one list a new classic environment is added to.
 * envs/index.ts registers these classes; `EnvSnapshot` (envs/types.ts), the protocol's snapshot schema
 * (src/protocol/messages.ts), the trainer's real-time pace (src/trainer/pacer.ts) and the renderer's
 * playback rate (renderer/views/stage.ts) are all derived from the kinds declared here. Gridworld tasks are
 * maps (envs/gridworld/maps.ts) of one family with one kind.
 */
import { z } from 'zod';
import { Acrobot } from './acrobot';
import { CartPole } from './cartpole';
import { GRIDWORLD_KIND } from './gridworld/gridworld';
import { MountainCar } from './mountain-car';
import { PendulumDiscrete } from './pendulum';

/** Classic-control environments, registered as built-ins in this order (each has static ID, SPEC, KIND). */
export const CLASSIC_ENVS = [CartPole, MountainCar, Acrobot, PendulumDiscrete] as const;

type AnyEnvKind = (typeof CLASSIC_ENVS)[number]['KIND'] | typeof GRIDWORLD_KIND;
type AnySnapshotSchema = AnyEnvKind['snapshot'];

/** Every snapshot kind: one per classic env, then the gridworld family's. */
export const ENV_KINDS: readonly AnyEnvKind[] = [...CLASSIC_ENVS.map((c) => c.KIND), GRIDWORLD_KIND];

/** A small serializable picture of an environment's current state, enough for the renderer to draw a frame. */
export type EnvSnapshot = z.infer<AnySnapshotSchema>;
export type SnapshotKind = EnvSnapshot['kind'];

/** Zod schema of `EnvSnapshot`, discriminated by `kind` (the protocol validates frames with it). */
export const envSnapshotSchema = z.discriminatedUnion(
  'kind',
  ENV_KINDS.map((k) => k.snapshot) as unknown as [AnySnapshotSchema, ...AnySnapshotSchema[]],
);

const FPS = new Map<string, number>(ENV_KINDS.map((k) => [k.kind, k.renderFps]));

/** Env steps per second that look like real time for a snapshot kind (Gymnasium's `render_fps`). */
export function renderFps(kind: SnapshotKind): number {
  const fps = FPS.get(kind);
  if (fps === undefined) throw new Error(`Unknown snapshot kind ${JSON.stringify(kind)}`);
  return fps;
}
