/**
 * Moving tensor data between the tfjs backend and host Float32Arrays WITHOUT allocating a host array per
 * transfer (the DQN update's hot path, src/dqn/agent.ts: weights read into its arena, changed weights written back).
 *
 * On tfjs-backend-wasm (4.22) a tensor's values live in the wasm heap at a known offset: `readInto` copies
 * them straight into a caller-owned buffer (`dataSync` would allocate a fresh copy each time).
 * `upload` creates a tensor from a host array that keeps changing: the wasm backend copies the values into its
 * heap at creation, so no defensive copy is made there; other backends may keep the array, so they get one.
 * Other backends fall back to `dataSync` (correct, but allocating).
 */
import * as tf from '@tensorflow/tfjs';

/** The part of tfjs-backend-wasm's BackendWasm this module reads (stable within tfjs 4.x). */
interface WasmBackendView {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { HEAPF32: Float32Array };
}

function wasmBackend(): WasmBackendView | null {
  return tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmBackendView) : null;
}

/** Heap index of a float32 tensor's first value on the wasm backend. */
function heapIndex(backend: WasmBackendView, t: tf.Tensor): number {
  const info = backend.dataIdMap.get(t.dataId);
  if (!info) throw new Error('Tensor data is not on the wasm backend');
  return info.memoryOffset >>> 2;
}

/** Copy `t`'s values (float32, row-major) into `out` from index 0; returns `out`. */
export function readInto(t: tf.Tensor, out: Float32Array): Float32Array {
  const size = t.size;
  if (out.length < size) throw new Error(`readInto: buffer of ${out.length} for a tensor of ${size} values`);
  const backend = wasmBackend();
  if (!backend) {
    out.set(t.dataSync() as Float32Array);
    return out;
  }
  const heap = backend.wasm.HEAPF32;
  const start = heapIndex(backend, t);
  for (let i = 0; i < size; i++) out[i] = heap[start + i]!;
  return out;
}

/** A float32 tensor holding `values`' current contents (later changes to `values` do not reach it). */
export function upload(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(wasmBackend() ? values : values.slice(), shape, 'float32');
}
