// Fuzz of the protocol parsers (fixed seed, bounded count): mutated valid requests and trainer messages, and
// random values, through parseRequest / parseCommand / parseTrainerMessage / parseResult / requestIdOf —
// none throws, every refusal is one bounded "Invalid …" sentence, nothing pollutes Object.prototype; and the
// trainer service (in process, fake engine) answers every mutated request exactly once and keeps serving.
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../envs/rng';
import {
  parseCommand,
  parseRequest,
  parseResult,
  parseTrainerMessage,
  requestIdOf,
  type Command,
  type CommandType,
} from '../../src/protocol/messages';
import { memoryPortPair } from '../../src/trainer/port';
import { TrainerService } from '../../src/trainer/service';
import { FUZZ_SEED, mutate, pick, randomValue } from '../support/fuzz';
import { TestClient } from './client';
import { testServiceOptions } from './in-process';

const CASES = 3000;
const SERVICE_CASES = 600;

const COMMANDS: Command[] = [
  {
    type: 'start',
    sequence: { tasks: [{ env: 'fake-grid', steps: 50, label: 'a' }] },
    strategy: 'finetune',
    lambda: 10,
    seed: 1,
    record: false,
    config: { evalEvery: 20 },
  },
  { type: 'start', sequence: 'fake-grid', strategy: 'ewc', seed: 2, record: true },
  { type: 'pause' },
  { type: 'resume' },
  { type: 'step', steps: 3 },
  { type: 'reset' },
  { type: 'switch-task', index: 0 },
  { type: 'set-speed', speed: { mode: 'fixed', stepsPerSecond: 30 } },
  { type: 'set-strategy', name: 'ewc', lambda: 100 },
  { type: 'set-lambda', value: 5 },
  { type: 'set-env-params', task: 0, params: { slip: 0.1 } },
  { type: 'marker', label: 'here' },
  { type: 'list-sessions' },
  { type: 'open-session', dir: 'some-session' },
  { type: 'playback-seek', step: 10 },
  { type: 'resume-session', dir: 'some-session' },
  { type: 'export-session', dir: 'some-session', format: 'csv' },
  { type: 'get-info' },
  { type: 'get-run' },
  { type: 'set-view', view: { live: true, multiples: false, overlay: true } },
];

const request = (command: unknown, id = 1): unknown => ({ kind: 'request', id, origin: 'ui', command });

function expectRefusal(result: { ok: boolean; error?: string }, what: RegExp): void {
  if (result.ok) return;
  expect(result.error).toMatch(what);
  expect(result.error!.length).toBeLessThan(2500);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-pfuzz-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function startService(): { service: TrainerService; client: TestClient; raw: unknown[] } {
  const { trainer, host } = memoryPortPair();
  const service = new TrainerService(testServiceOptions(trainer, tmp));
  const raw: unknown[] = [];
  host.onMessage((m) => raw.push(m));
  return { service, client: new TestClient(host), raw };
}

describe(`protocol fuzz (seed ${FUZZ_SEED})`, () => {
  it(`${CASES} mutated or random requests: parsed or refused with one clear sentence, never a throw`, () => {
    expect(COMMANDS.every((c) => parseCommand(c).ok)).toBe(true);
    const rng = new Rng(FUZZ_SEED);
    let refused = 0;
    for (let i = 0; i < CASES; i++) {
      const input =
        i % 10 === 0 ? randomValue(rng) : mutate(rng, request(pick(rng, COMMANDS), rng.integer(100)));
      const fromJson = (() => {
        try {
          return JSON.parse(JSON.stringify(input) ?? 'null') as unknown;
        } catch {
          return input; // BigInt and friends: not JSON, only structured clone can carry them
        }
      })();
      for (const candidate of [input, fromJson]) {
        const parsed = parseRequest(candidate);
        if (!parsed.ok) refused++;
        expectRefusal(parsed, /^Invalid request: /);
        const id = requestIdOf(candidate);
        expect(Number.isSafeInteger(id) && id >= -1).toBe(true);
        expectRefusal(
          parseCommand((candidate as { command?: unknown } | null)?.command),
          /^Invalid command: /,
        );
      }
    }
    expect(refused).toBeGreaterThan(CASES / 2); // the mutations do reach the refusal paths
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it(`${CASES} mutated trainer messages and results: parsed or refused, never a throw`, async () => {
    // Seeds: what a real (in-process, fake-engine) trainer sends during a short run.
    const { service, client, raw } = startService();
    await client.ok({ type: 'get-info' });
    await client.ok({ type: 'start', sequence: 'fake-grid', strategy: 'finetune', seed: 3, record: true });
    await client.waitFor(() => client.events.filter((e) => e.type === 'frame').length > 2);
    await client.ok({ type: 'list-sessions' });
    await client.ok({ type: 'reset' });
    service.close();
    expect(raw.length).toBeGreaterThan(5);
    const types = Object.values(COMMANDS).map((c) => c.type) as CommandType[];
    const rng = new Rng(FUZZ_SEED + 1);
    for (let i = 0; i < CASES; i++) {
      const input = i % 10 === 0 ? randomValue(rng) : mutate(rng, pick(rng, raw));
      const parsed = parseTrainerMessage(input);
      expectRefusal(parsed, /^Invalid (trainer message|event message|events message|reply message)/);
      expectRefusal(parseResult(pick(rng, types), randomValue(rng)), /^Invalid result of "/);
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it(`the trainer answers each of ${SERVICE_CASES} mutated requests once and keeps serving`, async () => {
    const { service, client } = startService();
    const rng = new Rng(FUZZ_SEED + 2);
    const replies: Promise<unknown>[] = [];
    for (let i = 0; i < SERVICE_CASES; i++) {
      const id = 10_000 + i;
      const message = mutate(rng, request(pick(rng, COMMANDS), id)) as Record<string, unknown> | null;
      // Keep the id so the reply can be matched (the id's own fuzzing is covered above).
      if (message && Object.getPrototypeOf(message) === Object.prototype) message.id = id;
      else continue;
      replies.push(
        Promise.race([
          client.raw(message, id),
          new Promise((_, reject) =>
            setTimeout(
              () =>
                reject(
                  new Error(
                    `no reply to request ${id} (${String((message.command as { type?: unknown } | undefined)?.type)})`,
                  ),
                ),
              10_000,
            ),
          ),
        ]),
      );
      if (i % 50 === 0) await Promise.all(replies.splice(0));
    }
    await Promise.all(replies);
    await client.ok({ type: 'reset' });
    const info = (await client.ok({ type: 'get-info' })) as { versions: { app: string } };
    expect(info.versions.app).toBe('test');
    expect(client.invalid).toEqual([]); // the trainer never sent what its own schema refuses
    service.close();
  });
});
