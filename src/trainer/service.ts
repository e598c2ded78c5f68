/**
 * TrainerService: the trainer process's brain. It receives validated commands from the host, drives an
 * Engine in chunks scheduled with setImmediate (so commands are handled between chunks), and sends events:
 * throttled frames (~30/s when paced, 10/s at max speed), small multiples (~10/s), status (~4/s), every
 * RunEvent, metrics, errors.
 * Events are coalesced: everything emitted during one loop turn leaves as one `events` message (a reply first
 * flushes what was emitted before it, so order is kept). Frames, multiples and the Q-value/policy overlay are
 * computed only while a UI shows them (`set-view`).
 * Sessions are recorded with the SessionRecorder; recorded sessions are listed, opened and played back here.
 *
 * Nothing in here throws out of a message handler: an invalid request or a failing command becomes an
 * error reply naming what is wrong, and a failure inside a training chunk pauses the run with an error event.
 *
 * What the UI sees of a running run (frames, multiples, policy map, when status is due) is published by
 * view-publisher.ts. Over 350 lines because the command table and the run lifecycle it drives (start,
 * resume, pause, step, dispose, checkpoint) share the same few fields and read best together.
 */
import path from 'node:path';
import { combineObservers, type RunEvent, type RunObserver } from '../session/events';
import { resumeRecordedRun, startRecordedRun } from '../session/recorded-run';
import type { SessionRecorder } from '../session/recorder';
import type { BackendChoice } from '../tf/backend';
import {
  PROTOCOL_VERSION,
  parseRequest,
  requestIdOf,
  type Command,
  type CommandOf,
  type LabEvent,
  type ExportResult,
  type LabInfo,
  type Status,
  type TrainerMessage,
} from '../protocol/messages';
import { EventCoalescer } from './coalescer';
import type { Engine, EngineFactory } from './engine';
import { Pacer, realtimeStepsPerSec } from './pacer';
import type { TrainerPort } from './port';
import { PlaybackSession, listSessionSummaries, resolveSessionDir, type Resimulate } from './playback';
import { listSweepSummaries, sweepDetail, sweepRunDir } from './sweeps';
import { MULTIPLES_MS, ViewPublisher, type PublishMode } from './view-publisher';

/** While paused or finished, the loop wakes this often to play the small multiples. */
const IDLE_MS = MULTIPLES_MS;

export { FRAME_MS, MAX_SPEED_FRAME_MS, MULTIPLES_MS, POLICY_MIN_MS, STATUS_MS } from './view-publisher';

export interface TrainerServiceOptions {
  port: TrainerPort;
  factory: EngineFactory;
  /** Picks the tfjs backend (initBackend); awaited before any command runs. */
  initBackend: () => Promise<BackendChoice>;
  /** Everything in LabInfo the service does not know itself. */
  describe: () => Pick<LabInfo, 'envs' | 'strategies' | 'sequences' | 'versions'>;
  sessionsRoot: string;
  /** Root of the sweeps shown in the Sweeps panel (default ./sweeps). */
  sweepsRoot?: string;
  resimulate: Resimulate;
  /** Export a session: the files' contents (nothing is written). */
  exportSession?: (dir: string, format: 'csv' | 'json') => Promise<ExportResult> | ExportResult;
  now?: () => number;
}

type Handler<K extends Command['type']> = (
  command: CommandOf<K>,
  origin: 'ui' | 'host',
) => Promise<unknown> | unknown;

export class TrainerService {
  private readonly port: TrainerPort;
  private readonly opts: TrainerServiceOptions;
  private readonly now: () => number;
  private backend: BackendChoice | undefined;
  private readonly ready: Promise<BackendChoice>;

  private engine: Engine | null = null;
  private recorder: SessionRecorder | null = null;
  private paused = false;
  private done = false;
  private strategyName: string | null = null;
  private playback: PlaybackSession | null = null;
  private checkpointDue = false;
  private metricsDirty = false;

  private readonly pacer = new Pacer();
  /** Live frame, multiples, policy map; status/metrics timing (view-publisher.ts). */
  private readonly views: ViewPublisher;
  private timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;
  private timerKind: 'immediate' | 'timeout' | null = null;
  /** Serialises everything that touches the engine (chunks and commands). */
  private lock: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Events emitted during one loop turn leave as one message. */
  private readonly outbox = new EventCoalescer((events) =>
    this.port.send(
      (events.length === 1
        ? { kind: 'event', event: events[0]! }
        : { kind: 'events', events }) satisfies TrainerMessage,
    ),
  );
  /** Every run event of the current run (a resumed run: from its first recorded event), for `get-run`. */
  private runEvents: RunEvent[] = [];

  constructor(options: TrainerServiceOptions) {
    this.opts = options;
    this.port = options.port;
    this.now = options.now ?? (() => performance.now());
    this.views = new ViewPublisher({
      now: this.now,
      emit: (event) => this.emit(event),
      maxSpeed: () => this.pacer.current.mode === 'max',
      onStatusDue: (engine) => {
        this.emitStatus();
        if (this.metricsDirty) this.emitMetrics(engine);
      },
    });
    this.ready = options.initBackend().then(
      (choice) => {
        this.backend = choice;
        this.emit({
          type: 'ready',
          protocol: PROTOCOL_VERSION,
          backend: choice,
          versions: options.describe().versions,
        });
        this.emitStatus();
        return choice;
      },
      (error: unknown) => {
        this.emit({ type: 'error', message: `The trainer could not start tfjs: ${messageOf(error)}` });
        throw error;
      },
    );
    this.ready.catch(() => undefined);
    this.port.onMessage((raw) => this.receive(raw));
  }

  /** Stop the loop and close the recorder (the process is about to exit). */
  close(): void {
    if (this.closed) return;
    this.outbox.flush();
    this.closed = true;
    this.cancelTimer();
    if (this.engine && !this.done) {
      try {
        this.engine.stop();
      } catch (error) {
        // The process is exiting: the UI may be gone, so say it on stderr (the host's log). The events
        // recorded so far are on disk; the session reads as incomplete (no run-end).
        process.stderr.write(`The run could not be stopped cleanly: ${messageOf(error)}\n`);
      }
    }
    this.recorder?.close();
    this.engine?.dispose();
  }

  // ---------------------------------------------------------------------------------------------------
  // Messages
  // ---------------------------------------------------------------------------------------------------

  private receive(raw: unknown): void {
    const parsed = parseRequest(raw);
    if (!parsed.ok) {
      this.reply({ kind: 'reply', id: requestIdOf(raw), ok: false, error: parsed.error });
      return;
    }
    const { id, origin, command } = parsed.value;
    this.dispatch(command, origin).then(
      (result) => this.reply({ kind: 'reply', id, ok: true, result: result ?? null }),
      (error: unknown) => this.reply({ kind: 'reply', id, ok: false, error: messageOf(error) }),
    );
  }

  private async dispatch(command: Command, origin: 'ui' | 'host'): Promise<unknown> {
    await this.ready;
    const handler = this.handlers[command.type] as Handler<typeof command.type>;
    return handler(command as never, origin);
  }

  private sweepsRoot(): string {
    return this.opts.sweepsRoot ?? path.resolve('sweeps');
  }

  private reply(message: TrainerMessage): void {
    this.outbox.flush();
    this.port.send(message);
  }

  private emit(event: LabEvent): void {
    if (this.closed) return;
    this.outbox.push(event);
  }

  // ---------------------------------------------------------------------------------------------------
  // Command handlers
  // ---------------------------------------------------------------------------------------------------

  private readonly handlers: { [K in Command['type']]: Handler<K> } = {
    start: (c) => this.exclusive(() => this.start(c)),
    pause: () => {
      this.requireEngine('pause');
      this.paused = true;
      this.emitStatus();
      return null;
    },
    resume: () => {
      this.requireEngine('resume');
      if (this.done) throw new Error('The run has finished; start a new one.');
      this.paused = false;
      this.emitStatus();
      this.schedule(0);
      return null;
    },
    step: (c) =>
      this.exclusive(async () => {
        const engine = this.requireEngine('step');
        if (!this.paused) throw new Error('Pause the run before stepping it.');
        if (this.done) throw new Error('The run has finished; nothing to step.');
        await this.runChunk(engine, c.steps ?? 1);
        this.sendViews('force');
        return null;
      }),
    reset: () => this.exclusive(() => this.reset()),
    'switch-task': (c) =>
      this.exclusive(() => {
        const engine = this.requireEngine('switch task');
        if (c.index >= engine.tasks.length) {
          throw new Error(
            `There is no task ${c.index}: the sequence has ${engine.tasks.length} tasks (0–${engine.tasks.length - 1}).`,
          );
        }
        engine.switchTask(c.index);
        this.views.resetFrameGate();
        this.sendViews('force');
        return null;
      }),
    'set-speed': (c) => {
      this.pacer.setSpeed(c.speed);
      this.emitStatus();
      if (this.engine && !this.paused) this.schedule(0);
      return null;
    },
    'set-strategy': (c) =>
      this.exclusive(() => {
        if (this.engine && !this.done) {
          if (c.name !== this.strategyName) {
            throw new Error(
              `The strategy of a run is fixed (${this.strategyName}); reset and start again to use ${c.name}.`,
            );
          }
          if (c.lambda !== undefined) this.engine.setStrategyParam('lambda', c.lambda);
        } else {
          this.strategyName = c.name;
        }
        return null;
      }),
    'set-lambda': (c) =>
      this.exclusive(() => {
        this.requireEngine('set λ').setStrategyParam('lambda', c.value);
        return null;
      }),
    'set-env-params': (c) =>
      this.exclusive(() => {
        const engine = this.requireEngine('set env params');
        engine.setEnvParams(c.task, c.params);
        this.views.taskChanged(c.task); // its multiple restarts; the policy map may have changed
        return null;
      }),
    marker: (c) =>
      this.exclusive(() => {
        this.requireEngine('add a marker').mark(c.label);
        return null;
      }),
    'list-sessions': () => {
      const sessions = listSessionSummaries(this.opts.sessionsRoot);
      this.emit({ type: 'session-list', sessions });
      return sessions;
    },
    'open-session': (c, origin) => {
      const dir = resolveSessionDir(this.opts.sessionsRoot, c.dir, origin);
      this.playback = new PlaybackSession(dir);
      this.emit({ type: 'session-opened', session: this.playback.opened });
      this.emitStatus();
      return this.playback.opened;
    },
    'playback-seek': (c) => {
      if (!this.playback) throw new Error('Open a recorded session before seeking in it.');
      const frame = this.playback.seek(c.step, this.opts.resimulate);
      this.emit({ type: 'playback-frame', frame });
      return frame;
    },
    'resume-session': (c, origin) =>
      this.exclusive(() => this.resumeSession(resolveSessionDir(this.opts.sessionsRoot, c.dir, origin))),
    'export-session': async (c, origin) => {
      if (!this.opts.exportSession) throw new Error('Export is not available in this build.');
      const dir = resolveSessionDir(this.opts.sessionsRoot, c.dir, origin);
      return this.opts.exportSession(dir, c.format);
    },
    'set-view': (c) => {
      this.views.setView(c.view);
      if (this.engine && (this.paused || this.done)) this.schedule(0);
      return null;
    },
    'get-run': () => {
      if (this.runEvents.length === 0) return null;
      // On the event stream, not in the reply: a reply can reach a page after events emitted later.
      this.emit({ type: 'run-restored', events: [...this.runEvents] });
      this.metricsDirty = true; // and the metrics after it (with the next status)
      return null;
    },
    'get-info': () => ({
      protocol: PROTOCOL_VERSION,
      backend: this.backend!,
      sessionsRoot: this.opts.sessionsRoot,
      ...this.opts.describe(),
    }),
    'restart-trainer': () => {
      throw new Error('restart-trainer is handled by the host, not the trainer.');
    },
    'list-sweeps': () => listSweepSummaries(this.sweepsRoot()),
    'get-sweep': (c) => sweepDetail(this.sweepsRoot(), c.id),
    'open-sweep-run': (c) => {
      this.playback = new PlaybackSession(sweepRunDir(this.sweepsRoot(), c.sweep, c.job));
      this.emit({ type: 'session-opened', session: this.playback.opened });
      this.emitStatus();
      return this.playback.opened;
    },
  };

  // ---------------------------------------------------------------------------------------------------
  // Run lifecycle
  // ---------------------------------------------------------------------------------------------------

  /** Forwards every run event to the UI and notes what the loop must do after the chunk. */
  private readonly forwarder: RunObserver = {
    onEvent: (e: RunEvent) => {
      if (e.type === 'task-end') this.checkpointDue = true;
      if (e.type === 'task-end' || e.type === 'eval' || e.type === 'run-end') this.metricsDirty = true;
      this.runEvents.push(e);
      this.emit({ type: 'run-event', event: e });
    },
  };
  private observer: RunObserver = this.forwarder;

  private async start(c: CommandOf<'start'>): Promise<{ sessionDir: string | null }> {
    if (this.engine && !this.done) throw new Error('A run is active: reset it before starting another.');
    await this.disposeRun();
    this.playback = null;
    this.recorder = c.record ? startRecordedRun({ root: this.opts.sessionsRoot }) : null;
    this.observer = combineObservers(this.recorder ?? undefined, this.forwarder);
    this.runEvents = [];
    try {
      this.engine = await this.opts.factory.create({
        start: c,
        observer: this.observer,
        backend: this.backend!,
      });
    } catch (error) {
      this.recorder?.close();
      this.recorder = null;
      this.runEvents = [];
      throw error;
    }
    this.strategyName = c.strategy;
    return this.beginLoop();
  }

  private async resumeSession(dir: string): Promise<{ sessionDir: string | null }> {
    if (this.engine && !this.done) throw new Error('A run is active: reset it before resuming another.');
    const factory = this.opts.factory;
    if (!factory.resume) throw new Error('Resuming a session is not available in this build.');
    await this.disposeRun();
    this.playback = null;
    // The one recorded-run path shared with `cli run --resume`: symlink guard, exclusive writer lock, and the
    // resume rule (a stopped or crashed run continues from its last checkpoint; a finished one does not).
    const { prepared, recorder } = resumeRecordedRun(dir);
    this.recorder = recorder;
    this.observer = combineObservers(this.recorder, this.forwarder);
    // The UI rebuilds the run's tasks, curves and switches from the kept events; the resumed run continues them.
    this.runEvents = [...prepared.events];
    this.emit({ type: 'run-restored', events: prepared.events });
    try {
      this.engine = await factory.resume({ prepared, observer: this.observer, backend: this.backend! });
    } catch (error) {
      this.recorder.close();
      this.recorder = null;
      this.runEvents = [];
      this.emit({ type: 'run-restored', events: [] });
      throw error;
    }
    this.metricsDirty = true; // the R matrix and metrics so far
    this.strategyName =
      typeof prepared.manifest.strategy === 'string'
        ? prepared.manifest.strategy
        : prepared.manifest.strategy.name;
    return this.beginLoop();
  }

  private beginLoop(): { sessionDir: string | null } {
    this.paused = false;
    this.done = false;
    this.views.attach(this.engine!);
    this.sendViews('force');
    this.schedule(0);
    return { sessionDir: this.recorder?.dir ?? null };
  }

  private async reset(): Promise<null> {
    await this.disposeRun();
    this.emitStatus();
    return null;
  }

  /** Stop the current run (checkpoint, run-end 'stopped'), close its session and free the engine. */
  private async disposeRun(): Promise<void> {
    this.cancelTimer();
    this.views.detach();
    const engine = this.engine;
    if (!engine) return;
    try {
      if (!this.done) {
        await this.checkpoint(engine);
        engine.stop();
      }
    } finally {
      this.recorder?.close();
      this.recorder = null;
      engine.dispose();
      this.engine = null;
      this.done = false;
      this.paused = false;
      this.observer = this.forwarder;
      this.runEvents = [];
    }
  }

  private async checkpoint(engine: Engine): Promise<void> {
    this.checkpointDue = false;
    if (!this.recorder?.dir) return;
    const s = engine.status();
    await this.recorder.saveCheckpoint(s.step, s.t, (dir) => engine.saveCheckpoint(dir));
  }

  // ---------------------------------------------------------------------------------------------------
  // The loop
  // ---------------------------------------------------------------------------------------------------

  private schedule(delayMs: number): void {
    if (this.closed) return;
    // An immediate tick replaces a pending timeout; a pending immediate tick is kept.
    if (this.timer !== null && (this.timerKind === 'immediate' || delayMs > 0)) return;
    this.cancelTimer();
    if (delayMs <= 0) {
      this.timerKind = 'immediate';
      this.timer = setImmediate(() => this.tick());
    } else {
      this.timerKind = 'timeout';
      this.timer = setTimeout(() => this.tick(), delayMs);
    }
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    if (this.timerKind === 'immediate') clearImmediate(this.timer as ReturnType<typeof setImmediate>);
    else clearTimeout(this.timer as ReturnType<typeof setTimeout>);
    this.timer = null;
    this.timerKind = null;
  }

  private tick(): void {
    this.timer = null;
    this.timerKind = null;
    const engine = this.engine;
    if (!engine || this.closed) return;
    if (this.paused || this.done) {
      this.exclusive(() => this.sendViews('idle')).catch((error: unknown) => this.fail(error));
      this.schedule(IDLE_MS);
      return;
    }
    // The real-time rate comes from the kind of env last drawn (asking for a frame here would cost a forward pass).
    const pace = this.pacer.next(this.now(), realtimeStepsPerSec(this.views.lastFrameKind));
    if (pace.steps === 0) {
      this.schedule(pace.waitMs);
      return;
    }
    this.exclusive(async () => {
      if (this.engine !== engine || this.paused || this.done) return;
      await this.runChunk(engine, pace.steps);
      this.sendViews('running');
    }).then(
      () => {
        if (this.engine === engine && !this.paused && !this.done) this.schedule(0);
        else if (this.engine === engine) this.schedule(IDLE_MS);
      },
      (error: unknown) => this.fail(error),
    );
  }

  /** Train `steps` env steps, then handle what the chunk caused (checkpoint after a task, end of run). */
  private async runChunk(engine: Engine, steps: number): Promise<void> {
    const t0 = this.now();
    const more = await engine.advance(steps);
    this.pacer.observe(steps, this.now() - t0);
    if (this.checkpointDue) await this.checkpoint(engine);
    if (!more && !this.done) {
      this.done = true;
      this.recorder?.flush();
      this.metricsDirty = true;
      this.sendViews('force');
    }
  }

  /** Frame, multiples, status and metrics, each at its own rate (view-publisher.ts). */
  private sendViews(mode: PublishMode): void {
    if (this.engine) this.views.publish(this.engine, mode);
  }

  private emitMetrics(engine: Engine): void {
    this.metricsDirty = false;
    const m = engine.metrics();
    if (m) this.emit({ type: 'metrics', ...m });
  }

  private emitStatus(): void {
    this.emit({ type: 'status', status: this.statusNow() });
  }

  private statusNow(): Status {
    const engine = this.engine;
    const s = engine?.status();
    return {
      step: s?.step ?? 0,
      taskIndex: s?.taskIndex ?? 0,
      label: s && engine ? (engine.tasks[s.taskIndex]?.label ?? '') : '',
      epsilon: s?.epsilon ?? 0,
      stepsPerSec: s?.stepsPerSec ?? 0,
      running: engine !== null && !this.done,
      paused: this.paused,
      done: this.done,
      recording: this.recorder?.enabled === true && engine !== null && !this.done,
      sessionDir: this.recorder?.dir ?? null,
      speed: this.pacer.current,
      playbackDir: this.playback?.opened.dir ?? null,
      ...(s?.schedule && !this.done ? { schedule: s.schedule } : {}),
    };
  }

  /** A failure inside the loop: pause, tell the UI, keep everything recorded so far. */
  private fail(error: unknown): void {
    this.paused = true;
    this.recorder?.flush();
    this.emit({ type: 'error', message: `Training stopped: ${messageOf(error)}` });
    this.emitStatus();
  }

  private requireEngine(what: string): Engine {
    if (!this.engine) throw new Error(`Cannot ${what}: no run is active (start one first).`);
    return this.engine;
  }

  /** Run `fn` after everything already queued on the engine. */
  private exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.lock.then(fn);
    this.lock = next.catch(() => undefined);
    return next;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
