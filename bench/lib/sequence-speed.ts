/**
 * Child process of `npm run bench -- speed`: env steps per second of the default sequence with `ewc`, in the
 * source tree given as the first argument (this checkout, or an older commit unpacked into a temp folder, so
 * both are timed the same way). Prints one JSON line: steps/s over the first task (no penalty yet; periodic
 * evaluation off) and over the next `window` steps (EWC's penalty active), wall and per CPU-second.
 *   tsx bench/lib/sequence-speed.ts <root> [window]
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface RunnerLike {
  advance(maxEnvSteps: number): Promise<boolean>;
  status(): { step: number };
  dispose(): void;
}

const root = path.resolve(process.argv[2] ?? '.');
const window = Number(process.argv[3] ?? 3000);
const load = async (file: string): Promise<Record<string, unknown>> =>
  (await import(pathToFileURL(path.join(root, file)).href)) as Record<string, unknown>;

const { initBackend } = (await load('src/tf/backend.ts')) as { initBackend: () => Promise<unknown> };
const { ContinualRunner } = (await load('src/continual/runner.ts')) as {
  ContinualRunner: new (config: unknown) => RunnerLike;
};
const { BUILTIN_SEQUENCES } = (await load('src/continual/sequences.ts')) as {
  BUILTIN_SEQUENCES: Record<string, { tasks: { steps: number }[] }>;
};
await initBackend();
const firstTask = BUILTIN_SEQUENCES.default!.tasks[0]!.steps;
const runner = new ContinualRunner({
  sequence: 'default',
  strategy: 'ewc',
  seed: 1,
  evalEvery: 100_000_000,
});

async function timeTo(step: number): Promise<{ wall: number; cpu: number; steps: number }> {
  const from = runner.status().step;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (runner.status().step < step) await runner.advance(Math.min(200, step - runner.status().step));
  const c = process.cpuUsage(c0);
  const steps = runner.status().step - from;
  return {
    steps,
    wall: steps / ((performance.now() - t0) / 1000),
    cpu: steps / ((c.user + c.system) / 1e6),
  };
}

const before = await timeTo(firstTask);
const after = await timeTo(firstTask + window);
runner.dispose();
process.stdout.write(`${JSON.stringify({ root, firstTask, before, after })}\n`);
