/**
 * Arena: one WebAssembly memory holding everything the DQN update touches — weights, Adam's moments,
 * gradients, activations, scratch — plus the kernels that work on it (GEMM, sum of squares, Adam), so an
 * update crosses no boundary and allocates nothing.
 *
 * Regions are allocated once (16-byte aligned, padded to a multiple of 4 floats, zero-filled) and named by
 * byte offset. Growing the memory (a larger batch than any before) detaches every Float32Array view: holders
 * of views compare `generation` and remake them (`f32` is cheap).
 *
 * Without wasm SIMD the kernels fall back to JavaScript over the same memory (same results for Adam and the
 * sum of squares; the GEMM's sums in a different order).
 */
import {
  adamFunction,
  adamPass,
  penaltyFunction,
  penaltyPass,
  type AdamKernel,
  type PenaltyKernel,
} from '../dqn/adam-simd';
import { enableRelaxedSimd, moduleBytes, wasmApi, type WasmMemory } from './emit';
import { gemmFunction, gemmTail, sumSquaresFunction, type GemmKernel, type SumSquaresKernel } from './gemm';

const PAGE = 65536;

interface Kernels {
  gemm: GemmKernel;
  sumSquares: SumSquaresKernel;
  adam: AdamKernel;
  penalty: PenaltyKernel;
}

let compiled: { module: object; relaxed: boolean } | null | undefined;

/** The kernels' module, relaxed SIMD (FMA) if the engine validates it, plain SIMD otherwise, or null. */
function kernelModule(): { module: object; relaxed: boolean } | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const api = wasmApi();
  if (!api) return null;
  for (const relaxed of [true, false]) {
    try {
      const functions = [
        gemmFunction(relaxed),
        sumSquaresFunction(relaxed),
        adamFunction(),
        penaltyFunction(),
      ];
      const bytes = moduleBytes(functions);
      // Node 20 needs a V8 flag for relaxed SIMD; newer engines have it on and would print an "unrecognized
      // flag" error if it were set, so the flag is set only when the module does not validate without it.
      if (relaxed && !api.validate(bytes)) enableRelaxedSimd();
      if (!api.validate(bytes)) continue;
      compiled = { module: new api.Module(bytes), relaxed };
      break;
    } catch {
      // try the next variant
    }
  }
  return compiled;
}

/** Which GEMM kernel this process runs (for benchmarks and run metadata). */
export function kernelDescription(): string {
  const k = kernelModule();
  return k ? (k.relaxed ? 'wasm SIMD, relaxed FMA' : 'wasm SIMD, mul+add') : 'JavaScript (no wasm SIMD)';
}

export class Arena {
  /** Changes whenever the memory grows (all views must be remade). */
  generation = 0;
  private readonly memory: WasmMemory | null;
  private buffer: ArrayBuffer;
  private heapView: Float32Array;
  private top = 64; // offset 0 stays unused: a zero address means "none" to the kernels
  private readonly kernels: Kernels | null;

  constructor(initialBytes = PAGE) {
    const api = wasmApi();
    const mod = kernelModule();
    if (api && mod) {
      this.memory = new api.Memory({ initial: Math.ceil(initialBytes / PAGE) + 1 });
      const instance = new api.Instance(mod.module, { env: { memory: this.memory } });
      this.kernels = instance.exports as unknown as Kernels;
      this.buffer = this.memory.buffer;
    } else {
      this.memory = null;
      this.kernels = null;
      this.buffer = new ArrayBuffer(Math.ceil(initialBytes / PAGE + 1) * PAGE);
    }
    this.heapView = new Float32Array(this.buffer);
  }

  /** A zeroed region of `floats` floats (rounded up to a multiple of 4); returns its byte offset. */
  alloc(floats: number): number {
    const bytes = Math.ceil(Math.max(floats, 1) / 4) * 16;
    const offset = this.top;
    this.top += bytes;
    if (this.top > this.buffer.byteLength) this.grow(this.top);
    return offset;
  }

  /** A view of `length` floats at byte `offset` (valid until the next growth). */
  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.buffer, offset, length);
  }

  /** The whole memory as floats (index = byte offset / 4); valid until the next growth. */
  get heap(): Float32Array {
    return this.heapView;
  }

  /**
   * C = act(A·B + bias) (see src/wasm/gemm.ts for the layout; byte addresses and strides). Columns beyond the
   * last multiple of 4 run in JavaScript.
   */
  gemm(...args: Parameters<GemmKernel>): void {
    const N = args[5];
    const vectorColumns = this.kernels ? N & ~3 : 0;
    if (vectorColumns > 0) this.kernels!.gemm(...args);
    if (vectorColumns < N) gemmTail(this.heapView, vectorColumns, ...args);
  }

  /** Σ x² over `floats` floats at byte `offset` (a 4-float padded region: padding must be zero). */
  sumSquares(offset: number, floats: number): number {
    const groups = (floats + 3) >> 2;
    if (this.kernels) return this.kernels.sumSquares(offset, groups);
    // Same order as the kernel: four lane sums in float32, then added in float64.
    const heap = this.heapView;
    const lanes = [0, 0, 0, 0];
    for (let i = 0; i < groups * 4; i++) {
      const x = heap[(offset >> 2) + i]!;
      lanes[i & 3] = Math.fround(lanes[i & 3]! + Math.fround(x * x));
    }
    return lanes[0]! + lanes[1]! + lanes[2]! + lanes[3]!;
  }

  /** Adam over `floats` floats (a padded region each); see src/dqn/adam-simd.ts. */
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    floats: number,
    ...scalars: [number, number, number, number, number, number, number]
  ): void {
    const groups = (floats + 3) >> 2;
    if (this.kernels) {
      this.kernels.adam(p, g, m, v, groups, ...scalars);
      return;
    }
    const n = groups * 4;
    adamPass(this.f32(p, n), this.f32(g, n), this.f32(m, n), this.f32(v, n), n, ...scalars);
  }

  /** g ← g + λ·a·(p − m) over `floats` floats (padded regions); see src/dqn/adam-simd.ts. */
  penalty(g: number, p: number, a: number, m: number, floats: number, lambda: number): void {
    const groups = (floats + 3) >> 2;
    if (this.kernels) {
      this.kernels.penalty(g, p, a, m, groups, lambda);
      return;
    }
    const n = groups * 4;
    penaltyPass(this.f32(g, n), this.f32(p, n), this.f32(a, n), this.f32(m, n), n, lambda);
  }

  private grow(bytes: number): void {
    const pages = Math.ceil(bytes / PAGE) - this.buffer.byteLength / PAGE;
    if (this.memory) {
      this.memory.grow(pages);
      this.buffer = this.memory.buffer;
    } else {
      const bigger = new ArrayBuffer(this.buffer.byteLength + pages * PAGE);
      new Uint8Array(bigger).set(new Uint8Array(this.buffer));
      this.buffer = bigger;
    }
    this.heapView = new Float32Array(this.buffer);
    this.generation += 1;
  }
}
