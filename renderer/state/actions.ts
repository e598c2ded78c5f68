/**
 * Everything that changes the UI state: the trainer's LabEvents (as they arrive) plus UI actions (prefixed
 * `ui/`) dispatched by controls and by command results.
 */
import type { LabEvent, LabInfo, SessionOpened, SessionSummary } from '../../src/protocol/messages';

export type UiAction =
  | { type: 'ui/info'; info: LabInfo }
  | { type: 'ui/notice'; kind: 'error' | 'info'; message: string; key?: string }
  /** A command succeeded: its earlier error notice (same key) is no longer true. */
  | { type: 'ui/clear-notices'; key: string }
  | { type: 'ui/dismiss'; id: number }
  | { type: 'ui/sessions'; sessions: SessionSummary[] }
  | { type: 'ui/playback-open'; session: SessionOpened }
  | { type: 'ui/playback-cursor'; step: number }
  | { type: 'ui/playback-close' }
  | { type: 'ui/draft-use-sequence'; name: string }
  | { type: 'ui/draft-add'; envId: string }
  | { type: 'ui/draft-remove'; index: number }
  | { type: 'ui/draft-move'; index: number; delta: number }
  | { type: 'ui/draft-env'; index: number; envId: string }
  | { type: 'ui/draft-field'; index: number; field: string; raw: string }
  | { type: 'ui/strategy'; name: string }
  | { type: 'ui/lambda'; value: number }
  | { type: 'ui/seed'; value: number }
  /** The seed field's raw text (validated: a valid one sets the seed, an invalid one blocks Start). */
  | { type: 'ui/seed-text'; raw: string }
  | { type: 'ui/record'; value: boolean }
  | { type: 'ui/overlay'; value: boolean }
  | { type: 'ui/video-recording'; value: boolean }
  | { type: 'ui/trainer-restarted' };

export type Action = LabEvent | UiAction;
