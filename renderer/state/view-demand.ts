/**
 * What the trainer must draw for this page (pure rule; app/view-demand.ts feeds it from the DOM): nothing
 * for a hidden page, live frames only while the live view is on screen (or being recorded as a video) and
 * not showing a playback, the small multiples while their strip is on screen, the Q-value/policy overlay only
 * with live frames.
 */
import type { ViewDemand } from '../../src/protocol/messages';

export interface ViewInputs {
  pageVisible: boolean;
  liveOnScreen: boolean;
  /** A video recording of the live view is running (it must not freeze when the view is scrolled away). */
  videoRecording: boolean;
  multiplesOnScreen: boolean;
  playingBack: boolean;
  overlay: boolean;
}

export function viewDemand(i: ViewInputs): ViewDemand {
  const live = i.pageVisible && (i.liveOnScreen || i.videoRecording) && !i.playingBack;
  return { live, multiples: i.pageVisible && i.multiplesOnScreen, overlay: live && i.overlay };
}
