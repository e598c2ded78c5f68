// The protocol's schemas and parse helpers: clear errors, discriminated unions, snapshot mirror.
import { describe, expect, it } from 'vitest';
import { makeEnv, listEnvs } from '../../envs/index';
import {
  envSnapshotSchema,
  parseCommand,
  parseRequest,
  parseResult,
  parseTrainerMessage,
  eventsOf,
  fileNameSchema,
  requestIdOf,
} from '../../src/protocol/messages';
import { resolveSessionDir } from '../../src/trainer/playback';

describe('protocol messages', () => {
  it('accepts every command the LabApi sends and names the bad field otherwise', () => {
    expect(
      parseCommand({
        type: 'start',
        sequence: { tasks: [{ env: 'CartPole-v1', steps: 10 }] },
        strategy: 'ewc',
        seed: 0,
        record: false,
      }).ok,
    ).toBe(true);
    expect(parseCommand({ type: 'set-speed', speed: { mode: 'fixed', stepsPerSecond: 30 } }).ok).toBe(true);
    const bad = parseCommand({ type: 'set-speed', speed: { mode: 'warp' } });
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.error).toMatch(/^Invalid command: speed\.mode/);
    const nan = parseCommand({ type: 'set-lambda', value: Number.NaN });
    expect(!nan.ok && nan.error).toMatch(/value/);
    expect(parseCommand({ type: 'nope' }).ok).toBe(false);
    expect(parseCommand(null).ok).toBe(false);
  });

  it('recovers the id of an invalid request so the error reaches its caller', () => {
    expect(requestIdOf({ kind: 'request', id: 12, command: {} })).toBe(12);
    expect(requestIdOf({ id: -3 })).toBe(-1);
    expect(requestIdOf('x')).toBe(-1);
    expect(parseRequest({ kind: 'request', id: 1, origin: 'ui', command: { type: 'pause' } }).ok).toBe(true);
    expect(parseRequest({ kind: 'request', id: 1, origin: 'admin', command: { type: 'pause' } }).ok).toBe(
      false,
    );
  });

  it('says what is wrong with a trainer message', () => {
    expect(parseTrainerMessage({ kind: 'x' })).toEqual({
      ok: false,
      error: 'Invalid trainer message: kind must be "event", "events" or "reply".',
    });
    const bad = parseTrainerMessage({ kind: 'event', event: { type: 'status', status: {} } });
    expect(!bad.ok && bad.error).toMatch(/^Invalid event message: event\.status\./);
    expect(parseTrainerMessage({ kind: 'events', events: [] }).ok).toBe(false);
  });

  it('checks each event of a coalesced message on its own', () => {
    const parsed = parseTrainerMessage({
      kind: 'events',
      events: [
        { type: 'error', message: 'kept' },
        { type: 'frame', step: -1 },
      ],
    });
    expect(parsed.ok).toBe(true);
    const events = parsed.ok ? eventsOf(parsed.value) : [];
    expect(events[0]).toEqual({ type: 'error', message: 'kept' });
    expect(events[1]).toMatchObject({ type: 'error' });
    expect((events[1] as { message: string }).message).toMatch(/^Invalid event: step/);
    expect(eventsOf({ kind: 'reply', id: 1, ok: true, result: null })).toEqual([]);
  });

  it('accepts only plain file names for exports and saved files', () => {
    expect(fileNameSchema.safeParse('run-1-csv.zip').success).toBe(true);
    expect(fileNameSchema.safeParse('continual-rl-lab-2026-11-29T02-03-03-157Z.webm').success).toBe(true);
    for (const bad of [
      '',
      '../x',
      'a/b',
      'a\\b',
      '..',
      'nul\0',
      'two\nlines',
      '.hidden',
      'c:x',
      'a?b',
      'del\x7f',
    ])
      expect(fileNameSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(parseResult('get-info', { protocol: 1 }).ok).toBe(false);
    expect(parseResult('pause', null)).toEqual({ ok: true, value: null });
  });

  it("mirrors every environment's snapshot", () => {
    for (const spec of listEnvs()) {
      const env = makeEnv(spec.id);
      env.reset(1);
      env.step(0);
      expect(envSnapshotSchema.safeParse(env.snapshot()).success, spec.id).toBe(true);
    }
  });

  it('resolves session names under the root and refuses everything else from the UI', () => {
    expect(resolveSessionDir('/s', '20260101-x', 'ui')).toBe('/s/20260101-x');
    for (const bad of ['..', '.', '../x', 'a/b', 'a\\b', '/etc', '.git', 'x\0']) {
      expect(() => resolveSessionDir('/s', bad, 'ui'), bad).toThrow(/is not a session name/);
    }
    expect(resolveSessionDir('/s', '/elsewhere/session', 'host')).toBe('/elsewhere/session');
  });
});
