/**
 * Draw a fixed-size sample of the current task's replay buffer (for the Fisher, MAS importance), and the
 * importance estimators built on src/continual/importance.ts that EWC and MAS use.
 */
import * as tf from '@tensorflow/tfjs';
import { createBatch, type ReplayBatch } from '../dqn/replay';
import { perSampleImportance } from './importance';
import type { StrategyContext } from './strategy';

/** `rows` transitions drawn uniformly with replacement from the current replay buffer. */
export function sampleReplay(ctx: StrategyContext, rows: number): ReplayBatch {
  const batch = createBatch(rows, ctx.replay.observationSize);
  ctx.replay.sample(ctx.rng, batch);
  return batch;
}

export type FisherKind = 'td' | 'softmax';

/**
 * Diagonal empirical Fisher of the current task at the current weights: the mean over `rows` replay samples
 * of the squared per-sample gradient of
 * - 'td': the Huber TD loss the agent minimizes (targets from the target network, as in the update), or
 * - 'softmax': −log softmax(Q(s))[argmax Q(s)], the Q-values read as a Boltzmann policy at its greedy action.
 */
export function diagonalFisher(ctx: StrategyContext, rows: number, kind: FisherKind): Float32Array[] {
  const batch = sampleReplay(ctx, rows);
  const inputs = ctx.model.encode(batch, 'observations');
  const targets = kind === 'td' ? ctx.model.tdTargets(batch) : new Float32Array(0);
  return perSampleImportance({
    network: ctx.model.network,
    inputs,
    rows,
    task: ctx.task,
    reduction: 'square',
    rowLoss:
      kind === 'td'
        ? (q, start) => ctx.model.tdRowLoss(q, start, batch.actions, targets)
        : (q) => {
            const logp = tf.logSoftmax(q);
            const greedy = tf.oneHot(tf.argMax(q, 1), q.shape[1]);
            return tf.neg(tf.sum(tf.mul(logp, greedy), 1)) as tf.Tensor1D;
          },
  });
}

/** MAS importance (Aljundi et al. 2018): mean over samples of |∂‖Q(s)‖²/∂θ| for the current task's head. */
export function masImportance(ctx: StrategyContext, rows: number): Float32Array[] {
  const batch = sampleReplay(ctx, rows);
  return perSampleImportance({
    network: ctx.model.network,
    inputs: ctx.model.encode(batch, 'observations'),
    rows,
    task: ctx.task,
    reduction: 'abs',
    rowLoss: (q) => tf.sum(tf.square(q), 1) as tf.Tensor1D,
  });
}
