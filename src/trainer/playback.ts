/**
 * Recorded sessions for the UI: resolve a session folder safely, list the sessions under the root, open one
 * for playback (its events, for the charts up to the scrubber's cursor) and answer `playback-seek` with the
 * re-simulated evaluation episode nearest before the cursor, read through a byte-offset index (no full load).
 *
 * Folder rules: commands from the UI name a folder directly under the sessions root (no separators, no
 * `..`); only commands issued by the host itself (an Electron file dialog) may give an absolute path.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EnvSnapshot } from '../../envs/types';
import type { EvalEpisodeEvent, RunEvent } from '../session/events';
import { EVENTS_FILE } from '../session/paths';
import { listSessions, openSession, parseLine } from '../session/reader';
import type { PlaybackFrame, SessionOpened, SessionSummary } from '../protocol/messages';

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

/** Where a recorded evaluation episode lies in events.ndjson: read back on demand, never all at once. */
interface EpisodeIndexEntry {
  step: number;
  task: number;
  offset: number;
  length: number;
  /** sha1 of the validated event, to notice a log rewritten under the index. */
  digest: string;
}

/**
 * A session opened for playback. The event log is streamed once: the UI gets every event except the recorded
 * evaluation episodes (their action lists are the bulk of a long log), which are indexed by byte offset and
 * read back one at a time when the scrubber seeks.
 */
export class PlaybackSession {
  readonly dir: string;
  readonly opened: SessionOpened;
  private readonly episodes: EpisodeIndexEntry[] = [];
  /** [step, task] of each task-start, in order (which task was trained at a given step). */
  private readonly spans: { step: number; task: number }[];
  private readonly labels: string[];
  private readonly eventsFile: string;
  private readonly eventsBytes: number;

  constructor(dir: string) {
    const session = openSession(dir, {
      keep: (e) => e.type !== 'eval-episode',
      visit: (e, where) => {
        if (e.type === 'eval-episode') {
          const digest = digestOf(e);
          this.episodes.push({
            step: e.step,
            task: e.task,
            offset: where.offset,
            length: where.length,
            digest,
          });
        }
      },
    });
    this.dir = session.dir;
    this.eventsFile = path.join(session.dir, EVENTS_FILE);
    this.eventsBytes = session.eventsBytes;
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
    let any: EpisodeIndexEntry | null = null;
    let same: EpisodeIndexEntry | null = null;
    for (const e of this.episodes) {
      if (e.step > step) break;
      any = e;
      if (e.task === task) same = e;
    }
    const found = same ?? any;
    return found ? this.readEpisode(found) : null;
  }

  /** Read one indexed evaluation episode back from the log (validated again: the file may have changed). */
  private readEpisode(entry: EpisodeIndexEntry): EvalEpisodeEvent {
    const buf = Buffer.alloc(entry.length);
    const fd = fs.openSync(this.eventsFile, 'r');
    try {
      if (fs.fstatSync(fd).size < this.eventsBytes) {
        throw new Error(`${this.eventsFile} shrank since the session was opened; open it again.`);
      }
      fs.readSync(fd, buf, 0, entry.length, entry.offset);
    } finally {
      fs.closeSync(fd);
    }
    const parsed = parseLine(buf);
    if (
      !('event' in parsed) ||
      parsed.event.type !== 'eval-episode' ||
      digestOf(parsed.event) !== entry.digest
    ) {
      throw new Error(`${this.eventsFile} changed since the session was opened; open it again.`);
    }
    return parsed.event;
  }

  seek(step: number, resimulate: Resimulate): PlaybackFrame {
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

function digestOf(e: RunEvent): string {
  return crypto.createHash('sha1').update(JSON.stringify(e)).digest('base64');
}
