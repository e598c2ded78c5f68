/**
 * DqnAgent: the learner shared by `cli train` (one task) and the continual runner (many tasks).
 *
 * `update` reads top to bottom as one DQN gradient step, split between the tfjs backend (the big matrix
 * products) and the host (everything small, where a kernel launch would cost more than the arithmetic):
 *   1. backend: the online trunk on [s; s′] (s′ only for Double DQN) and the target trunk on s′, one fused
 *      matMul+bias+activation kernel per layer; their activations are read back;
 *   2. host: each row's task head, the TD target y = r + γ·(1 − terminated)·Q_target(s′, a*) with
 *      a* = argmax_a Q_online(s′, a) (Double DQN) or max_a Q_target (vanilla), the mean Huber loss and its
 *      gradient, the head gradients and the gradient reaching the trunk;
 *   3. backend: the trunk's backward pass, two matMuls per layer (one for the first);
 *   4. host: an optional quadratic penalty (EWC & co., src/dqn/penalty.ts) whose gradient λ·A·(θ − m) is
 *      added in closed form, global-norm clipping and Adam (src/dqn/adam.ts), all in the optimizer's two
 *      passes over the host copy of the weights, which is then uploaded (and also serves acting, see
 *      host-forward.ts).
 * Target sync is the caller's decision (`updateTarget` / `syncTarget`), because SB3 counts the target
 * interval in env steps, which only the loop knows.
 *
 * Tasks: one head per task; the network input is the observation zero-padded to the largest observation
 * size of the run plus a task one-hot (src/dqn/qnetwork.ts). A batch may mix tasks: each row uses its own
 * task's head, and only the heads present in the batch receive a gradient.
 *
 * Hot path: the update's scratch arrays are allocated once per batch size; results are read back into them
 * (src/tf/host-io.ts: no array per readback on wasm) and weights are uploaded without a host copy, so on wasm
 * the update allocates no typed array (test/dqn/agent-allocations.test.ts); what remains per update is
 * tfjs's own bookkeeping (tensor objects). No transpose pass runs on the host: each matMul is arranged so its
 * result is read in the layout the next step wants, and the one layout change left (∂Wᵀ → ∂W) is done by the
 * readback copy itself. All tensors live inside `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../envs/rng';
import { HostAdam, type AdamState } from './adam';
import type { DqnConfig } from './config';
import { hostForwardBuffers, hostQValues } from './host-forward';
import type { QuadraticPenalty } from './penalty';
import { encodeInput, fusedDense, QNetwork } from './qnetwork';
import type { ReplayBatch } from './replay';
import { readInto, readTransposedInto, upload } from '../tf/host-io';

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
   * A quadratic penalty (λ/2)·Σ A·(θ − m)² added to the TD loss (EWC & co.), or null/absent when there is
   * none this step. Its gradient λ·A·(θ − m) is added on the host before clipping, in closed form.
   */
  penalty?: QuadraticPenalty | null;
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
  /** Network input rows: B rows of s, then B rows of s′ (the layout of `encodeInput`). */
  inputs: Float32Array;
  /** ∂loss/∂(trunk layer output) for the B rows of s, transposed: [units, B] (as the backward matMul gives it). */
  upstream: Float32Array;
  /** The same after the activation's derivative, same layout [units, B] (the matMuls' left operand). */
  localT: Float32Array;
  /** Trunk activations read back per layer, [rows, units] (rows = 2B with Double DQN, else B). */
  hidden: Float32Array[];
  /** Q-values of every head on the online / target features, [rows, Σ actions]. */
  qOnline: Float32Array;
  qTarget: Float32Array;
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
  private readonly optimizer: HostAdam;
  private readonly variablesList: tf.Variable[];
  /** Per variable: gradient of the current update and whether it received one. */
  private readonly grads: Float32Array[];
  private readonly present: boolean[];
  private readonly scratch = new Map<number, Scratch>();
  private readonly actInput: Float32Array;
  private readonly actBuffers: [Float32Array, Float32Array];
  /** All heads side by side ([H, Σ actions] kernel + bias), so one kernel computes every task's Q-values. */
  private readonly packedOnline: PackedHeads;
  private readonly packedTarget: PackedHeads;
  /** Host copies of the online and target weights (allocated once), and whether each is stale (re-read on demand). */
  private readonly onlineHost: Float32Array[];
  private readonly targetHost: Float32Array[];
  private onlineStale = true;
  private targetStale = true;
  /** γ of each task's TD target (a mixed batch discounts each row with its own task's γ). */
  private readonly taskGamma: Float64Array;

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
    // A copy: `setLearningRate`/`setTau`/`setTaskGamma` change the agent's settings, never the caller's.
    this.config = { ...config, hiddenSizes: [...config.hiddenSizes] };
    this.tasks = tasks.map((t) => ({ ...t }));
    this.taskGamma = new Float64Array(tasks.length).fill(config.gamma);
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
    this.present = this.variablesList.map(() => false);
    this.optimizer = new HostAdam(
      this.variablesList.map((v) => v.size),
      {
        learningRate: config.learningRate,
        beta1: config.adamBeta1,
        beta2: config.adamBeta2,
        epsilon: config.adamEpsilon,
        maxGradNorm: config.maxGradNorm,
      },
    );
    // Gradients and the online weights' host copy live where the optimizer's kernel updates them in place.
    this.grads = this.optimizer.gradArrays();
    this.onlineHost = this.optimizer.paramArrays();
    this.actInput = new Float32Array(this.online.inputSize);
    this.actBuffers = hostForwardBuffers(this.online);
    this.packedOnline = createPackedHeads(this.online);
    this.packedTarget = createPackedHeads(this.online);
    this.targetHost = this.variablesList.map((v) => new Float32Array(v.size));
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
    return argmax(this.readQ(observation, task));
  }

  /** Q-values of `task`'s actions at `observation` (a fresh copy; for the UI overlay). */
  qValues(observation: ArrayLike<number>, task: number): Float32Array {
    return Float32Array.from(this.readQ(observation, task));
  }

  /**
   * One gradient step on `batch`; returns the batch's mean TD (Huber) loss, without the extra loss.
   */
  update(batch: ReplayBatch, opts: UpdateOptions = {}): number {
    this.checkBatch(batch);
    const B = batch.size;
    const s = this.scratchFor(B);
    const { huberDelta: delta, doubleDqn } = this.config;
    const taskGamma = this.taskGamma;
    const net = this.online;
    const layers = net.trunk.length;
    const inputSize = this.inputSize;
    const n = this.observationSize;
    const taskCount = this.taskCount;
    for (let i = 0; i < B; i++) {
      const task = batch.tasks[i]!;
      for (let k = 0; k < n; k++) {
        s.inputs[i * inputSize + k] = batch.observations[i * n + k]!;
        s.inputs[(B + i) * inputSize + k] = batch.nextObservations[i * n + k]!;
      }
      for (let k = 0; k < taskCount; k++) {
        s.inputs[i * inputSize + n + k] = k === task ? 1 : 0;
        s.inputs[(B + i) * inputSize + n + k] = k === task ? 1 : 0;
      }
    }
    const w = this.hostWeights('online');
    packHeads(net, w, this.packedOnline);
    this.hostWeights('target'); // refreshes the target's packed heads if the target changed
    const { grads, present } = this;
    present.fill(false);
    for (let l = 0; l < layers; l++) {
      present[2 * l] = present[2 * l + 1] = true;
      grads[2 * l + 1]!.fill(0); // bias gradients are sums; kernels are written whole below
    }
    let tdLoss = 0;

    tf.tidy(() => {
      // 1. Forward passes on the backend: trunks, then all heads at once (packed side by side); the trunk
      // activations and the Q-values come back to the host.
      const onlineRows = doubleDqn ? 2 * B : B;
      const rows = (from: number, count: number) =>
        tf.tensor2d(s.inputs.subarray(from * inputSize, (from + count) * inputSize), [count, inputSize]);
      const onlineActs = net.trunkActivations(rows(0, onlineRows));
      const targetFeatures = this.target.trunkActivations(rows(B, B))[layers - 1]!;
      const qOnline = this.packedHeadsForward(onlineActs[layers - 1]!, this.packedOnline, s.qOnline);
      const qTarget = this.packedHeadsForward(targetFeatures, this.packedTarget, s.qTarget);
      const hidden = s.hidden;
      onlineActs.forEach((h, l) => readInto(h, hidden[l]!));
      const features = hidden[layers - 1]!;
      const H = net.trunk[layers - 1]!.bias.size;
      const C = this.packedOnline.columns;

      // 2. TD targets, Huber loss and its gradient on the host (each row reads its own task's columns).
      const up = s.upstream;
      for (let i = 0; i < B; i++) {
        const task = batch.tasks[i]!;
        const A = net.actionCounts[task]!;
        const column = this.packedOnline.offsets[task]!;
        const head = 2 * layers + 2 * task;
        if (!present[head]) {
          present[head] = present[head + 1] = true;
          grads[head]!.fill(0);
          grads[head + 1]!.fill(0);
        }
        // a* by the online net (Double DQN) or the target net (vanilla); its value by the target net.
        const chooser = doubleDqn ? qOnline : qTarget;
        const chooserRow = (doubleDqn ? B + i : i) * C + column;
        let best = 0;
        for (let k = 1; k < A; k++) if (chooser[chooserRow + k]! > chooser[chooserRow + best]!) best = k;
        const next = qTarget[i * C + column + best]!;
        const y = Math.fround(batch.rewards[i]! + (batch.terminated[i] ? 0 : taskGamma[task]!) * next);
        const a = batch.actions[i]!;
        const diff = qOnline[i * C + column + a]! - y;
        const abs = Math.abs(diff);
        const quadratic = Math.min(abs, delta);
        tdLoss += 0.5 * quadratic * quadratic + delta * (abs - quadratic);
        // ∂loss/∂Q(s, a) = clip(diff, −δ, δ) / B; it reaches the head's column a and, through it, the trunk.
        const g = Math.max(-delta, Math.min(delta, diff)) / B;
        const kernel = w[head]!;
        const kernelGrad = grads[head]!;
        for (let k = 0; k < H; k++) {
          kernelGrad[k * A + a] = kernelGrad[k * A + a]! + g * features[i * H + k]!;
          up[k * B + i] = g * kernel[k * A + a]!;
        }
        grads[head + 1]![a] = grads[head + 1]![a]! + g;
      }
      tdLoss /= B;

      // 3. Backward through the trunk, top layer first. For layer l with input x (rows of s only) and
      // output h = act(x·W + b): local = upstream ⊙ act′(h); ∂W = xᵀ·local; ∂b = Σ_rows local;
      // upstream of the layer below = local·Wᵀ. Computed as ∂Wᵀ = localᵀ·x and (upstream below)ᵀ = W·localᵀ:
      // no operand is transposed (tfjs-wasm runs a matMul with a transpose flag on a naive loop, not
      // XNNPACK); the upstream stays transposed ([units, B], which the activation step reads), and ∂Wᵀ is
      // transposed by the copy that reads it back.
      const slope = net.activationSlope();
      for (let l = layers - 1; l >= 0; l--) {
        const units = net.trunk[l]!.bias.size;
        const width = l > 0 ? net.trunk[l - 1]!.bias.size : inputSize;
        activationBackward(up, hidden[l]!, B, units, slope, s.localT, grads[2 * l + 1]!);
        const local = tf.tensor2d(s.localT.subarray(0, units * B), [units, B]);
        const x = tf.tensor2d((l > 0 ? hidden[l - 1]! : s.inputs).subarray(0, B * width), [B, width]);
        readTransposedInto(tf.matMul(local, x), units, width, grads[2 * l]!);
        if (l > 0) readInto(tf.matMul(net.trunk[l]!.kernel, local), up);
      }
    });

    // 4. Penalty gradient (closed form) + clip + Adam on the host copy, then upload what changed.
    this.optimizer.step(w, grads, present, opts.penalty ?? null);
    tf.tidy(() => {
      const variables = this.variablesList;
      for (let i = 0; i < variables.length; i++) {
        if (present[i]) variables[i]!.assign(upload(w[i]!, variables[i]!.shape));
      }
    });
    this.updates += 1;
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
    this.targetStale = true;
  }

  /** Target update per config: hard copy when tau = 1, else Polyak averaging with tau. */
  updateTarget(): void {
    this.target.polyakFrom(this.online, this.config.tau);
    this.targetStale = true;
  }

  /** Learning rate of the following updates (a schedule or a stage's own settings). */
  setLearningRate(learningRate: number): void {
    this.config.learningRate = learningRate;
    this.optimizer.setLearningRate(learningRate);
  }

  /** Polyak coefficient of the following target updates (1 = hard copy). */
  setTau(tau: number): void {
    this.config.tau = tau;
  }

  /** Discount of `task`'s TD targets (per task: a sequence's tasks may differ). */
  setTaskGamma(task: number, gamma: number): void {
    this.actionCount(task);
    this.taskGamma[task] = gamma;
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
   * to `online` variables), so acting and updating do not use a stale host copy.
   */
  weightsChanged(): void {
    this.onlineStale = true;
  }

  setState(state: DqnAgentState): void {
    this.onlineStale = true;
    this.targetStale = true;
    this.online.setWeights(state.online);
    this.target.setWeights(state.target);
    this.optimizer.setState(state.optimizer);
    this.updates = state.updates;
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
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
    return hostQValues(this.online, this.hostWeights('online'), this.actInput, task, this.actBuffers);
  }

  /** Host copy of a network's weights (copies: backends may share buffers between variables). */
  private hostWeights(which: 'online' | 'target'): Float32Array[] {
    if (which === 'online') {
      if (this.onlineStale) this.online.variables().forEach((v, i) => readInto(v, this.onlineHost[i]!));
      this.onlineStale = false;
      return this.onlineHost;
    }
    if (this.targetStale) {
      this.targetStale = false;
      // The target changes only at target updates: pack its heads once per change, not per update.
      this.target.variables().forEach((v, i) => readInto(v, this.targetHost[i]!));
      packHeads(this.online, this.targetHost, this.packedTarget);
    }
    return this.targetHost;
  }

  /** Q-values [rows, Σ actions] of every head (packed in `packed`) on trunk `features` [1, rows, H]. */
  private packedHeadsForward(features: tf.Tensor3D, packed: PackedHeads, out: Float32Array): Float32Array {
    const kernel = tf.tensor2d(packed.kernel, [packed.hidden, packed.columns]);
    return readInto(fusedDense(features, kernel, tf.tensor1d(packed.bias), null), out);
  }

  private checkBatch(batch: ReplayBatch): void {
    if (batch.observationSize !== this.observationSize) {
      throw new Error(
        `Batch observationSize ${batch.observationSize} differs from the agent's ${this.observationSize}`,
      );
    }
    for (let i = 0; i < batch.size; i++) {
      const task = batch.tasks[i]!;
      if (!Number.isInteger(task) || task < 0 || task >= this.taskCount) {
        throw new Error(`Batch row ${i}: task ${task} is outside [0, ${this.taskCount})`);
      }
      const action = batch.actions[i]!;
      if (action < 0 || action >= this.tasks[task]!.actionCount) {
        throw new Error(`Batch row ${i}: action ${action} is invalid for task ${task}`);
      }
    }
  }

  private scratchFor(batchSize: number): Scratch {
    let s = this.scratch.get(batchSize);
    if (!s) {
      const widest = Math.max(this.inputSize, ...this.config.hiddenSizes);
      const rows = this.config.doubleDqn ? 2 * batchSize : batchSize;
      s = {
        inputs: new Float32Array(2 * batchSize * this.inputSize),
        upstream: new Float32Array(batchSize * widest),
        localT: new Float32Array(batchSize * widest),
        hidden: this.config.hiddenSizes.map((units) => new Float32Array(rows * units)),
        qOnline: new Float32Array(rows * this.packedOnline.columns),
        qTarget: new Float32Array(batchSize * this.packedOnline.columns),
      };
      this.scratch.set(batchSize, s);
    }
    return s;
  }
}

interface PackedHeads {
  hidden: number;
  columns: number;
  /** First column of each task. */
  offsets: number[];
  kernel: Float32Array;
  bias: Float32Array;
}

/** Copy every head's kernel and bias of `weights` (in `QNetwork.variables()` order) into `packed`. */
function packHeads(network: QNetwork, weights: readonly Float32Array[], packed: PackedHeads): void {
  const layers = network.trunk.length;
  const C = packed.columns;
  network.actionCounts.forEach((A, task) => {
    const kernel = weights[2 * layers + 2 * task]!;
    const offset = packed.offsets[task]!;
    for (let k = 0; k < packed.hidden; k++) {
      for (let a = 0; a < A; a++) packed.kernel[k * C + offset + a] = kernel[k * A + a]!;
    }
    packed.bias.set(weights[2 * layers + 2 * task + 1]!, offset);
  });
}

function createPackedHeads(network: QNetwork): PackedHeads {
  const hidden = network.trunk[network.trunk.length - 1]!.bias.size;
  let columns = 0;
  const offsets = network.actionCounts.map((a) => ((columns += a), columns - a));
  return {
    hidden,
    columns,
    offsets,
    kernel: new Float32Array(hidden * columns),
    bias: new Float32Array(columns),
  };
}

/** Index of the largest value; ties → lowest index, as numpy/torch argmax. */
function argmax(values: Float32Array): number {
  let best = 0;
  for (let a = 1; a < values.length; a++) if (values[a]! > values[best]!) best = a;
  return best;
}

/**
 * The activation's backward step for `rows` rows: local = upstream ⊙ act′(h) (h > 0 ⇔ pre-activation > 0
 * for ReLU and LeakyReLU). `upstreamT` and `localT` are [units, rows]; `h` is row-major [rows, units].
 * Adds Σ_rows local to `biasGrad`.
 */
function activationBackward(
  upstreamT: Float32Array,
  h: Float32Array,
  rows: number,
  units: number,
  slope: number,
  localT: Float32Array,
  biasGrad: Float32Array,
): void {
  for (let j = 0; j < units; j++) {
    const out = j * rows;
    let sum = 0;
    for (let i = 0; i < rows; i++) {
      // Branch-free (the sign of h is a coin flip, so a branch would mispredict half the time).
      const positive = +(h[i * units + j]! > 0);
      const value = upstreamT[out + i]! * (slope + (1 - slope) * positive);
      localT[out + i] = value;
      sum += value;
    }
    biasGrad[j] = biasGrad[j]! + sum;
  }
}
