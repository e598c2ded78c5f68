/**
 * The title bar: app name, the record indicator (red dot while a session is being recorded), the task being
 * trained (data-testid `current-task`), connection state, tfjs backend (data-testid `backend`) and
 * the live view's drawing rate (pictures per second).
 */
import { formatSteps } from '../format/format';
import { currentTask, isPaused, isRunning } from '../state/selectors';
import { h, setText } from '../ui/dom';
import type { AppContext } from './context';

export function mountHeader(ctx: AppContext): { el: HTMLElement; setFps: (fps: number) => void } {
  const { store } = ctx;
  const rec = h(
    'span',
    { class: 'rec', testid: 'record-indicator', title: 'Recording this session' },
    h('span', { class: 'rec-dot' }),
    'REC',
  );
  const state = h('span', { class: 'run-state', testid: 'run-state' });
  // Which data are on screen: a live run, a recorded session, or simulated demo data (never mistaken for a run).
  const mode = h('span', { class: 'mode-badge', testid: 'mode-badge' });
  const task = h('span', { class: 'current-task', testid: 'current-task' });
  const backend = h('span', { class: 'chip', testid: 'backend' });
  const conn = h('span', { class: 'chip', testid: 'connection' });
  const fps = h('span', {
    class: 'chip mono',
    testid: 'fps',
    title: 'Live view: pictures drawn per second (the view is throttled, the trainer is not)',
  });

  store.select(
    (s) => [s.status, s.run.currentTask, s.run.tasks, s.playback] as const,
    () => {
      const s = store.state;
      const m = ctx.demo ? 'demo' : s.playback ? 'playback' : 'live';
      setText(mode, m === 'demo' ? 'DEMO · simulated data' : m === 'playback' ? 'PLAYBACK' : 'LIVE');
      mode.className = `mode-badge ${m}`;
      mode.title =
        m === 'demo'
          ? 'Demo mode: a simulated trainer with hand-written policies. These numbers are not a real training run.'
          : m === 'playback'
            ? `Showing the recorded session ${s.playback!.session.dir}, not the live trainer`
            : 'Showing the live trainer';
      // The REC light is about the live run: never lit while a recording is played back.
      const recording = s.status?.recording === true && isRunning(s) && !s.playback && !ctx.demo;
      rec.hidden = !recording;
      rec.dataset.recording = String(recording);
      // After a reset there is no run: the last run's task is history, not "the task being trained".
      const ended = !isRunning(s) && !s.status?.done;
      const cur = ended ? null : currentTask(s);
      setText(
        task,
        s.playback
          ? `Playback: ${s.playback.session.dir}`
          : cur
            ? `${cur.index + 1}. ${cur.label}`
            : 'No run',
      );
      task.dataset.task = cur ? String(cur.index) : '';
      const st = s.playback
        ? 'playback'
        : isPaused(s)
          ? 'paused'
          : isRunning(s)
            ? 'training'
            : s.status?.done
              ? 'finished'
              : 'idle';
      state.className = `run-state ${st}`;
      state.hidden = st === 'playback'; // the PLAYBACK badge says it
      setText(state, st === 'training' && s.status ? `training · ${formatSteps(s.status.step)}` : st);
    },
    (a, b) => a.every((x, i) => x === b[i]),
  );
  store.select(
    (s) => [s.backend, s.connection] as const,
    () => {
      const s = store.state;
      const b = s.backend;
      setText(backend, b ? `tfjs ${b.backend}${b.forced ? ' (forced)' : ''}` : 'backend …');
      backend.title = b
        ? [
            `tfjs ${b.tfjsVersion}`,
            ...Object.entries(b.details).map(([k, v]) => `${k}: ${String(v)}`),
            ...b.skipped.map((x) => `skipped ${x.backend}: ${x.reason}`),
          ].join('\n')
        : '';
      setText(
        conn,
        s.connection === 'ready' ? 'connected' : s.connection === 'lost' ? 'disconnected' : 'connecting…',
      );
      conn.className = `chip conn-${s.connection}`;
    },
    (a, b) => a[0] === b[0] && a[1] === b[1],
  );

  const el = h(
    'header',
    { class: 'app-header' },
    h('div', { class: 'brand' }, h('span', { class: 'logo' }, '◆'), 'Continual RL Lab'),
    mode,
    state,
    task,
    h('div', { class: 'spacer' }),
    rec,
    conn,
    backend,
    fps,
  );
  return { el, setFps: (v) => setText(fps, v < 0.5 ? 'view idle' : `view ${Math.round(v)} fps`) };
}
