/**
 * A quadratic regularizer in closed form: (λ/2) · Σ_i A_i · (θ_i − m_i)², with importance A ≥ 0 and anchor m
 * per parameter. EWC (separate and online), L2, MAS and SI all reduce to this shape (src/continual/anchor-store.ts
 * folds several past tasks into one A and m). Its gradient λ · A · (θ − m) is added on the host inside the
 * optimizer's pass (src/dqn/adam.ts): no gradient tape, no tensors, nothing allocated per update.
 *
 * The arrays must not change once handed to an update: the optimizer copies each array into its wasm
 * memory the first time it sees it (by identity). A penalty that changes comes with new arrays
 * (src/continual/anchor-store.ts makes new ones at each consolidation).
 */

export interface QuadraticPenalty {
  /** λ. */
  lambda: number;
  /** A per variable (`QNetwork.variables()` order), or null where A is all zero (that variable is free). */
  importance: readonly (Float32Array | null)[];
  /** m per variable, same layout; null exactly where `importance` is null. */
  anchor: readonly (Float32Array | null)[];
}
