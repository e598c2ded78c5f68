// PackNet (src/continual/strategies/packnet.ts): a task's kept weights are frozen bit for bit through later
// tasks, released weights are free for them, each task is evaluated with its own mask, and a checkpoint
// resumes the masks exactly.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ContinualRunner } from '../../src/continual/runner';
import type { StrategyContext } from '../../src/continual/strategy';
import type { RunEvent } from '../../src/session/events';
import { tinyConfig } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const read = (runner: ContinualRunner) =>
  runner.agent.trainableVariables().map((v) => Float32Array.from(v.dataSync() as Float32Array));

/** Owner codes per trunk variable from the strategy's state (-1 free, -2 released, p ≥ 0 pack p). */
const owners = (runner: ContinualRunner) => {
  const arrays = runner.strategy.getState().arrays;
  return Object.keys(arrays)
    .filter((k) => k.startsWith('packnet.owner.'))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]))
    .map((k) => arrays[k]!);
};

describe('packnet', () => {
  it('freezes a task’s weights bit for bit, frees the released ones, and evaluates each task with its mask', async () => {
    const events: RunEvent[] = [];
    const runner = new ContinualRunner(tinyConfig('packnet'), { onEvent: (e) => events.push(e) });
    await runner.advance(120); // exactly the end of task 0's stage
    const afterFirst = read(runner);
    const owner0 = owners(runner);
    expect(owner0.length).toBeGreaterThan(0);
    // Kernels: auto keep = 1/2 of the free weights for the first of two stages; the released ones are 0.
    const kernel = owner0[0]!;
    const kept = kernel.filter((o) => o === 0).length;
    expect(kept).toBe(Math.round(kernel.length / 2));
    kernel.forEach((o, k) => {
      if (o === -1) expect(afterFirst[0]![k]).toBe(0);
    });

    while (await runner.advance(500));
    const end = read(runner);
    let frozen = 0;
    let moved = 0;
    owner0.forEach((o, i) =>
      o.forEach((code, k) => {
        if (code === 0) {
          expect(Object.is(end[i]![k], afterFirst[i]![k])).toBe(true);
          frozen++;
        } else if (end[i]![k] !== afterFirst[i]![k]) moved++;
      }),
    );
    expect(frozen).toBeGreaterThan(0);
    expect(moved).toBeGreaterThan(0); // the second task trained the weights the first released

    // Task 0 evaluated with weights owned by pack 0 only; the latest task with the weights as they are.
    const ctx = { model: { variables: runner.agent.trainableVariables() } } as unknown as StrategyContext;
    const eval0 = runner.strategy.evalWeights!(ctx, 0)!;
    const ownerEnd = owners(runner);
    ownerEnd.forEach((o, i) =>
      o.forEach((code, k) => expect(eval0[i]![k]).toBe(code === 0 ? end[i]![k] : 0)),
    );
    expect(eval0.slice(ownerEnd.length)).toEqual(end.slice(ownerEnd.length)); // heads as they are
    expect(runner.strategy.evalWeights!(ctx, 1)).toBeNull();
    // So task 0 scores exactly what it scored when its stage ended: no forgetting at all.
    const m = runner.result().matrix;
    expect(m[1]![0]).toBe(m[0]![0]);
    const returns0 = events
      .filter((e) => e.type === 'eval' && e.task === 0)
      .map((e) => (e as { returns: number[] }).returns);
    expect(returns0.at(-1)).toEqual(returns0.at(-2));
    // Evaluation put the current weights back exactly.
    expect(read(runner)).toEqual(end);
    runner.dispose();
  });

  it('resumes from a mid-stage checkpoint (after pruning) to exactly the same run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packnet-ckpt-'));
    const a: RunEvent[] = [];
    const ra = new ContinualRunner(tinyConfig('packnet'), { onEvent: (e) => a.push(e) });
    await ra.advance(220); // task 1's stage, after its pruning point (0.75 · 120)
    await ra.saveCheckpoint(dir);
    const cut = a.length;
    while (await ra.advance(500));
    const b: RunEvent[] = [];
    const rb = await ContinualRunner.resume(dir, { onEvent: (e) => b.push(e) });
    while (await rb.advance(500));
    const strip = (es: RunEvent[]) => es.map((e) => ({ ...e, t: 0 }));
    expect(strip(b)).toEqual(strip(a.slice(cut)));
    expect(read(rb)).toEqual(read(ra));
    ra.dispose();
    rb.dispose();
    fs.rmSync(dir, { recursive: true });
  });

  it('validates its options', async () => {
    const { resolveStrategyOptions } = await import('../../src/continual/strategies');
    expect(resolveStrategyOptions('packnet', {})).toEqual({ keep: 'auto', pruneAt: 0.75 });
    expect(() => resolveStrategyOptions('packnet', { keep: 0 })).toThrow(/strategy "packnet": keep/);
    expect(() => resolveStrategyOptions('packnet', { pruneAt: 1 })).toThrow(/pruneAt/);
    expect(resolveStrategyOptions('ewc+packnet', { keep: 0.5 })).toMatchObject({ keep: 0.5, lambda: 1000 });
  });
});
