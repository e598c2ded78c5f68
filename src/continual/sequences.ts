/**
 * Built-in task sequences (documented in docs/SEQUENCES.md). Each is plain data in the sequence-file format
 * (sequence.ts), so `npm run cli -- run --sequence FILE` accepts a copy of any of them.
 */
import type { DqnConfigOverrides } from '../dqn/config';
import type { SequenceSpec } from './sequence';

/**
 * DQN settings of the gridworld sequences (the prototype in docs/reference/ANCHORS.md: 2×128 LeakyReLU trunk, Adam 5e-4,
 * target sync every 250 steps, ε 1 → 0.05 over 40% of each task). Two deviations, both measured here:
 * γ = 0.9 (with γ = 0.99 the greedy policy kept looping: neighbouring cells' values differ by ~1%, less
 * than the approximation noise) and one update every 2 env steps (halves the run time on 2 shared cores).
 */
const GRID_DQN: DqnConfigOverrides = {
  hiddenSizes: [128, 128],
  activation: 'leakyRelu',
  leakyReluAlpha: 0.2,
  learningRate: 5e-4,
  bufferSize: 20_000,
  learningStarts: 500,
  batchSize: 64,
  gamma: 0.9,
  trainFreq: 2,
  gradientSteps: 1,
  targetUpdateInterval: 250,
  explorationFraction: 0.4,
  explorationInitialEps: 1,
  explorationFinalEps: 0.05,
};

/** DQN settings of the classic-control sequences (close to rl-baselines3-zoo's CartPole/Acrobot tuning). */
const CLASSIC_DQN: DqnConfigOverrides = {
  hiddenSizes: [256, 256],
  activation: 'leakyRelu',
  leakyReluAlpha: 0.2,
  learningRate: 1e-3,
  bufferSize: 50_000,
  learningStarts: 1000,
  batchSize: 64,
  gamma: 0.99,
  trainFreq: 4,
  gradientSteps: 2,
  targetUpdateInterval: 500,
  explorationFraction: 0.2,
  explorationInitialEps: 1,
  explorationFinalEps: 0.05,
};

const fourRoomsTask = (goal: 'NE' | 'NW' | 'SW' | 'SE', steps: number) => ({
  env: `Grid-FourRooms-Goal${goal}-v0`,
  params: { randomStart: 1 },
  steps,
  label: `FourRooms goal ${goal}`,
});

const fourrooms: SequenceSpec = {
  name: 'fourrooms',
  description:
    'FourRooms 11×11, the goal moved through the four rooms (NE → NW → SW → SE), random start cell. The goal is ' +
    'not observed, so the tasks conflict and a plain DQN forgets each room when it learns the next.',
  tasks: [
    fourRoomsTask('NE', 12_000),
    fourRoomsTask('NW', 12_000),
    fourRoomsTask('SW', 12_000),
    fourRoomsTask('SE', 12_000),
  ],
  dqn: GRID_DQN,
  strategies: { ewc: { lambda: 1000 }, 'ewc-replay': { lambda: 1000 } },
};

const cartpolePhysics: SequenceSpec = {
  name: 'cartpole-physics',
  description:
    'CartPole-v1 with changed physics: default pole → long pole (half-length 1.5 m) → high gravity (20 m/s²) → ' +
    'short, light pole (half-length 0.2 m). Same observation and actions; the dynamics differ.',
  tasks: [
    { env: 'CartPole-v1', steps: 30_000, label: 'CartPole default' },
    { env: 'CartPole-v1', params: { length: 1.5 }, steps: 30_000, label: 'CartPole long pole' },
    { env: 'CartPole-v1', params: { gravity: 20 }, steps: 30_000, label: 'CartPole gravity 20' },
    {
      env: 'CartPole-v1',
      params: { length: 0.2, poleMass: 0.05 },
      steps: 30_000,
      label: 'CartPole short pole',
    },
  ],
  dqn: CLASSIC_DQN,
  strategies: { ewc: { lambda: 100 }, 'ewc-replay': { lambda: 100 } },
};

const classicMix: SequenceSpec = {
  name: 'classic-mix',
  description:
    'CartPole-v1 → Acrobot-v1 → MountainCar-v0 → CartPole-v1 again (the same task, so its head is reused): ' +
    'different observations and actions per task, one head each. MountainCar is hard for plain DQN at this budget.',
  tasks: [
    { env: 'CartPole-v1', steps: 30_000, label: 'CartPole' },
    { env: 'Acrobot-v1', steps: 50_000, label: 'Acrobot' },
    { env: 'MountainCar-v0', steps: 60_000, label: 'MountainCar' },
    { env: 'CartPole-v1', steps: 30_000, label: 'CartPole' },
  ],
  dqn: CLASSIC_DQN,
  strategies: { ewc: { lambda: 100 }, 'ewc-replay': { lambda: 100 } },
};

export const BUILTIN_SEQUENCES: Readonly<Record<string, SequenceSpec>> = Object.freeze({
  default: { ...fourrooms, name: 'default' },
  fourrooms,
  'cartpole-physics': cartpolePhysics,
  'classic-mix': classicMix,
});
