/**
 * The backend ladder: picks the fastest tfjs backend that loads in this process.
 *
 * Order: native `tensorflow` (@tensorflow/tfjs-node, an optional dependency that cannot install everywhere)
 * → `wasm` (@tensorflow/tfjs-backend-wasm with SIMD; wasm files located from the installed package so it also
 * works when bundled) → `cpu` (pure JavaScript). `LAB_BACKEND=tensorflow|wasm|cpu` (or the `force` option)
 * forces one rung; a forced rung that cannot load is an error, never a silent fallback.
 * Every process that trains calls `initBackend()` once; the result is shown by the CLI and UI and recorded
 * in every session.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { kernelDescription } from '../wasm/arena';

export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const backendNameSchema = z.enum(BACKEND_NAMES);

/** Why a rung of the ladder was not used. */
export interface SkippedBackend {
  backend: BackendName;
  reason: string;
}

/** What `initBackend` chose and why; recorded in sessions and shown in the UI. */
export interface BackendChoice {
  backend: BackendName;
  /** True when LAB_BACKEND or the `force` option picked the backend. */
  forced: boolean;
  /** Rungs tried before the chosen one, each with the reason it was skipped. */
  skipped: SkippedBackend[];
  /** Extra facts about the chosen backend (e.g. wasm SIMD and threads). */
  details: Record<string, string | number | boolean>;
  tfjsVersion: string;
}

export interface InitBackendOptions {
  /** Force one backend; defaults to `process.env.LAB_BACKEND`. */
  force?: BackendName;
}

let current: BackendChoice | undefined;

/** The choice made by the last successful `initBackend`, if any. */
export function currentBackend(): BackendChoice | undefined {
  return current;
}

/** Parse LAB_BACKEND; throws a clear error for an unknown name. */
export function forcedBackendFromEnv(env: NodeJS.ProcessEnv = process.env): BackendName | undefined {
  const raw = env.LAB_BACKEND?.trim();
  if (!raw) return undefined;
  const parsed = backendNameSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`LAB_BACKEND must be one of ${BACKEND_NAMES.join(', ')}; got "${raw}".`);
  }
  return parsed.data;
}

/** Run the ladder (or the forced rung) and activate the chosen backend. */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  const force = options.force ?? forcedBackendFromEnv();
  const rungs: BackendName[] = force ? [force] : [...BACKEND_NAMES];
  const skipped: SkippedBackend[] = [];
  for (const backend of rungs) {
    try {
      // The DQN update runs in the project's own wasm kernels whatever the backend; which variant this engine
      // runs (FMA or not) changes the arithmetic, so it is recorded with the backend.
      const details = { ...(await activate(backend)), updateKernel: kernelDescription() };
      // Production mode skips debug checks (faster) and silences tfjs's console hints on stderr.
      tf.enableProdMode();
      current = { backend, forced: force !== undefined, skipped, details, tfjsVersion: tf.version.tfjs };
      return current;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (force) {
        throw new Error(
          `The backend "${force}" was forced (LAB_BACKEND) but cannot load: ${firstLine(reason)}`,
          {
            cause: error,
          },
        );
      }
      skipped.push({ backend, reason: firstLine(reason) });
    }
  }
  throw new Error(
    `No tfjs backend could load: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`,
  );
}

async function activate(backend: BackendName): Promise<Record<string, string | number | boolean>> {
  if (backend === 'tensorflow') {
    // Loading tfjs-node registers the native backend with the shared tfjs-core instance.
    const moduleName = '@tensorflow/tfjs-node';
    try {
      await import(/* @vite-ignore */ moduleName);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`@tensorflow/tfjs-node is not usable here (${firstLine(message)})`, { cause: error });
    }
    await setAndCheck('tensorflow');
    return {};
  }
  if (backend === 'wasm') {
    const eager = compileWasmEagerly();
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmDirectory());
    await setAndCheck('wasm');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return { simd: Boolean(simd), threads: Boolean(threads), optimizingCompilerOnly: eager };
  }
  await setAndCheck('cpu');
  return {};
}

/**
 * Compile tfjs's wasm module with V8's optimizing compiler (TurboFan) from the start instead of its baseline
 * compiler (Liftoff) with tier-up on background threads. Measured on 2 shared cores under load: the DQN update
 * (2×128, batch 64) took ≈ 3.0 ms after 500 updates with the default tiering and ≈ 1.3 ms with this
 * (BENCHMARKS.md, "Learn faster per CPU-second"); the one-off compile costs well under a second. Must run
 * before the module is compiled; later modules compiled by this process (none in the trainer) are affected
 * too. Returns whether the flag could be set (Node only; a browser has no `node:v8`).
 */
function compileWasmEagerly(): boolean {
  if (typeof process === 'undefined' || !process.versions?.node) return false;
  try {
    const require = createRequire(import.meta.url);
    (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--no-liftoff');
    return true;
  } catch {
    return false;
  }
}

async function setAndCheck(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) {
    throw new Error(`tf.setBackend('${name}') returned ${String(ok)} (active backend: ${tf.getBackend()})`);
  }
  await tf.ready();
}

/** Folder holding the installed wasm binaries, with a trailing separator as setWasmPaths expects. */
function wasmDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(packageJson), 'dist') + path.sep;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** One-line human summary, e.g. "wasm (simd) — skipped tensorflow: …". */
export function describeBackend(choice: BackendChoice): string {
  const flags = Object.entries(choice.details)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  const kernel =
    typeof choice.details.updateKernel === 'string' ? `, update: ${choice.details.updateKernel}` : '';
  const head = `${choice.backend}${flags.length ? ` (${flags.join(', ')})` : ''}${choice.forced ? ' [forced]' : ''}${kernel}`;
  const why = choice.skipped.map((s) => `skipped ${s.backend}: ${s.reason}`);
  return [head, ...why].join('; ');
}
