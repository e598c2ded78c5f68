/**
 * A short summary of a session: what `cli inspect` prints (as a table or one JSON line) and what a session
 * list shows. Pure: reads an opened Session, writes nothing.
 */
import { nameOf, type RunEvent } from './events';
import { metricSeries } from './metrics-series';
import type { Session } from './reader';

export interface TaskSummary {
  task: number;
  label: string;
  envId: string;
  /** Evaluations recorded for this task. */
  evals: number;
  /** Normalized score of the latest evaluation, or null. */
  lastNormalized: number | null;
}

export interface SessionSummaryJson {
  formatVersion: number;
  complete: boolean;
  /** Effective events (superseded and torn lines not counted). */
  events: number;
  lastStep: number;
  tasks: TaskSummary[];
  lastCheckpointStep: number | null;
  /** run-end metrics, or null while incomplete. */
  metrics: Record<string, unknown> | null;
}

/**
 * The event types the summary reads: open a session with `keep: (e) => SUMMARY_EVENTS.has(e.type)` to
 * summarize it without holding its episodes and recorded evaluation episodes in memory.
 */
export const SUMMARY_EVENTS: ReadonlySet<RunEvent['type']> = new Set([
  'run-start',
  'task-start',
  'task-end',
  'eval',
  'run-end',
  'resume',
  'checkpoint',
]);

export function summarizeSession(session: Session): SessionSummaryJson {
  const series = metricSeries(session.events);
  const byTask = new Map<number, TaskSummary>();
  for (const span of series.tasks) {
    if (!byTask.has(span.task)) {
      byTask.set(span.task, {
        task: span.task,
        label: span.label,
        envId: span.envId,
        evals: 0,
        lastNormalized: null,
      });
    }
  }
  series.evals.forEach((ev, task) => {
    const t = byTask.get(task) ?? { task, label: `task ${task}`, envId: '?', evals: 0, lastNormalized: null };
    t.evals = ev.steps.length;
    t.lastNormalized = ev.normalized.length ? ev.normalized[ev.normalized.length - 1]! : null;
    byTask.set(task, t);
  });
  return {
    formatVersion: session.manifest.formatVersion,
    complete: session.complete,
    events: session.eventCount,
    lastStep: session.lastStep,
    tasks: [...byTask.values()].sort((a, b) => a.task - b.task),
    lastCheckpointStep: session.checkpoints.length
      ? session.checkpoints[session.checkpoints.length - 1]!.step
      : null,
    metrics: series.metrics,
  };
}

/** The human summary printed by `cli inspect` (lines without trailing newline). */
export function describeSession(session: Session): string[] {
  const s = summarizeSession(session);
  const m = session.manifest;
  const fmt = (v: number | null): string => (v === null ? '–' : v.toFixed(3));
  const lines = [
    `session     ${session.dir}`,
    `format      version ${s.formatVersion}, recorded by lab ${m.appVersion} on ${m.createdAt}`,
    `run         sequence ${nameOf(m.sequence)}, strategy ${nameOf(m.strategy)}, seed ${m.seed}`,
    `backend     ${m.backendWhy}`,
    `status      ${s.complete ? `complete (${m.ended?.reason ?? 'ended'})` : 'incomplete (no run-end recorded: still running, stopped or crashed)'}`,
    `events      ${s.events}${session.supersededLines ? ` (+${session.supersededLines} superseded by resume)` : ''}${session.tornTail ? ', torn last line ignored' : ''}`,
    `last step   ${s.lastStep}`,
    `checkpoint  ${s.lastCheckpointStep === null ? 'none' : `last at step ${s.lastCheckpointStep} (${checkpointCount(session.checkpoints)})`}`,
    `resumes     ${m.resumes.length}`,
    'tasks',
  ];
  for (const t of s.tasks) {
    lines.push(
      `  ${String(t.task).padStart(2)}  ${t.label.padEnd(24)} ${t.envId.padEnd(24)} evals ${String(t.evals).padStart(4)}  last ${fmt(t.lastNormalized)}`,
    );
  }
  if (s.tasks.length === 0) lines.push('  (none recorded yet)');
  if (s.metrics) {
    lines.push('metrics');
    for (const [k, v] of Object.entries(s.metrics)) {
      if (typeof v === 'number') lines.push(`  ${k.padEnd(12)} ${Number.isInteger(v) ? v : v.toFixed(4)}`);
    }
  }
  for (const w of session.warnings) lines.push(`warning: ${w}`);
  return lines;
}

/** "5 in all", or "5 recorded, 3 on disk" when some folders are gone (pruned periodic checkpoints). */
function checkpointCount(checkpoints: readonly { exists: boolean }[]): string {
  const onDisk = checkpoints.filter((c) => c.exists).length;
  return onDisk === checkpoints.length
    ? `${checkpoints.length} in all`
    : `${checkpoints.length} recorded, ${onDisk} on disk`;
}
