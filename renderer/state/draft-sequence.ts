/**
 * The sequence editor's draft (pure): tasks the user adds, removes, reorders and parameterizes before
 * starting a run. Fields keep the raw text typed by the user plus its validation error, so an invalid value
 * is shown inline and never sent. `toSequenceRef` turns a valid draft into the protocol's inline sequence.
 */
import type { InfoTask, LabInfo, SequenceRef, TaskSpec } from '../../src/protocol/messages';
import { validateLabel, validateParamField, validateSteps } from '../controls/param-fields';

export type EnvInfo = LabInfo['envs'][number];

export interface DraftTask {
  /** Stable key for the DOM (not sent). */
  key: number;
  envId: string;
  label: string;
  steps: string;
  /** Raw text of each parameter field that the user set (others use the env's default). */
  params: Record<string, string>;
  /** Field name ('label', 'steps' or a parameter name) → error message. */
  errors: Record<string, string>;
  /** The task's own DQN settings copied from a built-in (sent with the task); dropped when its env changes. */
  dqn?: TaskSpec['dqn'];
  /** Those settings in words, for the task's details (from `info`). */
  settings?: string;
}

export interface DraftSequence {
  /** Name of the built-in sequence it started from; null once edited. */
  baseName: string | null;
  /**
   * The built-in sequence it was copied from, kept through edits: an edited copy still trains with that
   * sequence's tuned DQN hyperparameters and strategy settings (sent as the inline sequence's `base`) as long
   * as every task's env is one of that sequence's (see `tunedFor`).
   */
  origin: string | null;
  /** The env ids of the origin's tasks. */
  originEnvs: string[];
  tasks: DraftTask[];
  nextKey: number;
}

export const DEFAULT_TASK_STEPS = 20_000;

export function emptyDraft(): DraftSequence {
  return { baseName: null, origin: null, originEnvs: [], tasks: [], nextKey: 1 };
}

function findEnv(envs: readonly EnvInfo[], envId: string): EnvInfo | undefined {
  return envs.find((e) => e.id === envId);
}

/** A draft copied from a built-in sequence's tasks. */
export function draftFromTasks(name: string | null, tasks: readonly (TaskSpec | InfoTask)[]): DraftSequence {
  const d = emptyDraft();
  d.baseName = name;
  d.origin = name;
  d.originEnvs = name === null ? [] : [...new Set(tasks.map((t) => t.env))];
  for (const t of tasks) {
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(t.params ?? {})) params[k] = String(v);
    d.tasks.push({
      key: d.nextKey++,
      envId: t.env,
      label: t.label ?? t.env,
      steps: String(t.steps),
      params,
      errors: {},
      ...(t.dqn ? { dqn: { ...t.dqn } } : {}),
      ...('settings' in t && t.settings ? { settings: t.settings } : {}),
    });
  }
  return d;
}

/** Appends a task for `envId` with default parameters. */
export function addTask(d: DraftSequence, envId: string, steps = DEFAULT_TASK_STEPS): void {
  d.tasks.push({ key: d.nextKey++, envId, label: envId, steps: String(steps), params: {}, errors: {} });
  d.baseName = null;
}

export function removeTask(d: DraftSequence, index: number): void {
  if (index < 0 || index >= d.tasks.length) return;
  d.tasks.splice(index, 1);
  d.baseName = null;
}

/** Moves task `index` by `delta` places (−1 up, +1 down); out-of-range moves do nothing. */
export function moveTask(d: DraftSequence, index: number, delta: number): void {
  const to = index + delta;
  if (index < 0 || index >= d.tasks.length || to < 0 || to >= d.tasks.length) return;
  const [t] = d.tasks.splice(index, 1);
  if (t) d.tasks.splice(to, 0, t);
  d.baseName = null;
}

/** Changes a task's environment; parameters not valid for the new env are dropped. */
export function setTaskEnv(d: DraftSequence, envs: readonly EnvInfo[], index: number, envId: string): void {
  const t = d.tasks[index];
  if (!t) return;
  const env = findEnv(envs, envId);
  const names = new Set(env?.params.map((p) => p.name) ?? []);
  if (t.label === t.envId) t.label = envId;
  if (t.envId !== envId) {
    // Settings tuned for the old env do not carry over: the task trains with the sequence's settings.
    delete t.dqn;
    delete t.settings;
  }
  t.envId = envId;
  for (const k of Object.keys(t.params)) if (!names.has(k)) delete t.params[k];
  for (const k of Object.keys(t.errors))
    if (k !== 'label' && k !== 'steps' && !names.has(k)) delete t.errors[k];
  d.baseName = null;
}

/** Sets one field's raw text and validates it ('label', 'steps' or a parameter name). */
export function setTaskField(
  d: DraftSequence,
  envs: readonly EnvInfo[],
  index: number,
  field: string,
  raw: string,
): void {
  const t = d.tasks[index];
  if (!t) return;
  d.baseName = null;
  let error: string | null = null;
  if (field === 'label') {
    t.label = raw;
    const r = validateLabel(raw);
    if (!r.ok) error = r.error;
  } else if (field === 'steps') {
    t.steps = raw;
    const r = validateSteps(raw);
    if (!r.ok) error = r.error;
  } else {
    const spec = findEnv(envs, t.envId)?.params.find((p) => p.name === field);
    if (!spec) {
      error = `${t.envId} has no parameter "${field}"`;
    } else {
      t.params[field] = raw;
      const r = validateParamField(spec, raw);
      if (!r.ok) error = r.error;
    }
  }
  if (error === null) delete t.errors[field];
  else t.errors[field] = error;
}

/** All errors of the draft, as "Task 2: gravity must be …" sentences (empty when valid). */
export function draftErrors(d: DraftSequence): string[] {
  const out: string[] = [];
  if (d.tasks.length === 0) out.push('The sequence needs at least one task.');
  d.tasks.forEach((t, i) => {
    for (const msg of Object.values(t.errors)) out.push(`Task ${i + 1}: ${msg}`);
  });
  return out;
}

/** Parameter values of a task (only fields that parse; call after checking `draftErrors`). */
export function taskParams(t: DraftTask): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(t.params)) {
    if (v.trim() === '') continue;
    const n = Number(v);
    if (Number.isFinite(n)) out[k] = n;
  }
  return out;
}

/**
 * The built-in sequence whose tuned settings the draft trains with: its origin while every task's env comes
 * from that sequence (its hyperparameters were tuned for those envs); null (generic DQN defaults) once a task
 * of another env is added, or for an empty draft.
 */
export function tunedFor(d: DraftSequence): string | null {
  if (d.origin === null || d.tasks.length === 0) return null;
  return d.tasks.every((t) => d.originEnvs.includes(t.envId)) ? d.origin : null;
}

/**
 * The protocol's sequence for a valid draft: the built-in name when unedited, inline tasks otherwise.
 * Throws with every error when the draft is invalid.
 */
export function toSequenceRef(d: DraftSequence): SequenceRef {
  const errors = draftErrors(d);
  if (errors.length > 0) throw new Error(errors.join('; '));
  if (d.baseName !== null) return d.baseName;
  const base = tunedFor(d);
  return {
    ...(base !== null ? { base } : {}),
    tasks: d.tasks.map((t) => {
      const spec: TaskSpec = {
        env: t.envId,
        label: t.label.trim(),
        steps: Number(t.steps.replace(/[_,\s]/g, '')),
      };
      const params = taskParams(t);
      if (Object.keys(params).length > 0) spec.params = params;
      if (t.dqn) spec.dqn = { ...t.dqn };
      return spec;
    }),
  };
}
