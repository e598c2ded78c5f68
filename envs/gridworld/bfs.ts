/**
 * Breadth-first search over gridworld states (cell, hasKey): shortest step counts to the goal, the set of
 * cells reachable from a start, and the optimal MiniGrid-style return derived from them.
 * Moves follow the environment's rules exactly: walls and map edges block, a door blocks unless the agent
 * holds the key, stepping on the key picks it up, lava and the goal end the episode.
 */
import { CELL, MOVE_DX, MOVE_DY, type GridMap } from './cells';

const { WALL, LAVA, GOAL, KEY, DOOR } = CELL;

/** Cell the agent occupies after trying to move from `cell`, ignoring the goal/lava episode end. */
export function moveTarget(map: GridMap, cell: number, action: number, hasKey: boolean): number {
  const x = (cell % map.width) + MOVE_DX[action]!;
  const y = Math.floor(cell / map.width) + MOVE_DY[action]!;
  if (x < 0 || y < 0 || x >= map.width || y >= map.height) return cell;
  const target = y * map.width + x;
  const kind = map.cells[target]!;
  if (kind === WALL || (kind === DOOR && !hasKey)) return cell;
  return target;
}

interface Reach {
  /** Fewest steps from the start to the goal, or Infinity. */
  goalSteps: number;
  goalReached: boolean;
  /** Per cell: 1 if the agent can stand there (not counting lava and the goal, which end the episode). */
  visited: Uint8Array;
}

/** BFS from `start` (without the key unless `hasKey`), exploring every reachable (cell, hasKey) state. */
export function reachableStates(map: GridMap, start: number, hasKey = false): Reach {
  const n = map.width * map.height;
  const dist = new Int32Array(2 * n).fill(-1);
  const queue = new Int32Array(2 * n);
  const visited = new Uint8Array(n);
  let head = 0;
  let tail = 0;
  const startKey = hasKey || map.cells[start] === KEY ? 1 : 0;
  dist[2 * start + startKey] = 0;
  queue[tail++] = 2 * start + startKey;
  let goalSteps = Infinity;
  while (head < tail) {
    const state = queue[head++]!;
    const cell = state >> 1;
    const key = state & 1;
    visited[cell] = 1;
    for (let a = 0; a < 4; a++) {
      const target = moveTarget(map, cell, a, key === 1);
      if (target === cell) continue;
      const kind = map.cells[target]!;
      if (kind === GOAL) {
        goalSteps = Math.min(goalSteps, dist[state]! + 1);
        continue;
      }
      if (kind === LAVA) continue;
      const nextKey = key === 1 || kind === KEY ? 1 : 0;
      const next = 2 * target + nextKey;
      if (dist[next]! >= 0) continue;
      dist[next] = dist[state]! + 1;
      queue[tail++] = next;
    }
  }
  return { goalSteps, goalReached: goalSteps < Infinity, visited };
}

/** Fewest steps from `start` to the goal (Infinity if unreachable). */
export function shortestPathSteps(map: GridMap, start: number, hasKey = false): number {
  return reachableStates(map, start, hasKey).goalSteps;
}

/** MiniGrid return for reaching the goal after `steps` steps with time limit T: 1 − 0.9·steps/T, 0 if too late. */
export function successReward(steps: number, maxEpisodeSteps: number): number {
  // MiniGrid's expression and association: 1 - 0.9 * (step_count / max_steps).
  return steps <= maxEpisodeSteps ? 1 - 0.9 * (steps / maxEpisodeSteps) : 0;
}
