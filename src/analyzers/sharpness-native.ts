// Mild blur on small faces, measured at the face's own pixels.
//
// The canonical measure (blur-measure.ts on AnalysisContext.canonicalFace) judges every face at
// one scale relative to its size, which works for the blur a shaking phone or a missed focus
// leaves. The mild softness of a small face (a webcam still, a video frame, a portrait that was
// a little out of focus: CelebA's "Blurry" photos, eyes ≈ 20 px apart) sits in the last octave of
// the file's pixels, and any resampling up to a canonical size wipes exactly that octave out.
// So this measure never enlarges: a face at or below the reference size is read pixel for pixel;
// a larger face is area-averaged down to the reference size (where a sharp photo stays sharp and
// the canonical measure has already judged the coarser blur), and a face enlarged from a smaller
// picture is first shrunk back by its enlargement factor. What is measured is the face with its
// hair and outline, where the strongest edges are, not only the inner face.
import type { Plane } from '../media/raster.js';
import type { Box } from '../types.js';
import { areaCrop } from './blur-measure.js';
import type { FaceGeometry } from './context.js';

/** Where the face sits, in working pixels (from the detector's keypoints). */
export interface FaceFrame {
  eyeMid: { x: number; y: number };
  mouth: { x: number; y: number };
  ied: number;
}

export function faceFrameOf(g: FaceGeometry): FaceFrame {
  return { eyeMid: g.eyeMid, mouth: g.face.keypoints.mouth, ied: g.ied };
}

/** Face unit: the larger of the eye distance and 1.1 × the eye–mouth height (robust to a turned head). */
export function faceUnit(f: FaceFrame): number {
  return Math.max(f.ied, 1.1 * Math.hypot(f.mouth.x - f.eyeMid.x, f.mouth.y - f.eyeMid.y), 4);
}

/** The head region the native measure reads: 3.4 × 4.2 face units around the eye–mouth centre, raised to include the hairline. */
export function detailBox(f: FaceFrame): Box {
  const u = faceUnit(f);
  const cx = (f.eyeMid.x + f.mouth.x) / 2;
  const cy = (f.eyeMid.y + f.mouth.y) / 2 - 0.3 * u;
  const w = 3.4 * u;
  const h = 4.2 * u;
  return { x: cx - w / 2, y: cy - h / 2, width: w, height: h };
}

/**
 * The detail region at (at most) the reference scale: `refUnit` px per face unit, never enlarged.
 * `shrink` ≥ 1 is a known enlargement of the picture (upscale.ts) to undo first. Undefined when
 * the region inside the frame is too small to measure.
 */
export function detailCrop(luma: Plane, f: FaceFrame, refUnit: number, shrink = 1): Plane | undefined {
  const b = detailBox(f);
  // Clamp to the frame (a face at the edge keeps its visible part).
  const x0 = Math.max(0, Math.round(b.x));
  const y0 = Math.max(0, Math.round(b.y));
  const x1 = Math.min(luma.width, Math.round(b.x + b.width));
  const y1 = Math.min(luma.height, Math.round(b.y + b.height));
  const k = Math.max(1, shrink, faceUnit(f) / refUnit);
  const w = Math.floor((x1 - x0) / k);
  const h = Math.floor((y1 - y0) / k);
  if (w < 16 || h < 16) return undefined;
  return areaCrop(luma, { x: x0, y: y0, width: w * k, height: h * k }, w, h);
}

/** Names of nativeBlurFeatures' entries, in order (the model's weights follow this order). */
export const NATIVE_FEATURES = [
  'hFine', // ln(E1/E2) along rows: E(lag) = mean squared difference of pixels `lag` apart
  'hMid', // ln(E2/E4) along rows
  'vFine',
  'vMid',
  'edgeSlopeMedian', // of the steepest 10 %: gradient ÷ 5×5 local range (a sharp step ≈ 0.5)
  'edgeSlopeMean',
  'edgeSlopeP90',
  'lapToGrad', // ln(mean Laplacian² / mean gradient²): weight of the finest scale
  'lapKurtosis', // sharp edges make the Laplacian peaky
  'peakSlope', // ln(99th-percentile gradient ÷ 99th-percentile local range)
] as const;

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i];
}

/** Mean squared difference between pixels `lag` apart along rows (or columns). */
function lagEnergy(p: Plane, horizontal: boolean, lag: number): number {
  const { width: w, height: h, data } = p;
  let s = 0;
  let n = 0;
  if (horizontal) {
    for (let y = 0; y < h; y++) for (let x = 0; x + lag < w; x++) {
      const d = data[y * w + x + lag] - data[y * w + x];
      s += d * d;
      n++;
    }
  } else {
    for (let y = 0; y + lag < h; y++) for (let x = 0; x < w; x++) {
      const d = data[(y + lag) * w + x] - data[y * w + x];
      s += d * d;
      n++;
    }
  }
  return Math.max(1e-3, s / Math.max(1, n));
}

function lagLogRatios(p: Plane, horizontal: boolean): [number, number] {
  const e1 = lagEnergy(p, horizontal, 1);
  const e2 = lagEnergy(p, horizontal, 2);
  const e4 = lagEnergy(p, horizontal, 4);
  return [Math.log(e1 / e2), Math.log(e2 / e4)];
}

/** Native-scale sharpness features of a detail crop, in NATIVE_FEATURES order. Higher = sharper for all but lapKurtosis. */
export function nativeBlurFeatures(p: Plane): number[] {
  const { width: w, height: h, data } = p;
  const [hFine, hMid] = lagLogRatios(p, true);
  const [vFine, vMid] = lagLogRatios(p, false);
  // 5×5 local range (max − min), separably: a 5-wide running max/min along rows, then columns.
  const rowMax = new Float32Array(w * h);
  const rowMin = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 2; x < w - 2; x++) {
      const i = y * w + x;
      let lo = data[i - 2];
      let hi = lo;
      for (let j = i - 1; j <= i + 2; j++) {
        const v = data[j];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      rowMax[i] = hi;
      rowMin[i] = lo;
    }
  }
  // Gradient (central differences) and the local range on the pixels with a full window.
  const n = (w - 4) * (h - 4);
  const grad = new Float64Array(n);
  const range = new Float64Array(n);
  let g2 = 0;
  let l2 = 0;
  let l4 = 0;
  let k = 0;
  for (let y = 2; y < h - 2; y++) {
    for (let x = 2; x < w - 2; x++, k++) {
      const i = y * w + x;
      const gx = (data[i + 1] - data[i - 1]) / 2;
      const gy = (data[i + w] - data[i - w]) / 2;
      grad[k] = Math.hypot(gx, gy);
      g2 += gx * gx + gy * gy;
      const lap = 4 * data[i] - data[i - 1] - data[i + 1] - data[i - w] - data[i + w];
      l2 += lap * lap;
      l4 += lap ** 4;
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = i - 2 * w; j <= i + 2 * w; j += w) {
        if (rowMin[j] < lo) lo = rowMin[j];
        if (rowMax[j] > hi) hi = rowMax[j];
      }
      range[k] = hi - lo;
    }
  }
  const gSorted = Float64Array.from(grad).sort();
  const rSorted = Float64Array.from(range).sort();
  const thr = quantile(gSorted, 0.9);
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) if (grad[i] >= thr) slopes.push(grad[i] / (range[i] + 1e-3));
  const sSorted = Float64Array.from(slopes).sort();
  const mean = slopes.reduce((s, v) => s + v, 0) / Math.max(1, slopes.length);
  const m2 = l2 / Math.max(1, n);
  return [
    hFine,
    hMid,
    vFine,
    vMid,
    quantile(sSorted, 0.5),
    mean,
    quantile(sSorted, 0.9),
    Math.log(Math.max(1e-6, m2) / Math.max(1e-6, g2 / Math.max(1, n))),
    m2 > 0 ? l4 / Math.max(1, n) / (m2 * m2) : 0,
    Math.log((quantile(gSorted, 0.99) + 1e-3) / (quantile(rSorted, 0.99) + 1e-3)),
  ];
}
