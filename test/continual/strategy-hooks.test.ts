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
  'penalty',
  'afterUpdate',
  'afterTask',
] as const;

/** Wrap a strategy so every hook call is appended to `log` (only hooks the strategy has). */
function recording(strategy: Strategy, log: string[]): Strategy {
  const wrapped: Strategy = Object.create(strategy) as Strategy;
  for (const hook of HOOKS) {
    const fn = strategy[hook] as ((...args: unknown[]) => unknown) | undefined;
    if (!fn) continue;
    (wrapped as unknown as Record<string, unknown>)[hook] = (...args: unknown[]) => {
      log.push(hook);
      return fn.apply(strategy, args);
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
    const c = collapse(log);
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
    // Within a gradient step: fillBatch → penalty → afterUpdate, and never two fillBatch without penalty between.
    for (let i = 0; i < log.length; i++) {
      if (log[i] === 'penalty' && log.includes('fillBatch')) expect(log[i - 1]).toBe('fillBatch');
      if (log[i] === 'afterUpdate' && log.includes('penalty')) expect(log[i - 1]).toBe('penalty');
    }
    // Nothing after the last afterTask (the run ended there).
    if (after.length) expect(c[c.length - 1]).toBe('afterTask');
    // onTransition and the update hooks happen between the first beforeTask/ start and the end.
    const strategy = createStrategy(name, resolveStrategyOptions(name, tinyConfig(name).strategyOptions), {
      variables: [],
      tasks: [],
      batchSize: 8,
      observationSize: 121,
    });
    for (const hook of HOOKS) if (strategy[hook]) expect(log, `${hook} never fired`).toContain(hook);
    strategy.dispose();
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
