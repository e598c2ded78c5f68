// Parametric variants: defaults are Gymnasium's constants, every parameter works across its range,
// changes the dynamics, and invalid params are rejected with the parameter, the value and the range.
import { describe, expect, it } from 'vitest';
import { Acrobot, CartPole, listEnvs, makeEnv, MountainCar } from '../../envs';
import { Rng } from '../../envs/rng';

describe('parameter defaults', () => {
  it("equal Gymnasium's constants", () => {
    const defaults = (id: string): Record<string, number> =>
      Object.fromEntries(makeEnv(id).spec.params.map((p) => [p.name, p.default]));
    expect(defaults('CartPole-v1')).toEqual({
      gravity: CartPole.GRAVITY,
      length: CartPole.HALF_POLE_LENGTH,
      poleMass: CartPole.POLE_MASS,
      cartMass: CartPole.CART_MASS,
      forceMag: CartPole.FORCE_MAG,
    });
    expect([CartPole.GRAVITY, CartPole.HALF_POLE_LENGTH, CartPole.POLE_MASS, CartPole.CART_MASS]).toEqual([
      9.8, 0.5, 0.1, 1.0,
    ]);
    expect(defaults('MountainCar-v0')).toEqual({ force: 0.001, gravity: 0.0025 });
    expect(defaults('Acrobot-v1')).toEqual({ link1Length: 1, link2Length: 1, link1Mass: 1, link2Mass: 1 });
    expect([MountainCar.FORCE, MountainCar.GRAVITY, Acrobot.LINK_LENGTH_1, Acrobot.LINK_MASS_2]).toEqual([
      0.001, 0.0025, 1, 1,
    ]);
  });

  it('passing the defaults explicitly changes nothing', () => {
    for (const spec of listEnvs().filter((s) => s.family === 'classic')) {
      const params = Object.fromEntries(spec.params.map((p) => [p.name, p.default]));
      const a = makeEnv(spec.id);
      const b = makeEnv(spec.id, params);
      a.reset(4);
      b.reset(4);
      for (let i = 0; i < 50; i++) {
        const ra = a.step(i % spec.actionCount);
        const rb = b.step(i % spec.actionCount);
        expect([...rb.observation]).toEqual([...ra.observation]);
        if (ra.terminated) break;
      }
    }
  });
});

describe.each(
  listEnvs()
    .filter((s) => s.family === 'classic')
    .flatMap((s) => s.params.map((p) => [s.id, p.name, p.min, p.max] as const)),
)('%s parameter %s', (id, name, min, max) => {
  it('runs at both ends of its range and changes the dynamics', () => {
    const probe = makeEnv(id);
    probe.reset(0);
    const start = probe.getState().map((v, i) => (i === 0 && id === 'MountainCar-v0' ? v : v + 0.3));
    const finals: number[][] = [];
    for (const value of [min, max]) {
      const env = makeEnv(id, { [name]: value });
      expect(env.params?.[name]).toBe(value);
      env.setState(start);
      const rng = new Rng(1);
      for (let i = 0; i < 5; i++) {
        const r = env.step(rng.integer(env.actionCount));
        expect([...r.observation].every(Number.isFinite)).toBe(true);
        if (r.terminated) break;
      }
      finals.push(env.getState());
    }
    expect(finals[0]).not.toEqual(finals[1]);
  });

  it('rejects values outside its range, naming the parameter, the value and the range', () => {
    const below = min - Math.abs(min) - 1;
    expect(() => makeEnv(id, { [name]: below })).toThrow(
      `${id}: parameter '${name}' = ${below} is out of range [${min}, ${max}]`,
    );
    expect(() => makeEnv(id, { [name]: max * 2 + 1 })).toThrow(/is out of range/);
    expect(() => makeEnv(id, { [name]: NaN })).toThrow(
      `parameter '${name}' must be a finite number, got NaN`,
    );
    expect(() => makeEnv(id, { [name]: '1' })).toThrow(
      `parameter '${name}' must be a finite number, got "1"`,
    );
  });
});

describe('invalid params', () => {
  it('rejects unknown keys and non-objects', () => {
    expect(() => makeEnv('CartPole-v1', { gravty: 9 })).toThrow(
      "CartPole-v1: unknown parameter 'gravty' (valid parameters: gravity, length, poleMass, cartMass, forceMag)",
    );
    expect(() => makeEnv('MountainCar-v0', [] as unknown as object)).toThrow(/params must be an object/);
    expect(() => makeEnv('Grid-Empty-6x6-v0', { randomStart: 0.5 })).toThrow(
      "parameter 'randomStart' must be an integer in [0, 1], got 0.5",
    );
    expect(() => makeEnv('Grid-Empty-6x6-v0', { randomStart: 2 })).toThrow(/out of range \[0, 1\]/);
  });
});

describe('parameter effects', () => {
  it('CartPole: stronger gravity makes the pole fall faster', () => {
    const fall = (gravity: number): number => {
      const env = makeEnv('CartPole-v1', { gravity });
      env.setState([0, 0, 0.05, 0]);
      env.step(0);
      env.step(1);
      return env.getState()[3]!;
    };
    expect(fall(20)).toBeGreaterThan(fall(9.8));
  });

  it('MountainCar: a stronger engine accelerates more', () => {
    const speed = (force: number): number => {
      const env = makeEnv('MountainCar-v0', { force });
      env.setState([-0.5, 0]);
      env.step(2);
      return env.getState()[1]!;
    };
    expect(speed(0.002)).toBeGreaterThan(speed(0.001));
  });

  it('Acrobot: the target height scales with the links ((l1 + l2) / 2 above the pivot)', () => {
    for (const p of [{}, { link1Length: 2, link2Length: 2 }, { link1Length: 0.5, link2Length: 0.5 }]) {
      const env = makeEnv('Acrobot-v1', p);
      // Both links in one straight line at angle θ1 from straight down: tip height −(l1 + l2)·cos θ1.
      env.setState([0.6 * Math.PI, 0, 0, 0]); // tip ≈ 0.31·(l1 + l2) after falling a little: below target
      expect(env.step(1).terminated).toBe(false);
      env.setState([0.8 * Math.PI, 0, 0, 0]); // tip ≈ 0.78·(l1 + l2): above target
      expect(env.step(1).terminated).toBe(true);
    }
    const env = makeEnv('Acrobot-v1', { link1Length: 2, link2Length: 0.5 });
    env.reset(0);
    expect(env.snapshot()).toMatchObject({ kind: 'Acrobot', link1: 2, link2: 0.5 });
  });
});
