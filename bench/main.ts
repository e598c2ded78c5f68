/**
 * Benchmark entry: `npm run bench -- <name> [args]` runs bench/<name>.ts, whose `run(args)` prints its numbers
 * (and one JSON line with --json). With no name, lists the benchmarks. Record results in BENCHMARKS.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run(args: string[]): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'main.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`usage: npm run bench -- <name> [--json]\nbenchmarks: ${available.join(', ')}\n`);
    return;
  }
  if (!available.includes(name)) {
    process.stderr.write(`error: unknown benchmark "${name}"; available: ${available.join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const mod = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as BenchModule;
  await mod.run(args);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
