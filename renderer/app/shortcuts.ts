/**
 * Keyboard shortcuts: Space pauses/resumes (or starts), 1–9 switch to that task, S steps while paused,
 * Q toggles the Q-value overlay. Ignored while typing in a field.
 */
import { startOrResume, togglePause } from '../controls/run-controls';
import { switchTo } from '../controls/task-switcher';
import { isPaused, isRunning } from '../state/selectors';
import type { AppContext } from './context';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName);
}

export function installShortcuts(ctx: AppContext): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    const s = ctx.store.state;
    if (e.code === 'Space') {
      e.preventDefault();
      if (isRunning(s)) void togglePause(ctx);
      else void startOrResume(ctx);
    } else if (/^[1-9]$/.test(e.key)) {
      switchTo(ctx, Number(e.key) - 1);
    } else if (e.key === 's' || e.key === 'S') {
      if (isPaused(s)) void ctx.run('Step', () => ctx.lab.step(1));
    } else if (e.key === 'q' || e.key === 'Q') {
      ctx.store.dispatch({ type: 'ui/overlay', value: !s.overlay });
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
