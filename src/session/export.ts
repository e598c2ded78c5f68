/**
 * Export a recorded session's numbers as CSV files or one JSON document: training episode returns,
 * evaluation series, the R matrix (one row per stage, "stage k · task trained"; one column per distinct task;
 * src/session/run-scores.ts, the same fold the engine and the UI use), task spans and the metrics. CSV goes to a folder (one file per table) or to stdout (each table preceded by a
 * `# <name>.csv` line); JSON to a file or stdout. Every file is written atomically (temp + rename).
 */
import fs from 'node:fs';
import path from 'node:path';
import { nameOf, type RunEvent } from './events';
import { SESSION_FORMAT_VERSION, writeFileAtomic } from './manifest';
import { metricSeries } from './metrics-series';
import type { Session } from './reader';
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
 * Without `out` the export is returned as `text`.
 */
export function exportSession(session: Session, opts: { format: ExportFormat; out?: string }): ExportResult {
  if (opts.format === 'json') {
    const text = sessionJsonText(session);
    if (opts.out === undefined) return { files: [], text };
    let file = path.resolve(opts.out);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = path.join(file, 'export.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, text);
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
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const f of csv) {
    const file = path.join(dir, f.name);
    writeFileAtomic(file, f.text);
    files.push(file);
  }
  return { files, text: undefined };
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
