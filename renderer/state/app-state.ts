/**
 * The renderer's whole UI state (pure data, immutable via immer): connection, lab info, trainer status, the
 * live run's view, metrics, the sequence draft and strategy settings, sessions, playback, and messages for the
 * user. High-rate frames (live view, small multiples) do not pass through here; they go straight to Pixi.
 */
import type { RecordedBackendChoice } from '../../src/protocol/run-model';
import type { LabInfo, SessionOpened, SessionSummary, Status } from '../../src/protocol/messages';
import { emptyDraft, type DraftSequence } from './draft-sequence';
import { emptyRun, type RunView } from './run-view';

export interface Metrics {
  matrix: (number | null)[][];
  acc: number | null;
  forgetting: number | null;
  bwt: number | null;
  fwt: number | null;
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
  /** What it is about (e.g. a command): a newer notice with the same key replaces it, a success clears it. */
  key?: string;
}

export interface PlaybackState {
  session: SessionOpened;
  cursor: number;
  /** The run as recorded up to `cursor`. */
  run: RunView;
}

export interface StrategySettings {
  name: string;
  lambda: number;
  seed: number;
  /** Why the seed field's text is not a valid seed (Start stays disabled), null when valid. */
  seedError: string | null;
  record: boolean;
}

export interface AppState {
  connection: 'connecting' | 'ready' | 'lost';
  info: LabInfo | null;
  backend: RecordedBackendChoice | null;
  versions: Record<string, string>;
  status: Status | null;
  run: RunView;
  metrics: Metrics;
  draft: DraftSequence;
  settings: StrategySettings;
  sessions: SessionSummary[];
  playback: PlaybackState | null;
  notices: Notice[];
  nextNoticeId: number;
  /** Set when the trainer process died; the UI offers a restart. */
  trainerExit: { message: string; sessionDir: string | null } | null;
  /** Show the Q-value / policy overlay on the live view. */
  overlay: boolean;
  /** The live view is being recorded as a video (it needs frames even when scrolled out of sight). */
  videoRecording: boolean;
}

export const EMPTY_METRICS: Metrics = { matrix: [], acc: null, forgetting: null, bwt: null, fwt: null };

export function initialState(): AppState {
  return {
    connection: 'connecting',
    info: null,
    backend: null,
    versions: {},
    status: null,
    run: emptyRun(),
    metrics: structuredClone(EMPTY_METRICS),
    draft: emptyDraft(),
    settings: { name: 'ewc', lambda: 1000, seed: 1, seedError: null, record: true },
    sessions: [],
    playback: null,
    notices: [],
    nextNoticeId: 1,
    trainerExit: null,
    overlay: true,
    videoRecording: false,
  };
}
