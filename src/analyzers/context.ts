// The per-image analysis session (after OFIQ): decoded pixels and detected faces go in once; every
// derived quantity (luma, face crop, region statistics) is computed lazily on first use and cached,
// so analyzers stay short, pure and never repeat each other's work.
import type { Plane, RgbImage } from '../media/raster.js';
import { cropResample, integralImage, type IntegralImage } from '../media/resample.js';
import type { Box, Face, Point } from '../types.js';
import type { Profile, ThresholdKey } from '../config/profile.js';
import { binRun, emptyHistogram, histogramEllipse, histogramMinus, histogramRect, mergeSubHistograms, type Histogram } from './stats.js';
import { chooseSubject, type Subject } from './subject.js';
import type { FaceData } from '../vision/face-embedding.js';
import type { FaceLandmarks } from '../vision/landmarks.js';
import { obstructionFeatures, type ObstructionFeatures } from './obstructions/features.js';
import { detectUpscale, type Upscale } from './upscale.js';
import { areaCrop } from './blur-measure.js';

export interface FaceGeometry {
  face: Face;
  /** Midpoint between the eyes and the eye-line angle (radians, 0 = level). */
  eyeMid: Point;
  roll: number;
  /** Inter-eye distance in working-image pixels. */
  ied: number;
  /** Face box enlarged to forehead and chin (BlazeFace boxes run roughly brow to lower lip). */
  headBox: Box;
}

export class AnalysisContext {
  private cache = new Map<string, unknown>();

  constructor(
    /** Pixels at working resolution (EXIF-oriented). */
    readonly image: RgbImage,
    /** Original-image pixels per working-image pixel (≥ 1). */
    readonly scale: number,
    /** Detected faces in working-image coordinates, largest first, already score-filtered. */
    readonly faces: Face[],
    readonly profile: Profile,
    /** Landmarks and embedding of the subject's face, computed by the gather step when an enabled
     *  analyzer requires them (see analyzer.ts `requires`); absent otherwise. */
    readonly faceData: FaceData = {},
  ) {}

  /** The subject's 468-point face mesh (working-image pixels), when gathered. */
  get landmarks(): FaceLandmarks | undefined {
    return this.faceData.landmarks;
  }

  /** The subject's faceres embedding, when gathered. */
  get embedding(): Float32Array | undefined {
    return this.faceData.embedding;
  }

  /** Region statistics of the subject's face for the obstruction analyzers (needs landmarks). */
  get obstructionFeatures(): ObstructionFeatures | undefined {
    return this.memo('obstructionFeatures', () => {
      const lm = this.landmarks;
      return lm ? obstructionFeatures(this.image, lm.mesh, lm.frame, lm.faceScore) : undefined;
    });
  }

  t(key: ThresholdKey): number {
    return this.profile.values[key];
  }

  private memo<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  get luma(): Plane {
    return this.lumaAndHistogram.luma;
  }

  /** Summed-area table of the luma plane: 8 bytes a pixel, so only for callers that need many box sums. */
  get lumaIntegral(): IntegralImage {
    return this.memo('lumaIntegral', () => integralImage(this.luma));
  }

  get frameHistogram(): Histogram {
    return this.lumaAndHistogram.histogram;
  }

  /** The luma plane and its whole-frame histogram in one pass over the pixels: every analyzer run
   *  by default needs both, and the frame is the largest thing the pipeline walks. */
  private get lumaAndHistogram(): { luma: Plane; histogram: Histogram } {
    return this.memo('luma', () => lumaWithHistogram(this.image));
  }

  get primary(): FaceGeometry | undefined {
    return this.memo('primary', () => (this.faces[0] ? faceGeometry(this.faces[0]) : undefined));
  }

  /** Luma histogram of the skin area: an ellipse inside the face box, clear of hair and background. */
  get faceHistogram(): Histogram | undefined {
    return this.memo('faceHist', () => {
      const g = this.primary;
      if (!g) return undefined;
      const e = skinEllipse(g.face.box);
      return histogramEllipse(this.luma, e.cx, e.cy, e.rx, e.ry);
    });
  }

  /**
   * Luma histogram of the surroundings: the frame minus the person (head box and the torso column
   * below it). Undefined when too little of the frame is left to judge.
   */
  get backgroundHistogram(): Histogram | undefined {
    return this.memo('bgHist', () => {
      const g = this.primary;
      if (!g) return undefined;
      const hb = g.headBox;
      const left = hb.x - hb.width * 0.35;
      const right = hb.x + hb.width * 1.35;
      const top = hb.y - hb.height * 0.15;
      const person = histogramRect(this.luma, { x: left, y: top, width: right - left, height: this.image.height - top });
      const h = histogramMinus(this.frameHistogram, person);
      return h.count >= 0.08 * this.image.width * this.image.height ? h : undefined;
    });
  }

  /**
   * Luma histogram of what surrounds the head: the frame from the top down to the chin, minus a
   * column around the head (hair and ears included). Where a window or lamp behind the person
   * would be. Undefined with no face, or when less than 5 % of the frame is left.
   */
  get surroundHistogram(): Histogram | undefined {
    return this.memo('surroundHist', () => {
      const g = this.primary;
      if (!g) return undefined;
      const b = g.face.box;
      const hb = g.headBox;
      const bottom = Math.min(this.image.height, b.y + b.height * 1.1);
      const top = Math.max(0, hb.y - hb.height * 0.1);
      // Every other pixel of every other row: percentiles of a large area need no more.
      const h = sampledHistogramOutside(this.luma, bottom, { x: hb.x - hb.width * 0.1, y: top, width: hb.width * 1.2, height: bottom - top });
      return h.count >= (0.05 * this.image.width * this.image.height) / 4 ? h : undefined;
    });
  }

  /**
   * The person being checked and the other people in the frame, chosen from the detections by
   * score and geometry (see subject.ts): a weak oversized box around a confident face, or a
   * duplicate box over the same head, is neither the subject nor another person.
   */
  get subject(): Subject & { geometry?: FaceGeometry } {
    return this.memo('subject', () => {
      const s = chooseSubject(this.faces, {
        mainScoreSlack: this.t('faces.mainScoreSlack'),
        otherMinScore: this.t('faces.otherMinScore'),
        sameHeadOverlap: this.t('faces.sameHeadOverlap'),
      });
      return s.main ? { ...s, geometry: faceGeometry(s.main) } : s;
    });
  }

  /**
   * The inner face (eyes, nose, mouth) of the subject: a square around the eye–mouth centre sized
   * from the keypoints, so hair, ears and background (often out of focus in a sharp portrait)
   * stay out. Working-image pixels.
   */
  get innerFaceBox(): Box | undefined {
    return this.memo('innerFaceBox', () => {
      const g = this.subject.geometry;
      return g ? innerFaceBox(g) : undefined;
    });
  }

  /**
   * The inner face resampled to the canonical side (`blur.canonicalSize`, area-averaged when
   * shrinking): every face is judged at the same scale relative to its own size, so face size and
   * image resolution do not bias blur. A face smaller than the canonical size is enlarged
   * (bilinear); that softens it a little, which is what its few pixels can show.
   */
  get canonicalFace(): Plane | undefined {
    return this.memo('canonFace', () => {
      const b = this.innerFaceBox;
      if (!b) return undefined;
      const out = Math.round(this.t('blur.canonicalSize'));
      return areaCrop(this.luma, b, out, out);
    });
  }

  /** Whether the subject's face was enlarged from a smaller picture, and by how much (see upscale.ts). */
  get upscale(): Upscale | undefined {
    return this.memo('upscale', () => detectUpscale(this));
  }

  /**
   * The no-face fallback for blur: the whole frame shrunk so its short side is (at most) four
   * canonical crops, to be judged tile by tile (a sharp background proves the camera was not blurred).
   */
  get canonicalFrame(): Plane {
    return this.memo('canonFrame', () => {
      const { width, height } = this.image;
      // Never enlarged (that would only add interpolation blur) and never more than 32 crops
      // long, whatever the frame's shape.
      const side = 4 * this.t('blur.canonicalSize');
      const k = Math.min(1, side / Math.min(width, height), (8 * side) / Math.max(width, height));
      const w = Math.max(1, Math.round(width * k));
      const h = Math.max(1, Math.round(height * k));
      return areaCrop(this.luma, { x: 0, y: 0, width, height }, w, h);
    });
  }
}

/** Square over eyes, nose and mouth: 1.6× the larger of the eye distance and the eye–mouth height. */
export function innerFaceBox(g: FaceGeometry): Box {
  const { mouth } = g.face.keypoints;
  const eyeMouth = Math.hypot(mouth.x - g.eyeMid.x, mouth.y - g.eyeMid.y);
  const side = 1.6 * Math.max(g.ied, 1.1 * eyeMouth, 4);
  const cx = (g.eyeMid.x + mouth.x) / 2;
  const cy = (g.eyeMid.y + mouth.y) / 2;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

export function faceGeometry(face: Face): FaceGeometry {
  const { rightEye, leftEye } = face.keypoints;
  const eyeMid = { x: (rightEye.x + leftEye.x) / 2, y: (rightEye.y + leftEye.y) / 2 };
  const dx = leftEye.x - rightEye.x;
  const dy = leftEye.y - rightEye.y;
  const b = face.box;
  const headBox: Box = { x: b.x - b.width * 0.05, y: b.y - b.height * 0.25, width: b.width * 1.1, height: b.height * 1.4 };
  return { face, eyeMid, roll: Math.atan2(dy, dx), ied: Math.hypot(dx, dy), headBox };
}

export interface Ellipse {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  bounds: Box;
}

/** Cheeks, nose and forehead-centre: the part of the face box that is nearly always skin. */
export function skinEllipse(b: Box): Ellipse {
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height * 0.55;
  const rx = b.width * 0.36;
  const ry = b.height * 0.4;
  return { cx, cy, rx, ry, bounds: { x: cx - rx, y: cy - ry, width: 2 * rx, height: 2 * ry } };
}

export function insideEllipse(e: Ellipse, x: number, y: number): boolean {
  const u = (x - e.cx) / e.rx;
  const v = (y - e.cy) / e.ry;
  return u * u + v * v <= 1;
}

/**
 * lumaPlane() and histogramWhere() of it, fused: the same values (Rec. 601 luma rounded to float32,
 * binned by truncation) from one read of the RGB data. Four pixels per step into four
 * sub-histograms: neighbouring pixels mostly fall in the same bin, and incrementing one counter
 * back to back stalls on its own store. The weights sum to 1, so 8-bit input gives 0 ≤ luma ≤ 255
 * and no clamping is needed.
 */
export function lumaWithHistogram(img: RgbImage): { luma: Plane; histogram: Histogram } {
  const { width, height, data } = img;
  const n = width * height;
  const out = new Float32Array(n);
  const sub = new Uint32Array(4 * 256);
  const luma = (p: number) => Math.fround(0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2]);
  let i = 0;
  let p = 0;
  for (; i + 4 <= n; i += 4, p += 12) {
    const v0 = luma(p);
    const v1 = luma(p + 3);
    const v2 = luma(p + 6);
    const v3 = luma(p + 9);
    out[i] = v0;
    out[i + 1] = v1;
    out[i + 2] = v2;
    out[i + 3] = v3;
    sub[v0 | 0]++;
    sub[256 + (v1 | 0)]++;
    sub[512 + (v2 | 0)]++;
    sub[768 + (v3 | 0)]++;
  }
  for (; i < n; i++, p += 3) {
    const v = luma(p);
    out[i] = v;
    sub[v | 0]++;
  }
  const h = emptyHistogram();
  for (let b = 0; b < 256; b++) h.bins[b] = sub[b] + sub[256 + b] + sub[512 + b] + sub[768 + b];
  h.count = n;
  return { luma: { width, height, data: out }, histogram: h };
}

/** Histogram of rows [0, bottom) outside `hole`, sampling every other pixel of every other row. */
function sampledHistogramOutside(plane: Plane, bottom: number, hole: Box): Histogram {
  const h = emptyHistogram();
  const sub = new Uint32Array(4 * 256);
  const { data, width } = plane;
  const hx0 = Math.max(0, Math.ceil(hole.x));
  const hx1 = Math.min(width, Math.ceil(hole.x + hole.width));
  // Even columns left of the hole, and from the first even column at or after its end.
  const leftEnd = Math.max(0, hx0);
  const rightStart = hx1 + (hx1 & 1);
  for (let y = 0; y < Math.min(plane.height, bottom); y += 2) {
    const inHole = y >= hole.y && y < hole.y + hole.height && hx1 > hx0;
    const row = y * width;
    if (!inHole) {
      binRun(data, row, row + width, 2, sub);
      h.count += (width + 1) >> 1;
      continue;
    }
    binRun(data, row, row + leftEnd, 2, sub);
    h.count += (leftEnd + 1) >> 1;
    if (rightStart < width) {
      binRun(data, row + rightStart, row + width, 2, sub);
      h.count += (width - rightStart + 1) >> 1;
    }
  }
  mergeSubHistograms(sub, h.bins);
  return h;
}
