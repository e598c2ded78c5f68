/**
 * Measures the mean return of a uniformly random policy for every built-in environment (seeded), the
 * source of the `randomReturn` numbers hard-coded in the env specs.
 * Run: `npm run bench -- random-returns [--episodes N] [--seed S]` (or `npx tsx bench/random-returns.ts …`);
 * defaults 10,000 episodes, seed 0.
 */
import { listEnvs, makeEnv } from '../envs';
import { measureRandomReturn } from '../envs/random-return';

export async function run(args: string[]): Promise<void> {
  let episodes = 10_000;
  let seed = 0;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = Number(args[++i]);
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`${flag} needs a non-negative integer, got ${JSON.stringify(args[i])}`);
    }
    if (flag === '--episodes' && value > 0) episodes = value;
    else if (flag === '--seed') seed = value;
    else
      throw new Error(
        `random-returns: unknown argument ${JSON.stringify(flag)} (use --episodes N, --seed S)`,
      );
  }
  console.log(`random-policy mean return, ${episodes} episodes, seed ${seed}`);
  for (const spec of listEnvs()) {
    const mean = measureRandomReturn(makeEnv(spec.id), episodes, seed);
    const note = Number(mean.toFixed(4)) === spec.randomReturn ? '' : `   (spec says ${spec.randomReturn})`;
    console.log(`${spec.id.padEnd(26)} ${mean.toFixed(4).padStart(10)}${note}`);
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  run(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
