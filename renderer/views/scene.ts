/**
 * The contract of one environment family's drawing: a Pixi container that draws an EnvSnapshot inside a
 * box of any size. Lifecycle: construct (creates its display objects) → resize(w, h) → update(snapshot)
 * any number of times → destroy() (frees every display object; the scene is unusable afterwards).
 */
import type { Container } from 'pixi.js';
import type { EnvSnapshot, SnapshotKind } from '../../envs/types';

export type { SnapshotKind };
export type SnapshotOf<K extends SnapshotKind> = Extract<EnvSnapshot, { kind: K }>;

export interface Scene<K extends SnapshotKind = SnapshotKind> {
  readonly kind: K;
  /** Add this to a parent container; the scene draws in local coordinates [0, width]×[0, height]. */
  readonly view: Container;
  resize(width: number, height: number): void;
  /** Width / height of the picture as drawn (letterboxed into the area given to resize). */
  aspect(): number;
  update(snapshot: SnapshotOf<K>): void;
  destroy(): void;
}

/**
 * What a scene module exports as `scene` so renderer/views/create-scene.ts finds it (every `*-scene.ts`
 * file in this folder is collected at build time): the snapshot kind it draws and how to build it.
 */
export interface SceneEntry<K extends SnapshotKind = SnapshotKind> {
  readonly kind: K;
  create(): Scene<K>;
}

export function defineScene<K extends SnapshotKind>(kind: K, create: () => Scene<K>): SceneEntry<K> {
  return { kind, create };
}
