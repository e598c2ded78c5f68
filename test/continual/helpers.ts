// Shared fixtures for continual tests: a tiny two-task gridworld run that takes well under a second per stage.
import type { RunConfigInput } from '../../src/continual/run-config';

export function tinyConfig(strategy: string, overrides: Partial<RunConfigInput> = {}): RunConfigInput {
  return {
    sequence: {
      name: 'tiny',
      tasks: [
        { env: 'Grid-FourRooms-GoalNE-v0', steps: 120, label: 'NE' },
        { env: 'Grid-FourRooms-GoalNW-v0', steps: 120, label: 'NW' },
      ],
      dqn: {
        hiddenSizes: [8],
        activation: 'leakyRelu',
        batchSize: 8,
        bufferSize: 500,
        learningStarts: 20,
        trainFreq: 1,
        gradientSteps: 1,
        targetUpdateInterval: 50,
        explorationFraction: 0.5,
        learningRate: 1e-3,
      },
    },
    strategy,
    strategyOptions:
      strategy === 'ewc-replay' || strategy.split('+').includes('ewc')
        ? { fisherBatches: 2 }
        : strategy === 'mas'
          ? { batches: 2 }
          : {},
    seed: 1,
    evalEvery: 100,
    evalEpisodes: 2,
    ...overrides,
  };
}
