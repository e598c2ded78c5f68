/**
 * The gridworld's static data model: cell kinds (one byte per cell) and the parsed map type.
 * The text format that produces a `GridMap` is documented in envs/gridworld/README.md.
 */

/** Static cell kinds, stored one byte per cell. */
export const CELL = {
  FLOOR: 0,
  WALL: 1,
  LAVA: 2,
  GOAL: 3,
  KEY: 4,
  DOOR: 5,
} as const;
export type CellKind = (typeof CELL)[keyof typeof CELL];

export interface GridMap {
  name: string;
  width: number;
  height: number;
  /** Cell kinds, row-major: index = y·width + x, (0, 0) the top-left character. */
  cells: Uint8Array;
  /** Cell index of 'S'. */
  start: number;
  /** Cell index of 'G'. */
  goal: number;
  /** Cell index of 'K', or −1 when the map has no key. */
  key: number;
  /** Cell index of 'D', or −1 when the map has no door. */
  door: number;
  /** The map rows as parsed (trailing whitespace removed). */
  rows: string[];
}

/** Column and row offsets of the four actions: 0 up, 1 right, 2 down, 3 left (y grows downwards). */
export const MOVE_DX: readonly number[] = [0, 1, 0, -1];
export const MOVE_DY: readonly number[] = [-1, 0, 1, 0];
export const ACTION_NAMES: readonly string[] = ['up', 'right', 'down', 'left'];
