/**
 * Letterboxing (pure): the largest box of a given aspect ratio that fits in an area, centred, with a margin.
 * Every scene draws its world in such a box so it keeps its proportions at any window size.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where the Q-values panel (`qWidth`×`qHeight` including its margins) goes in a `width`×`height` view body:
 * beside the world (a column on the right) or above it (a row on top), whichever leaves the larger world box
 * for a picture of `aspect`; ties stay beside. So a 3:2 CartPole in a tall view gets the full width.
 */
export function qPanelPlacement(
  width: number,
  height: number,
  qWidth: number,
  qHeight: number,
  aspect: number,
  gap = 8,
): 'beside' | 'above' {
  const beside = fitBox(Math.max(0, width - qWidth - gap), height, aspect).width;
  const above = fitBox(width, Math.max(0, height - qHeight - gap), aspect).width;
  return above > beside ? 'above' : 'beside';
}

/** Fits a `aspect` (width / height) box into `width`×`height` minus `margin` on each side, centred. */
export function fitBox(width: number, height: number, aspect: number, margin = 0): Box {
  const w = Math.max(0, width - 2 * margin);
  const h = Math.max(0, height - 2 * margin);
  if (!(aspect > 0) || w === 0 || h === 0) return { x: margin, y: margin, width: 0, height: 0 };
  const bw = Math.min(w, h * aspect);
  const bh = bw / aspect;
  return { x: margin + (w - bw) / 2, y: margin + (h - bh) / 2, width: bw, height: bh };
}
