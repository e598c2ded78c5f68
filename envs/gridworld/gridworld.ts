/**
 * The gridworld environment: one class for every ASCII map (rules, observation and reward in
 * envs/gridworld/README.md). Also the BFS-based optimal returns used to normalize scores.
 *
 * ## Actions (Discrete(4))
 * 0 up, 1 right, 2 down, 3 left. Walls, the map edge and a locked door leave the agent in place.
 * Walking onto the key picks it up; walking into the door while holding the key opens it and enters it.
 *
 * ## Observation (Float32Array(width·height [+1]))
 * One-hot agent position at index y·width + x; maps with a key append one bit: 1 while the agent holds it.
 * The goal's position is NOT observed (tasks sharing a layout conflict; task identity is given separately).
 *
 * ## Reward
 * 1 − 0.9·t/T on reaching the goal (t = steps taken including this one, T = maxEpisodeSteps); 0 otherwise,
 * also for stepping into lava.
 *
 * ## Starting state
 * The map's 'S' cell, or with `randomStart: 1` a cell drawn uniformly from `startCells()`: floor cells
 * reachable from 'S' from which the goal can be reached without the key in hand at first.
 *
 * ## Episode end
 * - Termination: the agent enters the goal (success) or lava (failure).
 * - Truncation: T steps.
 *
 * State (`getState`): `[x, y, hasKey, doorOpen, stepCount]` (integers; hasKey and doorOpen 0 or 1).
 */
import { z } from 'zod';
import { EpisodeEnv } from '../episode-env';
import { defineEnvKind } from '../kind';
import type { EnvSnapshot, EnvSpec, ParamSpec } from '../types';
import { describe, resolveParams } from '../validate';
import { moveTarget, reachableStates, shortestPathSteps, successReward } from './bfs';
import { ACTION_NAMES, CELL, type GridMap } from './cells';

/** A gridworld task: a parsed map, its time limit T and its measured random-policy return. */
export interface GridTask {
  id: string;
  description: string;
  map: GridMap;
  maxEpisodeSteps: number;
  randomReturn: number;
}

/** The gridworld family's snapshot and frame rate (Minigrid's render_fps 10). */
export const GRIDWORLD_KIND = defineEnvKind(
  10,
  z.object({
    kind: z.literal('Gridworld'),
    width: z.number().int().min(1).max(256),
    height: z.number().int().min(1).max(256),
    /**
     * Row strings of the map's static cells (walls '#', lava 'L', goal 'G', floor '.', door 'D', key 'K').
     * The start is drawn as floor; the key is removed (floor) once the agent holds it.
     */
    rows: z.array(z.string().max(256)).max(256),
    /** Agent cell (x right, y down from the top-left) and last attempted move: 0 up, 1 right, 2 down, 3 left. */
    agent: z.object({ x: z.number().int(), y: z.number().int(), dir: z.number().int() }),
    hasKey: z.boolean(),
    doorOpen: z.boolean(),
  }),
);

export const GRID_PARAMS: readonly ParamSpec[] = [
  {
    name: 'randomStart',
    description: '1: start each episode on a uniformly drawn start cell (see startCells); 0: on S',
    default: 0,
    min: 0,
    max: 1,
    integer: true,
  },
];

/** Cells a random start may use: floor cells reachable from 'S' from which the goal is reachable. */
export function gridStartCells(map: GridMap): number[] {
  const { visited } = reachableStates(map, map.start);
  const cells: number[] = [];
  for (let c = 0; c < visited.length; c++) {
    if (visited[c] === 1 && map.cells[c] === CELL.FLOOR && shortestPathSteps(map, c) < Infinity)
      cells.push(c);
  }
  return cells;
}

/** Best achievable return from cell index `start` (default: the map's 'S'), by BFS. */
export function gridOptimalReturn(map: GridMap, maxEpisodeSteps: number, start = map.start): number {
  const steps = shortestPathSteps(map, start);
  return steps === Infinity ? 0 : successReward(steps, maxEpisodeSteps);
}

/** Mean optimal return over all `gridStartCells` (normalizer for scores measured with random starts). */
export function gridMeanOptimalReturn(map: GridMap, maxEpisodeSteps: number): number {
  const cells = gridStartCells(map);
  let sum = 0;
  for (const c of cells) sum += gridOptimalReturn(map, maxEpisodeSteps, c);
  return sum / cells.length;
}

/**
 * The EnvSpec of a gridworld task (observation size from the map, threshold = optimal return from 'S'). The
 * description ends with the map's size, walls included, read from the map (never typed by hand).
 */
export function gridSpec(task: GridTask): EnvSpec {
  const { map } = task;
  const hasKeyBit = map.key >= 0;
  return {
    id: task.id,
    description: `${task.description.replace(/\.?\s*$/, '.')} ${map.width}×${map.height} map (walls included).`,
    family: 'gridworld',
    observationSize: map.width * map.height + (hasKeyBit ? 1 : 0),
    observationMeaning: [
      `one-hot agent position, index y·${map.width} + x (${map.width}×${map.height} map; goal not observed)`,
      ...(hasKeyBit ? [`index ${map.width * map.height}: 1 while the agent holds the key`] : []),
    ],
    actionCount: 4,
    actionNames: [...ACTION_NAMES],
    params: GRID_PARAMS.map((p) => ({ ...p })),
    maxEpisodeSteps: task.maxEpisodeSteps,
    rewardThreshold: gridOptimalReturn(map, task.maxEpisodeSteps),
    randomReturn: task.randomReturn,
  };
}

export class Gridworld extends EpisodeEnv {
  /** Reward scale of a success and the share of it lost linearly over the time limit (MiniGrid). */
  static readonly SUCCESS_REWARD = 1;
  static readonly TIME_PENALTY = 0.9;

  readonly map: GridMap;
  private readonly randomStart: boolean;
  private readonly starts: number[];
  private readonly keyBit: number;
  private cell = 0;
  private hasKey = false;
  private doorOpen = false;
  /** Last attempted move (0 up, 1 right, 2 down, 3 left), for drawing the agent. */
  private dir = 1;

  constructor(task: GridTask, spec: EnvSpec, params?: object) {
    const p = resolveParams(task.id, spec.params, params);
    super(spec, p);
    this.map = task.map;
    this.randomStart = p.randomStart === 1;
    this.starts = gridStartCells(task.map);
    this.keyBit = task.map.key >= 0 ? task.map.width * task.map.height : -1;
  }

  /** Cells a random start may use, as {x, y}. */
  startCells(): { x: number; y: number }[] {
    return this.starts.map((c) => this.xy(c));
  }

  /** Best achievable return from `start` (default: the map's 'S'). */
  optimalReturn(start?: { x: number; y: number }): number {
    const cell = start === undefined ? this.map.start : this.cellAt(start.x, start.y, 'start');
    return gridOptimalReturn(this.map, this.maxEpisodeSteps, cell);
  }

  /** Mean optimal return over `startCells()`. */
  meanOptimalReturn(): number {
    return gridMeanOptimalReturn(this.map, this.maxEpisodeSteps);
  }

  protected sampleInitialState(): void {
    this.cell = this.randomStart ? this.starts[this.rng.integer(this.starts.length)]! : this.map.start;
    this.hasKey = false;
    this.doorOpen = false;
    this.dir = 1;
  }

  protected advance(action: number): number {
    this.dir = action;
    const target = moveTarget(this.map, this.cell, action, this.hasKey);
    const kind = this.map.cells[target]!;
    if (target !== this.cell && kind === CELL.DOOR) this.doorOpen = true;
    this.cell = target;
    if (kind === CELL.KEY) this.hasKey = true;
    if (kind === CELL.GOAL) {
      this.terminatedNow = true;
      return Gridworld.SUCCESS_REWARD * successReward(this.elapsedSteps, this.maxEpisodeSteps);
    }
    if (kind === CELL.LAVA) {
      this.terminatedNow = true;
      return 0;
    }
    return 0;
  }

  protected writeObservation(out: Float32Array): void {
    out.fill(0);
    out[this.cell] = 1;
    if (this.keyBit >= 0) out[this.keyBit] = this.hasKey ? 1 : 0;
  }

  protected stateNames(): readonly string[] {
    return ['x', 'y', 'hasKey', 'doorOpen', 'stepCount'];
  }

  protected readState(): number[] {
    const { x, y } = this.xy(this.cell);
    return [x, y, this.hasKey ? 1 : 0, this.doorOpen ? 1 : 0, this.elapsedSteps];
  }

  protected writeState(state: readonly number[]): void {
    const [x, y, hasKey, doorOpen, stepCount] = state as [number, number, number, number, number];
    const cell = this.cellAt(x, y, 'agent');
    const kind = this.map.cells[cell]!;
    if (kind === CELL.WALL || kind === CELL.GOAL || kind === CELL.LAVA) {
      const what = kind === CELL.WALL ? 'a wall' : kind === CELL.GOAL ? 'the goal' : 'lava';
      throw new Error(`${this.id}: setState cannot place the agent on ${what} at (${x}, ${y})`);
    }
    for (const [name, v] of [
      ['hasKey', hasKey],
      ['doorOpen', doorOpen],
    ] as const) {
      if (v !== 0 && v !== 1)
        throw new Error(`${this.id}: setState ${name} must be 0 or 1, got ${describe(v)}`);
    }
    if (hasKey === 1 && this.map.key < 0)
      throw new Error(`${this.id}: setState hasKey = 1 but the map has no key`);
    if (doorOpen === 1 && this.map.door < 0) {
      throw new Error(`${this.id}: setState doorOpen = 1 but the map has no door`);
    }
    if (kind === CELL.KEY && hasKey !== 1) {
      throw new Error(
        `${this.id}: setState places the agent on the key at (${x}, ${y}), so hasKey must be 1`,
      );
    }
    if (kind === CELL.DOOR && doorOpen !== 1) {
      throw new Error(
        `${this.id}: setState places the agent in the door at (${x}, ${y}), so doorOpen must be 1`,
      );
    }
    if (!Number.isInteger(stepCount) || stepCount < 0 || stepCount >= this.maxEpisodeSteps) {
      throw new Error(
        `${this.id}: setState stepCount must be an integer in [0, ${this.maxEpisodeSteps - 1}], got ${describe(stepCount)}`,
      );
    }
    this.cell = cell;
    this.hasKey = hasKey === 1;
    this.doorOpen = doorOpen === 1;
    this.setElapsedSteps(stepCount);
  }

  snapshot(): EnvSnapshot {
    const { x, y } = this.xy(this.cell);
    const rows = this.map.rows.map((row) => {
      const r = row.replace('S', '.');
      return this.hasKey ? r.replace('K', '.') : r;
    });
    return {
      kind: 'Gridworld',
      width: this.map.width,
      height: this.map.height,
      rows,
      agent: { x, y, dir: this.dir },
      hasKey: this.hasKey,
      doorOpen: this.doorOpen,
    };
  }

  private xy(cell: number): { x: number; y: number } {
    const x = cell % this.map.width;
    return { x, y: (cell - x) / this.map.width };
  }

  private cellAt(x: number, y: number, what: string): number {
    if (
      !Number.isInteger(x) ||
      !Number.isInteger(y) ||
      x < 0 ||
      y < 0 ||
      x >= this.map.width ||
      y >= this.map.height
    ) {
      throw new Error(
        `${this.id}: ${what} position (${describe(x)}, ${describe(y)}) is outside the ${this.map.width}×${this.map.height} map`,
      );
    }
    return y * this.map.width + x;
  }
}
