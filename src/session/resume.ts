/**
 * prepareResume(dir): everything `run --resume DIR` needs to continue a session from its last checkpoint.
 *
 * Reads the session (read-only), picks the last effective checkpoint whose folder exists, and computes the
 * logical truncation: every line after that checkpoint's event (including a torn last line) is superseded.
 * Nothing is written here; `SessionRecorder.resume(prepared)` appends the `resume` marker that records the
 * truncation, and the events file is never rewritten. Without any checkpoint the run restarts from step 0
 * in the same session (every earlier line superseded).
 */
import type { EvalEvent, RunEvent, RunStartEvent, TaskEndEvent } from './events';
import { SessionError } from './errors';
import type { SessionManifest } from './manifest';
import { openSession, type OpenSessionOptions, type SessionCheckpoint } from './reader';

export interface PreparedResume {
  /** Absolute session folder. */
  dir: string;
  manifest: SessionManifest;
  /** The recorded RunConfig (validate it with the continual engine's schema before use). */
  config: Record<string, unknown>;
  /** The checkpoint to load, or null to start over from step 0. */
  checkpoint: { relDir: string; absDir: string; step: number; t: number; line: number } | null;
  /** Global env step the resumed run continues from (the checkpoint's step, or 0). */
  step: number;
  /** Run time (ms) at the checkpoint; the resumed run's `t` continues from here. */
  t: number;
  /** Effective events kept (recorded up to and including the checkpoint event). */
  eventCount: number;
  /** Those events, in order. */
  events: RunEvent[];
  /** Size of events.ndjson when prepared; `SessionRecorder.resume` refuses if it has changed since. */
  eventsBytes: number;
  /** First superseded line (1-based) and how many lines are superseded (0 when none). */
  truncatedFrom: number;
  truncatedCount: number;
  /** The session already recorded a run-end (callers usually refuse to resume a finished run). */
  complete: boolean;
  /** The reason of that run-end (null when incomplete): only `finished` runs are not resumed. */
  endReason: 'finished' | 'stopped' | 'error' | null;
  /** The original run-start event, if recorded. */
  runStart: RunStartEvent | undefined;
  /** Evaluation and task-end events kept (to rebuild metric history if the engine needs it). */
  evals: EvalEvent[];
  taskEnds: TaskEndEvent[];
}

export function prepareResume(dir: string, opts: OpenSessionOptions = {}): PreparedResume {
  const session = openSession(dir, opts);
  const usable = session.checkpoints.filter((c) => c.exists);
  const cp: SessionCheckpoint | undefined = usable[usable.length - 1];
  if (session.checkpoints.length > 0 && !cp) {
    throw new SessionError(
      `${session.dir} records checkpoints, but none of their folders exist (last: ${session.checkpoints.at(-1)!.dir}).`,
      { file: session.dir },
    );
  }
  // Lines after the checkpoint's line (or every line, without a checkpoint) are superseded.
  const keepThroughLine = cp ? cp.line : 0;
  const truncatedCount = session.totalLines - keepThroughLine;
  const kept = session.events.filter((_, i) => session.lines[i]! <= keepThroughLine);
  return {
    dir: session.dir,
    manifest: session.manifest,
    config: session.manifest.config,
    checkpoint: cp ? { relDir: cp.dir, absDir: cp.absDir, step: cp.step, t: cp.t, line: cp.line } : null,
    step: cp ? cp.step : 0,
    t: cp ? cp.t : 0,
    eventCount: kept.length,
    events: kept,
    eventsBytes: session.eventsBytes,
    truncatedFrom: truncatedCount > 0 ? keepThroughLine + 1 : 0,
    truncatedCount,
    complete: session.complete,
    endReason: session.endReason,
    runStart: kept.find((e): e is RunStartEvent => e.type === 'run-start'),
    evals: kept.filter((e): e is EvalEvent => e.type === 'eval'),
    taskEnds: kept.filter((e): e is TaskEndEvent => e.type === 'task-end'),
  };
}
