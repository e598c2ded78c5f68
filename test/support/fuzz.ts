/**
 * Seeded fuzz inputs for the parsers the outside can reach: random values of every kind a JSON parser or
 * Node's structured clone can deliver (numbers at the edges, huge and hostile strings, `__proto__` keys, deep
 * nesting), mutations of valid messages (a leaf replaced, a key dropped or added, a type swapped), random
 * URL paths built from traversal pieces, and random byte strings. Every generator takes the one seeded Rng,
 * so a failing case is reproduced by its seed and index.
 */
import { Rng } from '../../envs/rng';

/** The fixed seed of the fuzz suites (CI runs exactly these cases). */
export const FUZZ_SEED = 20_261_204;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.integer(items.length)]!;
}

const EDGE_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e308,
  1e-308,
  100_000,
  100_001,
  1e9,
];
const EDGE_STRINGS = [
  '',
  ' ',
  '..',
  '../..',
  '/etc/passwd',
  'C:\\Windows',
  '\0',
  '%00',
  '\u202e',
  '\ud800',
  'ünïcödé',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'x'.repeat(5000),
  'start',
  'pause',
  'request',
  'reply',
  'event',
  'events',
  'ui',
  'host',
  'CartPole-v1',
  'ewc',
  '{"a":1}',
];

/** A random value of any shape (depth-bounded). */
export function randomValue(rng: Rng, depth = 0): unknown {
  const r = rng.integer(depth > 3 ? 7 : 10);
  switch (r) {
    case 0:
      return pick(rng, EDGE_NUMBERS);
    case 1:
      return rng.uniformRange(-1e6, 1e6);
    case 2:
      return pick(rng, EDGE_STRINGS);
    case 3:
      return randomString(rng, rng.integer(40));
    case 4:
      return pick(rng, [null, undefined, true, false]);
    case 5:
      return rng.integer(1000) - 10;
    case 6:
      return pick(rng, [10n, new Date(0), new Uint8Array(3), new Float32Array([Number.NaN])]);
    case 7:
      return Array.from({ length: rng.integer(5) }, () => randomValue(rng, depth + 1));
    case 8:
    case 9: {
      const o: Record<string, unknown> = {};
      const n = rng.integer(5);
      for (let i = 0; i < n; i++)
        o[pick(rng, [...EDGE_STRINGS.slice(0, 20), randomString(rng, 6)])] = randomValue(rng, depth + 1);
      return o;
    }
  }
  return null;
}

export function randomString(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = rng.integer(10);
    s += r < 6 ? String.fromCharCode(32 + rng.integer(95)) : String.fromCharCode(rng.integer(0x3000));
  }
  return s;
}

/** Deep copy of a JSON-like value (keeps `__proto__` as an own key, as JSON.parse does). */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, { value: copy(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** Every path to a slot of a plain object or array in `value` (the root is []). */
function slots(
  value: unknown,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => slots(v, [...at, i], out));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) slots(v, [...at, k], out);
  return out;
}

/** `value` with 1–3 random mutations: a slot replaced, a key removed, a hostile key added, a type swapped. */
export function mutate(rng: Rng, value: unknown): unknown {
  let root = copy(value);
  const n = 1 + rng.integer(3);
  for (let m = 0; m < n; m++) {
    const all = slots(root);
    const where = pick(rng, all);
    if (where.length === 0) {
      root = rng.integer(4) === 0 ? randomValue(rng) : root;
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const key of where.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const key = where.at(-1)!;
    const kind = rng.integer(5);
    if (kind === 0 && !Array.isArray(parent)) delete parent[key];
    else if (kind === 1 && !Array.isArray(parent))
      Object.defineProperty(parent, pick(rng, ['__proto__', 'constructor', 'extra', 'kind', 'type']), {
        value: randomValue(rng),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else if (kind === 2)
      parent[key] = JSON.stringify(parent[key] ?? null, (_k, v: unknown) =>
        typeof v === 'bigint' ? `${v}` : v,
      );
    else if (kind === 3) parent[key] = [parent[key]];
    else parent[key] = randomValue(rng);
  }
  return root;
}

const PATH_PIECES = [
  '/',
  '//',
  '.',
  '..',
  '%2e',
  '%2E%2e',
  '%2f',
  '%2F',
  '%5c',
  '\\',
  '%00',
  '%',
  '%zz',
  '%e0%80%af',
  '%c0%ae',
  'assets',
  'index.html',
  'app.js',
  '.hidden',
  '.env',
  '~',
  'secret.txt',
  '?',
  '#',
  ';',
  ':',
  '@',
  '%3f',
  '*',
  'ü',
  '%u002e',
  '....',
  '.%2e',
  'etc',
  'passwd',
  ' ',
  '%20',
  'favicon.ico',
  'ws',
];

/** A random URL path (always starting with `/`) built from traversal and encoding pieces. */
export function randomUrlPath(rng: Rng): string {
  const n = 1 + rng.integer(8);
  let p = '/';
  for (let i = 0; i < n; i++) p += pick(rng, PATH_PIECES) + (rng.integer(2) ? '/' : '');
  if (rng.integer(10) === 0) p += 'a'.repeat(rng.integer(5000));
  return p;
}

export function randomBytes(rng: Rng, length: number): Buffer {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = rng.integer(256);
  return b;
}
