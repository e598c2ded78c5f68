/**
 * openSession(dir): read and validate a recorded session (docs/SESSION_FORMAT.md) without writing anything.
 *
 * - session.json is validated with zod (wrong or missing formatVersion gets its own message).
 * - events.ndjson is streamed line by line in bounded memory (line-scan.ts); each line is parsed with dangerous keys dropped (`__proto__`,
 *   `constructor`, `prototype`) and validated against the RunEvent schema.
 * - A torn LAST line (crash mid-write: no trailing newline and not a valid event) is ignored with a warning.
 * - `resume` markers logically truncate: the lines they name are superseded and skipped, even if invalid.
 * - Any other invalid line is a SessionError naming the file and line. Lines over `maxLineBytes` are
 *   rejected without being decoded.
 * - Path fields (checkpoint folders) must resolve inside the session folder, also through symlinks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SessionError } from './errors';
import { runEventSchema, type CheckpointEvent, type RunEvent } from './events';
import { readManifest, type SessionManifest } from './manifest';
import { CHECKPOINTS_DIR, EVENTS_FILE, resolveInsideSession } from './paths';
import { scanLines } from './line-scan';
import { describeIssues, parseJsonSafe } from './safe-json';

export interface OpenSessionOptions {
  /** Longest accepted line of events.ndjson in bytes (default 16 MiB). */
  maxLineBytes?: number;
  /** Largest accepted events.ndjson in bytes (default 1 GiB). */
  maxFileBytes?: number;
  /**
   * Which effective events to keep in `Session.events` (default: all). Everything else (counts, last step,
   * completeness, checkpoints) still covers every event, so a summary can drop the bulky ones (episodes,
   * recorded evaluation episodes) and stay small whatever the log's size.
   */
  keep?: (e: RunEvent) => boolean;
  /** Called for every effective event in order, with where its line lies in events.ndjson (for indexes). */
  visit?: (e: RunEvent, where: { line: number; offset: number; length: number }) => void;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_EVENTS_BYTES = 1024 * 1024 * 1024;

/** A checkpoint recorded in the session, with its folder resolved (and checked) inside the session. */
export interface SessionCheckpoint {
  step: number;
  t: number;
  /** Relative to the session folder, as recorded. */
  dir: string;
  /** Absolute path. */
  absDir: string;
  /** 1-based line of its event in events.ndjson. */
  line: number;
  /** The folder exists on disk. */
  exists: boolean;
}

export interface Session {
  /** Absolute session folder. */
  dir: string;
  manifest: SessionManifest;
  /**
   * The effective events in order (superseded lines after a resume and a torn last line left out), limited
   * to those `keep` accepted (all by default).
   */
  events: RunEvent[];
  /** 1-based line in events.ndjson of each entry of `events`. */
  lines: number[];
  /** Every effective event, kept or not. */
  eventCount: number;
  /** Lines in events.ndjson, counting a torn last line. */
  totalLines: number;
  /** Size of events.ndjson when it was read (bytes). */
  eventsBytes: number;
  /** Lines skipped because a later `resume` marker superseded them. */
  supersededLines: number;
  /** The file ended in a partial line (a crash mid-write), which was ignored. */
  tornTail: boolean;
  /** A run-end is recorded after the last resume. */
  complete: boolean;
  /** The reason of that run-end, or null while incomplete. */
  endReason: 'finished' | 'stopped' | 'error' | null;
  /** Largest `step` of the effective events (0 when there are none). */
  lastStep: number;
  /** Effective checkpoints, oldest first. */
  checkpoints: SessionCheckpoint[];
  /** Things skipped while reading, one sentence each. */
  warnings: string[];
}

type ParsedLine = { event: RunEvent } | { blank: true } | { error: string };

/**
 * Open the session in `dir`. Throws SessionError (one clear sentence) when it cannot be read.
 *
 * events.ndjson is streamed twice in bounded memory: the first pass finds the `resume` markers (only lines
 * that can spell one are parsed), the second parses and validates every line they leave effective.
 */
export function openSession(dir: string, opts: OpenSessionOptions = {}): Session {
  const root = path.resolve(dir);
  let rootStat: fs.Stats;
  try {
    rootStat = fs.statSync(root);
  } catch {
    throw new SessionError(`${root} does not exist.`, { file: root });
  }
  if (!rootStat.isDirectory()) throw new SessionError(`${root} is not a folder.`, { file: root });
  const manifest = readManifest(root);
  const checkpointsDir = path.join(root, CHECKPOINTS_DIR);
  const cpStat = fs.lstatSync(checkpointsDir, { throwIfNoEntry: false });
  if (cpStat && !cpStat.isDirectory()) {
    throw new SessionError(`${checkpointsDir} is not a folder (symbolic links are not accepted).`, {
      file: checkpointsDir,
    });
  }
  const file = path.join(root, EVENTS_FILE);
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const bytes = eventsFileSize(file, opts.maxFileBytes ?? DEFAULT_MAX_EVENTS_BYTES);
  const warnings: string[] = [];

  // Pass 1: resume markers. Each supersedes the lines it names (all before itself).
  const ranges: [number, number][] = [];
  scanLines(file, bytes, maxLine, (l) => {
    if (!l.bytes || !mayBeResume(l.bytes)) return;
    const r = parseLine(l.bytes);
    if (!('event' in r) || r.event.type !== 'resume' || r.event.truncatedCount === 0) return;
    const { truncatedFrom: from, truncatedCount: count } = r.event;
    if (from < 1 || from + count > l.line) {
      throw new SessionError(
        `${file} line ${l.line} is a resume marker naming lines ${from}–${from + count - 1}, which are not all before it.`,
        { file, line: l.line },
      );
    }
    ranges.push([from, from + count - 1]);
  });
  const superseded = mergeRanges(ranges);
  const isSuperseded = (line: number): boolean => superseded.some(([a, b]) => line >= a && line <= b);

  // Pass 2: every effective line.
  const events: RunEvent[] = [];
  const lines: number[] = [];
  const checkpoints: SessionCheckpoint[] = [];
  let eventCount = 0;
  let lastStep = 0;
  let complete = false;
  let endReason: Session['endReason'] = null;
  let tornTail = false;
  let firstType: string | undefined;
  const totalLines = scanLines(file, bytes, maxLine, (l) => {
    if (isSuperseded(l.line)) return;
    const r: ParsedLine = l.bytes
      ? parseLine(l.bytes)
      : { error: `is ${l.length} bytes long, over the ${maxLine}-byte line limit` };
    if ('blank' in r) return;
    if ('error' in r) {
      if (!l.terminated) {
        tornTail = true; // a partial final line: the writer died mid-line
        return;
      }
      throw new SessionError(`${file} line ${l.line} ${r.error}.`, { file, line: l.line });
    }
    const e = r.event;
    if (e.type === 'resume' && e.truncatedCount > 0 && !ranges.some(([a]) => a === e.truncatedFrom)) {
      throw new SessionError(`${file} line ${l.line} is a resume marker the reader could not index.`, {
        file,
        line: l.line,
      });
    }
    if (e.type === 'checkpoint') checkpoints.push(toCheckpoint(root, file, e, l.line));
    if (e.type === 'resume' && e.checkpoint !== null) resolveInsideSession(root, e.checkpoint, file, l.line);
    if (e.type === 'run-end') {
      complete = true;
      endReason = e.reason;
    }
    if (e.type === 'resume') {
      complete = false;
      endReason = null;
    }
    if (firstType === undefined && e.type !== 'resume') firstType = e.type;
    eventCount++;
    if (e.step > lastStep) lastStep = e.step;
    opts.visit?.(e, { line: l.line, offset: l.offset, length: l.length });
    if (!opts.keep || opts.keep(e)) {
      events.push(e);
      lines.push(l.line);
    }
  });
  const supersededLines = superseded.reduce((n, [a, b]) => n + (b - a + 1), 0);
  if (tornTail) warnings.push(`${file} ends in a partial line (line ${totalLines}), which was ignored.`);
  if (supersededLines > 0) warnings.push(`${supersededLines} line(s) superseded by a resume were skipped.`);
  if (firstType !== undefined && firstType !== 'run-start') {
    warnings.push(`${file} does not begin with a run-start event.`);
  }
  return {
    dir: root,
    manifest,
    events,
    lines,
    eventCount,
    totalLines,
    eventsBytes: bytes,
    supersededLines,
    tornTail,
    complete,
    endReason,
    lastStep,
    checkpoints,
    warnings,
  };
}

function toCheckpoint(root: string, file: string, e: CheckpointEvent, line: number): SessionCheckpoint {
  const absDir = resolveInsideSession(root, e.dir, file, line);
  const exists = fs.statSync(absDir, { throwIfNoEntry: false })?.isDirectory() ?? false;
  return { step: e.step, t: e.t, dir: e.dir, absDir, line, exists };
}

/** The size of events.ndjson, after checking it is a regular file within the limit. */
function eventsFileSize(file: string, maxFile: number): number {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file); // a symlink could point anywhere: not accepted
  } catch {
    throw new SessionError(`${file} does not exist.`, { file });
  }
  if (!stat.isFile())
    throw new SessionError(`${file} is not a regular file (symbolic links are not accepted).`, { file });
  if (stat.size > maxFile) {
    throw new SessionError(`${file} is ${stat.size} bytes, larger than the ${maxFile}-byte limit.`, { file });
  }
  return stat.size;
}

const RESUME_BYTES = Buffer.from('resume');
const ESCAPE_BYTES = Buffer.from('\\u');

/** A line can only be a resume marker if it spells `resume`, or hides letters behind \u escapes. */
function mayBeResume(bytes: Buffer): boolean {
  return bytes.includes(RESUME_BYTES) || bytes.includes(ESCAPE_BYTES);
}

/** Sorted, non-overlapping inclusive ranges. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Parse and validate one line (its bytes); never throws for content. */
export function parseLine(bytes: Buffer): ParsedLine {
  const text = bytes.toString('utf8').trim();
  if (text === '') return { blank: true };
  const parsed = parseJsonSafe(text);
  if (!parsed.ok) return { error: `is not valid JSON (${parsed.reason})` };
  const result = runEventSchema.safeParse(parsed.value);
  if (!result.success) {
    const type = (parsed.value as { type?: unknown } | null)?.type;
    const what = typeof type === 'string' ? `"${type.slice(0, 40)}" event` : 'event';
    return { error: `is not a valid ${what}: ${describeIssues(result.error.issues)}` };
  }
  return { event: result.data };
}

/** What `listSessions` reports per folder (matches the protocol's SessionSummary). */
export interface SessionListEntry {
  /** Folder name under the root. */
  dir: string;
  createdAt?: string;
  sequence?: string;
  strategy?: string;
  steps?: number;
  /** How the run ended (its run-end reason), or `incomplete` when no run-end is recorded (running, crashed). */
  status?: 'finished' | 'stopped' | 'error' | 'incomplete';
  /** Why the folder could not be read. */
  error?: string;
}

/**
 * Every sub-folder of `root` holding a session.json, newest name first; unreadable ones carry `error`. No
 * folder yet means no sessions; a root that cannot be read (not a folder, no permission) is an error naming it.
 */
export function listSessions(root: string): SessionListEntry[] {
  let names: string[];
  try {
    names = fs
      .readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'session.json')))
      .map((d) => d.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new SessionError(`Cannot list the sessions in ${root}: ${code ?? (error as Error).message}.`, {
      file: root,
      cause: error,
    });
  }
  names.sort().reverse();
  return names.map((name): SessionListEntry => {
    try {
      const s = openSession(path.join(root, name), { keep: () => false }); // streamed: nothing kept
      const named = (v: SessionManifest['sequence']): string => (typeof v === 'string' ? v : v.name);
      return {
        dir: name,
        createdAt: s.manifest.createdAt,
        sequence: named(s.manifest.sequence),
        strategy: named(s.manifest.strategy),
        steps: s.lastStep,
        status: s.endReason ?? 'incomplete',
      };
    } catch (error) {
      return { dir: name, error: error instanceof Error ? error.message : String(error) };
    }
  });
}
