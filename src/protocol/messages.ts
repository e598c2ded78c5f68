/**
 * The message protocol between the UI host (Electron main / web shell) and the trainer process, and between
 * the renderer and the host. Every message is a zod schema here; both ends validate on receipt
 * (`parseRequest`, `parseTrainerMessage`) and answer an invalid message with a clear error, never a crash.
 *
 * Shape on the wire (JSON-serialisable, structured-clone safe):
 *   UI/host → trainer:  RequestMessage  { kind: 'request', id, origin, command: Command }
 *   trainer → UI/host:  ReplyMessage    { kind: 'reply', id, ok: true, result } | { …, ok: false, error }
 *                       EventMessage    { kind: 'event', event: LabEvent }
 *                       EventsMessage   { kind: 'events', events: LabEvent[] }  (several events coalesced
 *                                       into one message: fewer wake-ups of the receiving process)
 * `Command` and `LabEvent` are discriminated unions on `type`. `origin: 'host'` marks commands issued by the
 * host itself (menus, file dialogs); only those may name a session folder by absolute path.
 *
 * This file imports no Node, Electron or tfjs module: the renderer bundles it.
 */
import { z } from 'zod';
import { envSnapshotSchema } from '../../envs/catalog';
import { backendChoiceSchema, envParamsSchema, runEventSchema } from '../session/events';

/**
 * Bumped when a message changes incompatibly (2: coalesced `events`, `set-view`, exports as file contents;
 * 3: session playback renamed from "replay": `playback-seek`, `playback-frame`, status `playbackDir`).
 */
export const PROTOCOL_VERSION = 3;

const taskIndex = z.number().int().min(0).max(10_000);
const counter = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const label = z.string().max(200);

// ---------------------------------------------------------------------------------------------------------
// Shared payload pieces
// ---------------------------------------------------------------------------------------------------------

/**
 * One task of an inline sequence, in the sequence-file format of src/continual/sequence.ts (the continual
 * engine validates `env` and `params` against the env registry).
 */
export const taskSpecSchema = z.object({
  env: z.string().min(1).max(100),
  label: label.optional(),
  params: envParamsSchema.optional(),
  /** Env steps to train this task. */
  steps: z.number().int().min(1).max(1_000_000_000),
  /**
   * The task's own DQN settings (fields of src/dqn/config.ts TASK_DQN_KEYS, on top of its env's preset);
   * absent = the sequence's. Checked field by field by the continual engine.
   */
  dqn: z.record(z.string().max(64), z.union([z.number(), z.string().max(64)])).optional(),
});
export type TaskSpec = z.infer<typeof taskSpecSchema>;

/** A built-in sequence's task as `info` describes it: the spec plus the settings it trains with, in words. */
export const infoTaskSchema = taskSpecSchema.extend({
  /** e.g. "lr 0.0023 · batch 64 · 128 updates every 256 steps · target every 10 · γ 0.99 · …". */
  settings: z.string().max(500).optional(),
});
export type InfoTask = z.infer<typeof infoTaskSchema>;

/** A sequence: a built-in name (e.g. "fourrooms-goals") or inline tasks. */
export const sequenceRefSchema = z.union([
  z.string().min(1).max(200),
  z.object({
    name: label.optional(),
    description: z.string().max(2000).optional(),
    tasks: z.array(taskSpecSchema).min(1).max(64),
    /** How many times the whole list is trained in order (default 1). */
    repeats: z.number().int().min(1).max(100).optional(),
    /**
     * A built-in sequence these tasks were edited from: its DQN hyperparameters and per-strategy settings
     * (tuned for its envs) apply to them.
     */
    base: z.string().min(1).max(200).optional(),
  }),
]);
export type SequenceRef = z.infer<typeof sequenceRefSchema>;

/** Strategy λ (regularisation strength); the UI slider is log-scale over this range. */
export const lambdaSchema = z.number().min(0).max(1e9);

/**
 * How fast the trainer runs. `max`: as fast as it can (frames throttled to ~30/s); `realtime`: the env's
 * natural rate (e.g. CartPole 50 steps/s); `fixed`: this many env steps per second.
 */
export const speedSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('max') }),
  z.object({ mode: z.literal('realtime') }),
  z.object({ mode: z.literal('fixed'), stepsPerSecond: z.number().min(0.5).max(1_000_000) }),
]);
export type Speed = z.infer<typeof speedSchema>;

/** A session folder: a name under the sessions root (UI) or, for host-issued commands, an absolute path. */
export const sessionDirSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'must not contain NUL bytes');

/** A sweep id or a job id of a sweep (a folder name: letters, digits, `.`, `_`, `-`). */
export const sweepIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/u, 'must be a sweep or job id (letters, digits, ".", "_", "-")');

/**
 * What the UI shows right now, so the trainer spends no time on pictures nobody sees: `live` (the live view
 * is on screen: frames), `multiples` (the small-multiples strip is on screen), `overlay` (Q-values and the
 * greedy-policy map in frames). A hidden page asks for nothing. Until told otherwise the trainer sends all.
 */
export const viewDemandSchema = z.object({
  live: z.boolean(),
  multiples: z.boolean(),
  overlay: z.boolean(),
});
export type ViewDemand = z.infer<typeof viewDemandSchema>;
export const FULL_VIEW: ViewDemand = { live: true, multiples: true, overlay: true };

/**
 * Schema of `EnvSnapshot`: the discriminated union of every env kind's own snapshot schema, declared with the
 * env (envs/catalog.ts lists them), so adding an environment does not touch the protocol.
 */
export { envSnapshotSchema };

// ---------------------------------------------------------------------------------------------------------
// Commands (UI → trainer). `restart-trainer` is answered by the host, never forwarded.
// ---------------------------------------------------------------------------------------------------------

export const startCommandSchema = z.object({
  type: z.literal('start'),
  sequence: sequenceRefSchema,
  strategy: z.string().min(1).max(100),
  lambda: lambdaSchema.optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  /** Record a session (events, session.json, checkpoints) under the sessions root. */
  record: z.boolean(),
  /** RunConfig overrides (e.g. `{ evalEvery: 2000 }`), validated by the continual engine. */
  config: z.record(z.string().max(64), z.unknown()).optional(),
});

export const commandSchema = z.discriminatedUnion('type', [
  startCommandSchema,
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  /** While paused: train `steps` env steps (default 1) then pause again. */
  z.object({ type: z.literal('step'), steps: z.number().int().min(1).max(100_000).optional() }),
  /** Stop the current run (run-end 'stopped', session kept) and return to idle. */
  z.object({ type: z.literal('reset') }),
  z.object({ type: z.literal('switch-task'), index: taskIndex }),
  z.object({ type: z.literal('set-speed'), speed: speedSchema }),
  z.object({
    type: z.literal('set-strategy'),
    name: z.string().min(1).max(100),
    lambda: lambdaSchema.optional(),
  }),
  z.object({ type: z.literal('set-lambda'), value: lambdaSchema }),
  z.object({ type: z.literal('set-env-params'), task: taskIndex, params: envParamsSchema }),
  z.object({ type: z.literal('marker'), label: z.string().min(1).max(1000) }),
  z.object({ type: z.literal('list-sessions') }),
  z.object({ type: z.literal('open-session'), dir: sessionDirSchema }),
  /** Playback: re-simulate the recorded evaluation episode nearest before `step`. */
  z.object({ type: z.literal('playback-seek'), step: counter }),
  z.object({ type: z.literal('resume-session'), dir: sessionDirSchema }),
  /** The session's numbers as file contents (the UI saves them where the user chooses). */
  z.object({ type: z.literal('export-session'), dir: sessionDirSchema, format: z.enum(['csv', 'json']) }),
  z.object({ type: z.literal('get-info') }),
  /**
   * Send the current run's events so far as a `run-restored` event (on the ordered event stream, so no later
   * event can overtake them): a page that connects while a run goes on rebuilds its view from them.
   */
  z.object({ type: z.literal('get-run') }),
  /** What the UI shows (see viewDemandSchema); the web shell merges the demands of all its pages. */
  z.object({ type: z.literal('set-view'), view: viewDemandSchema }),
  z.object({ type: z.literal('restart-trainer') }),
  /** Sweeps under the sweeps root (`cli sweep run` / `compare`), newest first. */
  z.object({ type: z.literal('list-sweeps') }),
  /** One sweep: progress, comparison (mean ± 90% CI) and each run. */
  z.object({ type: z.literal('get-sweep'), id: sweepIdSchema }),
  /** Open one run of a sweep for playback (the same result as open-session). */
  z.object({ type: z.literal('open-sweep-run'), sweep: sweepIdSchema, job: sweepIdSchema }),
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];
export type CommandOf<K extends CommandType> = Extract<Command, { type: K }>;
export type StartCommand = CommandOf<'start'>;

// ---------------------------------------------------------------------------------------------------------
// Results (the value a command's Promise resolves to)
// ---------------------------------------------------------------------------------------------------------

export const versionsSchema = z.record(z.string().max(64), z.string().max(200));

const paramSpecSchema = z.object({
  name: z.string().max(64),
  description: z.string().max(1000),
  default: z.number(),
  min: z.number(),
  max: z.number(),
  integer: z.boolean().optional(),
});

/** What the UI needs to build its pickers and editors. */
export const labInfoSchema = z.object({
  protocol: z.number().int(),
  backend: backendChoiceSchema,
  versions: versionsSchema,
  envs: z
    .array(
      z.object({
        id: z.string().max(100),
        description: z.string().max(1000),
        family: z.enum(['classic', 'gridworld']),
        actionNames: z.array(z.string().max(100)).max(100),
        params: z.array(paramSpecSchema).max(100),
        maxEpisodeSteps: z.number().int(),
      }),
    )
    .max(1000),
  strategies: z
    .array(
      z.object({
        name: z.string().max(100),
        description: z.string().max(1000),
        usesLambda: z.boolean(),
        defaultLambda: z.number().optional(),
      }),
    )
    .max(100),
  sequences: z
    .array(
      z.object({
        name: z.string().max(200),
        description: z.string().max(1000),
        /** What a user sees happen (e.g. "finetune forgets each room; EWC keeps them"). */
        demonstrates: z.string().max(1000).optional(),
        /** Expected wall time here, with where the figure comes from. */
        duration: z.string().max(300).optional(),
        tasks: z.array(infoTaskSchema).max(64),
        /** λ tuned for this sequence, per strategy (the UI's slider starts there). */
        lambdas: z.record(z.string().max(100), lambdaSchema).optional(),
      }),
    )
    .max(1000),
  sessionsRoot: z.string().max(4096),
});
export type LabInfo = z.infer<typeof labInfoSchema>;

export const sessionSummarySchema = z.object({
  /** Folder name under the sessions root (pass it to open-session / resume-session / export-session). */
  dir: z.string().max(4096),
  createdAt: z.string().max(100).optional(),
  sequence: z.string().max(200).optional(),
  strategy: z.string().max(200).optional(),
  steps: counter.optional(),
  status: z.string().max(100).optional(),
  /** Why the folder could not be read, if it could not. */
  error: z.string().max(2000).optional(),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

/** A recorded session opened for playback: its events (the same RunEvents the live view receives). */
export const sessionOpenedSchema = z.object({
  dir: z.string().max(4096),
  tasks: z.array(z.object({ label: label, envId: z.string().max(100) })).max(64),
  /** Last recorded global env step (the scrubber's range is 0 … lastStep). */
  lastStep: counter,
  events: z.array(runEventSchema).max(5_000_000),
  /** Steps at which an evaluation episode was recorded (and can be re-simulated). */
  episodeSteps: z.array(counter).max(5_000_000),
  /** Lines skipped by the reader (torn last line, invalid lines), with reasons. */
  warnings: z.array(z.string().max(2000)).max(1000),
});
export type SessionOpened = z.infer<typeof sessionOpenedSchema>;

/** A re-simulated recorded episode: frames for the live view while scrubbing. */
export const playbackFrameSchema = z.object({
  /** The requested cursor. */
  step: counter,
  /** Step of the recorded evaluation episode shown (≤ cursor), or null when none exists yet. */
  episodeStep: counter.nullable(),
  task: taskIndex.nullable(),
  label: label,
  /** Snapshots of the whole episode, from reset to the end (the renderer animates them). */
  snapshots: z.array(envSnapshotSchema).max(100_000),
  return: z.number().nullable(),
});
export type PlaybackFrame = z.infer<typeof playbackFrameSchema>;

export const startResultSchema = z.object({ sessionDir: z.string().max(4096).nullable() });
/** A file name without folders (what a save dialog or a download proposes). */
export const fileNameSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => !/[/\\]/.test(n), 'must be a plain file name (no folders)')
  .refine((n) => !/[\p{Cc}<>:"|?*]/u.test(n), 'must not contain control characters or any of <>:"|?*')
  .refine((n) => !n.startsWith('.'), 'must not start with a dot');

/** An export: a suggested name for the whole (one file, or a .zip of several) and the files' contents. */
export const exportResultSchema = z.object({
  name: fileNameSchema,
  files: z
    .array(
      z.object({ name: fileNameSchema, mime: z.string().max(100), text: z.string().max(512 * 1024 * 1024) }),
    )
    .min(1)
    .max(100),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

/** A sweep in the Sweeps panel's list. */
export const sweepSummarySchema = z.object({
  id: sweepIdSchema,
  name: z.string().max(200),
  createdAt: z.string().max(100),
  jobs: counter,
  /** Runs finished (in the results store). */
  done: counter,
  /** Runs started and not finished (running, or interrupted and resumable). */
  started: counter,
});
export type SweepSummary = z.infer<typeof sweepSummarySchema>;

const intervalSchema = z.object({ mean: z.number(), low: z.number(), high: z.number() }).nullable();
const finiteSeries = z.array(z.number()).max(100_000);

/** A sweep's progress and comparison: per group (sequence × strategy × λ) mean ± 90% bootstrap CI. */
export const sweepDetailSchema = sweepSummarySchema.extend({
  groups: z
    .array(
      z.object({
        label: label,
        sequence: label,
        strategy: z.string().max(100),
        lambda: z.number().nullable(),
        n: counter,
        acc: intervalSchema,
        forgetting: intervalSchema,
        /** Mean normalized-score curve of every task with its 90% band. */
        curves: z
          .array(
            z.object({
              task: counter,
              label: label,
              steps: finiteSeries,
              mean: finiteSeries,
              low: finiteSeries,
              high: finiteSeries,
            }),
          )
          .max(64),
      }),
    )
    .max(1000),
  runs: z
    .array(
      z.object({
        job: sweepIdSchema,
        group: label,
        seed: counter,
        state: z.enum(['done', 'started', 'waiting']),
        step: counter,
        totalSteps: counter,
        acc: z.number().nullable(),
        forgetting: z.number().nullable(),
      }),
    )
    .max(100_000),
});
export type SweepDetail = z.infer<typeof sweepDetailSchema>;

/** Zod schema of each command's result; `z.null()` for a plain acknowledgement. */
export const commandResultSchemas = {
  start: startResultSchema,
  pause: z.null(),
  resume: z.null(),
  step: z.null(),
  reset: z.null(),
  'switch-task': z.null(),
  'set-speed': z.null(),
  'set-strategy': z.null(),
  'set-lambda': z.null(),
  'set-env-params': z.null(),
  marker: z.null(),
  'list-sessions': z.array(sessionSummarySchema).max(100_000),
  'open-session': sessionOpenedSchema,
  'playback-seek': playbackFrameSchema,
  'resume-session': startResultSchema,
  'export-session': exportResultSchema,
  'get-info': labInfoSchema,
  'get-run': z.null(),
  'set-view': z.null(),
  'restart-trainer': z.null(),
  'list-sweeps': z.array(sweepSummarySchema).max(100_000),
  'get-sweep': sweepDetailSchema,
  'open-sweep-run': sessionOpenedSchema,
} as const satisfies Record<CommandType, z.ZodType>;
export type CommandResult<K extends CommandType> = z.infer<(typeof commandResultSchemas)[K]>;

// ---------------------------------------------------------------------------------------------------------
// Events (trainer → UI)
// ---------------------------------------------------------------------------------------------------------

/**
 * Where the run is in its schedule (a manual switch inserts a stage: the run grows by that stage's budget).
 */
export const scheduleSchema = z.object({
  /** Current stage (0-based) and number of stages, manual ones included. */
  stage: counter,
  stageCount: counter,
  /** Env steps done in the current stage and its budget. */
  stageStep: counter,
  stageSteps: counter,
  /** Env steps of the whole schedule. */
  totalSteps: counter,
  /** Task of the next stage, null when the current one is the last. */
  nextTask: taskIndex.nullable(),
  /** Budget of each task's stage when inserted by a manual switch (indexed by task). */
  switchSteps: z.array(counter).max(10_000),
});

export const statusSchema = z.object({
  step: counter,
  taskIndex: taskIndex,
  label: label,
  epsilon: z.number(),
  stepsPerSec: z.number().min(0),
  /** A run exists (started and not finished/reset). */
  running: z.boolean(),
  paused: z.boolean(),
  done: z.boolean(),
  recording: z.boolean(),
  sessionDir: z.string().max(4096).nullable(),
  speed: speedSchema,
  /** Playback mode: the session being played back (null when live). */
  playbackDir: z.string().max(4096).nullable(),
  /** The run's schedule so far (absent before a run and from engines that do not say). */
  schedule: scheduleSchema.optional(),
});
export type Status = z.infer<typeof statusSchema>;
export type Schedule = z.infer<typeof scheduleSchema>;

const metricNumber = z.number().nullable();

export const labEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    protocol: z.number().int(),
    backend: backendChoiceSchema,
    versions: versionsSchema,
  }),
  z.object({ type: z.literal('status'), status: statusSchema }),
  /** The training env's current picture, throttled (~30/s). */
  z.object({
    type: z.literal('frame'),
    step: counter,
    task: taskIndex,
    snapshot: envSnapshotSchema,
    qValues: z.array(z.number()).max(1000).optional(),
    /** Greedy action per cell for gridworlds (row-major, −1 for walls), for the policy-arrow overlay. */
    policy: z.array(z.number().int().min(-1).max(1000)).max(65_536).optional(),
  }),
  /** Every task of the sequence played by the current greedy policy (one env step each per tick). */
  z.object({
    type: z.literal('multiples'),
    step: counter,
    frames: z
      .array(
        z.object({
          task: taskIndex,
          label: label,
          snapshot: envSnapshotSchema,
          /** Return so far in the episode being played, and the last finished episode's return. */
          episodeReturn: z.number(),
          lastReturn: z.number().nullable(),
        }),
      )
      .max(64),
  }),
  z.object({ type: z.literal('run-event'), event: runEventSchema }),
  z.object({
    type: z.literal('metrics'),
    /**
     * R matrix rows so far: one per ended stage (src/session/run-scores.ts), one column per distinct task;
     * null where not measured. No cap on stages: a long hand-steered run keeps its whole matrix.
     */
    matrix: z.array(z.array(metricNumber).max(10_000)).max(1_000_000),
    /** The task each row's stage trained (same length as matrix). */
    stageTasks: z.array(taskIndex).max(1_000_000).optional(),
    /** Mean final score over the tasks trained so far. */
    accSeen: metricNumber.optional(),
    acc: metricNumber,
    forgetting: metricNumber,
    bwt: metricNumber,
    fwt: metricNumber,
  }),
  z.object({
    type: z.literal('error'),
    message: z.string().max(10_000),
    command: z.string().max(100).optional(),
  }),
  z.object({ type: z.literal('session-list'), sessions: z.array(sessionSummarySchema).max(100_000) }),
  z.object({ type: z.literal('session-opened'), session: sessionOpenedSchema }),
  /**
   * A run's history: a recorded session being resumed (its events up to the checkpoint, sent before the
   * resumed run's own events), or the current run's events so far when a page asks (`get-run`).
   */
  z.object({ type: z.literal('run-restored'), events: z.array(runEventSchema).max(5_000_000) }),
  z.object({ type: z.literal('playback-frame'), frame: playbackFrameSchema }),
  /** Sent by the Electron host when a menu item needs the UI (New session: show the start panel). */
  z.object({ type: z.literal('menu'), action: z.enum(['new-session', 'export-video']) }),
  /** Sent by the host (not the trainer) when the trainer process exits unexpectedly. */
  z.object({
    type: z.literal('trainer-exit'),
    code: z.number().int().nullable(),
    message: z.string().max(10_000),
    /** A session was being recorded; everything flushed before the crash is on disk. */
    sessionDir: z.string().max(4096).nullable(),
  }),
]);
export type LabEvent = z.infer<typeof labEventSchema>;
export type LabEventType = LabEvent['type'];
export type LabEventOf<K extends LabEventType> = Extract<LabEvent, { type: K }>;

// ---------------------------------------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------------------------------------

export const requestMessageSchema = z.object({
  kind: z.literal('request'),
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  origin: z.enum(['ui', 'host']),
  command: commandSchema,
});
export type RequestMessage = z.infer<typeof requestMessageSchema>;

export const replyMessageSchema = z.discriminatedUnion('ok', [
  z.object({
    kind: z.literal('reply'),
    id: z.number().int().min(-1),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.object({
    kind: z.literal('reply'),
    id: z.number().int().min(-1),
    ok: z.literal(false),
    error: z.string().max(10_000),
  }),
]);
export type ReplyMessage = z.infer<typeof replyMessageSchema>;

export const eventMessageSchema = z.object({ kind: z.literal('event'), event: labEventSchema });
export type EventMessage = z.infer<typeof eventMessageSchema>;

/** Largest number of events coalesced into one message. */
export const MAX_EVENTS_PER_MESSAGE = 10_000;
export const eventsMessageSchema = z.object({
  kind: z.literal('events'),
  events: z.array(labEventSchema).min(1).max(MAX_EVENTS_PER_MESSAGE),
});
export type EventsMessage = z.infer<typeof eventsMessageSchema>;

export const trainerMessageSchema = z.union([replyMessageSchema, eventMessageSchema, eventsMessageSchema]);
export type TrainerMessage = ReplyMessage | EventMessage | EventsMessage;

// ---------------------------------------------------------------------------------------------------------
// Parsing helpers: never throw, always say what is wrong
// ---------------------------------------------------------------------------------------------------------

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** One line naming each problem: `command.seed: expected number, received string`. */
export function describeZodError(error: z.ZodError, what: string): string {
  const issues = error.issues.slice(0, 5).map((i) => {
    const where = i.path.length ? i.path.map(String).join('.') : '(root)';
    return `${where}: ${i.message}`;
  });
  const more = error.issues.length > 5 ? ` (+${error.issues.length - 5} more)` : '';
  return `Invalid ${what}: ${issues.join('; ')}${more}`;
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, what: string): Parsed<T> {
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: describeZodError(r.error, what) };
}

export const parseCommand = (raw: unknown): Parsed<Command> => parseWith(commandSchema, raw, 'command');
export const parseRequest = (raw: unknown): Parsed<RequestMessage> =>
  parseWith(requestMessageSchema, raw, 'request');
export const parseLabEvent = (raw: unknown): Parsed<LabEvent> => parseWith(labEventSchema, raw, 'event');
/** Dispatches on `kind` first so the error names the real problem (not just "invalid union"). */
export function parseTrainerMessage(raw: unknown): Parsed<TrainerMessage> {
  const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
  if (kind === 'event') return parseWith(eventMessageSchema, raw, 'event message');
  if (kind === 'events') return parseEventsMessage(raw);
  if (kind === 'reply') return parseWith(replyMessageSchema, raw, 'reply message');
  return { ok: false, error: 'Invalid trainer message: kind must be "event", "events" or "reply".' };
}

const eventsEnvelopeSchema = z.object({
  kind: z.literal('events'),
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_MESSAGE),
});

/** Each event of a coalesced message is checked on its own: an invalid one becomes an `error` event. */
function parseEventsMessage(raw: unknown): Parsed<EventsMessage> {
  const envelope = parseWith(eventsEnvelopeSchema, raw, 'events message');
  if (!envelope.ok) return envelope;
  return { ok: true, value: { kind: 'events', events: parseEventList(envelope.value.events) } };
}

/** Validates each event of a list on its own; an invalid one becomes an `error` event naming the problem. */
export function parseEventList(raw: readonly unknown[]): LabEvent[] {
  return raw.map((e): LabEvent => {
    const parsed = parseLabEvent(e);
    return parsed.ok ? parsed.value : { type: 'error', message: parsed.error };
  });
}

/** Every event a trainer message carries (none for a reply). */
export function eventsOf(message: TrainerMessage): LabEvent[] {
  if (message.kind === 'event') return [message.event];
  if (message.kind === 'events') return message.events;
  return [];
}

/** Validate the result of a command against its schema (clients do this on every reply). */
export function parseResult<K extends CommandType>(type: K, raw: unknown): Parsed<CommandResult<K>> {
  const schema = commandResultSchemas[type] as unknown as z.ZodType<CommandResult<K>>;
  return parseWith(schema, raw, `result of "${type}"`);
}

/** The id of a request even when the rest is invalid (so the error reply reaches the right caller). */
export function requestIdOf(raw: unknown): number {
  if (typeof raw === 'object' && raw !== null && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id;
  }
  return -1;
}
