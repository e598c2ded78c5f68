/**
 * The greedy-policy arrows of the live view for gridworlds: the greedy action in every free cell, for the
 * task being trained (row-major, −1 for walls). Observations are built with the gridworld encoding its spec
 * documents (`observationMeaning`): a one-hot of the agent cell at index y·width + x, plus the key bit
 * (index width·height) on maps with a key, which keeps the current `hasKey`. One reused buffer; one greedy
 * forward pass per free cell, so the service computes this at a low, adaptive rate.
 */
import type { EnvSnapshot } from '../../envs/types';

type GridSnapshot = Extract<EnvSnapshot, { kind: 'Gridworld' }>;

/** Cells the agent can never stand on get no arrow. */
const NO_ARROW_CELLS = new Set(['#']);

export function gridPolicy(
  snapshot: GridSnapshot,
  observationSize: number,
  greedy: (observation: Float32Array) => number,
): number[] | null {
  const { width, height, rows } = snapshot;
  const cells = width * height;
  if (observationSize !== cells && observationSize !== cells + 1) return null; // not the documented encoding
  const obs = new Float32Array(observationSize);
  if (observationSize === cells + 1) obs[cells] = snapshot.hasKey ? 1 : 0;
  const policy = new Array<number>(cells).fill(-1);
  for (let y = 0; y < height; y++) {
    const row = rows[y] ?? '';
    for (let x = 0; x < width; x++) {
      if (NO_ARROW_CELLS.has(row[x] ?? '#')) continue;
      const i = y * width + x;
      obs[i] = 1;
      policy[i] = greedy(obs);
      obs[i] = 0;
    }
  }
  return policy;
}
