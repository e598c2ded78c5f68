/**
 * openSession(dir): read and validate a recorded session (docs/SESSION_FORMAT.md) without writing anything.
 *
 * - session.json is validated with zod (wrong or missing formatVersion gets its own message).
 * - events.ndjson is read line by line; each line is parsed with dangerous keys dropped (`__proto__`,
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
import { describeIssues, parseJsonSafe } from './safe-json';

export interface OpenSessionOptions {
  /** Longest accepted line of events.ndjson in bytes (default 16 MiB). */
  maxLineBytes?: number;
  /** Largest accepted events.ndjson in bytes (default 1 GiB). */
  maxFileBytes?: number;
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
  /** The effective events in order: superseded lines (after a resume) and a torn last line left out. */
  events: RunEvent[];
  /** 1-based line in events.ndjson of each entry of `events`. */
  lines: number[];
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
  /** Largest `step` of the effective events (0 when there are none). */
  lastStep: number;
  /** Effective checkpoints, oldest first. */
  checkpoints: SessionCheckpoint[];
  /** Things skipped while reading, one sentence each. */
  warnings: string[];
}

interface RawLine {
  line: number;
  event?: RunEvent;
  /** Why the line is not a valid event (set when `event` is not). */
  error?: string;
  blank?: boolean;
}

/** Open the session in `dir`. Throws SessionError (one clear sentence) when it cannot be read. */
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
  const raw = readEventLines(file, opts);
  const warnings: string[] = [];

  // Apply resume markers: each supersedes the lines it names (all before itself).
  const superseded = new Set<number>();
  for (const r of raw.lines) {
    if (r.event?.type !== 'resume' || r.event.truncatedCount === 0) continue;
    const { truncatedFrom: from, truncatedCount: count } = r.event;
    if (from < 1 || from + count > r.line) {
      throw new SessionError(
        `${file} line ${r.line} is a resume marker naming lines ${from}–${from + count - 1}, which are not all before it.`,
        { file, line: r.line },
      );
    }
    for (let l = from; l < from + count; l++) superseded.add(l);
  }

  const events: RunEvent[] = [];
  const lines: number[] = [];
  const checkpoints: SessionCheckpoint[] = [];
  let lastStep = 0;
  let complete = false;
  for (const r of raw.lines) {
    if (superseded.has(r.line) || r.blank) continue;
    if (!r.event) {
      throw new SessionError(`${file} line ${r.line} ${r.error}.`, { file, line: r.line });
    }
    const e = r.event;
    if (e.type === 'checkpoint') checkpoints.push(toCheckpoint(root, file, e, r.line));
    if (e.type === 'resume' && e.checkpoint !== null) resolveInsideSession(root, e.checkpoint, file, r.line);
    if (e.type === 'run-end') complete = true;
    if (e.type === 'resume') complete = false;
    events.push(e);
    lines.push(r.line);
    if (e.step > lastStep) lastStep = e.step;
  }
  if (raw.tornTail)
    warnings.push(`${file} ends in a partial line (line ${raw.totalLines}), which was ignored.`);
  if (superseded.size > 0) warnings.push(`${superseded.size} line(s) superseded by a resume were skipped.`);
  const first = events.find((e) => e.type !== 'resume');
  if (first && first.type !== 'run-start') {
    warnings.push(`${file} does not begin with a run-start event.`);
  }
  return {
    dir: root,
    manifest,
    events,
    lines,
    totalLines: raw.totalLines,
    eventsBytes: raw.bytes,
    supersededLines: superseded.size,
    tornTail: raw.tornTail,
    complete,
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

/** Split events.ndjson into lines and parse each; never throws for content, only for size or I/O. */
function readEventLines(
  file: string,
  opts: OpenSessionOptions,
): { lines: RawLine[]; totalLines: number; tornTail: boolean; bytes: number } {
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const maxFile = opts.maxFileBytes ?? DEFAULT_MAX_EVENTS_BYTES;
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
  const buf = fs.readFileSync(file);
  const lines: RawLine[] = [];
  let tornTail = false;
  let start = 0;
  let lineNo = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl === -1 ? buf.length : nl;
    const isLast = nl === -1;
    lineNo++;
    const r = parseLine(buf, start, end, lineNo, maxLine);
    if (isLast && !r.event && !r.blank) {
      tornTail = true; // a partial final line: the writer died mid-line
    } else {
      lines.push(r);
    }
    start = end + 1;
  }
  return { lines, totalLines: lineNo, tornTail, bytes: buf.length };
}

function parseLine(buf: Buffer, start: number, end: number, line: number, maxLine: number): RawLine {
  const length = end - start;
  if (length > maxLine)
    return { line, error: `is ${length} bytes long, over the ${maxLine}-byte line limit` };
  const text = buf.toString('utf8', start, end).trim();
  if (text === '') return { line, blank: true };
  const parsed = parseJsonSafe(text);
  if (!parsed.ok) return { line, error: `is not valid JSON (${parsed.reason})` };
  const result = runEventSchema.safeParse(parsed.value);
  if (!result.success) {
    const type = (parsed.value as { type?: unknown } | null)?.type;
    const what = typeof type === 'string' ? `"${type.slice(0, 40)}" event` : 'event';
    return { line, error: `is not a valid ${what}: ${describeIssues(result.error.issues)}` };
  }
  return { line, event: result.data };
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
      const s = openSession(path.join(root, name));
      const named = (v: SessionManifest['sequence']): string => (typeof v === 'string' ? v : v.name);
      return {
        dir: name,
        createdAt: s.manifest.createdAt,
        sequence: named(s.manifest.sequence),
        strategy: named(s.manifest.strategy),
        steps: s.lastStep,
        status: s.complete ? runEndReason(s.events) : 'incomplete',
      };
    } catch (error) {
      return { dir: name, error: error instanceof Error ? error.message : String(error) };
    }
  });
}

/** The reason of the last run-end event (`finished` when none is found, which a complete session never has). */
function runEndReason(events: readonly RunEvent[]): 'finished' | 'stopped' | 'error' {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'run-end') return e.reason;
  }
  return 'finished';
}
