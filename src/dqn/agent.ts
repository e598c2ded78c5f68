/**
 * DqnAgent: the learner shared by `cli train` (one task) and the continual runner (many tasks).
 *
 * Reads top to bottom as one DQN update: encode batch → TD target from the target net (Double DQN: argmax by
 * the online net) → Huber loss (+ optional strategy penalty, inside the gradient closure) → global-norm
 * clipping + Adam (src/dqn/adam.ts). Target sync is the caller's decision (`updateTarget` / `syncTarget`),
 * because SB3 counts the target interval in env steps, which only the loop knows.
 *
 * Tasks: one head per task; the network input is the observation zero-padded to the largest observation
 * size of the run plus a task one-hot (src/dqn/qnetwork.ts). A batch may mix tasks: then the heads of all
 * tasks present are evaluated, each row reads its own task's columns, and Double DQN's argmax is masked to
 * the row's own actions.
 *
 * Hot path: every typed array the update needs is allocated once per batch size; all tensors live inside
 * one `tf.tidy`; the only device read is one scalar (the loss) plus one for the gradient norm.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../envs/rng';
import { FlatAdam, type AdamState } from './adam';
import type { DqnConfig } from './config';
import { HostForward } from './host-forward';
import { encodeInput, QNetwork, type SaveFunc } from './qnetwork';
import type { ReplayBatch } from './replay';

export interface TaskShape {
  observationSize: number;
  actionCount: number;
}

export interface DqnAgentOptions {
  config: DqnConfig;
  tasks: TaskShape[];
  /** The run's seeded generator: weight init and ε-greedy draws. */
  rng: Rng;
}

export interface UpdateOptions {
  /**
   * Extra loss added to the TD loss INSIDE the gradient closure (e.g. an EWC penalty), so its gradients
   * reach the weights. Must return a scalar built from the agent's variables. Absent = no cost.
   */
  extraLoss?: () => tf.Scalar;
}

/** Everything needed to restore the learner exactly (weights in `QNetwork.variables()` order). */
export interface DqnAgentState {
  online: Float32Array[];
  target: Float32Array[];
  optimizer: AdamState;
  updates: number;
}

/** Scratch typed arrays for one batch size. */
interface Scratch {
  states: Float32Array;
  nextStates: Float32Array;
  rewards: Float32Array;
  discounts: Float32Array;
  /** [B, columns] one-hot of the taken action (columns = all heads present, concatenated). */
  actionOneHot: Float32Array;
  /** [B, columns] 0 on the row's own task columns, −∞ elsewhere (mixed-task batches only). */
  ownColumns: Float32Array;
}

let agentCounter = 0;

export class DqnAgent {
  readonly config: DqnConfig;
  readonly tasks: readonly TaskShape[];
  /** Largest observation size of the run (network input = this + task count). */
  readonly observationSize: number;
  readonly online: QNetwork;
  readonly target: QNetwork;
  /** Gradient steps done so far. */
  updates = 0;
  private readonly rng: Rng;
  private readonly optimizer: FlatAdam;
  private readonly variablesList: tf.Variable[];
  private readonly scratch = new Map<number, Scratch>();
  private readonly actInput: Float32Array;
  /** Host copy of the online weights for acting (see host-forward.ts); stale after weight changes. */
  private readonly host: HostForward;

  constructor(options: DqnAgentOptions) {
    const { config, tasks, rng } = options;
    if (tasks.length === 0) throw new Error('DqnAgent needs at least one task');
    tasks.forEach((t, i) => {
      if (!Number.isInteger(t.observationSize) || t.observationSize <= 0) {
        throw new Error(`Task ${i}: observationSize must be a positive integer, got ${t.observationSize}`);
      }
      if (!Number.isInteger(t.actionCount) || t.actionCount < 2) {
        throw new Error(`Task ${i}: actionCount must be an integer ≥ 2, got ${t.actionCount}`);
      }
    });
    this.config = config;
    this.tasks = tasks.map((t) => ({ ...t }));
    this.rng = rng;
    this.observationSize = Math.max(...tasks.map((t) => t.observationSize));
    const name = `dqn${agentCounter++}`;
    const shape = {
      observationSize: this.observationSize,
      actionCounts: tasks.map((t) => t.actionCount),
      hiddenSizes: config.hiddenSizes,
      activation: config.activation,
      leakyReluAlpha: config.leakyReluAlpha,
    };
    this.online = new QNetwork({ ...shape, rng, trainable: true, name: `${name}/online` });
    // The target starts as an exact copy; it draws nothing from the rng (its init is overwritten).
    this.target = new QNetwork({ ...shape, rng, trainable: false, name: `${name}/target`, skipInit: true });
    this.target.copyFrom(this.online);
    this.variablesList = this.online.variables();
    this.optimizer = new FlatAdam(this.variablesList, {
      learningRate: config.learningRate,
      beta1: config.adamBeta1,
      beta2: config.adamBeta2,
      epsilon: config.adamEpsilon,
      maxGradNorm: config.maxGradNorm,
    });
    this.actInput = new Float32Array(this.online.inputSize);
    this.host = new HostForward(this.online);
  }

  get taskCount(): number {
    return this.tasks.length;
  }

  /** Network input width: observationSize + taskCount. */
  get inputSize(): number {
    return this.online.inputSize;
  }

  /** ‖g‖₂ before clipping of the last update. */
  get lastGradNorm(): number {
    return this.optimizer.lastGradNorm;
  }

  /** ε-greedy: one uniform draw always (as SB3), then a random action with probability ε. */
  act(observation: ArrayLike<number>, task: number, epsilon: number): number {
    const explore = this.rng.uniform() < epsilon;
    if (explore) return this.rng.integer(this.actionCount(task));
    return this.greedyAction(observation, task);
  }

  greedyAction(observation: ArrayLike<number>, task: number): number {
    const q = this.readQ(observation, task);
    let best = 0;
    for (let a = 1; a < q.length; a++) if (q[a]! > q[best]!) best = a; // ties → lowest index, as argmax
    return best;
  }

  /** Q-values of `task`'s actions at `observation` (a fresh copy; for the UI overlay). */
  qValues(observation: ArrayLike<number>, task: number): Float32Array {
    return Float32Array.from(this.readQ(observation, task));
  }

  /**
   * One gradient step on `batch`; returns the batch's mean TD (Huber) loss, without the extra loss.
   */
  update(batch: ReplayBatch, opts: UpdateOptions = {}): number {
    if (batch.observationSize !== this.observationSize) {
      throw new Error(
        `Batch observationSize ${batch.observationSize} differs from the agent's ${this.observationSize}`,
      );
    }
    const B = batch.size;
    const s = this.scratchFor(B);
    const heads = this.headsIn(batch);
    const columns = heads.columns;
    const { gamma, huberDelta, doubleDqn } = this.config;
    const taskCount = this.taskCount;
    const n = this.observationSize;
    const inputSize = this.inputSize;
    s.actionOneHot.fill(0, 0, B * columns);
    for (let i = 0; i < B; i++) {
      const task = batch.tasks[i]!;
      // Network input rows (the layout of `encodeInput`), copied without creating views.
      const row = i * inputSize;
      for (let k = 0; k < n; k++) {
        s.states[row + k] = batch.observations[i * n + k]!;
        s.nextStates[row + k] = batch.nextObservations[i * n + k]!;
      }
      for (let k = 0; k < taskCount; k++) {
        s.states[row + n + k] = k === task ? 1 : 0;
        s.nextStates[row + n + k] = k === task ? 1 : 0;
      }
      const action = batch.actions[i]!;
      if (action < 0 || action >= this.tasks[task]!.actionCount) {
        throw new Error(`Batch row ${i}: action ${action} is invalid for task ${task}`);
      }
      s.rewards[i] = batch.rewards[i]!;
      // Bootstrap unless the episode TERMINATED. Truncated transitions (time limit) keep γ·Q(s′):
      // the state after a time-limit cut is not terminal, and its stored next observation is the real one.
      s.discounts[i] = batch.terminated[i] ? 0 : gamma;
      const offset = heads.offsets[task]!;
      s.actionOneHot[i * columns + offset + action] = 1;
      if (heads.mixed) {
        const start = i * columns;
        s.ownColumns.fill(-Infinity, start, start + columns);
        s.ownColumns.fill(0, start + offset, start + offset + this.tasks[task]!.actionCount);
      }
    }

    let tdLoss = 0;
    tf.tidy(() => {
      const states = tf.tensor2d(s.states.subarray(0, B * inputSize), [B, inputSize]);
      const nextStates = tf.tensor2d(s.nextStates.subarray(0, B * inputSize), [B, inputSize]);
      const actionOneHot = tf.tensor2d(s.actionOneHot.subarray(0, B * columns), [B, columns]);
      const rewards = tf.tensor1d(s.rewards.subarray(0, B));
      const discounts = tf.tensor1d(s.discounts.subarray(0, B));
      const own = heads.mixed ? tf.tensor2d(s.ownColumns.subarray(0, B * columns), [B, columns]) : null;

      // TD target y = r + γ·(1 − terminated)·Q_target(s′, a*), outside the gradient tape.
      const qTargetNext = this.headsForward(this.target, nextStates, heads.list, 'infer');
      let nextValue: tf.Tensor1D;
      if (doubleDqn) {
        let qOnlineNext = this.headsForward(this.online, nextStates, heads.list, 'infer');
        if (own) qOnlineNext = tf.add(qOnlineNext, own);
        const best = tf.argMax(qOnlineNext, 1);
        // Gather Q_target(s′, a*) as a one-hot dot product. tfjs-wasm 4.22 bugs avoided here: gather with
        // batchDims reads out of bounds, and oneHot ignores dtype 'float32' (writes int bits), hence the cast.
        const pick = tf.cast(tf.oneHot(best, heads.columns), 'float32');
        nextValue = tf.sum(tf.mul(qTargetNext, pick), 1);
      } else {
        nextValue = tf.max(own ? tf.add(qTargetNext, own) : qTargetNext, 1) as tf.Tensor1D;
      }
      const targets = tf.add(rewards, tf.mul(discounts, nextValue)) as tf.Tensor1D;

      const td = { value: 0 };
      const { grads } = tf.variableGrads(() => {
        const q = this.headsForward(this.online, states, heads.list, 'train');
        const loss = huberTdLoss(q, actionOneHot, targets, huberDelta, td);
        return opts.extraLoss ? tf.add(loss, opts.extraLoss()) : loss;
      }, this.variablesList);
      this.optimizer.apply(this.variablesList.map((v) => grads[v.name]));
      tdLoss = td.value;
    });
    this.updates += 1;
    this.host.invalidate();
    return tdLoss;
  }

  /** All trainable variables: trunk then heads in task order. */
  trainableVariables(): tf.Variable[] {
    return [...this.variablesList];
  }

  trunkVariables(): tf.Variable[] {
    return this.online.trunkVariables();
  }

  headVariables(task: number): tf.Variable[] {
    return this.online.headVariables(task);
  }

  /** Hard copy online → target. */
  syncTarget(): void {
    this.target.copyFrom(this.online);
  }

  /** Target update per config: hard copy when tau = 1, else Polyak averaging with tau. */
  updateTarget(): void {
    this.target.polyakFrom(this.online, this.config.tau);
  }

  /** Forget Adam's moments and step count. */
  resetOptimizer(): void {
    this.optimizer.reset();
  }

  getState(): DqnAgentState {
    return {
      online: this.online.getWeights(),
      target: this.target.getWeights(),
      optimizer: this.optimizer.getState(),
      updates: this.updates,
    };
  }

  /**
   * Call after changing the online weights from outside `update`/`setState` (e.g. a strategy assigning
   * to `online` variables), so acting does not use a stale host copy.
   */
  weightsChanged(): void {
    this.host.invalidate();
  }

  setState(state: DqnAgentState): void {
    this.host.invalidate();
    this.online.setWeights(state.online);
    this.target.setWeights(state.target);
    this.optimizer.setState(state.optimizer);
    this.updates = state.updates;
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.optimizer.dispose();
  }

  private actionCount(task: number): number {
    const t = this.tasks[task];
    if (!t) throw new Error(`Task ${task} is outside [0, ${this.taskCount})`);
    return t.actionCount;
  }

  /** Q-values of one observation as a view valid until the next call (computed on the host). */
  private readQ(observation: ArrayLike<number>, task: number): Float32Array {
    this.actionCount(task);
    encodeInput(observation, task, this.observationSize, this.taskCount, this.actInput);
    return this.host.qValues(this.actInput, task);
  }

  /** Heads present in a batch: one task (the fast path) or several (columns concatenated). */
  private headsIn(batch: ReplayBatch): {
    list: number[];
    offsets: number[];
    columns: number;
    mixed: boolean;
  } {
    const first = batch.tasks[0]!;
    let mixed = false;
    for (let i = 0; i < batch.size; i++) {
      const t = batch.tasks[i]!;
      if (!Number.isInteger(t) || t < 0 || t >= this.taskCount) {
        throw new Error(`Batch row ${i}: task ${t} is outside [0, ${this.taskCount})`);
      }
      if (t !== first) mixed = true;
    }
    const offsets = new Array<number>(this.taskCount).fill(0);
    if (!mixed) return { list: [first], offsets, columns: this.tasks[first]!.actionCount, mixed };
    const seen = new Array<boolean>(this.taskCount).fill(false);
    for (let i = 0; i < batch.size; i++) seen[batch.tasks[i]!] = true;
    const list: number[] = [];
    let columns = 0;
    seen.forEach((present, t) => {
      if (!present) return;
      list.push(t);
      offsets[t] = columns;
      columns += this.tasks[t]!.actionCount;
    });
    return { list, offsets, columns, mixed };
  }

  private headsForward(net: QNetwork, x: tf.Tensor2D, list: number[], mode: 'infer' | 'train'): tf.Tensor2D {
    const features = net.features(x, mode);
    if (list.length === 1) return net.headOutput(features, list[0]!, mode);
    return tf.concat(
      list.map((t) => net.headOutput(features, t, mode)),
      1,
    );
  }

  private scratchFor(batchSize: number): Scratch {
    let s = this.scratch.get(batchSize);
    if (!s) {
      const columns = this.tasks.reduce((sum, t) => sum + t.actionCount, 0);
      s = {
        states: new Float32Array(batchSize * this.inputSize),
        nextStates: new Float32Array(batchSize * this.inputSize),
        rewards: new Float32Array(batchSize),
        discounts: new Float32Array(batchSize),
        actionOneHot: new Float32Array(batchSize * columns),
        ownColumns: new Float32Array(batchSize * columns),
      };
      this.scratch.set(batchSize, s);
    }
    return s;
  }
}

/**
 * Mean Huber loss of Q(s, a) − y with a hand-written gradient (fewer kernels than autodiff):
 * ∂/∂Q = onehot(a) · clip(Q(s,a) − y, −δ, δ) / B.
 * The loss VALUE is computed in JS from the B differences (one small read; kernels cost more than that
 * on cpu/wasm) and returned both as the differentiable scalar and through `out.value`.
 */
function huberTdLoss(
  q: tf.Tensor2D,
  actionOneHot: tf.Tensor2D,
  targets: tf.Tensor1D,
  delta: number,
  out: { value: number },
): tf.Scalar {
  const op = tf.customGrad((qIn, save) => {
    const diff = tf.sub(tf.sum(tf.mul(qIn as tf.Tensor2D, actionOneHot), 1), targets);
    const d = diff.dataSync();
    let total = 0;
    for (let i = 0; i < d.length; i++) {
      const abs = Math.abs(d[i]!);
      const quadratic = Math.min(abs, delta);
      total += 0.5 * quadratic * quadratic + delta * (abs - quadratic); // Huber
    }
    out.value = total / d.length;
    (save as SaveFunc)([diff]);
    return {
      value: tf.scalar(out.value),
      gradFunc: (dy, saved) => {
        const [d] = saved as [tf.Tensor1D];
        const batch = d.shape[0];
        const scale = tf.div(dy as tf.Scalar, batch);
        const g = tf.mul(tf.clipByValue(d, -delta, delta), scale);
        return tf.mul(actionOneHot, tf.reshape(g, [batch, 1]));
      },
    };
  });
  return op(q) as tf.Scalar;
}
