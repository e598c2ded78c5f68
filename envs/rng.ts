/**
 * Seeded pseudo-random number generator used by every part of the lab (no `Math.random` anywhere).
 *
 * Algorithm: xoshiro128** (Blackman & Vigna, 2018, https://prng.di.unimi.it/), 128-bit state of four
 * uint32 words, period 2^128 − 1. Seeding expands one 32-bit integer seed with SplitMix32 so that nearby
 * seeds give unrelated streams. `uniform()` builds a double in [0, 1) from 53 random bits.
 * The state is serializable (`getState`/`setState`) so checkpoints resume the exact stream.
 */

/** Four uint32 words of xoshiro128** state. */
export type RngState = [number, number, number, number];

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Re-seed from an integer (any 32-bit value; larger numbers are reduced modulo 2^32). */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) throw new Error(`Rng seed must be a finite number, got ${seed}`);
    let x = Math.floor(seed) >>> 0;
    const next = (): number => {
      // SplitMix32 (Steele, Lea & Flood 2014), used only to expand the seed.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next uint32 in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Uniform integer in [0, n), without modulo bias. `n` must be a positive integer ≤ 2^32. */
  integer(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new Error(`Rng.integer needs a positive integer bound ≤ 2^32, got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let v = this.nextUint32();
    while (v >= limit) v = this.nextUint32();
    return v % n;
  }

  /** Standard normal sample (Box–Muller; uses two uniforms per call, no caching so state stays simple). */
  normal(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A new 32-bit seed drawn from this stream (to derive child generators deterministically). */
  deriveSeed(): number {
    return this.nextUint32();
  }

  getState(): RngState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  setState(state: readonly number[]): void {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new Error(`Rng state must be four uint32 words, got ${JSON.stringify(state)}`);
    }
    if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) {
      throw new Error('Rng state must not be all zeros');
    }
    [this.s0, this.s1, this.s2, this.s3] = [state[0]!, state[1]!, state[2]!, state[3]!];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
