// Reproduces Gymnasium's own one-step transitions (test/envs/fixtures/gymnasium-classic-control-steps.json and
// test/envs/fixtures/gymnasium-extra-steps.json; where they come from: test/envs/fixtures/README.md):
// after setState(state) and step(action), the state matches within 1e-9 (relative above 1), the
// observation equals Gymnasium's float32 observation, reward and terminated match exactly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../envs';

interface Case {
  state: number[];
  action: number;
  next_state: number[];
  obs: number[];
  reward: number;
  terminated: boolean;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = path.resolve(repoRoot, 'test', 'envs', 'fixtures', 'gymnasium-classic-control-steps.json');
const reference = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Case[]>;
// More transitions from Gymnasium's own source (terminal steps, walls, wrapping, clipping), produced by
// `python3 scripts/gen-gymnasium-fixtures.py <Gymnasium checkout> test/envs/fixtures/gymnasium-extra-steps.json`.
const extraFile = path.resolve(repoRoot, 'test', 'envs', 'fixtures', 'gymnasium-extra-steps.json');
const extra = JSON.parse(readFileSync(extraFile, 'utf8')) as Record<string, Case[]>;
// PendulumDiscrete-v1: Gymnasium's pendulum.py with DiscretizeAction(bins=5) torques, produced by
// `python3 scripts/gen-pendulum-fixtures.py <Gymnasium checkout> test/envs/fixtures/gymnasium-pendulum-steps.json`.
const pendulumFile = path.resolve(repoRoot, 'test', 'envs', 'fixtures', 'gymnasium-pendulum-steps.json');
const pendulum = JSON.parse(readFileSync(pendulumFile, 'utf8')) as Record<string, Case[]>;
const CLASSIC_THREE = ['Acrobot-v1', 'CartPole-v1', 'MountainCar-v0'];

function closeEnough(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

/** The spacing of float64 values at |x| (one unit in the last place). */
function ulp(x: number): number {
  const a = Math.abs(x);
  if (a === 0) return Number.MIN_VALUE;
  return 2 ** (Math.floor(Math.log2(a)) - 52);
}

describe.each([
  ['Gymnasium rollouts', reference, CLASSIC_THREE, 0],
  ['extra fixtures', extra, CLASSIC_THREE, 0],
  // Pendulum's reward squares with numpy's scalar `**`, i.e. libm pow(), which can be 1 ulp off the exact
  // product in near-tie cases (case 121: 1.5058801266446709 vs x·x = 1.505880126644671); we multiply.
  ['Pendulum fixtures', pendulum, ['PendulumDiscrete-v1'], 1],
] as const)('Gymnasium transitions (%s)', (_name, data, ids, rewardUlps) => {
  it(`covers ${ids.join(', ')}`, () => {
    expect(Object.keys(data).sort()).toEqual(ids);
  });

  for (const [id, cases] of Object.entries(data)) {
    it(`${id}: every one of ${cases.length} transitions`, () => {
      expect(cases.length).toBeGreaterThan(0);
      const env = makeEnv(id);
      const failures: string[] = [];
      cases.forEach((c, i) => {
        env.setState(c.state);
        const r = env.step(c.action);
        const next = env.getState();
        const where = `case ${i} (state ${JSON.stringify(c.state)}, action ${c.action})`;
        if (next.length !== c.next_state.length || next.some((v, k) => !closeEnough(v, c.next_state[k]!))) {
          failures.push(`${where}: state ${JSON.stringify(next)} != ${JSON.stringify(c.next_state)}`);
        }
        const obs = Array.from(r.observation);
        if (obs.length !== c.obs.length || obs.some((v, k) => v !== Math.fround(c.obs[k]!))) {
          failures.push(`${where}: obs ${JSON.stringify(obs)} != ${JSON.stringify(c.obs)}`);
        }
        if (Math.abs(r.reward - c.reward) > rewardUlps * ulp(c.reward))
          failures.push(`${where}: reward ${r.reward} != ${c.reward}`);
        if (r.terminated !== c.terminated)
          failures.push(`${where}: terminated ${r.terminated} != ${c.terminated}`);
        if (r.truncated) failures.push(`${where}: unexpected truncation`);
      });
      expect(failures).toEqual([]);
    });
  }
});
