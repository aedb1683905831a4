// A second, wider look for faces bigger than the frame. BlazeFace was trained on whole faces: a
// face filling 1.2–1.5× the frame's short side (a phone held ~10–15 cm away) is often not found
// at all, or only as a small box on the part it recognises (an eye and a cheek). Placing the
// picture, centred, in a canvas twice its size (black around it, as the letterbox already is)
// shows the detector a face of ordinary size whose cut-off parts are simply black; its box then
// runs past the frame edges, which is what too-close and cut-off measure.
//
// Pure helpers over detections in image pixels; face-detector.ts runs the extra model pass only
// when `wantsZoomOut` says the first look may have missed or cut a big face.
import { iou, type Detection } from './blazeface.js';

/** Canvas size relative to the picture for the wider look: a face up to ~1.6× the short side is whole in it. */
export const ZOOM_OUT = 2;
/**
 * A confident face narrower than this share of the frame's short side means the first look saw the
 * subject whole: no wider look. Clean phone selfies have faces 0.3–0.5 of the short side, tight
 * passport-style crops up to ~0.75; the confident part-face boxes the first look leaves on faces
 * too big for the frame were 0.65–0.78 (tune half of tools/make-eval-set.ts). At 0.6 the wider look
 * (one 128 px model run) runs on 19 % of the real photos in ../shared/data (42 % at 0.55), and
 * where it sees the face no wider they keep their own box (see `mergeZoomedOut`).
 */
export const ZOOM_TRIGGER_FILL = 0.6;
/** A detection below this score does not count as having seen the subject (MediaPipe's floor is 0.5). */
export const ZOOM_TRUST_SCORE = 0.7;
/**
 * The wider look's box replaces the first look's boxes on the same face only if it is at least this
 * much wider: it sees the face at half the resolution, so on a face the first look saw whole its
 * box is within ±10 % of the first on clean photos (tune half), up to 1.27× on tight crops of masked
 * and sunglassed faces (../shared/data); the part-face boxes the first look left on too-close
 * faces it missed were 1.8–1.9× narrower than the whole face (tune half).
 */
export const ZOOM_REPLACE_RATIO = 1.3;
/** …and scores at most this much below the first look's best box on that face. */
export const ZOOM_SCORE_SLACK = 0.15;
/**
 * A face the first look did not find, or found only weakly, is taken from the wider look only if at
 * least this share of its box lies outside the frame: a face wholly inside is the first look's job,
 * at twice the resolution. On the tune half the wider look's own finds on face-less pictures (a
 * face blurred away into a head-shaped blob) were 0–13 % outside, its finds on too-close and
 * cut-off faces 27 % and more.
 */
export const ZOOM_CUT_OUTSIDE = 0.2;

const widthOf = (d: Detection) => d.xmax - d.xmin;

/** Share of a detection's box outside a width×height frame. */
export function outsideShare(d: Detection, width: number, height: number): number {
  const ix = Math.max(0, Math.min(d.xmax, width) - Math.max(d.xmin, 0));
  const iy = Math.max(0, Math.min(d.ymax, height) - Math.max(d.ymin, 0));
  const area = (d.xmax - d.xmin) * (d.ymax - d.ymin);
  return area > 0 ? 1 - (ix * iy) / area : 1;
}
const centreInside = (inner: Detection, outer: Detection): boolean => {
  const cx = (inner.xmin + inner.xmax) / 2;
  const cy = (inner.ymin + inner.ymax) / 2;
  return cx >= outer.xmin && cx <= outer.xmax && cy >= outer.ymin && cy <= outer.ymax;
};

/** Whether the first look may have missed or only partly seen a face bigger than the frame. */
export function wantsZoomOut(found: readonly Detection[], width: number, height: number): boolean {
  const short = Math.min(width, height);
  return !found.some((d) => d.score >= ZOOM_TRUST_SCORE && widthOf(d) < ZOOM_TRIGGER_FILL * short);
}

/**
 * Combines the first look's detections with the wider look's (both in image pixels, after NMS) on a
 * width×height picture. A wider-look face that overlaps no first-look face is added if the frame
 * cuts it (`ZOOM_CUT_OUTSIDE`); one that covers first-look boxes (their centre inside it, or IoU
 * above `nmsIou`) replaces them when it is clearly wider and nearly as confident — they were parts
 * of it — or when they were all weak and it is cut by the frame and more confident; otherwise the
 * first look's finer boxes stay.
 */
export function mergeZoomedOut(
  first: readonly Detection[],
  zoomed: readonly Detection[],
  width: number,
  height: number,
  nmsIou: number,
): Detection[] {
  const dropped = new Set<Detection>();
  const added: Detection[] = [];
  for (const z of zoomed) {
    const same = first.filter((o) => centreInside(o, z) || iou(o, z) > nmsIou);
    const cut = outsideShare(z, width, height) >= ZOOM_CUT_OUTSIDE;
    if (same.length === 0) {
      if (cut) added.push(z);
      continue;
    }
    const widest = Math.max(...same.map(widthOf));
    const best = Math.max(...same.map((o) => o.score));
    const wider = widthOf(z) >= ZOOM_REPLACE_RATIO * widest && z.score >= best - ZOOM_SCORE_SLACK;
    const surer = cut && best < ZOOM_TRUST_SCORE && z.score > best;
    if (wider || surer) {
      for (const o of same) dropped.add(o);
      added.push(z);
    }
  }
  return [...first.filter((o) => !dropped.has(o)), ...added];
}
