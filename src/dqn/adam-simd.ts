/**
 * The Adam update as a tiny WebAssembly SIMD kernel (f64x2 lanes), built here byte by byte (no toolchain).
 *
 * It computes exactly what the JavaScript loop in adam.ts computes, in the same float64 arithmetic and the
 * same order (float32 values promoted, each result rounded to float32 on store), so weights stay
 * bit-identical with or without it; it only runs two parameters per instruction. A JS engine without wasm
 * SIMD gets `null` and adam.ts keeps its JavaScript loop.
 *
 * Memory: one WebAssembly.Memory sized once for m, v, the parameters and the gradients (never grown, so the
 * Float32Array views handed out stay valid).
 */

/** adam(p, g, m, v, pairs, coef, beta1, beta2, c1, c2, stepSize, eps): byte offsets, a pair count, scalars. */
export type AdamKernel = (
  p: number,
  g: number,
  m: number,
  v: number,
  pairs: number,
  coef: number,
  beta1: number,
  beta2: number,
  c1: number,
  c2: number,
  stepSize: number,
  eps: number,
) => void;

const SIMD = 0xfd;
const op = {
  load64Zero: [SIMD, 0x5d],
  store64Lane: [SIMD, 0x5b],
  splat: [SIMD, 0x14],
  demote: [SIMD, 0x5e],
  promote: [SIMD, 0x5f],
  sqrt: [SIMD, 0xef, 0x01],
  add: [SIMD, 0xf0, 0x01],
  sub: [SIMD, 0xf1, 0x01],
  mul: [SIMD, 0xf2, 0x01],
  div: [SIMD, 0xf3, 0x01],
};
const localGet = (i: number) => [0x20, i];
const localSet = (i: number) => [0x21, i];
/** memarg: alignment 2^3, offset 0. */
const memarg = [0x03, 0x00];

// Parameters 0–4 (i32): p, g, m, v, pairs; 5–11 (f64): coef, beta1, beta2, c1, c2, stepSize, eps.
// Locals: 12 i (i32, byte offset), 13 end (i32); 14–20 splats of 5–11; 21 g2, 22 m2, 23 v2 (v128).
const I = 12;
const END = 13;
const SPLAT = (param: number) => 14 + (param - 5);
const G2 = 21;
const M2 = 22;
const V2 = 23;

/** promote(load64_zero(base + i)) */
const loadPair = (base: number) => [
  ...localGet(base),
  ...localGet(I),
  0x6a,
  ...op.load64Zero,
  ...memarg,
  ...op.promote,
];
/** store64_lane(base + i, demote(value on stack), lane 0), value computed by `value`. */
const storePair = (base: number, value: number[]) => [
  ...localGet(base),
  ...localGet(I),
  0x6a,
  ...value,
  ...op.demote,
  ...op.store64Lane,
  ...memarg,
  0x00,
];

function body(): number[] {
  const code: number[] = [];
  // end = pairs * 8
  code.push(...localGet(4), 0x41, 0x08, 0x6c, ...localSet(END));
  for (let param = 5; param <= 11; param++)
    code.push(...localGet(param), ...op.splat, ...localSet(SPLAT(param)));
  code.push(0x02, 0x40, 0x03, 0x40); // block, loop
  code.push(...localGet(I), ...localGet(END), 0x4f, 0x0d, 0x01); // br_if 1 (i >= end, unsigned)
  // g2 = promote(g) * coef
  code.push(...loadPair(1), ...localGet(SPLAT(5)), ...op.mul, ...localSet(G2));
  // m2 = beta1 * m + c1 * g2
  code.push(
    ...localGet(SPLAT(6)),
    ...loadPair(2),
    ...op.mul,
    ...localGet(SPLAT(8)),
    ...localGet(G2),
    ...op.mul,
  );
  code.push(...op.add, ...localSet(M2));
  code.push(...storePair(2, localGet(M2)));
  // v2 = beta2 * v + (c2 * g2) * g2
  code.push(...localGet(SPLAT(7)), ...loadPair(3), ...op.mul);
  code.push(
    ...localGet(SPLAT(9)),
    ...localGet(G2),
    ...op.mul,
    ...localGet(G2),
    ...op.mul,
    ...op.add,
    ...localSet(V2),
  );
  code.push(...storePair(3, localGet(V2)));
  // p = p - (stepSize * m2) / (sqrt(v2) + eps)
  const newP = [
    ...loadPair(0),
    ...localGet(SPLAT(10)),
    ...localGet(M2),
    ...op.mul,
    ...localGet(V2),
    ...op.sqrt,
    ...localGet(SPLAT(11)),
    ...op.add,
    ...op.div,
    ...op.sub,
  ];
  code.push(...storePair(0, newP));
  // i += 8; continue
  code.push(...localGet(I), 0x41, 0x08, 0x6a, ...localSet(I), 0x0c, 0x00);
  code.push(0x0b, 0x0b, 0x0b); // end loop, end block, end function
  return code;
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

function moduleBytes(): Uint8Array {
  const I32 = 0x7f;
  const F64 = 0x7c;
  const V128 = 0x7b;
  const type = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], ...Array(7).fill([F64])]), 0x00];
  const name = (text: string) => [text.length, ...[...text].map((c) => c.charCodeAt(0))];
  // import "env" "memory": a memory (kind 2) with limits {min 0, no max}.
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]]);
  const locals = vec([
    [2, I32],
    [10, V128],
  ]);
  const fn = [...locals, ...body()];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([type])),
    ...section(2, imports),
    ...section(3, vec([[0x00]])),
    ...section(7, vec([[...name('adam'), 0x00, 0x00]])),
    ...section(10, vec([[...uleb(fn.length), ...fn]])),
  ]);
}

/** The few WebAssembly APIs used here (the project's TypeScript lib has no DOM/WebAssembly types). */
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

/**
 * The kernel over a fresh memory of at least `bytes` bytes, or null (and a plain ArrayBuffer) where wasm
 * SIMD is unavailable.
 */
export function createAdamKernel(bytes: number): { kernel: AdamKernel | null; buffer: ArrayBuffer } {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    const code = moduleBytes();
    if (api && api.validate(code)) {
      const memory = new api.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
      const instance = new api.Instance(new api.Module(code), { env: { memory } });
      return { kernel: instance.exports.adam as AdamKernel, buffer: memory.buffer };
    }
  } catch {
    // fall through to the JavaScript loop
  }
  return { kernel: null, buffer: new ArrayBuffer(bytes) };
}
