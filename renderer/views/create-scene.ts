/**
 * Builds the Scene that draws a given snapshot kind. Every `*-scene.ts` module in this folder exports a
 * `scene` entry (`defineScene(kind, create)`); Vite collects them here at build time, so a new environment's
 * scene is one new file and nothing else in the renderer changes. The natural frame rate of a kind comes
 * from its declaration in envs/ (`renderFps`).
 */
/// <reference types="vite/client" />
import type { Scene, SceneEntry, SnapshotKind } from './scene';

const modules = import.meta.glob<SceneEntry>(['./*-scene.ts', '!./create-scene.ts'], {
  eager: true,
  import: 'scene',
});

const entries = new Map<string, SceneEntry>();
for (const [file, entry] of Object.entries(modules)) {
  if (!entry || typeof entry.create !== 'function') throw new Error(`${file} does not export a scene entry`);
  if (entries.has(entry.kind)) throw new Error(`Two scenes draw '${entry.kind}' (${file})`);
  entries.set(entry.kind, entry);
}

/** The snapshot kinds that have a scene (a test checks that every declared env kind does). */
export function sceneKinds(): string[] {
  return [...entries.keys()];
}

export function createScene(kind: SnapshotKind): Scene {
  const entry = entries.get(kind);
  if (!entry) throw new Error(`No scene draws snapshot kind '${kind}'; add renderer/views/<env>-scene.ts`);
  return entry.create() as Scene;
}
