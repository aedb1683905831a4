// Who is being checked. The detector returns every face-like region it scores above its floor;
// besides real people that includes weak, oversized boxes around one real face (a blurred,
// upscaled or frame-filling face often yields a second, larger low-score box over the same head)
// and the odd pattern in the background. This module picks the subject and the other people from
// those detections; it is pure geometry over the detector's boxes and scores.
import type { Box, Face } from '../types.js';

export interface SubjectRules {
  /** A face counts as the subject's if its score is within this of the best score. */
  mainScoreSlack: number;
  /** Another person needs at least this score (weak detections are usually not people). */
  otherMinScore: number;
  /** A detection overlapping the subject's head by this share of its own area is the same head. */
  sameHeadOverlap: number;
}

export interface Subject {
  /** The person being checked, or undefined when no detection is convincing. */
  main?: Face;
  /** Other people in the frame, largest first. */
  others: Face[];
  /** Detections set aside: duplicates of the subject's head, or too weak to be another person. */
  ignored: Face[];
}

const area = (b: Box) => Math.max(0, b.width) * Math.max(0, b.height);

export function intersection(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Face box grown to the whole head: forehead and hair above, chin below, ears at the sides. */
export function headBoxOf(b: Box): Box {
  return { x: b.x - b.width * 0.15, y: b.y - b.height * 0.35, width: b.width * 1.3, height: b.height * 1.6 };
}

/** Whether a box contains a point (a larger box drawn over the same face contains its centre). */
function containsCentre(outer: Box, inner: Box): boolean {
  const cx = inner.x + inner.width / 2;
  const cy = inner.y + inner.height / 2;
  return cx >= outer.x && cx <= outer.x + outer.width && cy >= outer.y && cy <= outer.y + outer.height;
}

/** A detection's best box for its head: a larger box over its centre that scores nearly as well
 *  (a face filling the frame gets several weak boxes, the biggest being the truest). */
function headBox(leader: Face, faces: readonly Face[], slack: number): Face {
  return faces
    .filter((f) => f.score >= leader.score - slack && containsCentre(f.box, leader.box))
    .reduce((a, b) => (area(b.box) > area(a.box) ? b : a), leader);
}

/**
 * The subject is the nearest confident person: of the best-scoring face and every face confident
 * enough to be another person (`otherMinScore`), the one with the largest box — the person holding
 * the camera is closest to it, and a face in a poster or far behind can score higher than a nearer
 * one (a sharper, smaller face). Each candidate is first widened to a larger box over the same
 * head if one scores nearly as well. A weak box elsewhere never becomes the subject, nor a weak
 * box around a confident far face (a 0.6 box around a 0.95 face). Other detections are the same
 * head when they overlap the subject's head box, otherwise another person if confident enough.
 */
export function chooseSubject(faces: readonly Face[], rules: SubjectRules): Subject {
  if (faces.length === 0) return { others: [], ignored: [] };
  const best = faces.reduce((a, b) => (b.score > a.score ? b : a));
  const main = faces
    .filter((f) => f === best || f.score >= rules.otherMinScore)
    .sort((a, b) => b.score - a.score) // on equal size the better-scoring candidate stays
    .map((f) => headBox(f, faces, rules.mainScoreSlack))
    .reduce((a, b) => (area(b.box) > area(a.box) ? b : a));
  const head = headBoxOf(main.box);
  const others: Face[] = [];
  const ignored: Face[] = [];
  for (const f of faces) {
    if (f === main) continue;
    const sameHead = intersection(f.box, head) >= rules.sameHeadOverlap * area(f.box) || intersection(f.box, main.box) >= rules.sameHeadOverlap * area(main.box);
    if (sameHead || f.score < rules.otherMinScore) ignored.push(f);
    else others.push(f);
  }
  others.sort((a, b) => area(b.box) - area(a.box));
  return { main, others, ignored };
}
