// Gridworld family: map parsing errors (with line and column), BFS optimal returns on hand-checked maps,
// the rules (key, door, lava, goal reward), the observation encoding, random starts, setState checks and
// user-registered maps.
import { describe, expect, it } from 'vitest';
import {
  getEnvSpec,
  gridMeanOptimalReturn,
  gridOptimalReturn,
  Gridworld,
  isGridworld,
  listEnvs,
  makeEnv,
  parseGridMap,
  registerGridMap,
  type Env,
} from '../../envs';

function grid(id: string, params?: object): Gridworld {
  const env: Env = makeEnv(id, params);
  if (!isGridworld(env)) throw new Error(`${id} is not a gridworld`);
  return env;
}

const UP = 0;
const RIGHT = 1;
const DOWN = 2;
const LEFT = 3;

describe('parseGridMap errors', () => {
  it('names the line and column of an unknown character', () => {
    expect(() => parseGridMap('#####\n#S.G#\n#.x.#\n#####', 'm.txt')).toThrow(
      /^m\.txt: unknown character "x" at line 3, column 3; allowed: '#' wall/,
    );
  });

  it('counts lines in the original text, including leading blank lines', () => {
    expect(() => parseGridMap('\n\n#####\n#S.G?\n#####', 'm')).toThrow(/at line 4, column 5/);
  });

  it('reports ragged rows with line and column', () => {
    expect(() => parseGridMap('#####\n#S.G#\n###\n', 'm')).toThrow(
      /^m: ragged rows at line 3, column 4: this row is 3 characters wide but the first row \(line 1\) is 5/,
    );
    expect(() => parseGridMap('#####\n#S.G##\n#####', 'm')).toThrow(/ragged rows at line 2, column 6/);
  });

  it('requires exactly one start and one goal', () => {
    expect(() => parseGridMap('#####\n#..G#\n#####', 'm')).toThrow("m: the map has no start cell 'S'");
    expect(() => parseGridMap('#####\n#S..#\n#####', 'm')).toThrow("m: the map has no goal cell 'G'");
    expect(() => parseGridMap('#####\n#SG.#\n#.G.#\n#####', 'm')).toThrow(
      "m: a second goal 'G' at line 3, column 3 (the first is at line 2, column 3)",
    );
    expect(() => parseGridMap('#####\n#SGS#\n#####', 'm')).toThrow(/a second start 'S' at line 2, column 4/);
    expect(() => parseGridMap('######\n#SKKG#\n######', 'm')).toThrow(/a second key 'K' at line 2, column 4/);
  });

  it('rejects an unreachable goal, naming both positions', () => {
    expect(() => parseGridMap('#######\n#S.#.G#\n#######', 'm')).toThrow(
      /^m: the goal at line 2, column 6 cannot be reached from the start at line 2, column 2/,
    );
    // Lava is not a path.
    expect(() => parseGridMap('#####\n#SLG#\n#####', 'm')).toThrow(/cannot be reached/);
    // A door whose key sits behind the door.
    expect(() => parseGridMap('#######\n#S.DKG#\n#######', 'm')).toThrow(/cannot be reached/);
    // The same door with the key on the start's side is fine.
    expect(parseGridMap('#######\n#SKD.G#\n#######', 'm').door).toBe(10);
  });

  it('rejects empty and oversized maps', () => {
    expect(() => parseGridMap('\n  \n', 'm')).toThrow('m: the map is empty');
    expect(() => parseGridMap(`S${'.'.repeat(70)}G`, 'm')).toThrow(/at most 64×64/);
  });

  it('accepts a map without a wall border (the edge blocks) and CRLF line ends', () => {
    const map = parseGridMap('S.\r\n.G\r\n', 'm');
    expect([map.width, map.height, map.start, map.goal]).toEqual([2, 2, 0, 3]);
  });
});

describe('BFS optimal returns (hand-checked)', () => {
  it('corridor: 3 steps', () => {
    const map = parseGridMap('S..G', 'corridor');
    expect(gridOptimalReturn(map, 10)).toBeCloseTo(1 - 0.9 * (3 / 10), 15);
    expect(gridOptimalReturn(map, 2)).toBe(0); // the goal cannot be reached in time
  });

  it('the built-in tasks: step counts counted by hand', () => {
    const expected: [string, number][] = [
      ['Grid-Empty-6x6-v0', 6], // (1,1) → (4,4)
      ['Grid-Empty-8x8-v0', 10], // (1,1) → (6,6)
      ['Grid-FourRooms-GoalNE-v0', 8], // centre → doorway → room → far corner
      ['Grid-FourRooms-GoalSW-v0', 8],
      ['Grid-LavaCrossing-v0', 12], // down to the gap row, across, down
      ['Grid-DoorKey-v0', 10], // 3 to the key, 2 to the door, 5 to the goal
      ['Grid-DistShift-A-v0', 12], // around the lava wall through row 4
      ['Grid-DistShift-B-v0', 6], // straight along the top row
    ];
    for (const [id, steps] of expected) {
      const spec = getEnvSpec(id);
      expect(spec.rewardThreshold, id).toBe(1 - 0.9 * (steps / spec.maxEpisodeSteps));
      expect(grid(id).optimalReturn(), id).toBe(spec.rewardThreshold);
    }
  });

  it('optimal return from other starts and the mean over start cells', () => {
    const map = parseGridMap('S.G', 'tiny'); // start cells: x = 0 (2 steps) and x = 1 (1 step)
    expect(gridOptimalReturn(map, 10, 1)).toBe(1 - 0.9 * (1 / 10));
    expect(gridMeanOptimalReturn(map, 10)).toBeCloseTo((1 - 0.09 + 1 - 0.18) / 2, 15);
    const env = grid('Grid-Empty-6x6-v0');
    expect(env.optimalReturn({ x: 4, y: 3 })).toBe(1 - 0.9 * (1 / 144));
    expect(() => env.optimalReturn({ x: 9, y: 0 })).toThrow(/outside the 6×6 map/);
  });
});

describe('rules', () => {
  it('DoorKey: the optimal action sequence earns exactly the optimal return', () => {
    const env = grid('Grid-DoorKey-v0');
    env.reset(0);
    const keyBit = env.map.width * env.map.height;
    const path = [DOWN, DOWN, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, DOWN, DOWN, DOWN];
    let last = env.step(path[0]!);
    for (const a of path.slice(1)) {
      expect(last.terminated).toBe(false);
      last = env.step(a);
    }
    expect(last.terminated).toBe(true);
    expect(last.reward).toBe(env.spec.rewardThreshold);
    expect(last.observation[keyBit]).toBe(1);
    expect(env.getState()).toEqual([6, 6, 1, 1, 10]);
  });

  it('a locked door blocks without the key; the key is picked up by walking onto it', () => {
    const env = grid('Grid-DoorKey-v0');
    env.setState([3, 3, 0, 0, 0]); // left of the door, no key
    env.step(RIGHT);
    expect(env.getState()).toEqual([3, 3, 0, 0, 1]);
    env.step(LEFT); // onto the key at (2, 3)
    expect(env.getState()).toEqual([2, 3, 1, 0, 2]);
    expect(env.snapshot()).toMatchObject({ hasKey: true, doorOpen: false, agent: { x: 2, y: 3, dir: LEFT } });
    expect((env.snapshot() as { rows: string[] }).rows[3]).toBe('#...D..#');
  });

  it('walls and the map edge leave the agent in place; the step still counts', () => {
    const env = grid('Grid-Empty-6x6-v0');
    env.reset(0);
    const r = env.step(UP);
    expect(env.getState()).toEqual([1, 1, 0, 0, 1]);
    expect(r.reward).toBe(0);
    const edge = parseGridMap('SG', 'edge');
    expect(edge.width).toBe(2);
  });

  it('lava ends the episode with reward 0', () => {
    const env = grid('Grid-LavaCrossing-v0');
    env.setState([3, 1, 0, 0, 0]);
    const r = env.step(RIGHT);
    expect([r.reward, r.terminated, r.truncated]).toEqual([0, true, false]);
  });

  it('the goal reward decays with the step count: 1 − 0.9·t/T', () => {
    const env = grid('Grid-Empty-6x6-v0');
    env.setState([4, 3, 0, 0, 99]);
    const r = env.step(DOWN);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(1 - 0.9 * (100 / 144));
  });

  it('observation: one-hot of y·width + x, plus the key bit on key maps', () => {
    const env = grid('Grid-FourRooms-GoalNE-v0');
    const obs = env.reset(0).observation;
    expect(obs.length).toBe(121);
    expect(obs.indexOf(1)).toBe(5 * 11 + 5);
    expect(env.step(UP).observation.indexOf(1)).toBe(4 * 11 + 5);
    expect(grid('Grid-DoorKey-v0').observationSize).toBe(65);
  });

  it('the four FourRooms tasks share the layout and the start and differ only in the goal', () => {
    const ids = ['NE', 'NW', 'SE', 'SW'].map((r) => `Grid-FourRooms-Goal${r}-v0`);
    const envs = ids.map((id) => grid(id));
    const strip = (rows: string[]): string => rows.join('\n').replace('G', '.');
    for (const env of envs) {
      expect(strip(env.map.rows)).toBe(strip(envs[0]!.map.rows));
      expect(env.map.start).toBe(envs[0]!.map.start);
    }
    expect(new Set(envs.map((e) => e.map.goal)).size).toBe(4);
  });
});

describe('random starts', () => {
  it('draw uniformly among the start cells, reproducibly from the seed', () => {
    const env = grid('Grid-FourRooms-GoalNE-v0', { randomStart: 1 });
    const cells = env.startCells();
    expect(cells).toHaveLength(68); // 4 rooms × 16 + 4 doorways + centre − goal
    const allowed = new Set(cells.map((c) => `${c.x},${c.y}`));
    const seen = new Set<string>();
    env.reset(42);
    const firstRun: number[][] = [];
    for (let i = 0; i < 2000; i++) {
      env.reset();
      const s = env.getState();
      expect(allowed.has(`${s[0]},${s[1]}`)).toBe(true);
      seen.add(`${s[0]},${s[1]}`);
      if (i < 20) firstRun.push(s);
    }
    expect(seen.size).toBe(68);
    env.reset(42);
    for (let i = 0; i < 20; i++) {
      env.reset();
      expect(env.getState()).toEqual(firstRun[i]);
    }
    const fixed = grid('Grid-FourRooms-GoalNE-v0');
    for (let i = 0; i < 5; i++) {
      fixed.reset(i);
      expect(fixed.getState()).toEqual([5, 5, 0, 0, 0]);
    }
  });

  it('never start on the key, the door, lava or the goal; keyless starts can still reach the goal', () => {
    const env = grid('Grid-DoorKey-v0', { randomStart: 1 });
    const cells = env.startCells();
    expect(cells).toHaveLength(28); // 18 + 12 floor cells − key − goal
    expect(cells).not.toContainEqual({ x: 2, y: 3 });
    expect(cells).not.toContainEqual({ x: 4, y: 3 });
    for (const c of cells) expect(env.optimalReturn(c)).toBeGreaterThan(0);
  });
});

describe('setState checks', () => {
  it('rejects impossible states with a message', () => {
    const env = grid('Grid-DoorKey-v0');
    expect(() => env.setState([0, 0, 0, 0, 0])).toThrow('cannot place the agent on a wall at (0, 0)');
    expect(() => env.setState([6, 6, 0, 0, 0])).toThrow(/on the goal/);
    expect(() => env.setState([8, 1, 0, 0, 0])).toThrow(/position \(8, 1\) is outside the 8×8 map/);
    expect(() => env.setState([1.5, 1, 0, 0, 0])).toThrow(/outside/);
    expect(() => env.setState([1, 1, 2, 0, 0])).toThrow('hasKey must be 0 or 1, got 2');
    expect(() => env.setState([2, 3, 0, 0, 0])).toThrow(/on the key .* hasKey must be 1/);
    expect(() => env.setState([4, 3, 1, 0, 0])).toThrow(/in the door .* doorOpen must be 1/);
    expect(() => env.setState([1, 1, 0, 0, 640])).toThrow(
      'stepCount must be an integer in [0, 639], got 640',
    );
    expect(() => grid('Grid-Empty-6x6-v0').setState([1, 1, 1, 0, 0])).toThrow(/the map has no key/);
    // A failed setState leaves a fresh env unable to step.
    expect(() => env.step(0)).toThrow(/before reset/);
  });
});

describe('registerGridMap', () => {
  const text = `
#######
#S...G#
#.###.#
#.....#
#######`;

  it('registers a user map that makeEnv can build', () => {
    const spec = registerGridMap('Grid-Test-Loop-v0', text, { maxEpisodeSteps: 50, description: 'loop' });
    expect(spec).toMatchObject({ id: 'Grid-Test-Loop-v0', family: 'gridworld', observationSize: 35 });
    expect(spec.rewardThreshold).toBe(1 - 0.9 * (4 / 50));
    expect(spec.randomReturn).toBeGreaterThan(0);
    const env = grid('Grid-Test-Loop-v0', { randomStart: 1 });
    expect(env.startCells()).toHaveLength(11);
    expect(getEnvSpec('Grid-Test-Loop-v0')).toBe(spec);
    // Re-registering a user id replaces it; the default T is 4·width·height.
    expect(registerGridMap('Grid-Test-Loop-v0', text).maxEpisodeSteps).toBe(4 * 7 * 5);
  });

  it('rejects bad maps (with line and column), bad ids and built-in ids', () => {
    expect(() => registerGridMap('Grid-Bad-v0', '#####\n#S?G#\n#####')).toThrow(
      /^Grid-Bad-v0: unknown character "\?" at line 2, column 3/,
    );
    expect(() => registerGridMap('Grid-Empty-6x6-v0', text)).toThrow(/built in and cannot be replaced/);
    expect(() => registerGridMap('bad id!', text)).toThrow(/Invalid environment id "bad id!"/);
    expect(() => registerGridMap('Grid-T-v0', text, { maxEpisodeSteps: 0 })).toThrow(
      'maxEpisodeSteps must be an integer in [1, 100000], got 0',
    );
  });
});

describe('gridworld descriptions (menu tooltips)', () => {
  it('state the real map size, read from the map (Grid-Empty-6x6 once claimed "4×4")', () => {
    expect(getEnvSpec('Grid-Empty-6x6-v0').description).toMatch(/ 6×6 map \(walls included\)\.$/);
    expect(getEnvSpec('Grid-FourRooms-GoalNE-v0').description).toMatch(/ 11×11 map \(walls included\)\.$/);
    for (const spec of listEnvs().filter((e) => e.family === 'gridworld')) {
      const env = grid(spec.id);
      const { width, height } = env.map;
      const sizes = spec.description.match(/\d+×\d+/g) ?? [];
      expect(sizes, spec.id).toEqual([`${width}×${height}`]);
    }
  });
});
