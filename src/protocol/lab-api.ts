/**
 * `LabApi`: the typed `window.lab` object the renderer talks to. One named method per command (each returns
 * a Promise of that command's validated result), `onEvent` for the trainer's event stream, and `platform`.
 *
 * Implemented by the Electron preload (IPC, electron/preload.ts) and by the web shell's WebSocket client
 * (renderer/lab-api/ws-client.ts); both build it with `createLabApi` from a small transport, so the method
 * list lives in one place. `saveFile` is the one method that does not reach the trainer: it gives the user a
 * file (a native save dialog in Electron, a browser download in the web shell). No Node, Electron or tfjs
 * imports here.
 */
import type {
  Command,
  CommandResult,
  CommandType,
  ExportResult,
  LabEvent,
  LabInfo,
  PlaybackFrame,
  SessionOpened,
  SessionSummary,
  Speed,
  SweepDetail,
  SweepSummary,
  StartCommand,
  ViewDemand,
} from './messages';
import type { EnvParams } from '../session/events';

export type StartOptions = Omit<StartCommand, 'type'>;
export type LabEventListener = (event: LabEvent) => void;

/** A file for the user: a plain name (no folders), its MIME type and its bytes. */
export interface SaveFileRequest {
  name: string;
  mime: string;
  data: Uint8Array;
}

/** Where the file went: a path (Electron), the download's name (web), or null when the user cancelled. */
export interface SaveFileResult {
  saved: string | null;
}

export interface LabApi {
  /** Which shell implements this object. */
  readonly platform: 'electron' | 'web';
  /** Start a new run (stops nothing: call `reset` first if a run is active). */
  start(options: StartOptions): Promise<{ sessionDir: string | null }>;
  pause(): Promise<null>;
  resume(): Promise<null>;
  /** While paused, train `steps` env steps (default 1) then pause again. */
  step(steps?: number): Promise<null>;
  /** Stop the current run (session kept, run-end 'stopped') and go idle. */
  reset(): Promise<null>;
  /** Switch the trained task now (recorded as task-start with source 'manual'). */
  switchTask(index: number): Promise<null>;
  setSpeed(speed: Speed): Promise<null>;
  setStrategy(name: string, lambda?: number): Promise<null>;
  setLambda(value: number): Promise<null>;
  setEnvParams(task: number, params: EnvParams): Promise<null>;
  marker(label: string): Promise<null>;
  listSessions(): Promise<SessionSummary[]>;
  openSession(dir: string): Promise<SessionOpened>;
  playbackSeek(step: number): Promise<PlaybackFrame>;
  resumeSession(dir: string): Promise<{ sessionDir: string | null }>;
  /** The session's numbers as file contents (save them with `saveFile`). */
  exportSession(dir: string, format: 'csv' | 'json'): Promise<ExportResult>;
  getInfo(): Promise<LabInfo>;
  /** Ask for the current run's events so far (they arrive as a `run-restored` event; nothing without a run). */
  getRun(): Promise<null>;
  /** Tell the trainer what is on screen, so it computes no pictures nobody sees. */
  setView(view: ViewDemand): Promise<null>;
  /** Give the user a file: Electron asks where to save it, the web shell downloads it. */
  saveFile(file: SaveFileRequest): Promise<SaveFileResult>;
  /** Start a fresh trainer process (after a crash); the recorded session stays on disk. */
  restartTrainer(): Promise<null>;
  /** Sweeps under the sweeps root (`cli sweep run`, `compare`), newest first. */
  listSweeps(): Promise<SweepSummary[]>;
  /** One sweep's progress, comparison (mean ± 90% CI) and runs. */
  getSweep(id: string): Promise<SweepDetail>;
  /** Open one run of a sweep for playback (like openSession). */
  openSweepRun(sweep: string, job: string): Promise<SessionOpened>;
  /** Listen to every event; returns the unsubscribe function. */
  onEvent(listener: LabEventListener): () => void;
}

/** What a shell must provide to build a LabApi. */
export interface LabTransport {
  /** Send one command and resolve with its (already validated) result; reject with an Error on failure. */
  request<K extends CommandType>(command: Extract<Command, { type: K }>): Promise<CommandResult<K>>;
  /** Subscribe to validated events; returns the unsubscribe function. */
  subscribe(listener: LabEventListener): () => void;
  /** Give the user a file (see LabApi.saveFile); absent where there is no user (benchmarks, tests). */
  saveFile?(file: SaveFileRequest): Promise<SaveFileResult>;
}

/** Build the named-method object over a transport. */
export function createLabApi(platform: 'electron' | 'web', transport: LabTransport): LabApi {
  const send = <K extends CommandType>(command: Extract<Command, { type: K }>): Promise<CommandResult<K>> =>
    transport.request(command);
  return {
    platform,
    start: (options) => send({ type: 'start', ...options }),
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    step: (steps) => send(steps === undefined ? { type: 'step' } : { type: 'step', steps }),
    reset: () => send({ type: 'reset' }),
    switchTask: (index) => send({ type: 'switch-task', index }),
    setSpeed: (speed) => send({ type: 'set-speed', speed }),
    setStrategy: (name, lambda) =>
      send(lambda === undefined ? { type: 'set-strategy', name } : { type: 'set-strategy', name, lambda }),
    setLambda: (value) => send({ type: 'set-lambda', value }),
    setEnvParams: (task, params) => send({ type: 'set-env-params', task, params }),
    marker: (label) => send({ type: 'marker', label }),
    listSessions: () => send({ type: 'list-sessions' }),
    openSession: (dir) => send({ type: 'open-session', dir }),
    playbackSeek: (step) => send({ type: 'playback-seek', step }),
    resumeSession: (dir) => send({ type: 'resume-session', dir }),
    exportSession: (dir, format) => send({ type: 'export-session', dir, format }),
    getInfo: () => send({ type: 'get-info' }),
    getRun: () => send({ type: 'get-run' }),
    setView: (view) => send({ type: 'set-view', view }),
    saveFile: (file) =>
      transport.saveFile
        ? transport.saveFile(file)
        : Promise.reject(new Error('Saving files is not available in this shell.')),
    restartTrainer: () => send({ type: 'restart-trainer' }),
    listSweeps: () => send({ type: 'list-sweeps' }),
    getSweep: (id) => send({ type: 'get-sweep', id }),
    openSweepRun: (sweep, job) => send({ type: 'open-sweep-run', sweep, job }),
    onEvent: (listener) => transport.subscribe(listener),
  };
}
