// The wasm SIMD GEMM (src/wasm/gemm.ts) against the plain JavaScript product (`gemmTail` from column 0), for
// sizes that hit every tile kind (4×8, 4×4, single rows, a JavaScript column tail), with A read as a matrix
// and as a transpose (through its strides), with and without bias + LeakyReLU; and the sum of squares.
import { describe, expect, it } from 'vitest';
import { Arena, kernelDescription } from '../../src/wasm/arena';
import { GEMM_ACTIVATION, GEMM_BIAS, gemmTail } from '../../src/wasm/gemm';

describe('wasm GEMM', () => {
  it('runs a SIMD kernel here (Node has wasm SIMD)', () => {
    expect(kernelDescription()).toMatch(/^wasm SIMD/);
  });

  const sizes: [number, number, number][] = [
    [4, 8, 3],
    [5, 13, 7],
    [64, 128, 16],
    [1, 4, 1],
    [7, 9, 130],
    [130, 2, 5],
  ];
  for (const [M, N, K] of sizes) {
    it(`equals the JavaScript product for M=${M}, N=${N}, K=${K}`, () => {
      const arena = new Arena();
      const a = arena.alloc(M * K);
      const b = arena.alloc(K * N);
      const bias = arena.alloc(N);
      const c = arena.alloc(M * N);
      const expected = arena.alloc(M * N);
      const h = arena.heap;
      for (let i = 0; i < M * K; i++) h[(a >> 2) + i] = Math.sin(i * 1.3);
      for (let i = 0; i < K * N; i++) h[(b >> 2) + i] = Math.cos(i * 0.7);
      for (let i = 0; i < N; i++) h[(bias >> 2) + i] = i * 0.01 - 0.05;
      // slope 0.25 is exact in float32, so the epilogue matches bit for bit.
      for (const [ldaI, ldaK] of [
        [4 * K, 4],
        [4, 4 * M],
      ] as const) {
        for (const flags of [0, GEMM_BIAS | GEMM_ACTIVATION]) {
          h.fill(NaN, c >> 2, (c >> 2) + M * N);
          arena.gemm(c, a, b, bias, M, N, K, ldaI, ldaK, 4 * N, 4 * N, 0.25, flags);
          gemmTail(h, 0, expected, a, b, bias, M, N, K, ldaI, ldaK, 4 * N, 4 * N, 0.25, flags);
          for (let i = 0; i < M * N; i++) {
            const want = h[(expected >> 2) + i]!;
            expect(Math.abs(h[(c >> 2) + i]! - want)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want)));
          }
        }
      }
    });
  }

  it('sums squares over padded regions', () => {
    const arena = new Arena();
    const g = arena.alloc(10);
    arena.heap.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], g >> 2);
    expect(arena.sumSquares(g, 10)).toBe(385);
  });

  it('keeps regions when the memory grows (views are remade)', () => {
    const arena = new Arena();
    const r = arena.alloc(4);
    arena.heap.set([1, 2, 3, 4], r >> 2);
    const generation = arena.generation;
    arena.alloc(1 << 16);
    expect(arena.generation).toBe(generation + 1);
    expect(Array.from(arena.f32(r, 4))).toEqual([1, 2, 3, 4]);
  });
});
