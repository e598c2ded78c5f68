// Re-simulation round trip: an evaluation episode played live on a real environment is recorded as an
// `eval-episode` event, written to a session, read back and re-simulated frame by frame; the return, length
// and final state must match the live rollout exactly.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv } from '../../envs/index';
import { Rng } from '../../envs/rng';
import { SessionError } from '../../src/session/errors';
import type { EvalEpisodeEvent } from '../../src/session/events';
import { openSession } from '../../src/session/reader';
import { SessionRecorder } from '../../src/session/recorder';
import {
  episodeAtStep,
  listEpisodes,
  recordRollout,
  resimulate,
  resimulateAll,
} from '../../src/session/resimulate';
import { syntheticEvents, tempDir } from './helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Push the cart toward the side the pole leans (a fixed, deterministic policy that lasts a while). */
const leanPolicy = (obs: Float32Array): number => (obs[2]! + 0.5 * obs[3]! > 0 ? 1 : 0);

describe('resimulate', () => {
  it('reproduces live rollouts (CartPole with params, Acrobot, a gridworld) through a session file', () => {
    const rng = new Rng(3);
    const live = [
      recordRollout({
        envId: 'CartPole-v1',
        params: { length: 0.7 },
        seed: 11,
        task: 0,
        step: 100,
        t: 1,
        policy: leanPolicy,
      }),
      recordRollout({
        envId: 'CartPole-v1',
        params: {},
        seed: 12,
        task: 0,
        step: 200,
        t: 2,
        policy: () => rng.integer(2),
      }),
      recordRollout({
        envId: 'Acrobot-v1',
        params: {},
        seed: 5,
        task: 1,
        step: 300,
        t: 3,
        policy: (_o, i) => (i % 7 < 3 ? 0 : 2),
      }),
      recordRollout({
        envId: 'Grid-DoorKey-v0',
        params: { randomStart: 1 },
        seed: 9,
        task: 2,
        step: 400,
        t: 4,
        policy: () => rng.integer(4),
      }),
    ];
    const dir = path.join(tempDir(), 's');
    dirs.push(path.dirname(dir));
    const rec = new SessionRecorder({ out: dir });
    rec.onEvent(syntheticEvents()[0]!);
    for (const l of live) rec.onEvent(l.event);
    rec.close();

    const session = openSession(dir);
    const episodes = listEpisodes(session);
    expect(episodes.map((e) => e.step)).toEqual([100, 200, 300, 400]);
    expect(episodes[0]!.event.length).toBeGreaterThan(30); // the lean policy balances for a while
    episodes.forEach((ep, i) => {
      const { frames, return: ret, matchesRecorded } = resimulateAll(ep);
      expect(matchesRecorded).toBe(true);
      expect(ret).toBe(live[i]!.event.return);
      expect(frames).toHaveLength(ep.event.length + 1);
      expect(frames[frames.length - 1]!.snapshot).toEqual(live[i]!.finalSnapshot);
      const end = frames[frames.length - 1]!;
      expect(end.terminated || end.truncated).toBe(true);
    });
    expect(episodeAtStep(session, 250)?.step).toBe(200);
    expect(episodeAtStep(session, 50)).toBeUndefined();
  });

  it('matches a live episode frame by frame', () => {
    const { event } = recordRollout({
      envId: 'MountainCar-v0',
      params: {},
      seed: 4,
      task: 0,
      step: 0,
      t: 0,
      policy: (o) => (o[1]! >= 0 ? 2 : 0),
    });
    const env = makeEnv('MountainCar-v0', {});
    env.reset(4);
    for (const frame of resimulate(event)) {
      if (frame.action !== null) env.step(frame.action);
      expect(frame.snapshot).toEqual(env.snapshot());
    }
  });

  it('rejects recordings that do not fit the environment with a SessionError', () => {
    const { event } = recordRollout({
      envId: 'CartPole-v1',
      params: {},
      seed: 1,
      task: 0,
      step: 0,
      t: 0,
      policy: () => 0,
    });
    const tooLong: EvalEpisodeEvent = { ...event, actions: [...event.actions, 0, 0] };
    expect(() => [...resimulate(tooLong)]).toThrow(SessionError);
    expect(() => [...resimulate({ ...event, actions: [5] })]).toThrow(/out of range/);
    expect(() => [...resimulate({ ...event, envId: 'Nope-v9' })]).toThrow(SessionError);
    expect(() => [...resimulate({ ...event, params: { gravity: -1e9 } })]).toThrow(SessionError);
  });
});
