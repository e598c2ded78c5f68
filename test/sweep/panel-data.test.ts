// The Sweeps panel's data (src/trainer/sweeps.ts) from a sweep folder written by the sweep code itself:
// progress per job, the comparison groups with intervals and curve bands, the run folders the UI may open,
// and every answer accepted by the protocol's zod schemas.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepDetailSchema, sweepSummarySchema } from '../../src/protocol/messages';
import { listSweepSummaries, sweepDetail, sweepRunDir } from '../../src/trainer/sweeps';
import { writePlan, writeResult, type SweepRunResult } from '../../src/sweep/results';
import { jobSessionDir, parseSweepSpec, planSweep } from '../../src/sweep/spec';
import { recordSynthetic, tempDir } from '../session/helpers';

const root = tempDir('lab-sweep-panel-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const plan = planSweep(
  parseSweepSpec({
    sequence: {
      name: 'mini',
      tasks: [
        { env: 'CartPole-v1', steps: 100 },
        { env: 'Acrobot-v1', steps: 100 },
      ],
    },
    strategies: ['finetune', 'ewc'],
    seeds: 2,
  }),
);

function result(job: (typeof plan.jobs)[number], acc: number): SweepRunResult {
  return {
    job: job.id,
    sweep: plan.id,
    index: job.index,
    sequence: job.sequence,
    strategy: job.strategy,
    seed: job.seed,
    lambda: job.lambda,
    acc,
    forgetting: 1 - acc,
    bwt: 0,
    fwt: 0,
    auc: acc,
    matrix: [
      [acc, 0],
      [0, acc],
    ],
    envSteps: 200,
    seconds: 3,
    backend: 'cpu',
    session: `runs/${job.id}`,
    labels: ['cart', 'acro'],
    curves: [
      { steps: [0, 100, 200], normalized: [0, acc, acc / 2] },
      { steps: [0, 100, 200], normalized: [0, 0, acc] },
    ],
    resumed: false,
    finishedAt: '2026-12-04T00:00:00.000Z',
  };
}

describe('sweeps panel data', () => {
  it('reports progress, the comparison and the runs', async () => {
    await writePlan(root, plan);
    // Two finetune runs finished, one ewc run started (a recorded session without its result), one waiting.
    await writeResult(root, result(plan.jobs[0]!, 0.2));
    await writeResult(root, result(plan.jobs[1]!, 0.4));
    fs.mkdirSync(path.dirname(jobSessionDir(root, plan.jobs[2]!)), { recursive: true });
    await recordSynthetic(jobSessionDir(root, plan.jobs[2]!));

    const list = listSweepSummaries(root);
    expect(list).toHaveLength(1);
    expect(sweepSummarySchema.parse(list[0])).toMatchObject({ id: plan.id, jobs: 4, done: 2, started: 1 });

    const d = sweepDetailSchema.parse(sweepDetail(root, plan.id));
    expect(d.runs.map((r) => r.state)).toEqual(['done', 'done', 'started', 'waiting']);
    expect(d.runs[2]!.step).toBeGreaterThan(0);
    expect(d.runs.map((r) => r.group)).toEqual(['finetune', 'finetune', 'ewc', 'ewc']);
    expect(d.groups).toHaveLength(1);
    const g = d.groups[0]!;
    expect(g.label).toBe('finetune');
    expect(g.n).toBe(2);
    expect(g.acc!.mean).toBeCloseTo(0.3, 12);
    expect(g.acc!.low).toBeLessThanOrEqual(0.3);
    expect(g.curves.map((c) => c.label)).toEqual(['cart', 'acro']);
    expect(g.curves[0]!.mean).toHaveLength(3);
  });

  it('opens only runs of a known sweep that have started', () => {
    expect(sweepRunDir(root, plan.id, plan.jobs[2]!.id)).toBe(jobSessionDir(root, plan.jobs[2]!));
    expect(() => sweepRunDir(root, plan.id, plan.jobs[3]!.id)).toThrow(/has not started yet/u);
    expect(() => sweepRunDir(root, plan.id, 'nope-s0')).toThrow(/has no run "nope-s0"/u);
    expect(() => sweepRunDir(root, 'no-such-sweep', plan.jobs[0]!.id)).toThrow(/No sweep/u);
  });
});
