// Fuzz test: many mutated session folders (truncations, flipped bytes, garbage and huge lines, wrong
// versions and types, __proto__ keys, path traversal, symlinks out). Each must either open cleanly or throw
// a SessionError, never anything else; nothing may be written anywhere; every file stays byte-identical.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../envs/rng';
import { main } from '../../src/cli/main';
import { isSessionError } from '../../src/session/errors';
import { sessionTables } from '../../src/session/export';
import { metricSeries } from '../../src/session/metrics-series';
import { openSession, type OpenSessionOptions } from '../../src/session/reader';
import { prepareResume } from '../../src/session/resume';
import { summarizeSession } from '../../src/session/summary';
import { SessionRecorder } from '../../src/session/recorder';
import { hashTree, recordSynthetic, syntheticEvents, tempDir } from './helpers';

const CASES_PER_KIND = 25;
const READ_OPTS: OpenSessionOptions = { maxLineBytes: 4096 };

type Mutation = (dir: string, rng: Rng) => void;

const EV = 'events.ndjson';
const MF = 'session.json';

function lines(dir: string): string[] {
  return fs.readFileSync(path.join(dir, EV), 'utf8').split('\n');
}
function writeLines(dir: string, ls: string[]): void {
  fs.writeFileSync(path.join(dir, EV), ls.join('\n'));
}
function randomBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.integer(256);
  return b;
}
function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.integer(xs.length)]!;
}
/** Replace one random event line (not the last, empty one) with `f(parsed)`. */
function mutateEventLine(dir: string, rng: Rng, f: (o: Record<string, unknown>) => unknown): void {
  const ls = lines(dir);
  const i = rng.integer(ls.length - 1);
  ls[i] = JSON.stringify(f(JSON.parse(ls[i]!) as Record<string, unknown>));
  writeLines(dir, ls);
}

const WRONG_VALUES: unknown[] = [null, 'x', -1, 1.5, 0, [], {}, true, '9'.repeat(400)];

const MUTATIONS: Record<string, Mutation> = {
  truncateEvents: (dir, rng) => {
    const f = path.join(dir, EV);
    fs.truncateSync(f, rng.integer(fs.statSync(f).size + 1));
  },
  truncateManifest: (dir, rng) => {
    const f = path.join(dir, MF);
    fs.truncateSync(f, rng.integer(fs.statSync(f).size));
  },
  flipEventBytes: (dir, rng) => {
    const f = path.join(dir, EV);
    const b = fs.readFileSync(f);
    for (let k = 1 + rng.integer(5); k > 0; k--) b[rng.integer(b.length)] = rng.integer(256);
    fs.writeFileSync(f, b);
  },
  flipManifestBytes: (dir, rng) => {
    const f = path.join(dir, MF);
    const b = fs.readFileSync(f);
    for (let k = 1 + rng.integer(3); k > 0; k--) b[rng.integer(b.length)] = rng.integer(256);
    fs.writeFileSync(f, b);
  },
  garbageLine: (dir, rng) => {
    const ls = lines(dir);
    const garbage = pick(rng, [
      () =>
        randomBytes(rng, 1 + rng.integer(80))
          .toString('latin1')
          .replace(/\n/g, ' '),
      () => '{"type":"nope","step":1,"t":1}',
      () => '[1,2,3]',
      () => 'null',
      () => '',
      () => '{"type":"resume","step":1,"t":1,"checkpoint":null,"truncatedFrom":1,"truncatedCount":999999}',
      () => '{"type":"resume","step":1,"t":1,"checkpoint":null,"truncatedFrom":0,"truncatedCount":2}',
    ])();
    ls.splice(rng.integer(ls.length), 0, garbage);
    writeLines(dir, ls);
  },
  hugeLine: (dir, rng) => {
    const ls = lines(dir);
    const huge = `{"type":"marker","step":1,"t":1,"label":"${'x'.repeat(5000 + rng.integer(5000))}"}`;
    ls.splice(rng.integer(ls.length), 0, huge);
    writeLines(dir, ls);
  },
  wrongVersion: (dir, rng) => {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MF), 'utf8'));
    m.formatVersion = pick(rng, [0, 2, '1', null, 1.5, undefined, [1]]);
    fs.writeFileSync(path.join(dir, MF), JSON.stringify(m));
  },
  wrongManifestType: (dir, rng) => {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MF), 'utf8'));
    const key = pick(rng, Object.keys(m));
    m[key] = pick(rng, WRONG_VALUES);
    fs.writeFileSync(path.join(dir, MF), JSON.stringify(m));
  },
  wrongEventType: (dir, rng) =>
    mutateEventLine(dir, rng, (o) => {
      const key = pick(rng, Object.keys(o));
      return { ...o, [key]: pick(rng, WRONG_VALUES) };
    }),
  protoKeys: (dir, rng) => {
    const payload = pick(rng, [
      '"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}',
      // The same keys spelled with JSON escapes.
      '"\\u005f_proto__":{"polluted":1},"\\u0063onstructor":{"\\u0070rototype":{"polluted":1}}',
    ]);
    if (rng.integer(2) === 0) {
      const ls = lines(dir);
      const i = rng.integer(ls.length - 1);
      ls[i] = ls[i]!.replace(/^\{/, `{${payload},`);
      writeLines(dir, ls);
    } else {
      const text = fs.readFileSync(path.join(dir, MF), 'utf8');
      fs.writeFileSync(
        path.join(dir, MF),
        text.replace(/^\{/, `{${payload},`).replace('"config": {', `"config": {${payload},`),
      );
    }
  },
  traversal: (dir, rng) => {
    const bad = pick(rng, [
      '../outside',
      '../../outside',
      'checkpoints/../../outside',
      '/etc',
      'C:/Windows',
      'checkpoints\\..\\..\\x',
      'checkpoints//x',
      'checkpoints/\u0000x',
    ]);
    const ls = lines(dir);
    const i = ls.findIndex((l) => l.includes('"type":"checkpoint"'));
    const o = JSON.parse(ls[i]!);
    ls[i] = JSON.stringify({ ...o, dir: bad });
    if (rng.integer(2) === 0)
      ls.splice(
        ls.length - 1,
        0,
        JSON.stringify({
          type: 'resume',
          step: 1,
          t: 1,
          checkpoint: bad,
          truncatedFrom: 0,
          truncatedCount: 0,
        }),
      );
    writeLines(dir, ls);
  },
  symlinkOut: (dir) => {
    // The recorded checkpoint folder becomes a link to a folder outside the session.
    const cp = path.join(dir, 'checkpoints', 'step-000000000400');
    fs.rmSync(cp, { recursive: true });
    fs.symlinkSync(path.join(dir, '..', 'outside'), cp);
  },
  symlinkFiles: (dir, rng) => {
    // events.ndjson, session.json or checkpoints/ replaced by a link to a copy outside the session.
    const what = pick(rng, [EV, MF, 'checkpoints']);
    const outside = path.join(dir, '..', 'outside', what);
    fs.cpSync(path.join(dir, what), outside, { recursive: true });
    fs.rmSync(path.join(dir, what), { recursive: true });
    fs.symlinkSync(outside, path.join(dir, what));
  },
  missingFiles: (dir, rng) => {
    const what = pick(rng, [EV, MF, 'checkpoints']);
    fs.rmSync(path.join(dir, what), { recursive: true });
    if (rng.integer(2) === 0) fs.mkdirSync(path.join(dir, what)); // a folder where a file should be
  },
};

let base: string;
let baseResumed: string;
let work: string;

beforeAll(async () => {
  base = await recordSynthetic(path.join(tempDir(), 's'));
  // A session with a resume marker in it (crash after the first checkpoint, resumed, finished).
  const events = syntheticEvents();
  baseResumed = await recordSynthetic(path.join(tempDir(), 's'), events.slice(0, 10));
  fs.appendFileSync(path.join(baseResumed, EV), '{"type":"epis');
  const rec = SessionRecorder.resume(prepareResume(baseResumed));
  for (const e of events.slice(8)) rec.onEvent(e);
  rec.close();
  work = tempDir('lab-fuzz-');
});

afterAll(() => {
  for (const d of [path.dirname(base), path.dirname(baseResumed), work])
    fs.rmSync(d, { recursive: true, force: true });
});

/** Every read-only entry point; returns what happened. */
function exercise(dir: string): 'ok' | 'session-error' {
  try {
    const s = openSession(dir, READ_OPTS);
    for (const c of s.checkpoints) expect(path.relative(s.dir, c.absDir).startsWith('..')).toBe(false);
    summarizeSession(s);
    metricSeries(s.events, 150);
    sessionTables(s);
    prepareResume(dir, READ_OPTS);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(s)).not.toContain('polluted');
    return 'ok';
  } catch (error) {
    if (!isSessionError(error)) throw error;
    expect(error.message.length).toBeGreaterThan(10);
    expect(error.message).not.toContain('\n');
    return 'session-error';
  }
}

/**
 * Resuming any readable session (marker appended, manifest rewritten, a new checkpoint saved) writes only
 * inside the session, only appends to events.ndjson, and leaves a session that still opens.
 */
async function resumeStaysInside(caseRoot: string, dir: string, before: Map<string, string>): Promise<void> {
  const eventsBefore = fs.readFileSync(path.join(dir, EV));
  const rec = SessionRecorder.resume(prepareResume(dir, READ_OPTS));
  rec.onEvent({ type: 'marker', step: 1, t: 1, label: 'after resume' });
  await rec.saveCheckpoint(1, 1, (d) => fs.writeFileSync(path.join(d, 'x'), 'x'));
  rec.close();
  const after = hashTree(caseRoot);
  const inSession = (file: string): boolean => file.startsWith(`s${path.sep}`);
  for (const [file, hash] of before) if (!inSession(file)) expect(after.get(file), file).toBe(hash);
  for (const file of after.keys()) expect(inSession(file) || before.has(file), file).toBe(true);
  expect(fs.readFileSync(path.join(dir, EV)).subarray(0, eventsBefore.length).equals(eventsBefore)).toBe(
    true,
  );
  const reopened = openSession(dir, READ_OPTS);
  expect(reopened.events.at(-1)).toMatchObject({ type: 'checkpoint', step: 1 });
}

describe('fuzzed session folders', () => {
  for (const [kind, mutate] of Object.entries(MUTATIONS)) {
    it(`${kind}: opens cleanly or throws SessionError, writes nothing`, async () => {
      const rng = new Rng(kind.length * 7919 + kind.charCodeAt(0));
      const outcomes = { ok: 0, 'session-error': 0 };
      const cases = kind === 'symlinkOut' ? 1 : CASES_PER_KIND;
      for (let c = 0; c < cases; c++) {
        const caseRoot = path.join(work, `${kind}-${c}`);
        const dir = path.join(caseRoot, 's');
        fs.cpSync(c % 2 === 0 ? base : baseResumed, dir, { recursive: true });
        fs.mkdirSync(path.join(caseRoot, 'outside'));
        fs.writeFileSync(path.join(caseRoot, 'outside', 'sentinel'), 'do not touch');
        mutate(dir, rng);
        const before = hashTree(caseRoot);
        const outcome = exercise(dir);
        outcomes[outcome]++;
        expect(hashTree(caseRoot)).toEqual(before);
        if (outcome === 'ok') await resumeStaysInside(caseRoot, dir, before);
        fs.rmSync(caseRoot, { recursive: true, force: true });
      }
      if (process.env.FUZZ_DEBUG) console.log(kind, outcomes);
      // Mutations that always break the session must always be reported.
      if (['wrongVersion', 'symlinkOut', 'missingFiles'].includes(kind)) expect(outcomes.ok).toBe(0);
      if (kind === 'traversal' || kind === 'symlinkFiles') expect(outcomes.ok).toBe(0);
      if (kind === 'protoKeys') expect(outcomes['session-error']).toBe(0);
    });
  }

  it('rejects a line over the default 16 MiB limit without decoding it', () => {
    const dir = path.join(work, 'huge', 's');
    fs.cpSync(base, dir, { recursive: true });
    const ls = lines(dir);
    ls.splice(2, 0, `{"type":"marker","step":1,"t":1,"label":"${'x'.repeat(17 * 1024 * 1024)}"}`);
    writeLines(dir, ls);
    expect(() => openSession(dir)).toThrow(
      /events\.ndjson line 3 is \d+ bytes long, over the 16777216-byte line limit/,
    );
  });

  it('cli inspect: exit 0 with one JSON line, or exit 2 with one sentence and no stack', async () => {
    const rng = new Rng(99);
    const out: string[] = [];
    const err: string[] = [];
    const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    try {
      const kinds = Object.keys(MUTATIONS);
      for (let c = 0; c < 40; c++) {
        const caseRoot = path.join(work, `cli-${c}`);
        const dir = path.join(caseRoot, 's');
        fs.cpSync(base, dir, { recursive: true });
        MUTATIONS[kinds[c % kinds.length]!]!(dir, rng);
        const before = hashTree(caseRoot);
        out.length = 0;
        err.length = 0;
        const code = await main(['inspect', dir, '--json']);
        expect(hashTree(caseRoot)).toEqual(before);
        if (code === 0) {
          expect(out).toHaveLength(1);
          expect(Object.keys(JSON.parse(out[0]!))).toEqual([
            'formatVersion',
            'complete',
            'events',
            'lastStep',
            'tasks',
            'lastCheckpointStep',
            'metrics',
          ]);
        } else {
          expect(code).toBe(2);
          expect(err.join('')).toMatch(/^error: [^\n]+\n$/);
          expect(err.join('')).not.toMatch(/\n\s+at /);
        }
      }
    } finally {
      so.mockRestore();
      se.mockRestore();
    }
  });
});
