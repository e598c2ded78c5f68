// Behaviour guard for refactors (issue #18): for every registered strategy, a short seeded run on the wasm
// backend must end with exactly the same weights (online and target), R matrix, greedy evaluation returns and metrics as the fixture
// recorded before the refactor. A refactor that keeps the math must keep these hashes; only a deliberate
// arithmetic change may regenerate the fixture (`UPDATE_BIT_IDENTICAL=1 npx vitest run
// test/continual/bit-identical.test.ts`), in its own commit saying why.
//
// The run is defined inline (two small gridworld tasks and a CartPole task, Double DQN, a small net) so that
// changes to built-in presets or sequences do not move it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ContinualRunner } from '../../src/continual/runner';
import type { RunConfigInput } from '../../src/continual/run-config';
import { STRATEGY_ALIASES, strategyNames } from '../../src/continual/strategies';
import { initBackend } from '../../src/tf/backend';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'bit-identical.json');
const UPDATE = process.env.UPDATE_BIT_IDENTICAL === '1';

interface RunHashes {
  weights: string;
  matrix: string;
  metrics: string;
}

function runConfig(strategy: string): RunConfigInput {
  return {
    sequence: {
      name: 'bit-identical',
      tasks: [
        { env: 'Grid-Empty-6x6-v0', steps: 600, label: 'empty 6' },
        { env: 'CartPole-v1', steps: 300, label: 'cart' },
        { env: 'Grid-DistShift-A-v0', steps: 600, label: 'shift A' },
      ],
      dqn: {
        hiddenSizes: [16, 16],
        activation: 'relu',
        batchSize: 8,
        bufferSize: 1000,
        learningStarts: 20,
        trainFreq: 2,
        gradientSteps: 2,
        targetUpdateInterval: 40,
        explorationFraction: 0.5,
        learningRate: 3e-3,
        doubleDqn: true,
      },
    },
    strategy,
    strategyOptions:
      strategy === 'ewc-replay' || strategy.split('+').includes('ewc')
        ? { fisherBatches: 2 }
        : strategy === 'mas'
          ? { batches: 2 }
          : {},
    seed: 7,
    evalEvery: 100,
    evalEpisodes: 2,
  };
}

function sha(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 24);
}

async function hashesOf(strategy: string): Promise<RunHashes> {
  const evalReturns: number[][] = [];
  const runner = new ContinualRunner(runConfig(strategy), {
    onEvent: (e) => {
      if (e.type === 'eval') evalReturns.push([e.step, e.task, ...e.returns]);
    },
  });
  while (await runner.advance(200));
  const state = runner.agent.getState();
  const weights = createHash('sha256');
  for (const w of [...state.online, ...state.target])
    weights.update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
  const r = runner.result();
  if (process.env.SHOW_BIT_IDENTICAL) console.log(strategy, JSON.stringify(evalReturns).slice(0, 300));
  runner.dispose();
  return {
    weights: weights.digest('hex').slice(0, 24),
    matrix: sha(JSON.stringify([r.matrix, evalReturns])),
    metrics: sha(JSON.stringify([r.acc, r.forgetting, r.bwt, r.fwt])),
  };
}

const recorded: Record<string, RunHashes> = fs.existsSync(FIXTURE)
  ? (JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, RunHashes>)
  : {};

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

describe('same seed → bit-identical run for every strategy (refactor guard)', () => {
  const fresh: Record<string, RunHashes> = {};
  // Old names run as aliases (`ewc-replay` is `ewc+rehearsal`): their entries recorded before the
  // composition existed must still match.
  for (const strategy of [...strategyNames(), ...Object.keys(STRATEGY_ALIASES)]) {
    it(
      strategy,
      async () => {
        const got = await hashesOf(strategy);
        fresh[strategy] = got;
        if (UPDATE) {
          const all = fs.existsSync(FIXTURE)
            ? (JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, RunHashes>)
            : {};
          all[strategy] = got;
          fs.writeFileSync(FIXTURE, JSON.stringify(all, null, 2) + '\n');
          return;
        }
        expect(
          recorded[strategy],
          `no recorded hashes for "${strategy}": run with UPDATE_BIT_IDENTICAL=1 once`,
        ).toBeDefined();
        expect(got).toEqual(recorded[strategy]);
      },
      60_000,
    );
  }
});
