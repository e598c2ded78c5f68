// One conformance suite over EVERY registered environment: spec consistency, seeded determinism,
// observation size and bounds, termination vs truncation at the time limit, the step-after-done and
// step-before-reset errors, invalid actions, and getState/setState round trips.
import { describe, expect, it } from 'vitest';
import { getEnvSpec, isGridworld, listEnvs, makeEnv, type Env } from '../../envs';
import { Rng } from '../../envs/rng';

const specs = listEnvs();

/** Runs `steps` random steps (resetting when done) and records everything observable. */
function rollout(env: Env, seed: number, steps: number): number[] {
  const rng = new Rng(seed + 1);
  const trace: number[] = [...env.reset(seed).observation];
  for (let i = 0; i < steps; i++) {
    const r = env.step(rng.integer(env.actionCount));
    trace.push(...r.observation, r.reward, Number(r.terminated), Number(r.truncated));
    if (r.terminated || r.truncated) trace.push(...env.reset().observation);
  }
  return trace;
}

/** Returns what is wrong with `obs` against the documented bounds, or null (no `expect` here: hot loop). */
function boundsViolation(env: Env, obs: Float32Array): string | null {
  if (obs.length !== env.observationSize) return `length ${obs.length}`;
  for (const v of obs) if (!Number.isFinite(v)) return `non-finite ${v}`;
  const f = Math.fround;
  const bad = (ok: boolean): string | null => (ok ? null : `out of bounds: [${[...obs].join(', ')}]`);
  switch (env.id) {
    case 'CartPole-v1':
      return bad(Math.abs(obs[0]!) <= 4.8 && Math.abs(obs[2]!) <= f((24 * Math.PI) / 180));
    case 'MountainCar-v0':
      return bad(obs[0]! >= f(-1.2) && obs[0]! <= f(0.6) && Math.abs(obs[1]!) <= f(0.07));
    case 'Acrobot-v1':
      return bad(
        obs.subarray(0, 4).every((v) => Math.abs(v) <= 1) &&
          Math.abs(obs[4]!) <= f(4 * Math.PI) &&
          Math.abs(obs[5]!) <= f(9 * Math.PI),
      );
    case 'PendulumDiscrete-v1':
      return bad(Math.abs(obs[0]!) <= 1 && Math.abs(obs[1]!) <= 1 && Math.abs(obs[2]!) <= 8);
    default: {
      if (!isGridworld(env)) return `no bounds known for ${env.id}`;
      const cells = env.map.width * env.map.height;
      let ones = 0;
      for (let i = 0; i < cells; i++) {
        if (obs[i] !== 0 && obs[i] !== 1) return `cell ${i} = ${obs[i]}`;
        ones += obs[i]!;
      }
      if (ones !== 1) return `${ones} ones in the position one-hot`;
      return obs.length > cells ? bad(obs[cells] === 0 || obs[cells] === 1) : null;
    }
  }
}

/** An action that keeps the episode alive until the time limit (never terminates). */
function survivalAction(env: Env): number {
  const s = env.getState();
  switch (env.id) {
    case 'CartPole-v1':
      // Push towards where the pole is falling, with a little cart-position feedback.
      return s[2]! + 0.5 * s[3]! + 0.01 * s[0]! + 0.1 * s[1]! > 0 ? 1 : 0;
    case 'MountainCar-v0':
    case 'Acrobot-v1':
      return 1; // no force / no torque: never reaches the goal
    case 'PendulumDiscrete-v1':
      return 0; // Pendulum never terminates
    default:
      return 0; // gridworlds: keep walking up; no built-in map has the goal or lava above S's column
  }
}

/**
 * Puts the env one step before termination and returns the action that terminates it; null for an env that
 * by definition never terminates (Pendulum: only the time limit ends an episode).
 */
function prepareTermination(env: Env): number | null {
  switch (env.id) {
    case 'PendulumDiscrete-v1':
      return null;
    case 'CartPole-v1':
      env.setState([0, 0, 0.2, 1]);
      return 1;
    case 'MountainCar-v0':
      env.setState([0.49, 0.05]);
      return 2;
    case 'Acrobot-v1':
      env.setState([Math.PI - 0.01, 0, 0, 0]); // both links up: tip height 2 > 1
      return 1;
    default: {
      if (!isGridworld(env)) throw new Error(`unknown env ${env.id}`);
      const { map } = env;
      const gx = map.goal % map.width;
      const gy = (map.goal - gx) / map.width;
      const from: [number, number, number][] = [
        [gx, gy + 1, 0],
        [gx - 1, gy, 1],
        [gx, gy - 1, 2],
        [gx + 1, gy, 3],
      ];
      for (const [x, y, action] of from) {
        const kind = map.cells[y * map.width + x];
        if (kind === 0) {
          env.setState([x, y, 0, 0, 0]);
          return action;
        }
      }
      throw new Error(`no floor cell next to the goal of ${env.id}`);
    }
  }
}

describe('registry', () => {
  it('lists the classic environments and at least 8 gridworld tasks', () => {
    const ids = specs.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining(['CartPole-v1', 'MountainCar-v0', 'Acrobot-v1', 'PendulumDiscrete-v1']),
    );
    expect(specs.filter((s) => s.family === 'gridworld').length).toBeGreaterThanOrEqual(8);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rejects unknown ids with the list of known ids', () => {
    expect(() => makeEnv('CartPole-v0')).toThrow(/Unknown environment id "CartPole-v0".*CartPole-v1/);
    expect(() => getEnvSpec('nope')).toThrow(/Unknown environment id "nope"/);
  });
});

describe.each(specs.map((s) => [s.id, s] as const))('%s', (id, spec) => {
  it('has a consistent spec', () => {
    const env = makeEnv(id);
    expect(env.id).toBe(id);
    expect(env.spec).toBe(spec);
    expect(env.observationSize).toBe(spec.observationSize);
    expect(env.actionCount).toBe(spec.actionCount);
    expect(env.maxEpisodeSteps).toBe(spec.maxEpisodeSteps);
    expect(spec.actionNames).toHaveLength(spec.actionCount);
    expect(spec.observationMeaning.length).toBeGreaterThan(0);
    expect(Number.isFinite(spec.rewardThreshold)).toBe(true);
    expect(Number.isFinite(spec.randomReturn)).toBe(true);
    expect(spec.randomReturn).toBeLessThan(spec.rewardThreshold);
    for (const p of spec.params) {
      expect(p.min).toBeLessThanOrEqual(p.default);
      expect(p.default).toBeLessThanOrEqual(p.max);
    }
  });

  it('is deterministic under reset(seed) and continues the stream on reset()', () => {
    const a = rollout(makeEnv(id), 7, 2000);
    const b = rollout(makeEnv(id), 7, 2000);
    expect(a.length).toBe(b.length);
    expect(a.findIndex((v, i) => !Object.is(v, b[i]))).toBe(-1); // (toEqual is slow on 10⁵ numbers)
    const env = makeEnv(id);
    const first = [...env.reset(123).observation];
    env.step(0);
    expect([...env.reset(123).observation]).toEqual(first);
    if (spec.family === 'classic') {
      expect(rollout(makeEnv(id), 8, 50)).not.toEqual(rollout(makeEnv(id), 9, 50));
      expect([...env.reset().observation]).not.toEqual(first);
    }
  });

  it('keeps observations within their documented bounds', () => {
    const env = makeEnv(id, spec.family === 'gridworld' ? { randomStart: 1 } : {});
    const rng = new Rng(3);
    const violations: string[] = [];
    const check = (obs: Float32Array): void => {
      const v = boundsViolation(env, obs);
      if (v !== null && violations.length < 5) violations.push(v);
    };
    check(env.reset(3).observation);
    for (let i = 0; i < 5000; i++) {
      const r = env.step(rng.integer(env.actionCount));
      check(r.observation);
      if (r.terminated || r.truncated) check(env.reset().observation);
    }
    expect(violations).toEqual([]);
  });

  it('truncates exactly at maxEpisodeSteps, then requires reset()', () => {
    const env = makeEnv(id);
    env.reset(1);
    for (let t = 1; t <= env.maxEpisodeSteps; t++) {
      const r = env.step(survivalAction(env));
      expect(r.terminated).toBe(false);
      expect(r.truncated).toBe(t === env.maxEpisodeSteps);
    }
    expect(() => env.step(0)).toThrow(/truncated.*call reset\(\) before step\(\)/);
    env.reset();
    expect(env.step(0).truncated).toBe(false);
  });

  it('terminates (not truncates) on reaching a terminal state, then requires reset()', () => {
    const env = makeEnv(id);
    const action = prepareTermination(env);
    if (action === null) {
      // Never terminates: from upright and still, full torque for a whole episode ends by truncation only.
      env.reset(0);
      env.setState([0, 0]);
      for (let i = 1; i < env.maxEpisodeSteps; i++)
        expect(env.step(env.actionCount - 1).terminated).toBe(false);
      const last = env.step(env.actionCount - 1);
      expect([last.terminated, last.truncated]).toEqual([false, true]);
      return;
    }
    const r = env.step(action);
    expect(r.terminated).toBe(true);
    expect(r.truncated).toBe(false);
    expect(() => env.step(0)).toThrow(/terminated; call reset\(\) before step\(\)/);
  });

  it('refuses step() before reset()', () => {
    expect(() => makeEnv(id).step(0)).toThrow(/before reset\(\); call reset\(\)/);
  });

  it('rejects invalid actions with the value and the valid range', () => {
    const env = makeEnv(id);
    env.reset(0);
    const range = `[0, ${env.actionCount - 1}]`;
    for (const bad of [-1, env.actionCount, 0.5, NaN, Infinity, -0]) {
      if (Object.is(bad, -0)) continue; // -0 is a valid integer 0
      expect(() => env.step(bad)).toThrow(`invalid action ${bad}; expected an integer in ${range}`);
    }
    expect(() => env.step('1' as unknown as number)).toThrow(/invalid action "1"/);
    expect(() => env.reset(-1)).toThrow(/seed must be a non-negative integer, got -1/);
  });

  it('round-trips getState/setState: a restored copy steps identically', () => {
    const a = makeEnv(id);
    const b = makeEnv(id);
    const rng = new Rng(11);
    a.reset(5);
    for (let i = 0; i < 30; i++) {
      const r = a.step(rng.integer(a.actionCount));
      if (r.terminated || r.truncated) a.reset();
    }
    const state = a.getState();
    b.setState(state);
    expect(b.getState()).toEqual(state);
    for (let i = 0; i < 20; i++) {
      const action = rng.integer(a.actionCount);
      const ra = a.step(action);
      const rb = b.step(action);
      expect([...rb.observation]).toEqual([...ra.observation]);
      expect([rb.reward, rb.terminated, rb.truncated]).toEqual([ra.reward, ra.terminated, ra.truncated]);
      expect(b.getState()).toEqual(a.getState());
      if (ra.terminated || ra.truncated) break;
    }
    expect(() => b.setState([1, 2, 3, 4, 5, 6, 7])).toThrow(/setState expects \d+ numbers/);
    expect(() => b.setState(state.map(() => NaN))).toThrow(/must be a finite number, got NaN/);
  });

  it('keeps the last two observations intact (double-buffered results)', () => {
    const env = makeEnv(id);
    const obs0 = env.reset(2).observation;
    const copy0 = [...obs0];
    const r1 = env.step(0);
    expect([...obs0]).toEqual(copy0);
    expect(r1.observation).not.toBe(obs0);
  });

  it('draws a serializable snapshot', () => {
    const env = makeEnv(id);
    env.reset(0);
    const snap = env.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });
});
