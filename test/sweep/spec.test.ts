// Sweep specs and comparisons (pure code): validation messages, the job plan and its content-derived ids,
// redaction of Redis passwords, and the grouped bootstrap summary and curve bands.
import { describe, expect, it } from 'vitest';
import { compareCurves, compareRuns, CSV_HEADER, toCsv, type ComparableRun } from '../../src/sweep/compare';
import { redactRedisUrl, redisUrlSchema } from '../../src/sweep/redis';
import { parseSweepSpec, planSweep } from '../../src/sweep/spec';

const SEQ = {
  name: 'mini',
  tasks: [
    { env: 'Grid-FourRooms-GoalNE-v0', steps: 1000 },
    { env: 'Grid-FourRooms-GoalNW-v0', steps: 1000 },
  ],
};

describe('sweep spec', () => {
  it('plans strategies × λ × seeds with stable, content-derived ids', () => {
    const spec = parseSweepSpec({
      sequence: SEQ,
      strategies: ['finetune', 'ewc'],
      seeds: 2,
      lambdas: { ewc: [10, 100] },
      stepsPerTask: 300,
    });
    const plan = planSweep(spec);
    expect(plan.jobs.map((j) => j.id)).toEqual([
      'finetune-s0',
      'finetune-s1',
      'ewc-l10-s0',
      'ewc-l10-s1',
      'ewc-l100-s0',
      'ewc-l100-s1',
    ]);
    expect(plan.jobs.every((j) => j.steps === 600)).toBe(true);
    expect(plan.jobs[2]!.config.strategyOptions).toEqual({ lambda: 10 });
    expect(plan.id).toMatch(/^mini-[0-9a-f]{10}$/u);
    // Same content, same ids; a changed budget is a different sweep.
    expect(planSweep(parseSweepSpec({ ...spec })).id).toBe(plan.id);
    expect(planSweep(parseSweepSpec({ ...spec, stepsPerTask: 301 })).id).not.toBe(plan.id);
  });

  it('prefixes job ids with the sequence when a sweep has several', () => {
    const plan = planSweep(
      parseSweepSpec({ sequences: [SEQ, { ...SEQ, name: 'other' }], strategies: ['finetune'], seeds: [7] }),
    );
    expect(plan.jobs.map((j) => j.id)).toEqual(['mini-finetune-s7', 'other-finetune-s7']);
  });

  it('rejects bad specs with a message naming the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ strategies: ['finetune'], seeds: 1 }, /exactly one of "sequence" or "sequences"/u],
      [{ sequence: 'default', strategies: [], seeds: 1 }, /strategies: needs at least one strategy/u],
      [{ sequence: 'default', strategies: ['finetune'], seeds: 0 }, /seeds/u],
      [{ sequence: 'default', strategies: ['finetune'], seeds: 1, extra: 1 }, /extra/u],
    ];
    for (const [raw, message] of cases) expect(() => parseSweepSpec(raw)).toThrow(message);
    const plan = (raw: unknown) => () => planSweep(parseSweepSpec(raw));
    expect(plan({ sequence: SEQ, strategies: ['nope'], seeds: 1 })).toThrow(/Unknown strategy "nope"/u);
    expect(plan({ sequence: SEQ, strategies: ['finetune'], seeds: 1, lambdas: { finetune: [1] } })).toThrow(
      /strategy "finetune" has no λ/u,
    );
    expect(plan({ sequence: 'nope', strategies: ['finetune'], seeds: 1 })).toThrow(
      /Unknown sequence "nope"/u,
    );
    expect(plan({ sequence: SEQ, strategies: ['finetune'], seeds: [1, 1] })).toThrow(/listed twice/u);
  });
});

describe('redis URLs', () => {
  it('accepts redis:// and rediss:// and never shows the password', () => {
    expect(redisUrlSchema.safeParse('redis://127.0.0.1:6379').success).toBe(true);
    expect(redisUrlSchema.safeParse('rediss://u:p@host:6380/2').success).toBe(true);
    expect(redisUrlSchema.safeParse('http://host').success).toBe(false);
    expect(redisUrlSchema.safeParse('localhost:6379').success).toBe(false);
    expect(redactRedisUrl('rediss://user:s3cret@host:6380/1')).toBe('rediss://user:***@host:6380/1');
    expect(redactRedisUrl('redis://host:6379')).not.toMatch(/\*/u);
  });
});

describe('comparison', () => {
  const run = (strategy: string, lambda: number | null, seed: number, acc: number): ComparableRun => ({
    sequence: 'mini',
    strategy,
    lambda,
    seed,
    acc,
    forgetting: 1 - acc,
    bwt: null,
    fwt: 0,
    auc: acc / 2,
    seconds: 10,
    labels: ['A', 'B'],
    curves: [
      { steps: [0, 100], normalized: [0, acc] },
      { steps: [0, 100], normalized: [0, 1 - acc] },
    ],
  });
  const runs = [run('finetune', null, 0, 0.2), run('finetune', null, 1, 0.4), run('ewc', 100, 0, 0.8)];

  it('groups by strategy and λ with mean and a 90% interval around it', () => {
    const rows = compareRuns(runs);
    const ft = rows.find((r) => r.label === 'finetune' && r.metric === 'acc')!;
    expect(ft.mean).toBeCloseTo(0.3, 12);
    expect(ft.low).toBeGreaterThanOrEqual(0.2);
    expect(ft.high).toBeLessThanOrEqual(0.4);
    expect(ft.values).toEqual([0.2, 0.4]);
    const ewc = rows.find((r) => r.label === 'ewc λ=100' && r.metric === 'acc')!;
    expect([ewc.mean, ewc.low, ewc.high, ewc.n]).toEqual([0.8, 0.8, 0.8, 1]);
    expect(rows.find((r) => r.label === 'ewc λ=100' && r.metric === 'bwt')!.mean).toBeNull();
    const csv = toCsv(rows).split('\n');
    expect(csv[0]).toBe(CSV_HEADER);
    expect(csv).toContain('mini,ewc,100,acc,0.8,0.8,0.8,1,0.8');
  });

  it('averages the normalized curves per task with a band', () => {
    const [ft] = compareCurves(runs);
    expect(ft!.n).toBe(2);
    expect(ft!.tasks.map((t) => t.label)).toEqual(['A', 'B']);
    expect(ft!.tasks[0]!.steps).toEqual([0, 100]);
    expect(ft!.tasks[0]!.mean[1]).toBeCloseTo(0.3, 12);
    expect(ft!.tasks[0]!.low[1]).toBeLessThanOrEqual(0.3);
    expect(ft!.tasks[0]!.high[1]).toBeGreaterThanOrEqual(0.3);
  });
});
