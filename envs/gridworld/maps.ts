/**
 * The built-in gridworld tasks: their ASCII maps and time limits. The map format, the rules and the
 * observation are documented in envs/gridworld/README.md; the `Grid-FourRooms-Goal*` tasks share one
 * layout and differ only in where the goal is (four conflicting tasks for continual learning).
 */

/**
 * A named task: a map plus its time limit T (which also scales the success reward 1 − 0.9·t/T). Descriptions
 * state no size: gridSpec appends the map's real one.
 */
export interface GridTaskDef {
  id: string;
  description: string;
  map: string;
  maxEpisodeSteps: number;
  /** Mean return of a uniformly random policy from the default start (measured, see each value). */
  randomReturn: number;
}

/** The FourRooms layout with the goal placed at the far corner of one room (x, y as in the README). */
function fourRooms(goal: 'NE' | 'NW' | 'SE' | 'SW'): string {
  const rows = [
    '###########',
    '#....#....#',
    '#....#....#',
    '#....#....#',
    '#.........#',
    '####.S.####',
    '#.........#',
    '#....#....#',
    '#....#....#',
    '#....#....#',
    '###########',
  ];
  const [x, y] = { NW: [1, 1], NE: [9, 1], SW: [1, 9], SE: [9, 9] }[goal];
  rows[y!] = rows[y!]!.slice(0, x) + 'G' + rows[y!]!.slice(x! + 1);
  return rows.join('\n');
}

const EMPTY_6 = `
######
#S...#
#....#
#....#
#...G#
######`;

const EMPTY_8 = `
########
#S.....#
#......#
#......#
#......#
#......#
#.....G#
########`;

const LAVA_CROSSING = `
#########
#S..L...#
#...L...#
#...L...#
#.......#
#...L...#
#...L...#
#...L..G#
#########`;

const DOOR_KEY = `
########
#S..#..#
#...#..#
#.K.D..#
#...#..#
#...#..#
#...#.G#
########`;

const DIST_SHIFT_A = `
#########
#S..L..G#
#...L...#
#...L...#
#.......#
#.......#
#########`;

const DIST_SHIFT_B = `
#########
#S.....G#
#.......#
#...L...#
#...L...#
#...L...#
#########`;

// randomReturn values: `npx tsx bench/random-returns.ts` (10,000 episodes per task, seed 0).
const FOUR_ROOMS_RANDOM_RETURN = { NE: 0.1136, NW: 0.1202, SE: 0.1121, SW: 0.1155 } as const;

export const BUILTIN_GRID_TASKS: readonly GridTaskDef[] = [
  {
    id: 'Grid-Empty-6x6-v0',
    description: 'Empty room: walk from the top-left corner to the goal in the bottom-right.',
    map: EMPTY_6,
    maxEpisodeSteps: 4 * 6 * 6,
    randomReturn: 0.6394,
  },
  {
    id: 'Grid-Empty-8x8-v0',
    description: 'Empty room: walk from the top-left corner to the goal in the bottom-right.',
    map: EMPTY_8,
    maxEpisodeSteps: 4 * 8 * 8,
    randomReturn: 0.4824,
  },
  ...(['NE', 'NW', 'SE', 'SW'] as const).map((room) => ({
    id: `Grid-FourRooms-Goal${room}-v0`,
    description: `FourRooms, start in the centre, goal in the ${room} room's far corner (goal not observed).`,
    map: fourRooms(room),
    maxEpisodeSteps: 100,
    randomReturn: FOUR_ROOMS_RANDOM_RETURN[room],
  })),
  {
    id: 'Grid-LavaCrossing-v0',
    description: 'Cross a river of lava through its single gap; stepping into lava ends the episode with 0.',
    map: LAVA_CROSSING,
    maxEpisodeSteps: 4 * 9 * 9,
    randomReturn: 0.0029,
  },
  {
    id: 'Grid-DoorKey-v0',
    description: 'Pick up the key (walk onto it), open the locked door (walk into it) and reach the goal.',
    map: DOOR_KEY,
    maxEpisodeSteps: 10 * 8 * 8,
    randomReturn: 0.5159,
  },
  {
    id: 'Grid-DistShift-A-v0',
    description: 'Lava wall blocks the top row: go around below it (pair with DistShift-B).',
    map: DIST_SHIFT_A,
    maxEpisodeSteps: 4 * 9 * 7,
    randomReturn: 0.0214,
  },
  {
    id: 'Grid-DistShift-B-v0',
    description: 'Lava wall moved to the bottom: the top row is now the way (pair with DistShift-A).',
    map: DIST_SHIFT_B,
    maxEpisodeSteps: 4 * 9 * 7,
    randomReturn: 0.1035,
  },
];
