/**
 * A few helpers to write WebAssembly binary modules byte by byte (no toolchain): LEB128 numbers, sections,
 * and the opcodes the project's kernels use (src/wasm/gemm.ts, src/dqn/adam-simd.ts). Each kernel module
 * imports one memory, "env" "memory", and exports its functions.
 */

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

const simd = (code: number) => [0xfd, ...uleb(code)];
/** memarg: alignment exponent and constant offset. */
const memarg = (align: number, offset: number) => [align, ...uleb(offset)];

/** Opcodes (stack machine; operands are pushed first). */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (n: number) => [0x41, ...sleb(n)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32And: [0x71],
  i32Eqz: [0x45],
  i32GtU: [0x4b],
  i32LeU: [0x4d],
  i32GeU: [0x4f],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  f64Add: [0xa0],
  f64PromoteF32: [0xbb],
  v128Load: (offset = 0) => [...simd(0x00), ...memarg(4, offset)],
  v128Store: (offset = 0) => [...simd(0x0b), ...memarg(4, offset)],
  load32Splat: [...simd(0x09), ...memarg(2, 0)],
  v128Zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  bitselect: [...simd(0x52)],
  f32x4Splat: [...simd(0x13)],
  f32x4Extract: (lane: number) => [...simd(0x1f), lane],
  f32x4Gt: [...simd(0x44)],
  f32x4Sqrt: [...simd(0xe3)],
  f32x4Add: [...simd(0xe4)],
  f32x4Sub: [...simd(0xe5)],
  f32x4Mul: [...simd(0xe6)],
  f32x4Div: [...simd(0xe7)],
  /** relaxed-SIMD a·b + c (fused where the hardware has FMA). */
  f32x4RelaxedMadd: [...simd(0x105)],
};

const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (text: string) => [...uleb(text.length), ...[...text].map((c) => c.charCodeAt(0))];

export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  /** Local declarations beyond the parameters: [count, type] runs. */
  locals: [number, number][];
  body: number[];
}

/** A module importing "env" "memory" and exporting `functions` under their names. */
export function moduleBytes(functions: WasmFunction[]): Uint8Array {
  const types = functions.map((f) => [
    0x60,
    ...vec(f.params.map((t) => [t])),
    ...vec(f.results.map((t) => [t])),
  ]);
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]]);
  const codes = functions.map((f) => {
    const code = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, ...op.end];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(codes)),
  ]);
}

/** The few WebAssembly APIs used here (the project's TypeScript lib has no DOM/WebAssembly types). */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

export function wasmApi(): WasmApi | null {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly ?? null;
}

let relaxedFlagTried = false;
/**
 * Node 20 ships relaxed SIMD behind a V8 flag (Node 22 has it on): set it once, before a module using it is
 * compiled. Harmless where the flag is unknown or there is no `v8` module (browsers, Electron renderers).
 */
export function enableRelaxedSimd(): void {
  if (relaxedFlagTried) return;
  relaxedFlagTried = true;
  try {
    const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown })
      .getBuiltinModule;
    const v8 = getBuiltin?.('v8') as { setFlagsFromString(flags: string): void } | undefined;
    v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // not Node, or the flag is gone (relaxed SIMD on by default)
  }
}
