// The env-kind declarations (envs/kind.ts, envs/catalog.ts): every registered environment's snapshot has a
// declared kind, the frame rates are Gymnasium's render_fps, and the derived snapshot schema validates
// every kind and names what is wrong.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENV_KINDS, envSnapshotSchema, listEnvs, makeEnv, renderFps } from '../../envs';
import { defineEnvKind } from '../../envs/kind';
import { realtimeStepsPerSec } from '../../src/trainer/pacer';

describe('env kinds', () => {
  it('declares each kind once, with Gymnasium render_fps (Minigrid 10 for grids)', () => {
    const fps = Object.fromEntries(ENV_KINDS.map((k) => [k.kind, k.renderFps]));
    expect(fps).toEqual({ CartPole: 50, MountainCar: 30, Acrobot: 15, Pendulum: 30, Gridworld: 10 });
    expect(new Set(ENV_KINDS.map((k) => k.kind)).size).toBe(ENV_KINDS.length);
  });

  it('gives the trainer the declared frame rate', () => {
    for (const k of ENV_KINDS) expect(realtimeStepsPerSec(k.kind)).toBe(k.renderFps);
    expect(() => renderFps('Nope' as never)).toThrow(/Unknown snapshot kind "Nope"/);
  });

  it("covers every registered environment's snapshot, which its kind's schema accepts", () => {
    const kinds = new Set(ENV_KINDS.map((k) => k.kind));
    for (const spec of listEnvs()) {
      const env = makeEnv(spec.id);
      env.reset(0);
      env.step(0);
      const snap = env.snapshot();
      expect(kinds.has(snap.kind), spec.id).toBe(true);
      const kind = ENV_KINDS.find((k) => k.kind === snap.kind)!;
      expect(kind.snapshot.safeParse(snap).success, spec.id).toBe(true);
      expect(envSnapshotSchema.parse(snap)).toEqual(snap);
    }
  });

  it('rejects a snapshot of an unknown kind or with a missing field', () => {
    expect(envSnapshotSchema.safeParse({ kind: 'Nope' }).success).toBe(false);
    const missing = envSnapshotSchema.safeParse({ kind: 'Pendulum', theta: 0, torque: 0, maxTorque: 2 });
    expect(missing.success).toBe(false);
    expect(JSON.stringify(missing.error?.issues)).toMatch(/length/);
  });

  it('defineEnvKind reads the kind from the schema and checks the frame rate', () => {
    const k = defineEnvKind(20, z.object({ kind: z.literal('Test'), a: z.number() }));
    expect(k.kind).toBe('Test');
    expect(() => defineEnvKind(20, z.object({ a: z.number() }))).toThrow(/needs a `kind: z.literal/);
    expect(() => defineEnvKind(0, z.object({ kind: z.literal('T') }))).toThrow(
      /renderFps must be a positive/,
    );
  });
});
