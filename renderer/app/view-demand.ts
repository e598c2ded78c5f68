/**
 * Tells the trainer what is on screen (`lab.setView`), so it spends no CPU on pictures nobody sees: nothing
 * while the page is hidden (another tab, minimised window); no live frames while a recorded session is
 * played back in the live view or the view is scrolled away (unless it is being recorded as a video); no small
 * multiples when their strip is out of sight; no Q-values or policy map while the overlay is off. Sent when
 * it changes, and again whenever a trainer (re)starts.
 */
import { viewDemand } from '../state/view-demand';
import type { AppContext } from './context';

export function reportViewDemand(ctx: AppContext, liveEl: HTMLElement, multiplesEl: HTMLElement): void {
  const { store, lab } = ctx;
  const onScreen = new Map<Element, boolean>([
    [liveEl, true],
    [multiplesEl, true],
  ]);
  let sent = '';
  const update = (force = false): void => {
    const view = viewDemand({
      pageVisible: document.visibilityState !== 'hidden',
      liveOnScreen: onScreen.get(liveEl) ?? true,
      multiplesOnScreen: onScreen.get(multiplesEl) ?? true,
      videoRecording: store.state.videoRecording,
      playingBack: store.state.playback !== null,
      overlay: store.state.overlay,
    });
    const key = JSON.stringify(view);
    if (key === sent && !force) return;
    sent = key;
    // A failure here only costs CPU (the trainer keeps sending everything); never bother the user with it.
    lab.setView(view).catch(() => {
      sent = '';
    });
  };
  if (typeof IntersectionObserver !== 'undefined') {
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) onScreen.set(e.target, e.isIntersecting);
      update();
    });
    io.observe(liveEl);
    io.observe(multiplesEl);
  }
  document.addEventListener('visibilitychange', () => update());
  store.select(
    (s) => `${s.playback !== null}|${s.overlay}|${s.videoRecording}`,
    () => update(),
  );
  lab.onEvent((e) => {
    if (e.type === 'ready') update(true);
  });
}
