/**
 * Export a recorded session's numbers as CSV files or one JSON document: training episode returns,
 * evaluation series, the R matrix (one row per stage, "stage k · task trained"; one column per distinct task;
 * src/session/run-scores.ts, the same fold the engine and the UI use), task spans and the metrics. CSV goes to a folder (one file per table) or to stdout (each table preceded by a
 * `# <name>.csv` line); JSON to a file or stdout. Every file is written atomically (temp + rename).
 */
import fs from 'node:fs';
import path from 'node:path';
import { nameOf, type RunEvent } from './events';
import { makeDirs } from '../fs/make-dirs';
import { AtomicFileWriter, writeFileAtomicSync } from '../fs/write-file-atomic';
import { SESSION_FORMAT_VERSION } from './manifest';
import { metricSeries } from './metrics-series';
import { openSession, type Session } from './reader';
import type { EpisodeEvent } from './events';
import { scoresFromEvents, scoresSummary, type ScoresSummary } from './run-scores';

export type ExportFormat = 'csv' | 'json';

/** A table: header names and rows of cells (numbers, strings or null for empty). */
export interface Table {
  columns: string[];
  rows: (number | string | null)[][];
}

export interface SessionTables {
  episodes: Table;
  evals: Table;
  matrix: Table;
  tasks: Table;
  metrics: Table;
}

export interface ExportResult {
  /** Files written (absolute), empty when the export went to `text`. */
  files: string[];
  /** The export itself when no `out` was given (print it to stdout). */
  text: string | undefined;
}

/** The session's numbers as tables (the CSV files; the JSON export holds the same data). */
export function sessionTables(session: Session): SessionTables {
  const series = metricSeries(session.events);
  const labels = taskLabels(session.events);
  const label = (task: number): string => labels.get(task) ?? `task ${task}`;

  const episodes: Table = { columns: ['step', 'task', 'label', 'episode', 'return', 'length'], rows: [] };
  const evals: Table = { columns: ['step', 'task', 'label', 'mean', 'normalized', 'episodes'], rows: [] };
  for (const e of session.events) {
    if (e.type === 'episode')
      episodes.rows.push([e.step, e.task, label(e.task), e.episode, e.return, e.length]);
    if (e.type === 'eval') evals.rows.push([e.step, e.task, label(e.task), e.mean, e.normalized, e.episodes]);
  }

  const scores = sessionScores(session);
  const matrix: Table = {
    columns: [
      'stage',
      'stage_label',
      'task',
      'source',
      'used_for',
      ...scores.columns.map((_, j) => `task_${j}`),
    ],
    rows: scores.rows.map((r) => [
      r.stage,
      r.label,
      r.task,
      r.source,
      r.uses.join(' '),
      ...scores.matrix[r.stage]!,
    ]),
  };

  const tasks: Table = {
    columns: ['task', 'label', 'env_id', 'source', 'start_step', 'end_step', 'params'],
    rows: series.tasks.map((s) => [
      s.task,
      s.label,
      s.envId,
      s.source,
      s.startStep,
      s.endStep,
      JSON.stringify(s.params),
    ]),
  };

  const metrics: Table = { columns: ['name', 'value'], rows: [] };
  metrics.rows.push(['session.complete', String(session.complete)], ['session.last_step', session.lastStep]);
  flatten({ ...(series.metrics ?? {}), ...scoreMetrics(scores) }, '', metrics.rows);
  return { episodes, evals, matrix, tasks, metrics };
}

/** The whole export as one JSON-ready object. */
export function sessionExportObject(session: Session): Record<string, unknown> {
  const tables = sessionTables(session);
  const scores = sessionScores(session);
  const asObjects = (t: Table): Record<string, unknown>[] =>
    t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? null])));
  const series = metricSeries(session.events);
  return {
    formatVersion: SESSION_FORMAT_VERSION,
    session: path.basename(session.dir),
    sequence: nameOf(session.manifest.sequence),
    strategy: nameOf(session.manifest.strategy),
    seed: session.manifest.seed,
    complete: session.complete,
    lastStep: session.lastStep,
    tasks: asObjects(tables.tasks),
    episodes: asObjects(tables.episodes),
    evals: asObjects(tables.evals),
    matrix: {
      columns: scores.columns.map((c, j) => ({ task: j, label: c.label, envId: c.envId })),
      rows: scores.rows.map((r) => ({ ...r, scores: scores.matrix[r.stage] })),
    },
    metrics: { ...(series.metrics ?? {}), ...scoreMetrics(scores) },
  };
}

/** R matrix and metrics of a session (the fold every view uses). */
export function sessionScores(session: Session): ScoresSummary {
  return scoresSummary(scoresFromEvents(session.events));
}

/** The metrics of the shared fold, overriding any recorded run-end copy (they agree; this one is always there). */
function scoreMetrics(s: ScoresSummary): Record<string, unknown> {
  return {
    acc: s.acc,
    accSeen: s.accSeen,
    seenTasks: s.seenTasks,
    taskCount: s.taskCount,
    forgetting: s.forgetting,
    bwt: s.bwt,
    fwt: s.fwt,
    auc: s.auc,
    matrix: s.matrix,
    forgettingPerTask: s.forgettingPerTask,
    stageTasks: s.stageTasks,
    baseline: s.baseline,
  };
}

/** The JSON export's text (pretty-printed, newline-terminated). */
export function sessionJsonText(session: Session): string {
  return `${JSON.stringify(sessionExportObject(session), null, 2)}\n`;
}

/** The CSV export: one `<table>.csv` file name and its text per table, in table order. */
export function sessionCsvFiles(session: Session): { name: string; text: string }[] {
  return (Object.entries(sessionTables(session)) as [keyof SessionTables, Table][]).map(([table, t]) => ({
    name: `${table}.csv`,
    text: toCsv(t),
  }));
}

/**
 * Export `session`. With `out`: CSV → a folder (created if needed) holding episodes.csv, evals.csv,
 * matrix.csv, tasks.csv, metrics.csv; JSON → that file (or `<out>/export.json` if `out` is a folder).
 * Without `out` the export is returned as `text`. An existing file is never replaced unless `force`.
 */
export function exportSession(
  session: Session,
  opts: { format: ExportFormat; out?: string; force?: boolean },
): ExportResult {
  // Without `force` an existing file is never replaced: checked first (one clear sentence), then the write
  // itself is exclusive, so a file appearing meanwhile is not overwritten either.
  const write = (file: string, text: string): void => {
    if (!opts.force) refuseExisting(file);
    writeFileAtomicSync(file, text, { exclusive: !opts.force });
  };
  if (opts.format === 'json') {
    const text = sessionJsonText(session);
    if (opts.out === undefined) return { files: [], text };
    let file = path.resolve(opts.out);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = path.join(file, 'export.json');
    makeDirs(path.dirname(file));
    write(file, text);
    return { files: [file], text: undefined };
  }
  const csv = sessionCsvFiles(session);
  if (opts.out === undefined) {
    return { files: [], text: csv.map((f) => `# ${f.name}\n${f.text}`).join('\n') };
  }
  const dir = path.resolve(opts.out);
  if (fs.statSync(dir, { throwIfNoEntry: false })?.isFile()) {
    throw new Error(`${dir} is a file; CSV export needs a folder (or omit --out to print to stdout).`);
  }
  makeDirs(dir);
  if (!opts.force) for (const f of csv) refuseExisting(path.join(dir, f.name));
  const files: string[] = [];
  for (const f of csv) {
    const file = path.join(dir, f.name);
    write(file, f.text);
    files.push(file);
  }
  return { files, text: undefined };
}

/** Thrown when an export would replace an existing file and `force` is not set. */
export class ExportTargetExistsError extends Error {
  override readonly name = 'ExportTargetExistsError';
}

function refuseExisting(file: string): void {
  if (fs.lstatSync(file, { throwIfNoEntry: false })) {
    throw new ExportTargetExistsError(
      `${file} already exists; the export never replaces a file: choose another --out, or pass --force to replace it.`,
    );
  }
}

/** RFC 4180 CSV with a header line; strings that a spreadsheet would run as formulas get a leading `'`. */
export function toCsv(t: Table): string {
  const lines = [t.columns.map(csvCell).join(',')];
  for (const row of t.rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

function csvCell(v: number | string | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  if (/[",\n\r]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** Flatten nested metrics into `name,value` rows (`forgetting.per_task.0`); arrays of arrays as JSON. */
function flatten(value: unknown, prefix: string, rows: (number | string | null)[][]): void {
  if (
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    value === null
  ) {
    rows.push([prefix, typeof value === 'boolean' ? String(value) : value]);
  } else if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null)) {
    rows.push([prefix, JSON.stringify(value)]);
  } else if (typeof value === 'object' && value !== undefined) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix ? `${prefix}.${k}` : k, rows);
  }
}

function taskLabels(events: readonly RunEvent[]): Map<number, string> {
  const labels = new Map<number, string>();
  for (const e of events) if (e.type === 'task-start' && !labels.has(e.task)) labels.set(e.task, e.label);
  return labels;
}

/** Events the streamed export keeps in memory: all but the bulky training and evaluation episodes. */
const isSmall = (e: RunEvent): boolean => e.type !== 'episode' && e.type !== 'eval-episode';

/** Text is handed to the output in pieces of about this size. */
const PIECE_BYTES = 1 << 20;

/**
 * Export the session in `dir` like `exportSession`, in bounded memory: the log is streamed, only the small
 * events are kept, and the episode rows (the bulk of a long run) go straight to the output — a file written
 * through AtomicFileWriter, or `print` (stdout) when no `out` is given. The output is byte-identical to
 * `exportSession`'s.
 */
export function exportSessionStreamed(
  dir: string,
  opts: { format: ExportFormat; out?: string; force?: boolean },
  print: (text: string) => void,
): { files: string[] } {
  const session = openSession(dir, { keep: isSmall });
  const tables = sessionTables(session); // episodes: empty (none kept), streamed below
  const labels = taskLabels(session.events);
  const forEachEpisode = (fn: (e: EpisodeEvent) => void): void => {
    openSession(dir, { keep: () => false, visit: (e) => e.type === 'episode' && fn(e) });
  };
  const open = (file: string): { write(t: string): void; commit(): void; abort(): void } => {
    if (!opts.force) refuseExisting(file);
    return new AtomicFileWriter(file, { exclusive: !opts.force });
  };
  const pieces = (write: (t: string) => void) => {
    let buf: string[] = [];
    let bytes = 0;
    return {
      add(t: string): void {
        buf.push(t);
        bytes += t.length;
        if (bytes >= PIECE_BYTES) this.flush();
      },
      flush(): void {
        if (buf.length) write(buf.join(''));
        buf = [];
        bytes = 0;
      },
    };
  };
  const label = (task: number): string => labels.get(task) ?? `task ${task}`;

  if (opts.format === 'json') {
    const obj = sessionExportObject(session);
    const whole = `${JSON.stringify(obj, null, 2)}\n`;
    const marker = '\n  "episodes": []';
    const at = whole.indexOf(marker);
    const head = whole.slice(0, at + 3); // up to the newline and indentation of the "episodes" key
    const tail = whole.slice(at + marker.length);
    let file: string | undefined;
    if (opts.out !== undefined) {
      file = path.resolve(opts.out);
      if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = path.join(file, 'export.json');
      makeDirs(path.dirname(file));
    }
    const sink = file ? open(file) : undefined;
    try {
      const out = pieces(sink ? (t) => sink.write(t) : print);
      out.add(`${head}"episodes": [`);
      let first = true;
      forEachEpisode((e) => {
        const row = {
          step: e.step,
          task: e.task,
          label: label(e.task),
          episode: e.episode,
          return: e.return,
          length: e.length,
        };
        out.add(`${first ? '' : ','}\n    ${JSON.stringify(row, null, 2).replace(/\n/g, '\n    ')}`);
        first = false;
      });
      out.add(first ? ']' : '\n  ]');
      out.add(tail);
      out.flush();
      sink?.commit();
    } catch (error) {
      sink?.abort();
      throw error;
    }
    return { files: file ? [file] : [] };
  }

  let folder: string | undefined;
  if (opts.out !== undefined) {
    folder = path.resolve(opts.out);
    if (fs.statSync(folder, { throwIfNoEntry: false })?.isFile()) {
      throw new Error(`${folder} is a file; CSV export needs a folder (or omit --out to print to stdout).`);
    }
    makeDirs(folder);
    if (!opts.force) for (const name of Object.keys(tables)) refuseExisting(path.join(folder, `${name}.csv`));
  }
  const files: string[] = [];
  (Object.entries(tables) as [keyof SessionTables, Table][]).forEach(([name, t], i) => {
    const file = folder ? path.join(folder, `${name}.csv`) : undefined;
    const sink = file ? open(file) : undefined;
    try {
      const out = pieces(sink ? (text) => sink.write(text) : print);
      if (!sink) out.add(`${i > 0 ? '\n' : ''}# ${name}.csv\n`);
      if (name === 'episodes') {
        out.add(`${t.columns.map(csvCell).join(',')}\n`);
        forEachEpisode((e) => {
          const row = [e.step, e.task, label(e.task), e.episode, e.return, e.length];
          out.add(`${row.map(csvCell).join(',')}\n`);
        });
      } else {
        out.add(toCsv(t));
      }
      out.flush();
      sink?.commit();
    } catch (error) {
      sink?.abort();
      throw error;
    }
    if (file) files.push(file);
  });
  return { files };
}
