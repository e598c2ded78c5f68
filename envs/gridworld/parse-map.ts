/**
 * Parser for the gridworld ASCII map format (documented in envs/gridworld/README.md).
 * Turns map text into a `GridMap`, or throws an error naming the line and column of the problem.
 */
import { reachableStates } from './bfs';
import { CELL, type CellKind, type GridMap } from './cells';

/** Map characters and what they mean. 'S' is a floor cell where the agent starts. */
export const MAP_CHARS: Readonly<Record<string, string>> = {
  '#': 'wall',
  '.': 'floor',
  S: 'start',
  G: 'goal',
  L: 'lava',
  K: 'key',
  D: 'door',
};

const KIND_OF_CHAR: Readonly<Record<string, CellKind>> = {
  '#': CELL.WALL,
  '.': CELL.FLOOR,
  S: CELL.FLOOR,
  G: CELL.GOAL,
  L: CELL.LAVA,
  K: CELL.KEY,
  D: CELL.DOOR,
};

/** Largest accepted width and height (the observation is a width·height one-hot). */
export const MAX_MAP_SIDE = 64;

/** Where a character sits in the source text, 1-based, for error messages. */
function at(line: number, column: number): string {
  return `line ${line}, column ${column}`;
}

/**
 * Parses map text. Leading and trailing blank lines and trailing whitespace on each line are ignored;
 * every other line is one row of the grid. `name` prefixes every error message (e.g. the file name).
 */
export function parseGridMap(text: string, name = 'map'): GridMap {
  if (typeof text !== 'string') throw new Error(`${name}: map text must be a string`);
  const lines = text.split('\n').map((l) => l.replace(/\s+$/u, ''));
  let first = 0;
  while (first < lines.length && lines[first] === '') first++;
  let last = lines.length - 1;
  while (last >= first && lines[last] === '') last--;
  if (first > last) throw new Error(`${name}: the map is empty`);
  const rows = lines.slice(first, last + 1);
  const lineOf = (y: number): number => first + y + 1;
  const width = rows[0]!.length;
  const height = rows.length;
  if (width > MAX_MAP_SIDE || height > MAX_MAP_SIDE) {
    throw new Error(
      `${name}: the map is ${width}×${height}; at most ${MAX_MAP_SIDE}×${MAX_MAP_SIDE} is supported`,
    );
  }

  const cells = new Uint8Array(width * height);
  const found: Record<'S' | 'G' | 'K' | 'D', number> = { S: -1, G: -1, K: -1, D: -1 };
  for (let y = 0; y < height; y++) {
    const row = rows[y]!;
    if (row.length !== width) {
      const column = Math.min(row.length, width) + 1;
      throw new Error(
        `${name}: ragged rows at ${at(lineOf(y), column)}: this row is ${row.length} characters wide ` +
          `but the first row (line ${lineOf(0)}) is ${width}; all rows must have the same width`,
      );
    }
    for (let x = 0; x < width; x++) {
      const ch = row[x]!;
      const kind = KIND_OF_CHAR[ch];
      if (kind === undefined) {
        const allowed = Object.entries(MAP_CHARS)
          .map(([c, what]) => `'${c}' ${what}`)
          .join(', ');
        throw new Error(
          `${name}: unknown character ${JSON.stringify(ch)} at ${at(lineOf(y), x + 1)}; allowed: ${allowed}`,
        );
      }
      cells[y * width + x] = kind;
      if (ch === 'S' || ch === 'G' || ch === 'K' || ch === 'D') {
        const prev = found[ch];
        if (prev >= 0) {
          const px = prev % width;
          const py = (prev - px) / width;
          throw new Error(
            `${name}: a second ${MAP_CHARS[ch]} '${ch}' at ${at(lineOf(y), x + 1)} ` +
              `(the first is at ${at(lineOf(py), px + 1)}); a map has exactly one start and one goal, ` +
              `and at most one key and one door`,
          );
        }
        found[ch] = y * width + x;
      }
    }
  }
  if (found.S < 0) throw new Error(`${name}: the map has no start cell 'S'`);
  if (found.G < 0) throw new Error(`${name}: the map has no goal cell 'G'`);

  const map: GridMap = {
    name,
    width,
    height,
    cells,
    start: found.S,
    goal: found.G,
    key: found.K,
    door: found.D,
    rows,
  };
  const { goalReached } = reachableStates(map, map.start);
  if (!goalReached) {
    const gx = map.goal % width;
    const sx = map.start % width;
    throw new Error(
      `${name}: the goal at ${at(lineOf((map.goal - gx) / width), gx + 1)} cannot be reached from the start ` +
        `at ${at(lineOf((map.start - sx) / width), sx + 1)} (walls, lava, or a door whose key is unreachable)`,
    );
  }
  return map;
}
