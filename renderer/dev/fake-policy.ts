/**
 * Hand-written policies for the fake lab (development only): a balancing rule for CartPole, energy pumping
 * for MountainCar and Acrobot, and a goal-seeking walk for gridworlds, each with ε-random actions so the
 * views look like an agent that is still learning.
 */
import type { Env, EnvSnapshot } from '../../envs/types';
import type { Rng } from '../../envs/rng';

export function heuristicAction(env: Env, obs: Float32Array, skill: number, rng: Rng): number {
  if (rng.uniform() > skill) return rng.integer(env.actionCount);
  const s: EnvSnapshot = env.snapshot();
  switch (s.kind) {
    case 'CartPole':
      return (obs[2] ?? 0) + 0.5 * (obs[3] ?? 0) + 0.02 * (obs[1] ?? 0) > 0 ? 1 : 0;
    case 'MountainCar':
      return (obs[1] ?? 0) >= 0 ? 2 : 0;
    case 'Acrobot':
      return (obs[4] ?? 0) >= 0 ? 2 : 0;
    case 'Gridworld':
      return gridStep(s, rng);
    default:
      return rng.integer(env.actionCount); // a kind without a hand-written rule acts at random
  }
}

/** Greedy step toward the goal (0 up, 1 right, 2 down, 3 left), random when blocked. */
function gridStep(s: Extract<EnvSnapshot, { kind: 'Gridworld' }>, rng: Rng): number {
  let gx = -1;
  let gy = -1;
  s.rows.forEach((row, y) => {
    const x = row.indexOf('G');
    if (x >= 0) {
      gx = x;
      gy = y;
    }
  });
  const free = (x: number, y: number): boolean => {
    const c = s.rows[y]?.[x];
    return c !== undefined && c !== '#' && c !== 'L';
  };
  const { x, y } = s.agent;
  const moves: number[] = [];
  if (gy < y && free(x, y - 1)) moves.push(0);
  if (gx > x && free(x + 1, y)) moves.push(1);
  if (gy > y && free(x, y + 1)) moves.push(2);
  if (gx < x && free(x - 1, y)) moves.push(3);
  if (moves.length === 0) return rng.integer(4);
  return moves[rng.integer(moves.length)]!;
}

/** Greedy action per cell of a gridworld (row-major, −1 on walls), for the policy-arrow overlay. */
export function gridPolicy(s: Extract<EnvSnapshot, { kind: 'Gridworld' }>, rng: Rng): number[] {
  const out: number[] = [];
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      const c = s.rows[y]?.[x];
      if (c === '#' || c === 'L' || c === 'G') out.push(-1);
      else out.push(gridStep({ ...s, agent: { x, y, dir: 0 } }, rng));
    }
  }
  return out;
}
