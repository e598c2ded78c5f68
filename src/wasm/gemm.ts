/**
 * A small wasm SIMD GEMM for the DQN update (src/dqn/agent.ts), written byte by byte (src/wasm/emit.ts):
 *
 *   C[i, j] = act(Σ_k A[i, k]·B[k, j] + bias[j])        for i < M, j < N (N rounded down to a multiple of 4)
 *
 * B and C are row-major with row strides `ldb`/`ldc` (bytes); A is read one value at a time at
 * a + i·ldaI + k·ldaK (bytes), so A may be a matrix or its transpose without a copy (the backward pass reads
 * xᵀ this way). `flags`: 1 = add `bias`, 2 = apply the activation x > 0 ? x : slope·x (slope 0 = ReLU).
 *
 * The work is done in register tiles of 4 rows × 8 columns (two f32x4 accumulators per row; a row's A value
 * is splatted once per k and multiplied into both), then 4×4, then single rows. With relaxed SIMD the
 * multiply-add is `f32x4.relaxed_madd` (an FMA on x86-64 with FMA3 and on arm64), else mul + add. Columns
 * beyond the last multiple of 4 are done by `gemmTail` in JavaScript (only odd layer widths have them).
 * `sumSquares` returns Σ x² over n4 groups of 4 floats (the gradient norm before clipping).
 */
import { F32, F64, I32, op, V128, type WasmFunction } from './emit';

export type GemmKernel = (
  c: number,
  a: number,
  b: number,
  bias: number,
  M: number,
  N: number,
  K: number,
  ldaI: number,
  ldaK: number,
  ldb: number,
  ldc: number,
  slope: number,
  flags: number,
) => void;

export type SumSquaresKernel = (ptr: number, groups: number) => number;

export const GEMM_BIAS = 1;
export const GEMM_ACTIVATION = 2;

// Parameters.
const C = 0;
const A = 1;
const B = 2;
const BIAS = 3;
const M = 4;
const N = 5;
const K = 6;
const LDA_I = 7;
const LDA_K = 8;
const LDB = 9;
const LDC = 10;
const SLOPE = 11;
const FLAGS = 12;
// Locals.
const I = 13;
const J = 14;
const KK = 15;
const AROW = 16; // 16..19
const BP = 20;
const ACC = 21; // 21..28, acc(r, v) = ACC + 2r + v
const BV = 29; // 29..30
const SLOPE_V = 31;
const X = 32;

const acc = (r: number, v: number) => ACC + 2 * r + v;

/** One R×(4V) tile at rows i.., columns j.. . */
function tile(R: number, V: number, fma: boolean): number[] {
  const code: number[] = [];
  for (let r = 0; r < R; r++) {
    code.push(...op.get(A), ...op.get(I), ...op.i32(r), ...op.i32Add, ...op.get(LDA_I), ...op.i32Mul);
    code.push(...op.i32Add, ...op.set(AROW + r));
  }
  code.push(...op.get(B), ...op.get(J), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.set(BP));
  for (let r = 0; r < R; r++) for (let v = 0; v < V; v++) code.push(...op.v128Zero, ...op.set(acc(r, v)));
  code.push(...op.get(K), ...op.set(KK));
  code.push(...op.block, ...op.loop);
  code.push(...op.get(KK), ...op.i32Eqz, ...op.brIf(1));
  for (let v = 0; v < V; v++) code.push(...op.get(BP), ...op.v128Load(16 * v), ...op.set(BV + v));
  for (let r = 0; r < R; r++) {
    code.push(...op.get(AROW + r), ...op.load32Splat, ...op.set(X));
    for (let v = 0; v < V; v++) {
      if (fma) code.push(...op.get(X), ...op.get(BV + v), ...op.get(acc(r, v)), ...op.f32x4RelaxedMadd);
      else code.push(...op.get(acc(r, v)), ...op.get(X), ...op.get(BV + v), ...op.f32x4Mul, ...op.f32x4Add);
      code.push(...op.set(acc(r, v)));
    }
    code.push(...op.get(AROW + r), ...op.get(LDA_K), ...op.i32Add, ...op.set(AROW + r));
  }
  code.push(...op.get(BP), ...op.get(LDB), ...op.i32Add, ...op.set(BP));
  code.push(...op.get(KK), ...op.i32(1), ...op.i32Sub, ...op.set(KK), ...op.br(0), ...op.end, ...op.end);
  // Epilogue: bias, activation, store.
  code.push(...op.get(FLAGS), ...op.i32(1), ...op.i32And, ...op.if);
  for (let r = 0; r < R; r++) {
    for (let v = 0; v < V; v++) {
      code.push(
        ...op.get(acc(r, v)),
        ...op.get(BIAS),
        ...op.get(J),
        ...op.i32(2),
        ...op.i32Shl,
        ...op.i32Add,
      );
      code.push(...op.v128Load(16 * v), ...op.f32x4Add, ...op.set(acc(r, v)));
    }
  }
  code.push(...op.end);
  code.push(...op.get(FLAGS), ...op.i32(2), ...op.i32And, ...op.if);
  for (let r = 0; r < R; r++) {
    for (let v = 0; v < V; v++) {
      const x = acc(r, v);
      code.push(...op.get(x), ...op.get(x), ...op.get(SLOPE_V), ...op.f32x4Mul);
      code.push(...op.get(x), ...op.v128Zero, ...op.f32x4Gt, ...op.bitselect, ...op.set(x));
    }
  }
  code.push(...op.end);
  for (let r = 0; r < R; r++) {
    // address of C[i + r, j]
    code.push(...op.get(C), ...op.get(I), ...op.i32(r), ...op.i32Add, ...op.get(LDC), ...op.i32Mul);
    code.push(...op.i32Add, ...op.get(J), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.set(BP));
    for (let v = 0; v < V; v++) code.push(...op.get(BP), ...op.get(acc(r, v)), ...op.v128Store(16 * v));
  }
  return code;
}

/** All column tiles of one block of R rows starting at row i. */
function rowBlock(R: number, fma: boolean): number[] {
  const code: number[] = [...op.i32(0), ...op.set(J)];
  code.push(...op.block, ...op.loop);
  code.push(...op.get(J), ...op.i32(8), ...op.i32Add, ...op.get(N), ...op.i32GtU, ...op.brIf(1));
  code.push(...tile(R, 2, fma));
  code.push(...op.get(J), ...op.i32(8), ...op.i32Add, ...op.set(J), ...op.br(0), ...op.end, ...op.end);
  code.push(...op.get(J), ...op.i32(4), ...op.i32Add, ...op.get(N), ...op.i32LeU, ...op.if);
  code.push(...tile(R, 1, fma), ...op.end);
  return code;
}

export function gemmFunction(fma: boolean): WasmFunction {
  const body: number[] = [...op.get(SLOPE), ...op.f32x4Splat, ...op.set(SLOPE_V)];
  // Blocks of 4 rows while i + 4 ≤ M.
  body.push(...op.block, ...op.loop);
  body.push(...op.get(I), ...op.i32(4), ...op.i32Add, ...op.get(M), ...op.i32GtU, ...op.brIf(1));
  body.push(...rowBlock(4, fma));
  body.push(...op.get(I), ...op.i32(4), ...op.i32Add, ...op.set(I), ...op.br(0), ...op.end, ...op.end);
  // The remaining rows one by one.
  body.push(...op.block, ...op.loop);
  body.push(...op.get(I), ...op.get(M), ...op.i32GeU, ...op.brIf(1));
  body.push(...rowBlock(1, fma));
  body.push(...op.get(I), ...op.i32(1), ...op.i32Add, ...op.set(I), ...op.br(0), ...op.end, ...op.end);
  return {
    name: 'gemm',
    params: [...new Array<number>(11).fill(I32), F32, I32],
    results: [],
    locals: [
      [8, I32],
      [12, V128],
    ],
    body,
  };
}

export function sumSquaresFunction(fma: boolean): WasmFunction {
  // params: 0 ptr, 1 groups; locals: 2 end (i32), 3 sum, 4 x (v128)
  const body: number[] = [
    ...op.get(0),
    ...op.get(1),
    ...op.i32(4),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.set(2),
    ...op.block,
    ...op.loop,
    ...op.get(0),
    ...op.get(2),
    ...op.i32GeU,
    ...op.brIf(1),
    ...op.get(0),
    ...op.v128Load(0),
    ...op.tee(4),
    ...op.get(4),
  ];
  if (fma) body.push(...op.get(3), ...op.f32x4RelaxedMadd);
  else body.push(...op.f32x4Mul, ...op.get(3), ...op.f32x4Add);
  body.push(
    ...op.set(3),
    ...op.get(0),
    ...op.i32(16),
    ...op.i32Add,
    ...op.set(0),
    ...op.br(0),
    ...op.end,
    ...op.end,
  );
  for (let lane = 0; lane < 4; lane++) {
    body.push(...op.get(3), ...op.f32x4Extract(lane), ...op.f64PromoteF32);
    if (lane > 0) body.push(...op.f64Add);
  }
  return {
    name: 'sumSquares',
    params: [I32, I32],
    results: [F64],
    locals: [
      [1, I32],
      [2, V128],
    ],
    body,
  };
}

/**
 * The same product in JavaScript over `heap` (byte addresses as for the kernel), for columns [from, N):
 * the kernel's column tail, and the whole product where wasm SIMD is missing.
 */
export function gemmTail(
  heap: Float32Array,
  from: number,
  ...[c, a, b, bias, M, N, K, ldaI, ldaK, ldb, ldc, slope, flags]: Parameters<GemmKernel>
): void {
  for (let i = 0; i < M; i++) {
    for (let j = from; j < N; j++) {
      let sum = 0;
      for (let k = 0; k < K; k++) {
        sum = Math.fround(sum + heap[(a + i * ldaI + k * ldaK) >> 2]! * heap[(b + k * ldb + 4 * j) >> 2]!);
      }
      if (flags & GEMM_BIAS) sum = Math.fround(sum + heap[(bias >> 2) + j]!);
      if (flags & GEMM_ACTIVATION && !(sum > 0)) sum *= slope;
      heap[(c + i * ldc + 4 * j) >> 2] = sum;
    }
  }
}
