// The per-image analysis session (after OFIQ): decoded pixels and detected faces go in once; every
// derived quantity (luma, face crop, region statistics) is computed lazily on first use and cached,
// so analyzers stay short, pure and never repeat each other's work.
import { lumaPlane, type Plane, type RgbImage } from '../media/raster.js';
import { cropResample, integralImage, type IntegralImage } from '../media/resample.js';
import type { Box, Face, Point } from '../types.js';
import type { Profile, ThresholdKey } from '../config/profile.js';
import { histogramEllipse, histogramMinus, histogramRect, histogramWhere, type Histogram } from './stats.js';

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
  ) {}

  t(key: ThresholdKey): number {
    return this.profile.values[key];
  }

  private memo<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  get luma(): Plane {
    return this.memo('luma', () => lumaPlane(this.image));
  }

  get lumaIntegral(): IntegralImage {
    return this.memo('lumaIntegral', () => integralImage(this.luma));
  }

  get frameHistogram(): Histogram {
    return this.memo('frameHist', () => histogramWhere(this.luma));
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
   * Grey face crop resampled to the canonical side (never upsampled: a face smaller than the
   * canonical size is measured at its native size, so upsampling blur is not mistaken for defocus).
   */
  get canonicalFace(): Plane | undefined {
    return this.memo('canonFace', () => {
      const g = this.primary;
      if (!g) return undefined;
      const b = g.face.box;
      const side = Math.max(b.width, b.height);
      const crop: Box = { x: b.x + b.width / 2 - side / 2, y: b.y + b.height / 2 - side / 2, width: side, height: side };
      const out = Math.max(16, Math.round(Math.min(this.t('blur.canonicalSize'), side)));
      return cropResample(this.luma, crop, out, out, this.lumaIntegral);
    });
  }

  /** Frame resampled so its short side is the canonical size: the no-face fallback for blur/noise. */
  get canonicalFrame(): Plane {
    return this.memo('canonFrame', () => {
      const { width, height } = this.image;
      const short = Math.min(width, height);
      const k = Math.min(1, (this.t('blur.canonicalSize') * 2) / short);
      const w = Math.max(16, Math.round(width * k));
      const h = Math.max(16, Math.round(height * k));
      return cropResample(this.luma, { x: 0, y: 0, width, height }, w, h, this.lumaIntegral);
    });
  }
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
