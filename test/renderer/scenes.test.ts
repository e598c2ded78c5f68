// Renderer scenes are found by file (renderer/views/*-scene.ts, collected by create-scene.ts): every declared
// env kind has exactly one scene, and each scene draws its kind's snapshots at any size without throwing.
import { describe, expect, it } from 'vitest';
import { ENV_KINDS, listEnvs, makeEnv } from '../../envs';

// Pixi reads `navigator` when it loads; Node 20 has none. Scenes only build Graphics, no renderer needed.
if (!('navigator' in globalThis)) {
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'node' }, configurable: true });
}
const { createScene, sceneKinds } = await import('../../renderer/views/create-scene');

describe('scenes', () => {
  it('has one scene per declared env kind, and none for undeclared kinds', () => {
    expect(sceneKinds().sort()).toEqual(ENV_KINDS.map((k) => k.kind).sort());
    expect(() => createScene('Nope' as never)).toThrow(/No scene draws snapshot kind 'Nope'/);
  });

  it.each(ENV_KINDS.map((k) => k.kind))('%s: draws snapshots of its envs', (kind) => {
    const spec = listEnvs().find((s) => {
      const env = makeEnv(s.id);
      env.reset(0);
      return env.snapshot().kind === kind;
    })!;
    const env = makeEnv(spec.id);
    env.reset(1);
    const scene = createScene(kind);
    expect(scene.kind).toBe(kind);
    scene.resize(300, 200);
    for (let i = 0; i < 5; i++) {
      env.step(i % env.actionCount);
      scene.update(env.snapshot() as never);
    }
    expect(scene.aspect()).toBeGreaterThan(0);
    expect(scene.view.children.length).toBeGreaterThan(0);
    scene.destroy();
  });
});
