/**
 * Recorded sessions for the UI: resolve a session folder safely, list the sessions under the root, open one
 * for replay (its events, for the charts up to the scrubber's cursor) and answer `replay-seek` with the
 * re-simulated evaluation episode nearest before the cursor.
 *
 * Folder rules: commands from the UI name a folder directly under the sessions root (no separators, no
 * `..`); only commands issued by the host itself (an Electron file dialog) may give an absolute path.
 */
import path from 'node:path';
import type { EnvSnapshot } from '../../envs/types';
import type { EvalEpisodeEvent, RunEvent } from '../session/events';
import { listSessions, openSession } from '../session/reader';
import type { ReplayFrame, SessionOpened, SessionSummary } from '../protocol/messages';

/** Re-simulates a recorded evaluation episode: one snapshot after reset and one after each action. */
export type Resimulate = (episode: EvalEpisodeEvent) => EnvSnapshot[];

/** Resolve `dir` from a command; throws a one-sentence Error when it is not allowed. */
export function resolveSessionDir(root: string, dir: string, origin: 'ui' | 'host'): string {
  if (origin === 'host' && path.isAbsolute(dir)) return path.resolve(dir);
  if (
    dir === '.' ||
    dir === '..' ||
    dir.includes('/') ||
    dir.includes('\\') ||
    dir.includes('\0') ||
    dir.startsWith('.')
  ) {
    throw new Error(`"${dir.slice(0, 100)}" is not a session name: give the name of a folder in ${root}.`);
  }
  return path.join(path.resolve(root), dir);
}

export function listSessionSummaries(root: string): SessionSummary[] {
  return listSessions(root).map((s) => ({ ...s }));
}

/** A session opened for replay. */
export class ReplaySession {
  readonly dir: string;
  readonly opened: SessionOpened;
  private readonly episodes: EvalEpisodeEvent[];
  /** [step, task] of each task-start, in order (which task was trained at a given step). */
  private readonly spans: { step: number; task: number }[];
  private readonly labels: string[];

  constructor(dir: string) {
    const session = openSession(dir);
    this.dir = session.dir;
    this.episodes = session.events.filter((e): e is EvalEpisodeEvent => e.type === 'eval-episode');
    this.spans = [];
    this.labels = [];
    const tasks: SessionOpened['tasks'] = [];
    for (const e of session.events) {
      if (e.type !== 'task-start') continue;
      this.spans.push({ step: e.step, task: e.task });
      if (!tasks[e.task]) tasks[e.task] = { label: e.label, envId: e.envId };
    }
    for (let i = 0; i < tasks.length; i++) {
      tasks[i] ??= { label: `task ${i}`, envId: 'unknown' };
      this.labels[i] = tasks[i]!.label;
    }
    this.opened = {
      dir: path.basename(session.dir),
      tasks,
      lastStep: session.lastStep,
      events: session.events as RunEvent[],
      episodeSteps: this.episodes.map((e) => e.step),
      warnings: session.warnings,
    };
  }

  /** The task being trained at `step` (the last task-start at or before it), or null before the first. */
  taskAt(step: number): number | null {
    let task: number | null = null;
    for (const s of this.spans) {
      if (s.step > step) break;
      task = s.task;
    }
    return task;
  }

  /**
   * The recorded evaluation episode to show at `step`: the latest one at or before the cursor for the task
   * being trained there, else the latest one of any task, else none.
   */
  episodeAt(step: number): EvalEpisodeEvent | null {
    const task = this.taskAt(step);
    let any: EvalEpisodeEvent | null = null;
    let same: EvalEpisodeEvent | null = null;
    for (const e of this.episodes) {
      if (e.step > step) break;
      any = e;
      if (e.task === task) same = e;
    }
    return same ?? any;
  }

  seek(step: number, resimulate: Resimulate): ReplayFrame {
    const episode = this.episodeAt(step);
    if (!episode) {
      const task = this.taskAt(step);
      return {
        step,
        episodeStep: null,
        task,
        label: task === null ? '' : (this.labels[task] ?? ''),
        snapshots: [],
        return: null,
      };
    }
    return {
      step,
      episodeStep: episode.step,
      task: episode.task,
      label: this.labels[episode.task] ?? `task ${episode.task}`,
      snapshots: resimulate(episode),
      return: episode.return,
    };
  }
}
