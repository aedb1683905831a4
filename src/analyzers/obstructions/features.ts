// Region statistics over landmark-defined face regions: how each region (eyes, lens area, brows,
// lips, nose, chin, forehead, above the forehead) differs from the face's own skin (the cheeks) in
// brightness, colour and texture. Measured on an eye-level crop normalised to the face size, so a
// 40-px CelebA face and an 800-px selfie give comparable numbers. Pure: pixels and mesh in, numbers
// out. These are half of the obstruction classifiers' input (the face embedding is the other).
import type { RgbImage } from '../../media/raster.js';
import type { Point } from '../../types.js';
import { applyAffine, cropToImage, invertAffine, sampleCrop, type CropFrame } from '../../vision/landmarks.js';
import { eyeOpening, mouthOpening, type Mesh } from '../face-state.js';
import { LEFT_BROW, LEFT_EYE, LIPS, RIGHT_BROW, RIGHT_EYE, eyeSpan, pointOf, polygonOf, rectPolygon, scalePolygon } from './regions.js';

/** Side of the normalised crop the statistics are measured on. */
export const FEATURE_CROP_SIZE = 128;
/** The crop: 2.6 face widths, centred a quarter face width above the face centre (room for a hat). */
const CROP_SIDE = 2.6;
const CROP_UP = 0.25;

export const REGION_NAMES = ['eyes', 'lens', 'brows', 'lips', 'nose', 'chin', 'forehead', 'above'] as const;
export const REGION_STAT_NAMES = ['dLuma', 'lumaStd', 'specular', 'dark', 'texture', 'colourDist', 'dChroma'] as const;
export const EXTRA_FEATURE_NAMES = ['skinLuma', 'skinStd', 'eyeOpening', 'mouthOpening', 'meshScore'] as const;
export const FEATURE_NAMES: readonly string[] = [
  ...REGION_NAMES.flatMap((r) => REGION_STAT_NAMES.map((s) => `${r}.${s}`)),
  ...EXTRA_FEATURE_NAMES,
];

/** Luma and chroma limits for a specular highlight: near-white and nearly colourless. */
const SPECULAR_LUMA = 230;
const SPECULAR_CHROMA = 40;
const DARK_LUMA = 50;

interface RegionStats {
  r: number;
  g: number;
  b: number;
  luma: number;
  lumaStd: number;
  specular: number;
  dark: number;
  texture: number;
  chroma: number;
  pixels: number;
}

/** Even-odd rule: is (x, y) inside the polygon? */
export function inPolygon(poly: readonly Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i];
    const b = poly[j];
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

const EMPTY: RegionStats = { r: 0, g: 0, b: 0, luma: 0, lumaStd: 0, specular: 0, dark: 0, texture: 0, chroma: 0, pixels: 0 };

/** The pixels regionStats tests for a polygon: columns x0..x1, rows y0..y1 (inclusive). It also
 *  reads the pixel right of and below each (the texture gradient). */
export function statsWindow(poly: readonly Point[], size: number): { x0: number; x1: number; y0: number; y1: number } {
  const xs = poly.map((p) => p.x);
  const ys = poly.map((p) => p.y);
  return {
    x0: Math.max(0, Math.floor(Math.min(...xs))),
    x1: Math.min(size - 2, Math.ceil(Math.max(...xs))),
    y0: Math.max(0, Math.floor(Math.min(...ys))),
    y1: Math.min(size - 2, Math.ceil(Math.max(...ys))),
  };
}

/** Per crop row, the columns regionStats reads for these polygons (sampleCrop's `spans`): one
 *  interval per row covering every window that reaches it, gradient neighbours included. */
export function statsSpans(polys: ReadonlyArray<readonly Point[]>, size: number): Int32Array {
  const spans = new Int32Array(2 * size);
  for (let v = 0; v < size; v++) spans[2 * v] = size;
  for (const poly of polys) {
    const { x0, x1, y0, y1 } = statsWindow(poly, size);
    for (let v = y0; v <= y1 + 1; v++) {
      spans[2 * v] = Math.min(spans[2 * v], x0);
      spans[2 * v + 1] = Math.max(spans[2 * v + 1], x1 + 2);
    }
  }
  return spans;
}

/** Statistics of an S×S RGB crop (values 0..255) inside a polygon in crop pixels. */
export function regionStats(crop: Float32Array, size: number, poly: readonly Point[]): RegionStats {
  const { x0, x1, y0, y1 } = statsWindow(poly, size);
  let n = 0;
  let r = 0;
  let g = 0;
  let b = 0;
  let l = 0;
  let l2 = 0;
  let spec = 0;
  let dark = 0;
  let grad = 0;
  let chroma = 0;
  const lumaAt = (p: number) => 0.299 * crop[p] + 0.587 * crop[p + 1] + 0.114 * crop[p + 2];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!inPolygon(poly, x + 0.5, y + 0.5)) continue;
      const p = (y * size + x) * 3;
      const R = crop[p];
      const G = crop[p + 1];
      const B = crop[p + 2];
      const L = 0.299 * R + 0.587 * G + 0.114 * B;
      const C = Math.max(R, G, B) - Math.min(R, G, B);
      n++;
      r += R;
      g += G;
      b += B;
      l += L;
      l2 += L * L;
      chroma += C;
      if (L > SPECULAR_LUMA && C < SPECULAR_CHROMA) spec++;
      if (L < DARK_LUMA) dark++;
      grad += Math.abs(lumaAt(p + 3) - L) + Math.abs(lumaAt(p + size * 3) - L);
    }
  }
  if (n === 0) return EMPTY;
  const luma = l / n;
  return {
    r: r / n,
    g: g / n,
    b: b / n,
    luma,
    lumaStd: Math.sqrt(Math.max(0, l2 / n - luma * luma)),
    specular: spec / n,
    dark: dark / n,
    texture: grad / n,
    chroma: chroma / n,
    pixels: n,
  };
}

function mean2(a: RegionStats, b: RegionStats): RegionStats {
  const out = { ...EMPTY };
  for (const k of Object.keys(out) as Array<keyof RegionStats>) out[k] = (a[k] + b[k]) / 2;
  return out;
}

/** The normalised crop's frame for a face mesh run on `meshFrame` (the 1.5× detector-box crop). */
export function featureFrame(meshFrame: CropFrame): CropFrame {
  const w = meshFrame.side / 1.5;
  const up = CROP_UP * w;
  return {
    center: { x: meshFrame.center.x + up * Math.sin(meshFrame.angle), y: meshFrame.center.y - up * Math.cos(meshFrame.angle) },
    side: CROP_SIDE * w,
    angle: meshFrame.angle,
  };
}

/** The crop's array (196 KB), reused from face to face rather than allocated for each: only this
 *  synchronous function reads it, and none of it escapes. With `spans` the pixels the regions do
 *  not read keep an earlier face's values, which nothing reads. */
let featureCrop: Float32Array | undefined;

export interface ObstructionFeatures {
  /** FEATURE_NAMES order. */
  values: Float64Array;
  /** Specular-highlight share over the lens areas minus that of the cheeks (glare measure). */
  lensSpecular: number;
  /** Both eyes' mean lid opening (eye aspect ratio). */
  eyeOpening: number;
}

// Module-level rather than made per call: V8 re-optimises every new closure once the garbage
// collector has dropped the last one, which cost more than the work they do.
const isPair = (r: Point[] | [Point[], Point[]]): r is [Point[], Point[]] => Array.isArray(r[0]);
const finiteOrZero = (v: number) => (Number.isFinite(v) ? v : 0);

/**
 * Region features for one face. `mesh` is in image pixels; `meshFrame` is the crop the mesh ran
 * on (FaceLandmarks.frame), which fixes the face's size and roll. `fullCrop` samples the whole
 * crop rather than the regions' rows and columns (same values; for tests).
 */
export function obstructionFeatures(img: RgbImage, mesh: Mesh, meshFrame: CropFrame, meshScore: number, options: { fullCrop?: boolean } = {}): ObstructionFeatures {
  const S = FEATURE_CROP_SIZE;
  const frame = featureFrame(meshFrame);
  const toCrop = invertAffine(cropToImage(frame, S));
  const local = new Float64Array(mesh.length);
  for (let i = 0; i < mesh.length; i += 3) {
    const p = applyAffine(toCrop, mesh[i], mesh[i + 1]);
    local[i] = p.x;
    local[i + 1] = p.y;
    local[i + 2] = mesh[i + 2];
  }
  const span = eyeSpan(local);
  const box = (i: number, w: number, h = w, dy = 0) => {
    const c = pointOf(local, i);
    return rectPolygon({ x: c.x, y: c.y + dy }, w * span, h * span);
  };
  const rightEye = polygonOf(local, RIGHT_EYE);
  const leftEye = polygonOf(local, LEFT_EYE);
  // Each region as one polygon or a right/left pair (averaged), skin first.
  const [skinPolys, ...regionPolys]: Array<Point[] | [Point[], Point[]]> = [
    [box(205, 0.25), box(425, 0.25)],
    [rightEye, leftEye],
    [scalePolygon(rightEye, 1.8), scalePolygon(leftEye, 1.8)],
    [scalePolygon(polygonOf(local, RIGHT_BROW), 1.3), scalePolygon(polygonOf(local, LEFT_BROW), 1.3)],
    polygonOf(local, LIPS),
    box(4, 0.3),
    box(199, 0.4, 0.2),
    box(151, 0.5, 0.25),
    box(10, 0.9, 0.5, -0.35 * span),
  ];
  const polys = [skinPolys, ...regionPolys].flatMap((r) => (isPair(r) ? r : [r]));
  // The regions cover about a fifth of the crop (which is wide to leave room for a hat): only the
  // pixels they read are sampled, the bulk of this function's time on a large face.
  const crop = sampleCrop(img, frame, S, {
    scale: 255,
    into: (featureCrop ??= new Float32Array(S * S * 3)),
    ...(options.fullCrop ? {} : { spans: statsSpans(polys, S) }),
  });
  const stats = (r: Point[] | [Point[], Point[]]) => (isPair(r) ? mean2(regionStats(crop, S, r[0]), regionStats(crop, S, r[1])) : regionStats(crop, S, r));
  const skin = stats(skinPolys);
  const regions: RegionStats[] = regionPolys.map(stats);
  const values: number[] = [];
  for (const s of regions) {
    values.push(
      s.luma - skin.luma,
      s.lumaStd,
      s.specular,
      s.dark,
      s.texture,
      Math.hypot(s.r - skin.r, s.g - skin.g, s.b - skin.b),
      s.chroma - skin.chroma,
    );
  }
  const eyes = eyeOpening(local).mean;
  values.push(skin.luma, skin.lumaStd, eyes, mouthOpening(local), meshScore);
  return {
    values: Float64Array.from(values, finiteOrZero),
    lensSpecular: regions[1].specular - skin.specular,
    eyeOpening: eyes,
  };
}
