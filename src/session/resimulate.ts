/**
 * Re-simulation of recorded evaluation episodes (`eval-episode` events): rebuild the environment with
 * `makeEnv(envId, params)`, `reset(seed)`, then take the recorded actions one by one. The environments are
 * deterministic given the seed, so every frame is exactly what the agent saw. Used by session playback in the UI.
 */
import { makeEnv } from '../../envs/index';
import type { Env, EnvSnapshot } from '../../envs/types';
import { SessionError } from './errors';
import type { EvalEpisodeEvent } from './events';
import type { Session } from './reader';

/** A recorded episode as listed for the UI. */
export interface RecordedEpisode {
  /** Position in `listEpisodes` (stable for a given session). */
  index: number;
  /** Global step at which the episode was recorded. */
  step: number;
  /** 1-based line in events.ndjson. */
  line: number;
  event: EvalEpisodeEvent;
}

/** One frame of a re-simulated episode. Frame 0 is the state after reset (action null, reward 0). */
export interface ResimulatedFrame {
  /** 0 after reset, then 1, 2, … after each action. */
  index: number;
  snapshot: EnvSnapshot;
  /** Action that led to this frame (null for frame 0). */
  action: number | null;
  reward: number;
  /** Sum of rewards up to and including this frame. */
  cumulativeReturn: number;
  terminated: boolean;
  truncated: boolean;
}

/** Every effective `eval-episode` of the session, in recording order. */
export function listEpisodes(session: Session): RecordedEpisode[] {
  const out: RecordedEpisode[] = [];
  session.events.forEach((e, i) => {
    if (e.type === 'eval-episode')
      out.push({ index: out.length, step: e.step, line: session.lines[i]!, event: e });
  });
  return out;
}

/** The last recorded episode at or before `step` (the playback scrubber's choice), or undefined. */
export function episodeAtStep(session: Session, step: number): RecordedEpisode | undefined {
  let found: RecordedEpisode | undefined;
  for (const ep of listEpisodes(session)) {
    if (ep.step > step) break;
    found = ep;
  }
  return found;
}

function buildEnv(e: EvalEpisodeEvent): Env {
  try {
    return makeEnv(e.envId, e.params);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new SessionError(`The recorded episode cannot be re-simulated: ${why}.`, { cause: error });
  }
}

/**
 * Re-simulate a recorded episode frame by frame. Throws SessionError when the env cannot be built, an
 * action is out of range, or the episode ends before its recorded actions do (a recording that does not
 * match this build's environment).
 */
export function* resimulate(
  episode: EvalEpisodeEvent | RecordedEpisode,
): Generator<ResimulatedFrame, void, void> {
  const e = 'event' in episode ? episode.event : episode;
  const env = buildEnv(e);
  env.reset(e.seed);
  let total = 0;
  yield {
    index: 0,
    snapshot: env.snapshot(),
    action: null,
    reward: 0,
    cumulativeReturn: 0,
    terminated: false,
    truncated: false,
  };
  for (let i = 0; i < e.actions.length; i++) {
    const action = e.actions[i]!;
    if (action >= env.actionCount) {
      throw new SessionError(
        `Recorded action ${action} at position ${i} is out of range for ${e.envId} (${env.actionCount} actions).`,
      );
    }
    const r = env.step(action);
    total += r.reward;
    const last = i === e.actions.length - 1;
    if ((r.terminated || r.truncated) && !last) {
      throw new SessionError(
        `The recorded ${e.envId} episode ends after ${i + 1} of its ${e.actions.length} actions when re-simulated; the recording does not match this environment.`,
      );
    }
    yield {
      index: i + 1,
      snapshot: env.snapshot(),
      action,
      reward: r.reward,
      cumulativeReturn: total,
      terminated: r.terminated,
      truncated: r.truncated,
    };
  }
}

/** Re-simulate the whole episode; returns all frames and whether the return matches the recorded one. */
export function resimulateAll(episode: EvalEpisodeEvent | RecordedEpisode): {
  frames: ResimulatedFrame[];
  return: number;
  matchesRecorded: boolean;
} {
  const e = 'event' in episode ? episode.event : episode;
  const frames = [...resimulate(e)];
  const ret = frames[frames.length - 1]!.cumulativeReturn;
  return {
    frames,
    return: ret,
    matchesRecorded: Math.abs(ret - e.return) <= 1e-9 * Math.max(1, Math.abs(e.return)),
  };
}

/**
 * Play one episode live with `policy` and return it as an `eval-episode` event (what the runner records
 * for each evaluation episode it keeps). `env` may be passed to reuse one built with the same id/params.
 */
export function recordRollout(opts: {
  envId: string;
  params: Record<string, number>;
  seed: number;
  task: number;
  step: number;
  t: number;
  policy: (observation: Float32Array, index: number) => number;
  env?: Env;
}): { event: EvalEpisodeEvent; finalSnapshot: EnvSnapshot } {
  const env = opts.env ?? makeEnv(opts.envId, opts.params);
  let obs = env.reset(opts.seed).observation;
  const actions: number[] = [];
  let ret = 0;
  for (;;) {
    const a = opts.policy(obs, actions.length);
    actions.push(a);
    const r = env.step(a);
    ret += r.reward;
    obs = r.observation;
    if (r.terminated || r.truncated) break;
  }
  const event: EvalEpisodeEvent = {
    type: 'eval-episode',
    step: opts.step,
    t: opts.t,
    task: opts.task,
    envId: opts.envId,
    params: opts.params,
    seed: opts.seed,
    actions,
    return: ret,
    length: actions.length,
  };
  return { event, finalSnapshot: env.snapshot() };
}
