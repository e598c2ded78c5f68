/**
 * TrainerHost: the UI host's side of the trainer process, shared by the web shell (child_process.fork) and
 * Electron main (utilityProcess.fork). It starts the trainer through a `spawn` function, forwards validated
 * commands to it, validates everything the trainer sends back, routes replies to their callers and events to
 * the UI, and survives a trainer crash: pending requests fail with a clear message, a `trainer-exit` event
 * tells the UI, and `restart-trainer` starts a fresh process (the recorded session stays on disk).
 */
import {
  eventsOf,
  parseResult,
  parseTrainerMessage,
  type Command,
  type CommandResult,
  type CommandType,
  type LabEvent,
  type RequestMessage,
} from '../protocol/messages';
import { PendingRequests } from '../protocol/pending-requests';

/** A running trainer process, whatever started it. */
export interface TrainerChild {
  send(message: unknown): void;
  onMessage(handler: (raw: unknown) => void): void;
  /** Called once when the process exits (code null when killed by a signal). */
  onExit(handler: (code: number | null) => void): void;
  kill(): void;
}

export interface TrainerHostOptions {
  spawn: () => TrainerChild;
  /**
   * Every validated event (from the trainer, plus `trainer-exit` from the host), in the batches the trainer
   * sent (one per trainer loop turn), so shells forward each batch as one message. Replies resolve after
   * the batches received before them were delivered.
   */
  onEvents: (events: LabEvent[]) => void;
  /** Diagnostics (invalid trainer messages); default: stderr. */
  log?: (line: string) => void;
  /** Longest a request may wait for its reply (ms; default 10 min: a start may compile a model). */
  requestTimeoutMs?: number;
}

export class TrainerHost {
  private child: TrainerChild | null = null;
  private readonly pending = new PendingRequests();
  private stopping = false;
  /** The restart under way, joined by restarts asked for meanwhile. */
  private restarting: Promise<void> | null = null;
  /** close() was called: no trainer is started again. */
  private closed = false;
  /** Session being recorded, from the last status (reported after a crash). */
  private sessionDir: string | null = null;
  private readonly log: (line: string) => void;
  private readonly timeoutMs: number;

  constructor(private readonly opts: TrainerHostOptions) {
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.timeoutMs = opts.requestTimeoutMs ?? 10 * 60_000;
  }

  /** Start the trainer process (idempotent). */
  start(): void {
    if (this.child || this.closed) return;
    this.stopping = false;
    const child = this.opts.spawn();
    this.child = child;
    child.onMessage((raw) => this.receive(raw));
    child.onExit((code) => this.exited(child, code));
  }

  /** Send a command and resolve with its validated result. `restart-trainer` is handled here. */
  async request<K extends CommandType>(
    command: Extract<Command, { type: K }>,
    origin: 'ui' | 'host' = 'ui',
  ): Promise<CommandResult<K>> {
    if (command.type === 'restart-trainer') {
      await this.restart();
      return null as CommandResult<K>;
    }
    if (!this.child) throw new Error('The trainer is not running: press Restart trainer.');
    const { id, reply } = this.pending.open(command.type, this.timeoutMs);
    const message: RequestMessage = { kind: 'request', id, origin, command };
    this.child.send(message);
    const raw = await reply;
    const parsed = parseResult(command.type as K, raw);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.value;
  }

  /**
   * Kill the trainer (if any) and start a new one. Restarts are serialized: a restart asked for while one
   * is under way joins it (four clicks make one new trainer), so at most one trainer process is ever live.
   */
  restart(): Promise<void> {
    this.restarting ??= this.replaceChild().finally(() => {
      this.restarting = null;
    });
    return this.restarting;
  }

  private async replaceChild(): Promise<void> {
    const old = this.child;
    if (old) {
      const gone = new Promise<void>((resolve) => old.onExit(() => resolve()));
      this.stopping = true;
      old.kill();
      await gone;
    }
    this.child = null;
    if (this.closed) throw new Error('The lab is shutting down.');
    this.start();
  }

  /**
   * Stop the trainer for good (host shutting down). The promise resolves once its process has exited, so a
   * host that awaits it before exiting leaves no trainer behind.
   */
  close(): Promise<void> {
    this.closed = true;
    this.stopping = true;
    const child = this.child;
    const gone = child ? new Promise<void>((resolve) => child.onExit(() => resolve())) : Promise.resolve();
    child?.kill();
    this.child = null;
    this.pending.failAll('The lab is shutting down.');
    return gone;
  }

  private receive(raw: unknown): void {
    const parsed = parseTrainerMessage(raw);
    if (!parsed.ok) {
      this.log(`trainer sent an invalid message: ${parsed.error}`);
      this.opts.onEvents([
        { type: 'error', message: `The trainer sent an invalid message (${parsed.error}).` },
      ]);
      return;
    }
    const msg = parsed.value;
    if (msg.kind === 'event' || msg.kind === 'events') {
      const events = eventsOf(msg);
      for (const event of events) if (event.type === 'status') this.sessionDir = event.status.sessionDir;
      if (events.length > 0) this.opts.onEvents(events);
      return;
    }
    // An error reply to a request the trainer could not even parse: surface it.
    if (!this.pending.settle(msg) && !msg.ok) this.opts.onEvents([{ type: 'error', message: msg.error }]);
  }

  private exited(child: TrainerChild, code: number | null): void {
    if (this.child === child) this.child = null;
    const expected = this.stopping;
    this.pending.failAll(
      expected ? 'The trainer was restarted.' : 'The trainer process stopped unexpectedly.',
    );
    if (expected) return;
    const where = this.sessionDir ? ` Everything recorded so far is in ${this.sessionDir}.` : '';
    this.opts.onEvents([
      {
        type: 'trainer-exit',
        code,
        message: `The trainer process exited${code === null ? ' (killed)' : ` with code ${code}`}.${where} Press Restart trainer to continue.`,
        sessionDir: this.sessionDir,
      },
    ]);
  }
}
