/**
 * ModelView over a DqnAgent: what strategies may use of the network (read-only): its variables, network
 * inputs for replay rows, the agent's own TD targets (DqnAgent.tdTargets, the update's) and a per-row
 * Huber TD loss. Used by EWC's Fisher, SI's gradients and MAS's importance.
 */
import * as tf from '@tensorflow/tfjs';
import type { DqnAgent } from '../dqn/agent';
import { encodeInput, type QNetwork } from '../dqn/qnetwork';
import type { ReplayBatch } from '../dqn/replay';

export interface ModelView {
  /** The online network (read its variables and run forward passes; never assign to it). */
  readonly network: QNetwork;
  /** Trainable variables in `QNetwork.variables()` order; the same objects for the whole run. */
  readonly variables: readonly tf.Variable[];
  readonly huberDelta: number;
  /** Network inputs [rows, inputSize] for `batch` rows, each with its own task one-hot. */
  encode(batch: ReplayBatch, which: 'observations' | 'nextObservations'): Float32Array;
  /** TD targets per row, exactly as the agent's update computes them (`DqnAgent.tdTargets`: per-task γ). */
  tdTargets(batch: ReplayBatch): Float32Array;
  /** Per-row Huber loss of Q(s, a) − y for rows [start, start + q.rows) given precomputed `targets`. */
  tdRowLoss(q: tf.Tensor2D, start: number, actions: Int32Array, targets: Float32Array): tf.Tensor1D;
}

export function createModelView(agent: DqnAgent): ModelView {
  const network = agent.online;
  const { huberDelta } = agent.config;
  const n = agent.observationSize;
  const width = network.inputSize;

  const encode = (batch: ReplayBatch, which: 'observations' | 'nextObservations'): Float32Array => {
    const out = new Float32Array(batch.size * width);
    const source = batch[which];
    for (let i = 0; i < batch.size; i++) {
      encodeInput(source.subarray(i * n, i * n + n), batch.tasks[i]!, n, network.taskCount, out, i * width);
    }
    return out;
  };

  return {
    network,
    variables: agent.trainableVariables(),
    huberDelta,
    encode,
    tdTargets: (batch) => agent.tdTargets(batch),
    tdRowLoss(q, start, actions, targets) {
      const rows = q.shape[0];
      const columns = q.shape[1];
      const picked = tf.sum(
        tf.mul(q, tf.oneHot(tf.tensor1d(actions.subarray(start, start + rows), 'int32'), columns)),
        1,
      );
      const diff = tf.abs(tf.sub(picked, tf.tensor1d(targets.subarray(start, start + rows))));
      const quadratic = tf.minimum(diff, huberDelta);
      return tf.add(
        tf.mul(tf.square(quadratic), 0.5),
        tf.mul(tf.sub(diff, quadratic), huberDelta),
      ) as tf.Tensor1D;
    },
  };
}
