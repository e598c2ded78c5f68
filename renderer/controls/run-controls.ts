/**
 * Run controls: Start (or Resume when paused), Pause, Step (one env step while paused), Reset (stop the run,
 * the session stays recorded), and the speed selector from real time to maximum. Keyboard: space toggles
 * pause/resume (handled in shortcuts.ts).
 */
import type { Speed } from '../../src/protocol/messages';
import type { AppContext } from '../app/context';
import { toSequenceRef } from '../state/draft-sequence';
import { isPaused, isRunning, startBlocker } from '../state/selectors';
import { h, panel, setText } from '../ui/dom';

export const SPEEDS: { id: string; label: string; speed: Speed; title: string }[] = [
  {
    id: 'realtime',
    label: 'Real time',
    speed: { mode: 'realtime' },
    title: "The environment's own pace (e.g. CartPole 50 steps/s)",
  },
  {
    id: '200',
    label: '200/s',
    speed: { mode: 'fixed', stepsPerSecond: 200 },
    title: '200 env steps per second',
  },
  {
    id: '1000',
    label: '1k/s',
    speed: { mode: 'fixed', stepsPerSecond: 1000 },
    title: '1,000 env steps per second',
  },
  {
    id: 'max',
    label: 'Max',
    speed: { mode: 'max' },
    title: 'As fast as the trainer can (the live view shows 10 pictures a second)',
  },
];

export function speedId(speed: Speed | undefined): string {
  if (!speed) return 'max';
  if (speed.mode !== 'fixed') return speed.mode;
  return (
    SPEEDS.find((s) => s.speed.mode === 'fixed' && s.speed.stepsPerSecond === speed.stepsPerSecond)?.id ?? ''
  );
}

/** Starts a run from the draft and settings, or resumes a paused one. */
export async function startOrResume(ctx: AppContext): Promise<void> {
  const s = ctx.store.state;
  if (isPaused(s)) {
    await ctx.run('Resume', () => ctx.lab.resume());
    return;
  }
  if (isRunning(s)) return;
  if (startBlocker(s)) return; // the reason is shown next to Start
  let sequence;
  try {
    sequence = toSequenceRef(s.draft);
  } catch (error) {
    ctx.store.dispatch({
      type: 'ui/notice',
      kind: 'error',
      message: `Cannot start: ${(error as Error).message}`,
    });
    return;
  }
  const strat = s.info?.strategies.find((x) => x.name === s.settings.name);
  await ctx.run('Start', () =>
    ctx.lab.start({
      sequence,
      strategy: s.settings.name,
      ...(strat?.usesLambda === false ? {} : { lambda: s.settings.lambda }),
      seed: s.settings.seed,
      record: s.settings.record,
    }),
  );
  if (ctx.store.state.playback) ctx.store.dispatch({ type: 'ui/playback-close' });
}

export async function togglePause(ctx: AppContext): Promise<void> {
  const s = ctx.store.state;
  if (isPaused(s)) await ctx.run('Resume', () => ctx.lab.resume());
  else if (isRunning(s)) await ctx.run('Pause', () => ctx.lab.pause());
}

export function mountRunControls(ctx: AppContext): HTMLElement {
  const start = h(
    'button',
    {
      class: 'btn primary',
      testid: 'start',
      title: 'Start a run (or resume) · Space',
      onclick: () => void startOrResume(ctx),
    },
    'Start',
  );
  const pause = h(
    'button',
    {
      class: 'btn',
      testid: 'pause',
      title: 'Pause · Space',
      onclick: () => void ctx.run('Pause', () => ctx.lab.pause()),
    },
    'Pause',
  );
  const step = h(
    'button',
    {
      class: 'btn',
      testid: 'step',
      title: 'Train one env step while paused · S',
      onclick: () => void ctx.run('Step', () => ctx.lab.step(1)),
    },
    'Step',
  );
  const reset = h(
    'button',
    {
      class: 'btn danger',
      testid: 'reset',
      title: 'Stop the run (the recorded session is kept)',
      onclick: () => void ctx.run('Reset', () => ctx.lab.reset()),
    },
    'Reset',
  );

  const speedButtons = SPEEDS.map((sp) =>
    h(
      'button',
      {
        class: 'seg',
        testid: `speed-${sp.id}`,
        title: sp.title,
        onclick: () => void ctx.run('Speed', () => ctx.lab.setSpeed(sp.speed)),
      },
      sp.label,
    ),
  );

  const blocker = h('div', { class: 'field-error start-blocker', testid: 'start-blocker', role: 'alert' });
  ctx.store.select(
    (s) =>
      `${isRunning(s)}|${isPaused(s)}|${s.connection}|${s.playback !== null}|${speedId(s.status?.speed)}|${startBlocker(s)}`,
    () => {
      const s = ctx.store.state;
      const running = isRunning(s);
      const paused = isPaused(s);
      const connected = s.connection === 'ready';
      const why = running ? null : startBlocker(s);
      start.textContent = paused ? 'Resume' : 'Start';
      start.disabled = !connected || (running && !paused) || why !== null;
      start.title = why ? `Cannot start: ${why}` : 'Start a run (or resume) · Space';
      setText(blocker, why ? `Cannot start — ${why}` : '');
      pause.disabled = !running || paused;
      step.disabled = !paused;
      reset.disabled = !running;
      const active = speedId(s.status?.speed);
      speedButtons.forEach((b, i) => b.classList.toggle('active', SPEEDS[i]!.id === active));
    },
  );

  return panel(
    'Run',
    'run-controls',
    h('div', { class: 'row buttons' }, start, pause, step, reset),
    blocker,
    h(
      'div',
      { class: 'field' },
      h('label', {}, 'Speed'),
      h('div', { class: 'segmented', testid: 'speed' }, ...speedButtons),
    ),
  );
}
