/**
 * DqnAgent: the learner shared by `cli train` (one task) and the continual runner (many tasks).
 *
 * `update` reads top to bottom as one DQN gradient step, done entirely on the host in one wasm memory
 * (src/wasm/arena.ts) that holds the weights, Adam's moments, the gradients and the activations, with a
 * hand-written wasm SIMD GEMM (src/wasm/gemm.ts) for the matrix products:
 *   1. forward: the online trunk on [s; s′] (s′ only for Double DQN) and the target trunk on s′, one GEMM
 *      per layer with bias and activation in its epilogue, then every task's head at once (packed side by side);
 *   2. each row's task head, the TD target y = r + γ·(1 − terminated)·Q_target(s′, a*) with
 *      a* = argmax_a Q_online(s′, a) (Double DQN) or max_a Q_target (vanilla), the mean Huber loss and its
 *      gradient, the head gradients and the gradient reaching the trunk (plain loops: O(B·H));
 *   3. backward through the trunk: two GEMMs per layer (∂W = xᵀ·local reads x transposed through its
 *      strides; the upstream below = W·localᵀ), one for the first layer;
 *   4. an optional quadratic penalty (EWC & co., src/dqn/penalty.ts) whose gradient λ·A·(θ − m) is added in
 *      closed form, global-norm clipping and Adam (src/dqn/adam.ts, a wasm SIMD kernel), in place on the
 *      weights in the arena; the changed weights are then uploaded to the tfjs variables (which strategies,
 *      evaluation and checkpoints read). Acting reads the arena's copy (host-forward.ts). Two optional
 *      strategy seams (UpdateOptions): `transformGradients` on the final gradients before clipping and
 *      `maskWeights` on the weights after Adam wrote them (PackNet; nothing is called when absent).
 * src/dqn/reference-update.ts is the same step written with tfjs autodiff; test/dqn/agent.test.ts holds the
 * two together.
 * Target sync is the caller's decision (`updateTarget` / `syncTarget`), because SB3 counts the target
 * interval in env steps, which only the loop knows.
 *
 * Tasks: one head per task; the network input is the observation zero-padded to the largest observation
 * size of the run plus a task one-hot (src/dqn/qnetwork.ts). A batch may mix tasks: each row uses its own
 * task's head, and only the heads present in the batch receive a gradient.
 *
 * Hot path: the arena's regions are allocated once (scratch for the largest batch size seen); an update
 * allocates no typed array (test/dqn/agent-allocations.test.ts) and no tensor outside `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../envs/rng';
import { HostAdam, type AdamState } from './adam';
import type { DqnConfig } from './config';
import { hostForwardBuffers, hostQValues } from './host-forward';
import type { QuadraticPenalty } from './penalty';
import { encodeInput, QNetwork } from './qnetwork';
import type { ReplayBatch } from './replay';
import { readInto, upload } from '../tf/host-io';
import { Arena } from '../wasm/arena';
import { GEMM_ACTIVATION, GEMM_BIAS } from '../wasm/gemm';

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
  /**
   * When given (one array per variable, `QNetwork.variables()` order), receives ∂(TD loss)/∂θ of this step
   * at the weights before it — without the penalty and before clipping; zeros where a variable got none
   * (SI's path integral reads it; no second backward pass).
   */
  tdGradients?: Float32Array[] | null;
  /**
   * Called with the final gradients (TD + penalty, before clipping; host arrays, `QNetwork.variables()`
   * order) just before the optimizer step; may change them in place (PackNet zeroes frozen weights'
   * gradients). Absent: nothing is called.
   */
  transformGradients?: ((grads: readonly Float32Array[], present: readonly boolean[]) => void) | null;
  /**
   * Called with the weights right after the optimizer wrote them, before they are uploaded to the variables;
   * may change them in place (only arrays with `present[i]` are uploaded). Absent: nothing is called.
   */
  maskWeights?: ((weights: readonly Float32Array[], present: readonly boolean[]) => void) | null;
}

/** Everything needed to restore the learner exactly (weights in `QNetwork.variables()` order). */
export interface DqnAgentState {
  online: Float32Array[];
  target: Float32Array[];
  optimizer: AdamState;
  updates: number;
}

/** Byte offsets (in the arena) of the update's scratch regions for one batch size. */
interface Scratch {
  /** Network input rows: B rows of s, then B rows of s′ (the layout of `encodeInput`). */
  inputs: number;
  /** Online trunk activations per layer, [rows, units] (rows = 2B with Double DQN: s then s′, else B). */
  hidden: number[];
  /** Target trunk activations per layer on s′, [B, units]. */
  targetHidden: number[];
  /** Q-values of every head (packed columns) on the online / target features, [rows, C]. */
  qOnline: number;
  qTarget: number;
  /** ∂loss/∂(layer output) for the B rows of s, transposed: [units, B] (as the backward GEMM writes it). */
  upstreamT: number;
  /** The same after the activation's derivative, row-major [B, units] and transposed [units, B]. */
  local: number;
  localT: number;
  /** TD targets per row. */
  targets: Float32Array;
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
  /** Per variable: whether it received a gradient in the current update. */
  private readonly present: boolean[];
  /** Scratch regions for the largest batch size seen (smaller batches reuse them). */
  private scratch: Scratch | null = null;
  private scratchRows = 0;
  /** The memory holding weights, moments, gradients and the update's scratch (src/wasm/arena.ts). */
  private readonly arena: Arena;
  private readonly actInput: Float32Array;
  private readonly actBuffers: [Float32Array, Float32Array];
  /** All heads side by side ([H, Σ actions] kernel + bias), so one kernel computes every task's Q-values. */
  private readonly packedOnline: PackedHeads;
  private readonly packedTarget: PackedHeads;
  /** Host copies of the online and target weights (in the arena), and whether each is stale (re-read on demand). */
  private readonly targetRegions: number[];
  private hostViews: { generation: number; online: Float32Array[]; target: Float32Array[] } | null = null;
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
    const sizes = this.variablesList.map((v) => v.size);
    const total = sizes.reduce((a, b) => a + b, 0);
    const widest = Math.max(this.online.inputSize, ...config.hiddenSizes);
    const rows = 2 * config.batchSize;
    // Room for weights ×5 (parameters, gradients, moments, target), packed heads and one batch's scratch.
    this.arena = new Arena(
      4 * (5 * total + rows * (3 * widest + 8 * config.hiddenSizes.length + 64)) + 65536,
    );
    this.optimizer = new HostAdam(
      sizes,
      {
        learningRate: config.learningRate,
        beta1: config.adamBeta1,
        beta2: config.adamBeta2,
        epsilon: config.adamEpsilon,
        maxGradNorm: config.maxGradNorm,
      },
      this.arena,
    );
    this.targetRegions = sizes.map((n) => this.arena.alloc(n));
    this.actInput = new Float32Array(this.online.inputSize);
    this.actBuffers = hostForwardBuffers(this.online);
    this.packedOnline = createPackedHeads(this.online, this.arena);
    this.packedTarget = createPackedHeads(this.online, this.arena);
    this.scratchFor(config.batchSize);
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
    const net = this.online;
    const arena = this.arena;
    const layers = net.trunk.length;
    const inputSize = this.inputSize;
    const w = this.hostWeights('online');
    this.hostWeights('target'); // refreshes the target's packed heads if the target changed
    const heap = arena.heap; // after hostWeights: a view of the current memory
    const grads = this.optimizer.gradArrays();
    const regions = this.optimizer.regions;
    const present = this.present;
    present.fill(false);
    for (let l = 0; l < layers; l++) {
      present[2 * l] = present[2 * l + 1] = true;
      grads[2 * l + 1]!.fill(0); // bias gradients are sums; kernels are written whole below
    }

    // 1. Forward: the online trunk on [s; s′] (s′ only for Double DQN: one pass of 2B rows) and the target
    // trunk on s′, then every task's head at once; the TD targets from them (the one implementation, shared
    // with `tdTargets`).
    this.writeInputs(batch, s);
    this.forwardOnline(s, 0, doubleDqn ? 2 * B : B);
    this.forwardTarget(s, B);
    const y = this.targetsFromForward(batch, s, B, s.targets);
    const slope = net.activationSlope();
    const C = this.packedOnline.columns;
    const H = net.trunk[layers - 1]!.bias.size;

    // 2. TD targets, Huber loss and its gradient on the host (each row reads its own task's columns).
    const qOnline = s.qOnline >> 2;
    const features = s.hidden[layers - 1]! >> 2;
    const up = s.upstreamT >> 2;
    let tdLoss = 0;
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
      const a = batch.actions[i]!;
      const diff = heap[qOnline + i * C + column + a]! - y[i]!;
      const abs = Math.abs(diff);
      const quadratic = Math.min(abs, delta);
      tdLoss += 0.5 * quadratic * quadratic + delta * (abs - quadratic);
      // ∂loss/∂Q(s, a) = clip(diff, −δ, δ) / B; it reaches the head's column a and, through it, the trunk.
      const g = Math.max(-delta, Math.min(delta, diff)) / B;
      const kernel = w[head]!;
      const kernelGrad = grads[head]!;
      const featureRow = features + i * H;
      for (let k = 0; k < H; k++) {
        kernelGrad[k * A + a] = kernelGrad[k * A + a]! + g * heap[featureRow + k]!;
        heap[up + k * B + i] = g * kernel[k * A + a]!;
      }
      grads[head + 1]![a] = grads[head + 1]![a]! + g;
    }
    tdLoss /= B;

    // 3. Backward through the trunk, top layer first. For layer l with input x (rows of s only) and
    // output h = act(x·W + b): local = upstream ⊙ act′(h); ∂W = xᵀ·local (a GEMM reading x transposed through
    // its strides); ∂b = Σ_rows local; the layer below's upstream, transposed, = W·localᵀ.
    for (let l = layers - 1; l >= 0; l--) {
      const units = net.trunk[l]!.bias.size;
      const below = l > 0 ? net.trunk[l - 1]!.bias.size : inputSize;
      activationBackward(
        heap,
        up,
        s.hidden[l]! >> 2,
        B,
        units,
        slope,
        s.local >> 2,
        s.localT >> 2,
        grads[2 * l + 1]!,
      );
      const x = l > 0 ? s.hidden[l - 1]! : s.inputs;
      arena.gemm(regions[2 * l]!.g, x, s.local, 0, below, units, B, 4, 4 * below, 4 * units, 4 * units, 0, 0);
      if (l > 0) {
        arena.gemm(
          s.upstreamT,
          regions[2 * l]!.p,
          s.localT,
          0,
          below,
          B,
          units,
          4 * units,
          4,
          4 * B,
          4 * B,
          0,
          0,
        );
      }
    }

    if (opts.tdGradients) {
      opts.tdGradients.forEach((out, i) => (present[i] ? out.set(grads[i]!) : out.fill(0)));
    }

    // 4. The penalty's gradient (closed form) joins the TD gradient; the gradients are then final.
    this.optimizer.addPenalty(present, opts.penalty ?? null);
    if (opts.transformGradients) opts.transformGradients(grads, present); // a strategy's seam (PackNet)
    // 5. Global-norm clipping + Adam in the arena, then the changed weights go to the tfjs variables.
    this.optimizer.applyGradients(present);
    if (opts.maskWeights) opts.maskWeights(this.optimizer.paramArrays(), present); // a strategy's seam
    this.writeVariables(present);
    this.updates += 1;
    return tdLoss;
  }

  /**
   * TD targets y = r + γ_task·(1 − terminated)·Q_target(s′, a*) of `batch`'s rows at the current weights,
   * exactly as `update` computes them (a* by the online net with Double DQN, else by the target net).
   */
  tdTargets(batch: ReplayBatch, out = new Float32Array(batch.size)): Float32Array {
    this.checkBatch(batch);
    const B = batch.size;
    const s = this.scratchFor(B);
    this.hostWeights('online');
    this.hostWeights('target');
    this.writeInputs(batch, s);
    if (this.config.doubleDqn) this.forwardOnline(s, B, B); // s′ rows only: Q_online(s′) lands in rows 0..B
    this.forwardTarget(s, B);
    return this.targetsFromForward(batch, s, 0, out);
  }

  /** Network input rows in the arena: B rows of s, then B rows of s′. */
  private writeInputs(batch: ReplayBatch, s: Scratch): void {
    const B = batch.size;
    const heap = this.arena.heap;
    const inputSize = this.inputSize;
    const n = this.observationSize;
    const taskCount = this.taskCount;
    const inputs = s.inputs >> 2;
    for (let i = 0; i < B; i++) {
      const task = batch.tasks[i]!;
      const row = inputs + i * inputSize;
      const nextRow = inputs + (B + i) * inputSize;
      for (let k = 0; k < n; k++) {
        heap[row + k] = batch.observations[i * n + k]!;
        heap[nextRow + k] = batch.nextObservations[i * n + k]!;
      }
      for (let k = 0; k < taskCount; k++) heap[row + n + k] = heap[nextRow + n + k] = k === task ? 1 : 0;
    }
  }

  /**
   * The online trunk and packed heads on input rows [from, from + rows): activations in `s.hidden`, Q-values
   * in `s.qOnline` (from their row 0). One GEMM per layer with bias and activation in its epilogue.
   */
  private forwardOnline(s: Scratch, from: number, rows: number): void {
    const regions = this.optimizer.regions;
    packHeads(this.online, this.optimizer.paramArrays(), this.packedOnline, this.arena.heap);
    this.forward(
      (l) => regions[2 * l]!.p,
      (l) => regions[2 * l + 1]!.p,
      s.inputs + 4 * from * this.inputSize,
      s.hidden,
      rows,
      this.packedOnline,
      s.qOnline,
    );
  }

  /** The target trunk and heads on the B rows of s′: `s.targetHidden`, `s.qTarget`. */
  private forwardTarget(s: Scratch, B: number): void {
    const t = this.targetRegions;
    const x = s.inputs + 4 * B * this.inputSize;
    this.forward(
      (l) => t[2 * l]!,
      (l) => t[2 * l + 1]!,
      x,
      s.targetHidden,
      B,
      this.packedTarget,
      s.qTarget,
    );
  }

  private forward(
    kernel: (layer: number) => number,
    bias: (layer: number) => number,
    input: number,
    hidden: number[],
    rows: number,
    heads: PackedHeads,
    q: number,
  ): void {
    const net = this.online;
    const arena = this.arena;
    const slope = net.activationSlope();
    let width = this.inputSize;
    let x = input;
    for (let l = 0; l < net.trunk.length; l++) {
      const units = net.trunk[l]!.bias.size;
      const flags = GEMM_BIAS | GEMM_ACTIVATION;
      const [ldx, ldw] = [4 * width, 4 * units];
      arena.gemm(hidden[l]!, x, kernel(l), bias(l), rows, units, width, ldx, 4, ldw, ldw, slope, flags);
      x = hidden[l]!;
      width = units;
    }
    const C = heads.columns;
    arena.gemm(q, x, heads.kernel, heads.bias, rows, C, width, 4 * width, 4, 4 * C, 4 * C, 0, GEMM_BIAS);
  }

  /**
   * y per row from the Q-values of the last forward passes: a* chosen on `s.qOnline` rows from
   * `chooserFrom` (Double DQN) or on `s.qTarget`, valued by `s.qTarget`; each row with its task's columns and γ.
   */
  private targetsFromForward(
    batch: ReplayBatch,
    s: Scratch,
    chooserFrom: number,
    out: Float32Array,
  ): Float32Array {
    const heap = this.arena.heap;
    const C = this.packedOnline.columns;
    const qTarget = s.qTarget >> 2;
    const chooser = this.config.doubleDqn ? (s.qOnline >> 2) + chooserFrom * C : qTarget;
    for (let i = 0; i < batch.size; i++) {
      const task = batch.tasks[i]!;
      const A = this.online.actionCounts[task]!;
      const column = this.packedOnline.offsets[task]!;
      const row = chooser + i * C + column;
      let best = 0;
      for (let k = 1; k < A; k++) if (heap[row + k]! > heap[row + best]!) best = k;
      const next = heap[qTarget + i * C + column + best]!;
      out[i] = batch.rewards[i]! + (batch.terminated[i] ? 0 : this.taskGamma[task]!) * next;
    }
    return out;
  }

  /** Upload the weights that changed in this step to the tfjs variables. */
  private writeVariables(present: boolean[]): void {
    const w = this.optimizer.paramArrays();
    tf.tidy(() => {
      const variables = this.variablesList;
      for (let i = 0; i < variables.length; i++) {
        if (present[i]) variables[i]!.assign(upload(w[i]!, variables[i]!.shape));
      }
    });
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

  /**
   * Host copy of a network's weights in the arena, re-read from the variables when stale (copies: backends
   * may share buffers between variables). Views are remade when the arena grew.
   */
  private hostWeights(which: 'online' | 'target'): Float32Array[] {
    let views = this.hostViews;
    if (!views || views.generation !== this.arena.generation) {
      const sizes = this.variablesList.map((v) => v.size);
      views = this.hostViews = {
        generation: this.arena.generation,
        online: this.optimizer.paramArrays(),
        target: this.targetRegions.map((offset, i) => this.arena.f32(offset, sizes[i]!)),
      };
    }
    if (which === 'online') {
      if (this.onlineStale) this.online.variables().forEach((v, i) => readInto(v, views.online[i]!));
      this.onlineStale = false;
      return views.online;
    }
    if (this.targetStale) {
      this.targetStale = false;
      // The target changes only at target updates: pack its heads once per change, not per update.
      this.target.variables().forEach((v, i) => readInto(v, views.target[i]!));
      packHeads(this.online, views.target, this.packedTarget, this.arena.heap);
    }
    return views.target;
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

  /** Scratch regions for `batchSize` rows (allocated for the largest batch seen; the arena may grow). */
  private scratchFor(batchSize: number): Scratch {
    if (this.scratch && batchSize <= this.scratchRows) return this.scratch;
    const arena = this.arena;
    const widest = Math.max(this.inputSize, ...this.config.hiddenSizes);
    const rows = 2 * batchSize;
    const C = this.packedOnline.columns;
    this.scratch = {
      inputs: arena.alloc(rows * this.inputSize),
      hidden: this.config.hiddenSizes.map((units) => arena.alloc(rows * units)),
      targetHidden: this.config.hiddenSizes.map((units) => arena.alloc(batchSize * units)),
      qOnline: arena.alloc(rows * C),
      qTarget: arena.alloc(batchSize * C),
      upstreamT: arena.alloc(batchSize * widest),
      local: arena.alloc(batchSize * widest),
      localT: arena.alloc(batchSize * widest),
      targets: new Float32Array(batchSize),
    };
    this.scratchRows = batchSize;
    return this.scratch;
  }
}

/** Every head's kernel and bias side by side in the arena: kernel [hidden, columns], bias [columns]. */
interface PackedHeads {
  hidden: number;
  /** Σ actions rounded up to a multiple of 4 (the GEMM's vector width; padding columns stay zero). */
  columns: number;
  /** First column of each task. */
  offsets: number[];
  /** Byte offsets in the arena. */
  kernel: number;
  bias: number;
}

/** Copy every head's kernel and bias of `weights` (in `QNetwork.variables()` order) into `packed`. */
function packHeads(
  network: QNetwork,
  weights: readonly Float32Array[],
  packed: PackedHeads,
  heap: Float32Array,
): void {
  const layers = network.trunk.length;
  const C = packed.columns;
  const kernelAt = packed.kernel >> 2;
  network.actionCounts.forEach((A, task) => {
    const kernel = weights[2 * layers + 2 * task]!;
    const offset = packed.offsets[task]!;
    for (let k = 0; k < packed.hidden; k++) {
      for (let a = 0; a < A; a++) heap[kernelAt + k * C + offset + a] = kernel[k * A + a]!;
    }
    heap.set(weights[2 * layers + 2 * task + 1]!, (packed.bias >> 2) + offset);
  });
}

function createPackedHeads(network: QNetwork, arena: Arena): PackedHeads {
  const hidden = network.trunk[network.trunk.length - 1]!.bias.size;
  let total = 0;
  const offsets = network.actionCounts.map((a) => ((total += a), total - a));
  const columns = Math.ceil(total / 4) * 4;
  return { hidden, columns, offsets, kernel: arena.alloc(hidden * columns), bias: arena.alloc(columns) };
}

/** Index of the largest value; ties → lowest index, as numpy/torch argmax. */
function argmax(values: Float32Array): number {
  let best = 0;
  for (let a = 1; a < values.length; a++) if (values[a]! > values[best]!) best = a;
  return best;
}

/**
 * The activation's backward step for `rows` rows, on `heap` (arguments are float indices): local =
 * upstream ⊙ act′(h) (h > 0 ⇔ pre-activation > 0 for ReLU and LeakyReLU). `upstreamT` is [units, rows], `h`
 * row-major [≥ rows, units]; local is written both row-major [rows, units] (∂W's GEMM reads it) and
 * transposed [units, rows] (the layer below's GEMM reads that). Adds Σ_rows local to `biasGrad`.
 */
function activationBackward(
  heap: Float32Array,
  upstreamT: number,
  h: number,
  rows: number,
  units: number,
  slope: number,
  local: number,
  localT: number,
  biasGrad: Float32Array,
): void {
  for (let j = 0; j < units; j++) {
    const out = j * rows;
    let sum = 0;
    for (let i = 0; i < rows; i++) {
      // Branch-free (the sign of h is a coin flip, so a branch would mispredict half the time).
      const positive = +(heap[h + i * units + j]! > 0);
      const value = heap[upstreamT + out + i]! * (slope + (1 - slope) * positive);
      heap[localT + out + i] = value;
      heap[local + i * units + j] = value;
      sum += value;
    }
    biasGrad[j] = biasGrad[j]! + sum;
  }
}
