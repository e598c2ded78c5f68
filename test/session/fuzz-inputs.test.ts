// Fuzz suite for the outside inputs this side of the lab parses (issue #14, "Also"): sequence files and CLI
// flags. Seeded (fixed), bounded case counts, runs in `npm test`. Every case must end in a value or one clear
// error: for the CLI, exit 2 with exactly one `error:` sentence and no stack trace; never a crash, a hang, a
// TypeError, or a write outside the test folder. (Session folders are fuzzed in fuzz.test.ts.)
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../envs/rng';
import { main } from '../../src/cli/main';
import { loadSequence } from '../../src/continual/sequence';
import { tinyConfig } from '../continual/helpers';
import { hashTree, recordSynthetic, tempDir } from './helpers';

const SEQUENCE_CASES = 150;
const FLAG_CASES = 120;

let work: string;
let validSequence: string;
let session: string;
beforeAll(async () => {
  work = tempDir('lab-fuzz-inputs-');
  validSequence = JSON.stringify(tinyConfig('finetune').sequence);
  session = await recordSynthetic(path.join(work, 'session'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.integer(xs.length)]!;
}

const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  -1,
  0,
  1e308,
  -0,
  1.5,
  '',
  ' ',
  'x'.repeat(5000),
  '__proto__',
  [],
  [null],
  {},
  { __proto__: { polluted: 1 } },
  'Grid-FourRooms-GoalNE-v0',
  'CartPole-v1',
  '../../etc/passwd',
];

/** A structural mutation of a valid sequence spec: a field replaced, deleted or duplicated. */
function mutateSpec(rng: Rng, spec: unknown): unknown {
  if (spec === null || typeof spec !== 'object') return pick(rng, HOSTILE_VALUES);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(spec)
    ? [...(spec as unknown[])]
    : { ...(spec as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return pick(rng, HOSTILE_VALUES);
  const key = pick(rng, keys);
  const r = rng.uniform();
  const target = copy as Record<string, unknown>;
  if (r < 0.4) target[key] = mutateSpec(rng, target[key]);
  else if (r < 0.7) target[key] = pick(rng, HOSTILE_VALUES);
  else if (r < 0.85) delete target[key];
  else target[`${key}Extra`] = pick(rng, HOSTILE_VALUES);
  return copy;
}

function mutateText(rng: Rng, text: string): string {
  const r = rng.uniform();
  if (r < 0.5) return JSON.stringify(mutateSpec(rng, JSON.parse(text)));
  if (r < 0.7) return text.slice(0, rng.integer(text.length)); // truncated
  if (r < 0.85) {
    const bytes = Buffer.from(text);
    for (let i = 0; i < 1 + rng.integer(8); i++) bytes[rng.integer(bytes.length)] = rng.integer(256);
    return bytes.toString('latin1');
  }
  return text.replace(
    /"steps":\d+/g,
    () => `"steps":${pick(rng, ['-5', '1e12', '0', '0.5', '"10"', 'null'])}`,
  );
}

describe('fuzzed sequence files', () => {
  it(`${SEQUENCE_CASES} mutated specs: a resolved sequence or one clear Error, never a crash`, () => {
    const rng = new Rng(1401);
    const outcomes = { ok: 0, error: 0 };
    const file = path.join(work, 'fuzz.json');
    for (let c = 0; c < SEQUENCE_CASES; c++) {
      fs.writeFileSync(file, mutateText(rng, validSequence));
      try {
        const seq = loadSequence(file);
        expect(seq.tasks.length).toBeGreaterThan(0);
        outcomes.ok++;
      } catch (error) {
        expect(error, String(error)).toBeInstanceOf(Error);
        expect((error as Error).constructor.name, (error as Error).stack).not.toMatch(
          /TypeError|RangeError|ReferenceError/,
        );
        expect((error as Error).message.length).toBeGreaterThan(0);
        outcomes.error++;
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(outcomes.error).toBeGreaterThan(0);
  });

  it('non-regular and oversized files are refused before being read', () => {
    const big = path.join(work, 'big.json');
    fs.writeFileSync(big, ' '.repeat(1024 * 1024 + 1));
    for (const [file, message] of [
      ['/dev/zero', /is not a regular file/],
      ['/dev/null', /is not a regular file/],
      [work, /is not a regular file/],
      [big, /over the 1048576-byte limit/],
      [path.join(work, 'missing.json'), /no such file or folder \(ENOENT\)/],
    ] as const) {
      expect(() => loadSequence(file)).toThrow(message);
    }
  });
});

async function capture(argv: string[]): Promise<{ code: number; err: string; out: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await main(argv), err, out };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const FLAG_VALUES = [
  '',
  ' ',
  '-1',
  '0',
  '1.5',
  'NaN',
  'Infinity',
  '1e999',
  '0x10',
  '4294967296',
  '99999999999999999999',
  '{',
  '{"__proto__":{"polluted":1}}',
  '[]',
  'null',
  '"x"',
  '\u0000',
  'x'.repeat(10_000),
  '../../..',
  '/dev/zero',
  '/proc/self/mem',
  '--json',
  'all',
];

/** Each command with the flags it takes; the fixed part makes sure no case trains for real. */
const COMMANDS: { argv: () => string[]; flags: string[] }[] = [
  {
    argv: () => ['run', '--sequence', path.join(work, 'no-such-sequence.json'), '--no-record'],
    flags: ['--strategy', '--lambda', '--options', '--dqn', '--seed', '--eval-every'],
  },
  {
    argv: () => ['run', '--sequence', path.join(work, 'no-such-sequence.json')],
    flags: ['--out', '--resume', '--checkpoint-every', '--keep-checkpoints', '--lambda', '--seed'],
  },
  {
    argv: () => ['train', '--env', 'No-Such-Env-v0'],
    flags: [
      '--params',
      '--preset',
      '--config',
      '--steps',
      '--seed',
      '--out',
      '--eval-freq',
      '--eval-freq-episodes',
    ],
  },
  { argv: () => ['export', path.join(work, 'no-session')], flags: ['--format', '--out'] },
  { argv: () => ['inspect'], flags: [] },
];

describe('fuzzed CLI flags', () => {
  it(`${FLAG_CASES} hostile argument lists: exit 2 with one sentence, no stack, nothing written`, async () => {
    const rng = new Rng(1402);
    const before = hashTree(work);
    for (let c = 0; c < FLAG_CASES; c++) {
      const cmd = pick(rng, COMMANDS);
      const argv = cmd.argv();
      if (cmd.flags.length === 0) argv.push(pick(rng, [...FLAG_VALUES, session]));
      for (let i = 0; i < 1 + rng.integer(3) && cmd.flags.length > 0; i++) {
        argv.push(pick(rng, cmd.flags), pick(rng, FLAG_VALUES));
      }
      const r = await capture(argv);
      const label = JSON.stringify(argv).slice(0, 300);
      if (argv[0] === 'inspect' && argv[1] === session) {
        expect(r.code, label).toBe(0);
        continue;
      }
      expect(r.code, `${label}\n${r.err}`).toBe(2);
      expect(r.err, label).toMatch(/error: /);
      expect(r.err.split('\n').filter((l) => l.startsWith('error: ')).length, label).toBe(1);
      expect(r.err, label).not.toMatch(/\n\s+at |TypeError|RangeError/);
      expect(r.out, label).toBe('');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(hashTree(work)).toEqual(before);
  });
});
