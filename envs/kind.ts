/**
 * An environment family's picture, declared once: the snapshot `kind`, the zod schema of its snapshot (what
 * the renderer draws, validated where it crosses the protocol) and its natural frame rate (Gymnasium's
 * `render_fps`), which the trainer's real-time pacing and the renderer's playback both use. Each env module
 * declares its own with `defineEnvKind`; envs/catalog.ts lists them, and the snapshot type, the protocol's
 * snapshot schema and the frame rates are all derived from that list.
 */
import type { z } from 'zod';

export interface EnvKind<S extends z.ZodObject = z.ZodObject> {
  /** The snapshot's `kind` literal (the discriminator of `EnvSnapshot`). */
  readonly kind: z.infer<S>['kind'];
  /** Env steps per second that look like real time (Gymnasium's `render_fps`; Minigrid's 10 for grids). */
  readonly renderFps: number;
  /** Schema of the snapshot; its `kind` field must be a `z.literal`. */
  readonly snapshot: S;
}

/** Declares an env family's kind; the kind name is read from the schema's `kind` literal. */
export function defineEnvKind<S extends z.ZodObject>(renderFps: number, snapshot: S): EnvKind<S> {
  const literal = snapshot.shape['kind'] as z.ZodLiteral | undefined;
  const kind = literal?.def?.type === 'literal' ? literal.value : undefined;
  if (typeof kind !== 'string')
    throw new Error('defineEnvKind: the snapshot schema needs a `kind: z.literal(...)`');
  if (!(Number.isFinite(renderFps) && renderFps > 0)) {
    throw new Error(`defineEnvKind(${kind}): renderFps must be a positive number, got ${renderFps}`);
  }
  return Object.freeze({ kind: kind as z.infer<S>['kind'], renderFps, snapshot });
}
