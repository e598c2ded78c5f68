/**
 * A made-up sweep for the demo lab (`?demo=1`): three groups × five seeds on FourRooms with plausible
 * forgetting curves and intervals, so the Sweeps panel can be developed and screenshotted without a trainer.
 * The numbers mean nothing; the real ones come from `cli sweep run` / `compare`.
 */
import { Rng } from '../../envs/rng';
import type { SweepDetail, SweepSummary } from '../../src/protocol/messages';

const ID = 'fourrooms-3f9c2a1b7e';
const TASKS = ['FourRooms goal NE', 'FourRooms goal NW', 'FourRooms goal SW', 'FourRooms goal SE'];
const STAGE = 12_000;
const EVAL = 2000;
const GROUPS = [
  { strategy: 'finetune', lambda: null, keep: 0.15 },
  { strategy: 'ewc', lambda: 1000, keep: 0.75 },
  { strategy: 'ewc+rehearsal', lambda: 1000, keep: 0.9 },
] as const;
const SEEDS = 5;

export const DEMO_SWEEP_SUMMARY: SweepSummary = {
  id: ID,
  name: 'fourrooms',
  createdAt: '2026-12-04T15:02:11.000Z',
  jobs: GROUPS.length * SEEDS,
  done: GROUPS.length * SEEDS - 2,
  started: 2,
};

export function demoSweepDetail(): SweepDetail {
  const rng = new Rng(3);
  const steps = Array.from({ length: (TASKS.length * STAGE) / EVAL + 1 }, (_, i) => i * EVAL);
  const runs: SweepDetail['runs'] = [];
  const groups: SweepDetail['groups'] = GROUPS.map((g, gi) => {
    const label = g.lambda === null ? g.strategy : `${g.strategy} λ=${g.lambda}`;
    const curves = TASKS.map((taskLabel, t) => {
      const mean = steps.map((s) => {
        const start = t * STAGE;
        if (s <= start) return 0.05;
        if (s <= start + STAGE) return 0.05 + 0.9 * Math.min(1, (s - start) / (0.6 * STAGE));
        const after = (s - start - STAGE) / STAGE;
        return Math.max(0, 0.95 - (1 - g.keep) * Math.min(1, after * 1.5));
      });
      const spread = steps.map((_, i) => 0.04 + 0.05 * rng.uniform() + (i > 0 ? 0.02 : 0));
      return {
        task: t,
        label: taskLabel,
        steps,
        mean,
        low: mean.map((m, i) => Math.max(0, m - spread[i]!)),
        high: mean.map((m, i) => Math.min(1, m + spread[i]!)),
      };
    });
    const accs: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const unfinished = gi === 2 && seed >= SEEDS - 2;
      const acc = Math.min(1, 0.25 + 0.7 * g.keep + 0.08 * (rng.uniform() - 0.5));
      if (!unfinished) accs.push(acc);
      runs.push({
        job: `${g.strategy}${g.lambda === null ? '' : `-l${g.lambda}`}-s${seed}`,
        group: label,
        seed,
        state: unfinished ? 'started' : 'done',
        step: unfinished ? 31_000 + 4000 * seed : TASKS.length * STAGE,
        totalSteps: TASKS.length * STAGE,
        acc: unfinished ? null : acc,
        forgetting: unfinished ? null : Math.max(-0.05, 0.95 - acc - 0.1 * rng.uniform()),
      });
    }
    const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
    const f = 0.95 * (1 - g.keep);
    return {
      label,
      sequence: 'fourrooms',
      strategy: g.strategy,
      lambda: g.lambda,
      n: accs.length,
      acc: { mean, low: mean - 0.05, high: mean + 0.04 },
      forgetting: { mean: f, low: Math.max(-0.05, f - 0.07), high: f + 0.06 },
      curves,
    };
  });
  return { ...DEMO_SWEEP_SUMMARY, groups, runs };
}
