/**
 * What the trainer must draw for this page (pure rule; app/view-demand.ts feeds it from the DOM): nothing
 * for a hidden page, live frames only while the live view is on screen and not showing a replay, the
 * small multiples while their strip is on screen, the Q-value/policy overlay only with live frames.
 */
import type { ViewDemand } from '../../src/protocol/messages';

export interface ViewInputs {
  pageVisible: boolean;
  liveOnScreen: boolean;
  multiplesOnScreen: boolean;
  replaying: boolean;
  overlay: boolean;
}

export function viewDemand(i: ViewInputs): ViewDemand {
  const live = i.pageVisible && i.liveOnScreen && !i.replaying;
  return { live, multiples: i.pageVisible && i.multiplesOnScreen, overlay: live && i.overlay };
}
