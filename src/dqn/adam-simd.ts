/**
 * The Adam update as a tiny WebAssembly SIMD function (f32x4 lanes), built byte by byte (src/wasm/emit.ts)
 * and instantiated with the other kernels over the agent's arena (src/wasm/arena.ts).
 *
 * Per parameter, in float32 (each operation rounded to float32, so `adamPass` in JavaScript — used where
 * wasm SIMD is missing — computes the same bits):
 *   g ← g·coef;  m ← β1·m + c1·g;  v ← β2·v + (c2·g)·g;  θ ← θ − (stepSize·m) / (√v + eps).
 * It runs over groups of 4 floats; every variable's region is padded to a multiple of 4 with zero
 * gradients, which leave the padding unchanged.
 */
import { F32, I32, op, V128, type WasmFunction } from '../wasm/emit';

/** adam(p, g, m, v, groups, coef, beta1, beta2, c1, c2, stepSize, eps): byte offsets, a group count, scalars. */
export type AdamKernel = (
  p: number,
  g: number,
  m: number,
  v: number,
  groups: number,
  coef: number,
  beta1: number,
  beta2: number,
  c1: number,
  c2: number,
  stepSize: number,
  eps: number,
) => void;

// Parameters 0–4 (i32): p, g, m, v, groups; 5–11 (f32): coef, beta1, beta2, c1, c2, stepSize, eps.
// Locals: 12 offset (i32), 13 end (i32); 14–20 splats of 5–11; 21 g, 22 m, 23 v (v128).
const OFFSET = 12;
const END = 13;
const SPLAT = (param: number) => 14 + (param - 5);
const G = 21;
const M = 22;
const V = 23;

const at = (base: number) => [...op.get(base), ...op.get(OFFSET), ...op.i32Add];

export function adamFunction(): WasmFunction {
  const code: number[] = [...op.get(4), ...op.i32(4), ...op.i32Shl, ...op.set(END)];
  for (let param = 5; param <= 11; param++)
    code.push(...op.get(param), ...op.f32x4Splat, ...op.set(SPLAT(param)));
  code.push(...op.block, ...op.loop);
  code.push(...op.get(OFFSET), ...op.get(END), ...op.i32GeU, ...op.brIf(1));
  // g = g * coef
  code.push(...at(1), ...op.v128Load(), ...op.get(SPLAT(5)), ...op.f32x4Mul, ...op.set(G));
  // m = beta1 * m + c1 * g
  code.push(...at(2), ...op.get(SPLAT(6)), ...at(2), ...op.v128Load(), ...op.f32x4Mul);
  code.push(
    ...op.get(SPLAT(8)),
    ...op.get(G),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.tee(M),
    ...op.v128Store(),
  );
  // v = beta2 * v + (c2 * g) * g
  code.push(...at(3), ...op.get(SPLAT(7)), ...at(3), ...op.v128Load(), ...op.f32x4Mul);
  code.push(...op.get(SPLAT(9)), ...op.get(G), ...op.f32x4Mul, ...op.get(G), ...op.f32x4Mul, ...op.f32x4Add);
  code.push(...op.tee(V), ...op.v128Store());
  // p = p - (stepSize * m) / (sqrt(v) + eps)
  code.push(...at(0), ...at(0), ...op.v128Load(), ...op.get(SPLAT(10)), ...op.get(M), ...op.f32x4Mul);
  code.push(
    ...op.get(V),
    ...op.f32x4Sqrt,
    ...op.get(SPLAT(11)),
    ...op.f32x4Add,
    ...op.f32x4Div,
    ...op.f32x4Sub,
  );
  code.push(...op.v128Store());
  code.push(
    ...op.get(OFFSET),
    ...op.i32(16),
    ...op.i32Add,
    ...op.set(OFFSET),
    ...op.br(0),
    ...op.end,
    ...op.end,
  );
  return {
    name: 'adam',
    params: [I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32],
    results: [],
    locals: [
      [2, I32],
      [10, V128],
    ],
    body: code,
  };
}

const f = Math.fround;

/** The kernel's arithmetic in JavaScript over `count` floats from index 0 of each array. */
export function adamPass(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  count: number,
  coef: number,
  beta1: number,
  beta2: number,
  c1: number,
  c2: number,
  stepSize: number,
  eps: number,
): void {
  const [fc, b1, b2, fc1, fc2, fs, fe] = [coef, beta1, beta2, c1, c2, stepSize, eps].map(f) as number[];
  for (let j = 0; j < count; j++) {
    const gj = f(g[j]! * fc!);
    const mk = (m[j] = f(f(b1! * m[j]!) + f(fc1! * gj)));
    const vk = (v[j] = f(f(b2! * v[j]!) + f(f(fc2! * gj) * gj)));
    p[j] = f(p[j]! - f(f(fs! * mk) / f(f(Math.sqrt(vk)) + fe!)));
  }
}

/** penalty(g, p, a, m, groups, lambda): g ← g + λ·(a·(p − m)) in float32 lanes (the quadratic penalty's gradient). */
export type PenaltyKernel = (
  g: number,
  p: number,
  a: number,
  m: number,
  groups: number,
  lambda: number,
) => void;

export function penaltyFunction(): WasmFunction {
  // Parameters 0–4 (i32): g, p, a, m, groups; 5 (f32): lambda. Locals: 6 offset, 7 end (i32); 8 λ splat (v128).
  const at = (base: number) => [...op.get(base), ...op.get(6), ...op.i32Add];
  const code: number[] = [...op.get(4), ...op.i32(4), ...op.i32Shl, ...op.set(7)];
  code.push(...op.get(5), ...op.f32x4Splat, ...op.set(8));
  code.push(...op.block, ...op.loop, ...op.get(6), ...op.get(7), ...op.i32GeU, ...op.brIf(1));
  code.push(...at(0), ...at(0), ...op.v128Load(), ...op.get(8), ...at(2), ...op.v128Load());
  code.push(...at(1), ...op.v128Load(), ...at(3), ...op.v128Load(), ...op.f32x4Sub, ...op.f32x4Mul);
  code.push(...op.f32x4Mul, ...op.f32x4Add, ...op.v128Store());
  code.push(...op.get(6), ...op.i32(16), ...op.i32Add, ...op.set(6), ...op.br(0), ...op.end, ...op.end);
  return {
    name: 'penalty',
    params: [I32, I32, I32, I32, I32, F32],
    results: [],
    locals: [
      [2, I32],
      [1, V128],
    ],
    body: code,
  };
}

/** The penalty kernel's arithmetic in JavaScript. */
export function penaltyPass(
  g: Float32Array,
  p: Float32Array,
  a: Float32Array,
  m: Float32Array,
  count: number,
  lambda: number,
): void {
  const l = f(lambda);
  for (let j = 0; j < count; j++) g[j] = f(g[j]! + f(l * f(a[j]! * f(p[j]! - m[j]!))));
}
