/**
 * Merging the view demands of several open pages (web shell): the trainer computes a picture when at least
 * one page shows it; with no page open it computes none.
 */
import type { ViewDemand } from '../protocol/messages';

export function mergeViews(views: readonly ViewDemand[]): ViewDemand {
  return {
    live: views.some((v) => v.live),
    multiples: views.some((v) => v.multiples),
    overlay: views.some((v) => v.live && v.overlay),
  };
}

export function sameView(a: ViewDemand, b: ViewDemand): boolean {
  return a.live === b.live && a.multiples === b.multiples && a.overlay === b.overlay;
}
