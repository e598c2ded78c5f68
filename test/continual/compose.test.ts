// Strategy compositions (src/continual/strategies/compose.ts): names, errors, aliases, option routing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createStrategy,
  getStrategyDefinition,
  resolveStrategyOptions,
  strategyName,
  strategyNames,
} from '../../src/continual/strategies';

const setup = { variables: [], tasks: [], batchSize: 8, observationSize: 4 };

describe('composition names', () => {
  it('normalizes the order and resolves aliases', () => {
    expect(strategyName('ewc+rehearsal')).toBe('ewc+rehearsal');
    expect(strategyName('rehearsal+ewc')).toBe('ewc+rehearsal');
    expect(strategyName(' si+rehearsal ')).toBe('si+rehearsal');
    expect(strategyName('ewc-replay')).toBe('ewc+rehearsal');
    expect(strategyName('replay')).toBe('rehearsal');
    expect(strategyName('replay+l2')).toBe('l2+rehearsal');
    expect(strategyName('ewc')).toBe('ewc');
  });

  it('offers the built-in composition beside the plugins', () => {
    expect(strategyNames()).toContain('ewc+rehearsal');
    expect(strategyNames()).toContain('rehearsal');
    expect(strategyNames()).not.toContain('replay');
  });

  it('names what is wrong', () => {
    expect(() => strategyName('ewc+nope')).toThrow(/Unknown strategy "nope" in "ewc\+nope" \(available: /);
    expect(() => strategyName('ewc+si')).toThrow(
      /combines 2 regularizer strategies \(ewc, si\); a composition has at most one regularizer/,
    );
    expect(() => strategyName('rehearsal+replay')).toThrow(/2 rehearsal strategies/);
    expect(() => strategyName('multitask+rehearsal')).toThrow(/"multitask" stands alone/);
    expect(() => strategyName('finetune+ewc')).toThrow(/"finetune" stands alone/);
    expect(() => strategyName('ewc++rehearsal')).toThrow(/must be strategy names joined by "\+"/);
    expect(() => strategyName('')).toThrow(/is empty/);
  });
});

describe('composition options', () => {
  it('routes each option to its part and fills every part’s defaults', () => {
    expect(resolveStrategyOptions('ewc+rehearsal', { lambda: 50, mix: 0.25 })).toEqual({
      mode: 'separate',
      lambda: 50,
      fisher: 'td',
      fisherBatches: 100,
      normalize: 'max',
      perTask: 5000,
      mix: 0.25,
    });
    // The alias resolves to exactly the same options.
    expect(resolveStrategyOptions('ewc-replay', { lambda: 50, mix: 0.25 })).toEqual(
      resolveStrategyOptions('ewc+rehearsal', { lambda: 50, mix: 0.25 }),
    );
  });

  it('rejects unknown or bad options naming the composition and the field', () => {
    expect(() => resolveStrategyOptions('ewc+rehearsal', { lamda: 1 })).toThrow(
      /Invalid options for strategy "ewc\+rehearsal": unknown option "lamda" \(it has: mode, lambda/,
    );
    expect(() => resolveStrategyOptions('ewc+rehearsal', { mix: 2 })).toThrow(
      /Invalid options for strategy "ewc\+rehearsal": mix: /,
    );
    expect(() => resolveStrategyOptions('ewc+rehearsal', { gamma: 0.5 })).toThrow(
      /gamma only applies to mode "online"/,
    );
  });

  it('has the union of the parts’ run-time knobs and routes setParam', () => {
    expect(getStrategyDefinition('si+rehearsal').runtimeParams).toEqual(['lambda', 'xi', 'mix']);
    const s = createStrategy('l2+rehearsal', { lambda: 3 }, setup);
    expect(s.name).toBe('l2+rehearsal');
    s.setParam('mix', 0.75);
    s.setParam('lambda', 7);
    expect(s.params()).toMatchObject({ lambda: 7, mix: 0.75, perTask: 5000, mode: 'separate' });
    expect(() => s.setParam('mix', 3)).toThrow(/Strategy "rehearsal"|mix/);
    expect(() => s.setParam('nope', 1)).toThrow(/unknown option "nope"/);
    s.dispose();
  });

  it('a single plugin is not wrapped', () => {
    const s = createStrategy('replay', {}, setup);
    expect(s.name).toBe('rehearsal');
    expect(s.penalty).toBeUndefined();
  });

  it('has the hooks of its parts and only those', () => {
    const s = createStrategy('ewc+rehearsal', {}, setup);
    expect(typeof s.fillBatch).toBe('function');
    expect(typeof s.onTransition).toBe('function');
    expect(typeof s.penalty).toBe('function');
    expect(typeof s.afterTask).toBe('function');
    expect(s.chooseTask).toBeUndefined();
    expect(s.afterUpdate).toBeUndefined();
    expect(s.needsUpdateDeltas).toBe(false);
    s.dispose();
  });
});

describe('aliases run exactly as their new names', () => {
  it('recorded bit-identical hashes agree (test/fixtures/bit-identical.json)', () => {
    const fixture = JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'bit-identical.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(fixture['ewc+rehearsal']).toBeDefined();
    expect(fixture['ewc+rehearsal']).toEqual(fixture['ewc-replay']);
    expect(fixture['rehearsal']).toBeDefined();
    expect(fixture['rehearsal']).toEqual(fixture['replay']);
  });
});
