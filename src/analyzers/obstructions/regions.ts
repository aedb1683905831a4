// Face regions defined by MediaPipe face-mesh indices (canonical topology), as polygons in image
// pixels: what the obstruction features are measured over and what findings outline.
import type { Point } from '../../types.js';
import type { Mesh } from '../face-state.js';

/** Eye contours (lid margin), subject's right then left. */
export const RIGHT_EYE = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246] as const;
export const LEFT_EYE = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466] as const;
export const RIGHT_BROW = [70, 63, 105, 66, 107, 55, 65, 52, 53, 46] as const;
export const LEFT_BROW = [300, 293, 334, 296, 336, 285, 295, 282, 283, 276] as const;
/** Outer lip line. */
export const LIPS = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185] as const;
/** The face outline, forehead top (10) round by the jaw. */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93,
  234, 127, 162, 21, 54, 103, 67, 109,
] as const;
/** Nose bridge top (168) down to the tip (1) and the nostril wings (129, 358). */
export const NOSE = [168, 358, 1, 129] as const;

export const pointOf = (m: Mesh, i: number): Point => ({ x: m[i * 3], y: m[i * 3 + 1] });
export function polygonOf(m: Mesh, idx: readonly number[]): Point[] {
  const out: Point[] = [];
  for (const i of idx) out.push(pointOf(m, i));
  return out;
}

export function centroid(poly: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of poly) {
    x += p.x;
    y += p.y;
  }
  return { x: x / poly.length, y: y / poly.length };
}

/** The polygon grown (k > 1) or shrunk about its centroid, then shifted by (dx, dy). */
export function scalePolygon(poly: readonly Point[], k: number, dx = 0, dy = 0): Point[] {
  const c = centroid(poly);
  const out: Point[] = [];
  for (const p of poly) out.push({ x: c.x + (p.x - c.x) * k + dx, y: c.y + (p.y - c.y) * k + dy });
  return out;
}

/** An axis-aligned square (or w×h rectangle) as a polygon. */
export function rectPolygon(c: Point, w: number, h = w): Point[] {
  return [
    { x: c.x - w / 2, y: c.y - h / 2 },
    { x: c.x + w / 2, y: c.y - h / 2 },
    { x: c.x + w / 2, y: c.y + h / 2 },
    { x: c.x - w / 2, y: c.y + h / 2 },
  ];
}

/** Distance between the outer eye corners (33, 263): the face's own length unit. */
export function eyeSpan(m: Mesh): number {
  const a = pointOf(m, 33);
  const b = pointOf(m, 263);
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** The outlines findings report, in the mesh's coordinates. */
export const findingRegions = {
  /** Nose, mouth and chin: the lower face oval below the eyes. */
  lowerFace: (m: Mesh): Point[] => polygonOf(m, [234, 93, 132, 58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288, 361, 323, 454, 351, 6, 122]),
  /** Both eyes with room for lenses. */
  eyes: (m: Mesh): Point[] => polygonOf(m, [70, 63, 105, 66, 107, 9, 336, 296, 334, 293, 300, 383, 372, 345, 352, 346, 347, 348, 349, 350, 277, 6, 47, 121, 120, 119, 118, 117, 123, 116, 143, 156]),
  /** Eyebrows and eyes, up to the hairline. */
  browsAndEyes: (m: Mesh): Point[] => polygonOf(m, [21, 54, 103, 67, 109, 10, 338, 297, 332, 284, 251, 389, 356, 454, 261, 450, 449, 448, 6, 228, 229, 230, 31, 234, 127, 162]),
  /** The head above the brows: forehead and above it, as far up again. */
  head: (m: Mesh): Point[] => {
    const top = pointOf(m, 10);
    const span = eyeSpan(m);
    const r = pointOf(m, 127);
    const l = pointOf(m, 356);
    return [r, { x: r.x, y: top.y - span * 0.8 }, { x: l.x, y: top.y - span * 0.8 }, l];
  },
  mouth: (m: Mesh): Point[] => polygonOf(m, LIPS),
  face: (m: Mesh): Point[] => polygonOf(m, FACE_OVAL),
};

/** The mesh points reports draw (the 468 would crowd a small face and bloat every result):
 *  face oval, brows, eye contours, nose line and lips, in that order. */
export const OUTLINE_POINTS: readonly number[] = [...FACE_OVAL, ...RIGHT_BROW, ...LEFT_BROW, ...RIGHT_EYE, ...LEFT_EYE, ...NOSE, ...LIPS];
