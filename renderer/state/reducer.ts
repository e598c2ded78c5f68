/**
 * The single reducer (immer `produce`): LabEvents from the trainer and UI actions → next AppState.
 * Frames ('frame', 'multiples', 'playback-frame') are ignored here; the live view consumes them directly.
 */
import { produce, type Draft } from 'immer';
import type { SessionOpened } from '../../src/protocol/messages';
import type { Action } from './actions';
import type { AppState } from './app-state';
import {
  addTask,
  draftFromTasks,
  moveTask,
  removeTask,
  setTaskEnv,
  setTaskField,
  tunedFor,
} from './draft-sequence';
import { validateSeed } from '../controls/param-fields';
import { applyRunEvent, emptyRun, runViewFromEvents } from './run-view';

/** Notices kept on screen at once; older ones are dropped. */
export const MAX_NOTICES = 5;

function notice(d: Draft<AppState>, kind: 'error' | 'info', message: string, key?: string): void {
  // Never stack: the same message, or a newer one about the same thing, replaces the old one.
  d.notices = d.notices.filter((n) => n.message !== message && (key === undefined || n.key !== key));
  d.notices.push({ id: d.nextNoticeId++, kind, message, ...(key !== undefined ? { key } : {}) });
  while (d.notices.length > MAX_NOTICES) d.notices.shift();
}

export function reduce(state: AppState, action: Action): AppState {
  switch (action.type) {
    // High-rate events: no state change, no new object (subscribers are not woken).
    case 'frame':
    case 'multiples':
    case 'playback-frame':
      return state;
    default:
      return produce(state, (d) => apply(d, action));
  }
}

function apply(d: Draft<AppState>, a: Action): void {
  switch (a.type) {
    case 'ready':
      d.connection = 'ready';
      d.backend = a.backend;
      d.versions = a.versions;
      d.trainerExit = null;
      break;
    case 'status':
      d.status = a.status;
      if (d.connection !== 'ready') d.connection = 'ready';
      break;
    case 'run-event':
      if (a.event.type === 'run-end' && a.event.reason === 'stopped') {
        // Reset: no run is on screen any more (its recording is in Sessions); nothing stale stays shown.
        d.run = emptyRun();
        d.metrics = { matrix: [], acc: null, forgetting: null, bwt: null, fwt: null };
        break;
      }
      applyRunEvent(d.run, a.event);
      if (a.event.type === 'run-start') {
        d.metrics = { matrix: [], acc: null, forgetting: null, bwt: null, fwt: null };
        d.backend = a.event.backend;
      }
      break;
    case 'metrics':
      d.metrics = { matrix: a.matrix, acc: a.acc, forgetting: a.forgetting, bwt: a.bwt, fwt: a.fwt };
      break;
    case 'error':
      notice(d, 'error', a.command ? `${a.command}: ${a.message}` : a.message);
      if (/connection .* closed/i.test(a.message)) d.connection = 'lost';
      break;
    case 'session-list':
      d.sessions = a.sessions;
      break;
    case 'session-opened':
      openPlayback(d, a.session);
      break;
    case 'run-restored':
      // A resumed session: its history up to the checkpoint (the trainer sends the metrics next).
      d.run = runViewFromEvents(a.events);
      d.metrics = { matrix: [], acc: null, forgetting: null, bwt: null, fwt: null };
      break;
    case 'trainer-exit':
      d.trainerExit = { message: a.message, sessionDir: a.sessionDir };
      notice(d, 'error', a.message);
      break;
    case 'ui/info': {
      d.info = a.info;
      d.backend = a.info.backend;
      d.versions = a.info.versions;
      d.connection = 'ready';
      if (d.draft.tasks.length === 0) {
        const seq = a.info.sequences[0];
        if (seq) d.draft = draftFromTasks(seq.name, seq.tasks);
      }
      const names = a.info.strategies.map((s) => s.name);
      if (names.length > 0 && !names.includes(d.settings.name)) d.settings.name = names[0]!;
      resetLambda(d);
      break;
    }
    case 'ui/notice':
      notice(d, a.kind, a.message, a.key);
      break;
    case 'ui/clear-notices':
      d.notices = d.notices.filter((n) => n.key !== a.key);
      break;
    case 'ui/dismiss':
      d.notices = d.notices.filter((n) => n.id !== a.id);
      break;
    case 'ui/sessions':
      d.sessions = a.sessions;
      break;
    case 'ui/playback-open':
      openPlayback(d, a.session);
      break;
    case 'ui/playback-cursor':
      if (d.playback) {
        const step = Math.max(0, Math.min(d.playback.session.lastStep, Math.round(a.step)));
        d.playback.cursor = step;
        d.playback.run = runViewFromEvents(d.playback.session.events, step);
      }
      break;
    case 'ui/playback-close':
      d.playback = null;
      break;
    case 'ui/draft-use-sequence': {
      const seq = d.info?.sequences.find((s) => s.name === a.name);
      if (seq) d.draft = draftFromTasks(seq.name, seq.tasks);
      resetLambda(d);
      break;
    }
    case 'ui/draft-add':
      addTask(d.draft, a.envId);
      break;
    case 'ui/draft-remove':
      removeTask(d.draft, a.index);
      break;
    case 'ui/draft-move':
      moveTask(d.draft, a.index, a.delta);
      break;
    case 'ui/draft-env':
      setTaskEnv(d.draft, d.info?.envs ?? [], a.index, a.envId);
      break;
    case 'ui/draft-field':
      setTaskField(d.draft, d.info?.envs ?? [], a.index, a.field, a.raw);
      break;
    case 'ui/strategy': {
      d.settings.name = a.name;
      resetLambda(d);
      break;
    }
    case 'ui/lambda':
      d.settings.lambda = a.value;
      break;
    case 'ui/seed':
      d.settings.seed = a.value;
      d.settings.seedError = null;
      break;
    case 'ui/seed-text': {
      const r = validateSeed(a.raw);
      if (r.ok) d.settings.seed = r.value;
      d.settings.seedError = r.ok ? null : r.error;
      break;
    }
    case 'ui/record':
      d.settings.record = a.value;
      break;
    case 'ui/overlay':
      d.overlay = a.value;
      break;
    case 'ui/video-recording':
      d.videoRecording = a.value;
      break;
    case 'ui/trainer-restarted':
      d.trainerExit = null;
      break;
  }
}

function openPlayback(d: Draft<AppState>, session: SessionOpened): void {
  if (session.events.length === 0) {
    // Opened twice over (the reply and the trainer's event): say it once.
    const message = `${session.dir} has no recorded events yet: nothing to play back.`;
    if (!d.notices.some((n) => n.message === message)) notice(d, 'error', message);
    return;
  }
  d.playback = {
    session,
    cursor: session.lastStep,
    run: runViewFromEvents(session.events, session.lastStep),
  };
  for (const w of session.warnings.slice(0, 3)) notice(d, 'info', `${session.dir}: ${w}`);
}

/**
 * λ for the chosen strategy: the value the draft's sequence is tuned with (e.g. 100 on the classic-control
 * sequences), else the strategy's default; unchanged for a strategy without λ.
 */
function resetLambda(d: Draft<AppState>): void {
  const strat = d.info?.strategies.find((s) => s.name === d.settings.name);
  if (strat?.defaultLambda === undefined) return;
  const tuned = tunedFor(d.draft);
  const seq = d.info?.sequences.find((s) => s.name === tuned);
  d.settings.lambda = seq?.lambdas?.[strat.name] ?? strat.defaultLambda;
}
