/**
 * Built-in task sequences (documented in docs/SEQUENCES.md). Each is plain data in the sequence-file format
 * (sequence.ts), so `npm run cli -- run --sequence FILE` accepts a copy of any of them.
 */
import type { DqnConfigOverrides } from '../dqn/config';
import type { SequenceSpec } from './sequence-schema';

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

/**
 * Run-wide settings of the classic-control sequences: the trunk and Adam shared by every task (the zoo's
 * 256×256, LeakyReLU as in Continual World) and the replay capacity. Everything a task needs to learn in its
 * stage (lr, batch, update rhythm, target update, γ, ε schedule, learning starts) comes from its env's preset
 * (`dqn: {}` on each task, src/dqn/presets.ts). The old single CLASSIC_DQN (target every 500 env steps, 0.5
 * updates × 64 samples per step) never learned Acrobot or MountainCar (issue 15).
 */
const CLASSIC_DQN: DqnConfigOverrides = {
  hiddenSizes: [256, 256],
  activation: 'leakyRelu',
  leakyReluAlpha: 0.2,
  bufferSize: 100_000,
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
  strategies: { ewc: { lambda: 1000 }, 'ewc+rehearsal': { lambda: 1000 } },
};

const cartpolePhysics: SequenceSpec = {
  name: 'cartpole-physics',
  description:
    'CartPole-v1 with changed physics: default pole → long pole (half-length 1 m) → high gravity (20 m/s²) → ' +
    'short, light pole (half-length 0.2 m). Same observation and actions; the dynamics differ. Each task trains ' +
    "with CartPole's preset.",
  tasks: [
    { env: 'CartPole-v1', steps: 50_000, label: 'CartPole default', dqn: {} },
    { env: 'CartPole-v1', params: { length: 1.0 }, steps: 50_000, label: 'CartPole long pole', dqn: {} },
    { env: 'CartPole-v1', params: { gravity: 20 }, steps: 50_000, label: 'CartPole gravity 20', dqn: {} },
    {
      env: 'CartPole-v1',
      params: { length: 0.2, poleMass: 0.05 },
      steps: 50_000,
      label: 'CartPole short pole',
      dqn: {},
    },
  ],
  dqn: CLASSIC_DQN,
  // λ 500 (issue 15's search, BENCHMARKS.md "cartpole-physics over seeds"): at λ 2000 (seed 0) the gravity-20
  // task was not learned (0.14 after its stage); λ 500 over 3 seeds: ACC 0.77, forgetting 0.13 (not yet ≤ 0.1).
  strategies: { ewc: { lambda: 500 }, 'ewc+rehearsal': { lambda: 500 } },
};

const classicMix: SequenceSpec = {
  name: 'classic-mix',
  description:
    'CartPole-v1 → Acrobot-v1 → MountainCar-v0 → CartPole-v1 again (the same task, so its head is reused): ' +
    "different observations and actions per task, one head each, each task with its env's preset.",
  tasks: [
    { env: 'CartPole-v1', steps: 50_000, label: 'CartPole', dqn: {} },
    { env: 'Acrobot-v1', steps: 30_000, label: 'Acrobot', dqn: {} },
    { env: 'MountainCar-v0', steps: 120_000, label: 'MountainCar', dqn: {} },
    { env: 'CartPole-v1', steps: 50_000, label: 'CartPole', dqn: {} },
  ],
  dqn: CLASSIC_DQN,
  strategies: { ewc: { lambda: 100 }, 'ewc+rehearsal': { lambda: 100 } },
};

/** What each built-in shows a user, and how long it takes here (shown by the UI's sequence picker). */
export interface BuiltinNotes {
  demonstrates: string;
  /** Wall time on this machine, with where the figure comes from (BENCHMARKS.md), or that it is unmeasured. */
  duration: string;
}

export const BUILTIN_NOTES: Readonly<Record<string, BuiltinNotes>> = Object.freeze({
  default: {
    demonstrates:
      'Catastrophic forgetting and its cure: finetune forgets each room when it learns the next (forgetting ' +
      '0.79 over 3 seeds); EWC λ 1000 keeps all four (ACC 0.998).',
    duration:
      '48,000 steps: 3.5–6 min here (205–343 s wall over 6 runs, BENCHMARKS.md "Continual learning").',
  },
  fourrooms: {
    demonstrates:
      'Catastrophic forgetting and its cure: finetune forgets each room when it learns the next (forgetting ' +
      '0.79 over 3 seeds); EWC λ 1000 keeps all four (ACC 0.998).',
    duration:
      '48,000 steps: 3.5–6 min here (205–343 s wall over 6 runs, BENCHMARKS.md "Continual learning").',
  },
  'cartpole-physics': {
    demonstrates:
      'One control task whose dynamics change: plain DQN (finetune) learns each pole and forgets the earlier ' +
      'ones (forgetting 0.81 over 5 seeds); EWC λ 500 keeps more (ACC 0.77 vs 0.29, 3 seeds) but not every ' +
      'task in every seed (BENCHMARKS.md "cartpole-physics over seeds").',
    duration:
      '200,000 steps: 3.5–4.5 min alone at load 1–5 (211–259 s), 8–10.5 min two at a time at load 7–10 ' +
      '(480–626 s, BENCHMARKS.md "cartpole-physics over seeds").',
  },
  'classic-mix': {
    demonstrates:
      'Three different control tasks in one network, each learned with its own tuned settings, then CartPole ' +
      'again (re-learning). Not yet working (seed 0): finetune read MountainCar 0 at its stage end and did ' +
      'not re-learn CartPole; EWC λ 100 kept CartPole but never learned MountainCar (BENCHMARKS.md "classic-mix").',
    duration:
      '250,000 steps: 10.5–11.5 min here (630 s finetune, 675 s EWC, seed 0, load 4.5–9 with another run beside it).',
  },
});

export const BUILTIN_SEQUENCES: Readonly<Record<string, SequenceSpec>> = Object.freeze({
  default: { ...fourrooms, name: 'default' },
  fourrooms,
  'cartpole-physics': cartpolePhysics,
  'classic-mix': classicMix,
});
