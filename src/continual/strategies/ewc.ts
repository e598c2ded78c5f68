/**
 * `ewc`: Elastic Weight Consolidation (Kirkpatrick et al., PNAS 2017). At each task's end, a diagonal Fisher
 * F is estimated from `fisherBatches` minibatches of the task's replay buffer (100, as the paper's Atari
 * setup) and the weights θ* are anchored; while later tasks train, (λ/2)·Σ F·(θ − θ*)² is added to the TD
 * loss inside the gradient closure.
 *
 * Which Fisher (docs/STRATEGIES.md): by default the empirical Fisher of the TD loss, i.e. the mean of
 * SQUARED PER-SAMPLE gradients of the Huber TD loss (not the square of a minibatch mean, which would be
 * far smaller and noisier); `fisher: 'softmax'` uses −log softmax(Q)[greedy action] instead. It is divided
 * by its maximum (`normalize: 'max'`) so λ does not depend on the reward scale of each task.
 *
 * Modes (a discriminated union): `separate` keeps one penalty per past task; `online` keeps one running
 * Fisher F ← γF + F_new anchored at the latest optimum (Online EWC, Schwarz et al. 2018). `gamma` exists
 * only in online mode.
 */
import { z } from 'zod';
import { AnchorStore, readVariables } from '../anchor-store';
import { maxNormalize } from '../importance';
import { diagonalFisher } from '../samples';
import type { Strategy, StrategyContext } from '../strategy';
import { defineStrategy, paramsOf, setParamChecked, type StrategySetup } from './define';

const common = {
  /** Penalty strength λ. 1000 works on the gridworld sequences with a max-normalized Fisher. */
  lambda: z.number().min(0).max(1e12).default(1000),
  /** 'td': squared per-sample TD-loss gradients; 'softmax': of −log softmax(Q) at the greedy action. */
  fisher: z.enum(['td', 'softmax']).default('td'),
  /** Fisher sample = fisherBatches × batchSize transitions of the finished task's replay buffer. */
  fisherBatches: z.number().int().min(1).max(10_000).default(100),
  /** 'max': divide each task's Fisher by its largest entry; 'none': raw values. */
  normalize: z.enum(['max', 'none']).default('max'),
};

export const ewcOptionsSchema = z.preprocess(
  (raw) => {
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const o = raw as Record<string, unknown>;
      if (o.mode === undefined) return { mode: 'separate', ...o };
    }
    return raw;
  },
  z.discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('separate'), ...common }),
    z.strictObject({
      mode: z.literal('online'),
      ...common,
      /** Decay of the running Fisher in online mode. */
      gamma: z.number().min(0).max(1).default(0.9),
    }),
  ]),
);
export type EwcOptions = z.output<typeof ewcOptionsSchema>;

const RUNTIME = ['lambda', 'gamma', 'fisherBatches'] as const;

/** Reject `gamma` without online mode with the fix in the message (before zod's generic "unrecognized key"). */
export function checkCombination(raw: unknown): void {
  if (raw && typeof raw === 'object' && 'gamma' in raw && (raw as { mode?: unknown }).mode !== 'online') {
    throw new Error(
      'Invalid options for strategy "ewc": gamma only applies to mode "online"; add mode: "online" or drop gamma',
    );
  }
}

export class EwcStrategy implements Strategy {
  readonly name: string;
  protected options: EwcOptions;
  protected readonly store: AnchorStore;

  constructor(options: EwcOptions, setup: StrategySetup, name = 'ewc') {
    this.name = name;
    this.options = options;
    this.store = new AnchorStore(
      setup.variables,
      options.mode === 'online' ? { mode: 'online', gamma: options.gamma } : { mode: 'separate' },
    );
  }

  params() {
    return paramsOf(this.options);
  }

  penalty(): ReturnType<AnchorStore['penalty']> {
    return this.store.penalty(this.options.lambda);
  }

  penaltyActive(): boolean {
    return this.store.active(this.options.lambda);
  }

  afterTask(ctx: StrategyContext): void {
    if (ctx.replay.size === 0) return; // nothing was learned (a stage switched away at once)
    const fisher = diagonalFisher(ctx, this.options.fisherBatches * ctx.batchSize, this.options.fisher);
    if (this.options.normalize === 'max') maxNormalize(fisher);
    this.store.consolidate(ctx.task, fisher, readVariables(ctx.model.variables));
  }

  setParam(name: string, value: number | string | boolean): void {
    const next = setParamChecked(
      this.name,
      ewcOptionsSchema as never,
      RUNTIME,
      this.options,
      name,
      value,
    ) as EwcOptions;
    if (name === 'gamma' && this.options.mode !== 'online') {
      throw new Error(`Strategy "${this.name}": gamma only applies to mode "online"`);
    }
    this.options = next;
    if (next.mode === 'online') this.store.setGamma(next.gamma);
  }

  getState() {
    return this.store.getState('ewc.');
  }

  setState(state: Parameters<Strategy['setState']>[0]): void {
    this.store.setState(state, 'ewc.');
  }

  dispose(): void {
    this.store.dispose();
  }
}

export const ewc = defineStrategy({
  name: 'ewc',
  kind: 'regularizer',
  optionKeys: ['mode', ...Object.keys(common), 'gamma'],
  description: 'Elastic Weight Consolidation: diagonal Fisher penalty, modes separate / online (γ).',
  schema: ewcOptionsSchema as never,
  runtimeParams: RUNTIME,
  check: checkCombination,
  create(options, setup) {
    return new EwcStrategy(options as EwcOptions, setup);
  },
});
