/**
 * 90% seeded bootstrap intervals (src/continual/bootstrap.ts) of the CartPole-v1 final-weight results of
 * issue 15: the zoo preset vs remedy B, seeds 1–10. The values are the `evalReturn`s that
 * `npm run -s cli -- train --env CartPole-v1 --seed S --json --config ...` printed (BENCHMARKS.md,
 * "CartPole-v1: final weights that hold"). Run: `npx tsx scripts/cartpole-final-weights-ci.ts`.
 */
import { bootstrapMean } from '../src/continual/bootstrap';

const zoo = [75.8, 205.1, 500, 113.85, 475.9, 500, 500, 500, 147.5, 500];
const remedy = [500, 500, 500, 500, 500, 500, 500, 262.1, 500, 500];
const pass = (xs: number[]) => xs.map((x) => (x >= 475 ? 1 : 0));
const rows: [string, number[]][] = [
  ['zoo return', zoo],
  ['B return', remedy],
  ['zoo pass', pass(zoo)],
  ['B pass', pass(remedy)],
  ['B − zoo return (paired)', remedy.map((x, i) => x - zoo[i]!)],
];
for (const [name, xs] of rows) console.log(name, JSON.stringify(bootstrapMean(xs)));
