/**
 * The DQN update written the plain way — tfjs autodiff, top to bottom, as CleanRL writes it — to read and to
 * test the fast path against (src/dqn/agent.ts does the same step by hand in a wasm memory; test/dqn/
 * agent.test.ts holds them together on every CI run). Not used in training: it is ~10× slower.
 *
 *   q_next   = Q_target(s′)[a*], a* = argmax Q_online(s′) (Double DQN) or argmax Q_target(s′)
 *   y        = r + γ_task · (1 − terminated) · q_next                  (no gradient through y)
 *   loss     = mean Huber_δ(Q_online(s)[a] − y)  (+ (λ/2)·Σ A·(θ − m)² when a penalty is given)
 *   g        = ∂loss/∂θ;  g ← g · min(1, maxNorm / (‖g‖ + 1e-6))        (torch clip_grad_norm_)
 *   Adam     m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  θ ← θ − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)
 *
 * Each row goes through its own task's head; variables that get no gradient (heads absent from the batch and
 * not penalized) keep their weights and moments, as in PyTorch. Adam runs in float64 on the host.
 */
import * as tf from '@tensorflow/tfjs';
import type { AdamState } from './adam';
import type { DqnConfig } from './config';
import type { QuadraticPenalty } from './penalty';
import type { ReplayBatch } from './replay';

export interface ReferenceInput {
  config: DqnConfig;
  /** Action count per task (one head each). */
  actionCounts: readonly number[];
  /** Network input width = observation size + task count. */
  inputSize: number;
  /** Discount per task. */
  taskGamma: ArrayLike<number>;
  /** Weights in `QNetwork.variables()` order (trunk kernel, bias per layer, then heads) and their shapes. */
  online: readonly Float32Array[];
  target: readonly Float32Array[];
  shapes: readonly number[][];
  optimizer: AdamState;
  batch: ReplayBatch;
  penalty?: QuadraticPenalty | null;
}

export interface ReferenceResult {
  /** Mean Huber TD loss (without the penalty). */
  loss: number;
  /** TD target per row. */
  targets: number[];
  /** ‖g‖₂ before clipping (penalty included). */
  gradNorm: number;
  /** ∂(TD loss)/∂θ per variable (no penalty), null where the variable gets none. */
  tdGradients: (Float32Array | null)[];
  /** Weights after the step. */
  weights: Float64Array[];
}

export function referenceUpdate(input: ReferenceInput): ReferenceResult {
  const { config, actionCounts, inputSize, batch, shapes } = input;
  const B = batch.size;
  const layers = config.hiddenSizes.length;
  const slope = config.activation === 'relu' ? 0 : config.leakyReluAlpha;
  let result: ReferenceResult | undefined;
  tf.tidy(() => {
    const params = input.online.map((w, i) => tf.tensor(w, shapes[i]));
    const targetParams = input.target.map((w, i) => tf.tensor(w, shapes[i]));

    // Network input rows: observation zero-padded, then the row's task one-hot.
    const encode = (observations: Float32Array) => {
      const n = batch.observationSize;
      const x = new Float32Array(B * inputSize);
      for (let i = 0; i < B; i++) {
        x.set(observations.subarray(i * n, (i + 1) * n), i * inputSize);
        x[i * inputSize + n + batch.tasks[i]!] = 1;
      }
      return tf.tensor2d(x, [B, inputSize]);
    };
    const s = encode(batch.observations);
    const sNext = encode(batch.nextObservations);

    // Q-values of every task's head, [B, actions], for weights p.
    const qNetwork = (p: tf.Tensor[], x: tf.Tensor) => {
      let h = x;
      for (let l = 0; l < layers; l++)
        h = tf.leakyRelu(tf.add(tf.matMul(h, p[2 * l]!), p[2 * l + 1]!), slope);
      return actionCounts.map((_, task) =>
        tf.add(tf.matMul(h, p[2 * layers + 2 * task]!), p[2 * layers + 2 * task + 1]!),
      );
    };

    // TD target, outside the gradient.
    const qNextTarget = qNetwork(targetParams, sNext).map((q) => q.arraySync() as number[][]);
    const qNextOnline = qNetwork(params, sNext).map((q) => q.arraySync() as number[][]);
    const y = Array.from({ length: B }, (_, i) => {
      const task = batch.tasks[i]!;
      const chooser = (config.doubleDqn ? qNextOnline : qNextTarget)[task]![i]!;
      const best = chooser.indexOf(Math.max(...chooser));
      return (
        batch.rewards[i]! + (batch.terminated[i] ? 0 : input.taskGamma[task]! * qNextTarget[task]![i]![best]!)
      );
    });

    // Q(s, a) of each row's own task head: one-hot masks select the task's column a.
    const masks = actionCounts.map((A, task) =>
      tf.tensor2d(
        Array.from({ length: B * A }, (_, k) => {
          const i = Math.floor(k / A);
          return batch.tasks[i] === task && k % A === batch.actions[i] ? 1 : 0;
        }),
        [B, A],
      ),
    );
    const tdLoss = (p: tf.Tensor[]) => {
      const heads = qNetwork(p, s);
      const chosen = heads.reduce(
        (acc: tf.Tensor, q, task) => tf.add(acc, tf.sum(tf.mul(q, masks[task]!), 1)),
        tf.zeros([B]),
      );
      return tf.losses.huberLoss(tf.tensor1d(y), chosen, undefined, config.huberDelta) as tf.Scalar;
    };
    const penaltyLoss = (p: tf.Tensor[]): tf.Scalar => {
      const penalty = input.penalty;
      if (!penalty) return tf.scalar(0);
      return penalty.importance.reduce((acc: tf.Tensor, a, i) => {
        if (!a) return acc;
        const d = tf.sub(p[i]!, tf.tensor(penalty.anchor[i]!, shapes[i]));
        return tf.add(acc, tf.mul(tf.sum(tf.mul(tf.tensor(a, shapes[i]), tf.square(d))), penalty.lambda / 2));
      }, tf.scalar(0)) as tf.Scalar;
    };

    // Gradients: TD part and penalty part; a variable is trained if either reaches it.
    const used = (i: number) => i < 2 * layers || batch.tasks.includes((i - 2 * layers) >> 1);
    const gradOf = (f: (p: tf.Tensor[]) => tf.Scalar) => tf.grads((...p: tf.Tensor[]) => f(p))(params);
    const tdGrads = gradOf(tdLoss).map((g, i) => (used(i) ? (g.dataSync() as Float32Array).slice() : null));
    const penalized = (i: number) => !!input.penalty?.importance[i];
    const totalGrads = gradOf((p) => tf.add(tdLoss(p), penaltyLoss(p)) as tf.Scalar);
    const grads = totalGrads.map((g, i) =>
      used(i) || penalized(i) ? Float64Array.from(g.dataSync()) : null,
    );

    // clip_grad_norm_ then Adam (float64).
    const gradNorm = Math.sqrt(grads.reduce((sum, g) => sum + (g ? g.reduce((a, x) => a + x * x, 0) : 0), 0));
    const coef = config.maxGradNorm > 0 ? Math.min(1, config.maxGradNorm / (gradNorm + 1e-6)) : 1;
    const { adamBeta1: b1, adamBeta2: b2, adamEpsilon: eps, learningRate: lr } = config;
    const t = input.optimizer.step + 1;
    let offset = 0;
    const weights = input.online.map((w, i) => {
      const start = offset;
      offset += w.length;
      const g = grads[i];
      if (!g) return Float64Array.from(w);
      return Float64Array.from(w, (value, j) => {
        const gj = g[j]! * coef;
        const m = b1 * input.optimizer.m[start + j]! + (1 - b1) * gj;
        const v = b2 * input.optimizer.v[start + j]! + (1 - b2) * gj * gj;
        return value - ((lr / (1 - b1 ** t)) * m) / (Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps);
      });
    });
    result = { loss: tdLoss(params).dataSync()[0]!, targets: y, gradNorm, tdGradients: tdGrads, weights };
  });
  return result!;
}
