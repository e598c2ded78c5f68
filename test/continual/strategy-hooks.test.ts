// Every registered strategy's hooks fire in the documented order (src/continual/strategy.ts) on a tiny run.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ContinualRunner } from '../../src/continual/runner';
import { createStrategy, resolveStrategyOptions, strategyNames } from '../../src/continual/strategies';
import type { Strategy } from '../../src/continual/strategy';
import { tinyConfig } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const HOOKS = [
  'beforeTask',
  'chooseTask',
  'onTransition',
  'fillBatch',
  'penaltyActive',
  'penalty',
  'transformGradients',
  'maskWeights',
  'afterUpdate',
  'afterTask',
  'evalWeights',
] as const;

/** Wrap a strategy so every hook call is appended to `log` (only hooks the strategy has). */
function recording(strategy: Strategy, log: string[]): Strategy {
  const wrapped: Strategy = Object.create(strategy) as Strategy;
  for (const hook of HOOKS) {
    const fn = strategy[hook] as ((...args: unknown[]) => unknown) | undefined;
    if (!fn) continue;
    (wrapped as unknown as Record<string, unknown>)[hook] = (...args: unknown[]) => {
      const result = fn.apply(strategy, args);
      // penaltyActive is logged with its answer: `penaltyActive:true` / `penaltyActive:false`.
      log.push(hook === 'penaltyActive' ? `${hook}:${String(result)}` : hook);
      return result;
    };
  }
  return wrapped;
}

/** Collapse runs of the same hook: [a, a, b, a] → [a, b, a]. */
function collapse(log: string[]): string[] {
  return log.filter((h, i) => i === 0 || log[i - 1] !== h);
}

describe.each(strategyNames())('strategy %s', (name) => {
  it('fires hooks in the documented order', async () => {
    const log: string[] = [];
    const runner = new ContinualRunner(tinyConfig(name), undefined, {
      wrapStrategy: (s) => recording(s, log),
    });
    while (await runner.advance(500));
    runner.dispose();
    // A bare instance, to see which hooks the strategy has.
    const strategy0 = createStrategy(name, resolveStrategyOptions(name, tinyConfig(name).strategyOptions), {
      variables: [],
      tasks: [],
      batchSize: 8,
      observationSize: 121,
    });
    // evalWeights fires at every evaluation, right after the stage's afterTask too (the R row).
    if (strategy0.evalWeights) {
      log.forEach((h, i) => {
        if (h === 'afterTask') expect(log[i + 1]).toBe('evalWeights');
      });
    }
    const c = collapse(log.filter((h) => h !== 'evalWeights'));
    // Each stage opens with beforeTask (if any) and closes with afterTask (if any), twice, in order.
    const before = c.flatMap((h, i) => (h === 'beforeTask' ? [i] : []));
    const after = c.flatMap((h, i) => (h === 'afterTask' ? [i] : []));
    if (before.length) expect(before).toHaveLength(2);
    if (after.length) expect(after).toHaveLength(2);
    if (before.length && after.length) {
      expect(before[0]!).toBeLessThan(after[0]!);
      expect(after[0]!).toBeLessThan(before[1]!);
      expect(before[1]!).toBeLessThan(after[1]!);
    }
    // Within a gradient step: fillBatch → penaltyActive → penalty (only when active) → afterUpdate.
    const gated = strategy0.penaltyActive !== undefined;
    for (let i = 0; i < log.length; i++) {
      const previous = log[i - 1];
      if (log[i] === 'penalty') {
        if (gated) expect(previous).toBe('penaltyActive:true');
        else if (log.includes('fillBatch')) expect(previous).toBe('fillBatch');
      }
      if (log[i]!.startsWith('penaltyActive') && log.includes('fillBatch'))
        expect(previous).toBe('fillBatch');
      // The update seams: final gradients → transformGradients → (Adam) → maskWeights → afterUpdate.
      if (log[i] === 'maskWeights' && strategy0.transformGradients)
        expect(previous).toBe('transformGradients');
      if (log[i] === 'transformGradients' && strategy0.penalty) {
        expect(['penalty', 'penaltyActive:false']).toContain(previous);
      }
      if (log[i] === 'afterUpdate' && strategy0.maskWeights) expect(previous).toBe('maskWeights');
      else if (log[i] === 'afterUpdate' && strategy0.penalty) {
        expect(['penalty', 'penaltyActive:false']).toContain(previous);
      }
    }
    if (gated) {
      // Active exactly from the first consolidation on: never before the first afterTask, always after it.
      const firstAfter = log.indexOf('afterTask');
      const answers = log.flatMap((h, i) => (h.startsWith('penaltyActive') ? [{ h, i }] : []));
      expect(answers.some((a) => a.i < firstAfter)).toBe(true);
      expect(answers.some((a) => a.i > firstAfter)).toBe(true);
      for (const a of answers)
        expect(a.h).toBe(a.i < firstAfter ? 'penaltyActive:false' : 'penaltyActive:true');
    }
    // Nothing after the last afterTask (the run ended there).
    if (after.length) expect(c[c.length - 1]).toBe('afterTask');
    // onTransition and the update hooks happen between the first beforeTask/ start and the end.
    for (const hook of HOOKS) {
      if (strategy0[hook])
        expect(
          log.some((h) => h.split(':')[0] === hook),
          `${hook} never fired`,
        ).toBe(true);
    }
    strategy0.dispose();
  });
});

describe('strategy options', () => {
  it('rejects gamma outside online mode with the fix', () => {
    expect(() => resolveStrategyOptions('ewc', { gamma: 0.5 })).toThrow(
      /gamma only applies to mode "online"/,
    );
    expect(resolveStrategyOptions('ewc', { mode: 'online', gamma: 0.5 })).toMatchObject({
      mode: 'online',
      gamma: 0.5,
    });
  });
  it('fills defaults and rejects unknown knobs and bad values', () => {
    expect(resolveStrategyOptions('ewc', {})).toMatchObject({
      mode: 'separate',
      lambda: 1000,
      fisher: 'td',
      fisherBatches: 100,
    });
    expect(() => resolveStrategyOptions('ewc', { lamda: 3 })).toThrow(/Invalid options for strategy "ewc"/);
    expect(() => resolveStrategyOptions('l2', { lambda: -1 })).toThrow(/lambda/);
    expect(() => resolveStrategyOptions('nope', {})).toThrow(
      /Unknown strategy "nope" \(available: finetune, ewc/,
    );
  });
});
